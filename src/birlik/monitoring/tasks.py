"""Jobs of early warning on the queue; the worker's minute tick (``cli``) queues the due ones.

Each part keeps its own section (add code only under your own header)."""

from __future__ import annotations

# --- Sources and collection (collect) ---------------------------------------------------------

# --- Processing (pipeline) --------------------------------------------------------------------

# --- Labels and risk models (learn) -----------------------------------------------------------

# --- Alerts (alerts) --------------------------------------------------------------------------

# --- Tension index and appeal signals (media) -------------------------------------------------
