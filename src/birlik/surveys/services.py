"""Every write of surveys and the expert council: questionnaires and their
versions, collecting answers, weighting and estimates, the council's plans, studies and
recommendations. Each part keeps its own section."""

from __future__ import annotations

# --- Questionnaires, versions and surveys (build) -------------------------------------------------

# --- Collecting answers: web, panel, interview sync, paper, import (collect) ----------------------

# --- Margins, weighting, estimates and the trust index (stats) ------------------------------------

# --- The expert council: plans, studies, recommendations (council) --------------------------------
