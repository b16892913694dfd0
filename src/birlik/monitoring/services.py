"""Every write of early warning: sources and items, labels and models, alerts and their steps,
the journalists' club's register, the tension index. Each part keeps its own section.

Helpers editing this file concurrently: add code only under your own section header, with an
edit that replaces or follows the header line; never rewrite the file whole."""

from __future__ import annotations

# --- Sources and collection (collect) ---------------------------------------------------------

# --- Labels, risk models and keyword rules (learn) -------------------------------------------

# --- Alerts and their response (alerts) -------------------------------------------------------

# --- Club register, appeal signals and the tension index (media) ------------------------------
