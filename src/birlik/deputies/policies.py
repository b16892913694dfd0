"""Who may see and do what in deputies (filled by its slice)."""
