"""Who does what in volunteers (filled by its slice)."""
