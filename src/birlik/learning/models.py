"""learning: models (filled by its slice)."""
