"""Who may see and do what in diplomacy (filled by its slice)."""
