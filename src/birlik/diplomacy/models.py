"""diplomacy: models (filled by its slice)."""
