"""Who may see and do what in learning (filled by its slice)."""
