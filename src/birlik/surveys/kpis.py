"""Indicators of surveys and the expert council: surveys run, respondents, the interethnic trust
index by region and year (read from stored estimates, never from responses), studies,
recommendations made and acted on. Each part keeps its own section."""

from __future__ import annotations

# --- Surveys and the trust index (stats) ----------------------------------------------------------

# --- The expert council (council) -----------------------------------------------------------------
