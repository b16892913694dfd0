"""Indicators of early warning. Public ones (coverage, the club's output) are aggregates that
never carry a risk signal; alert figures are for staff dashboards.

Each part keeps its own section (add code only under your own header)."""

from __future__ import annotations

# --- Alerts (alerts) --------------------------------------------------------------------------

# --- Coverage, the club's output and the tension index (media) -------------------------------
