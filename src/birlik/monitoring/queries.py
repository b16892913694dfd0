"""Every read rule of early warning: which items, stories, alerts and figures, in what order.

Helpers editing this file concurrently: add code only under your own section header, with an
edit that replaces or follows the header line; never rewrite the file whole."""

from __future__ import annotations

# --- Sources and collection (collect) ---------------------------------------------------------

# --- Labels, risk models and keyword rules (learn) -------------------------------------------

# --- Alerts and their response (alerts) -------------------------------------------------------

# --- Club register, appeal signals and the tension index (media) ------------------------------
