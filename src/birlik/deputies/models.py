"""deputies: models (filled by its slice)."""
