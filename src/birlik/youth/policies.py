"""Who does what in youth (filled by its slice)."""
