"""Background jobs of surveys: weighing a survey and computing its estimates, quality flags at
close. Each part keeps its own section."""

from __future__ import annotations

# --- Collecting answers (collect) -----------------------------------------------------------------

# --- Weighting and estimates (stats) --------------------------------------------------------------
