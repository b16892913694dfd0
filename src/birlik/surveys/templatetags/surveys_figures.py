"""The public figures page's way to the trust index: a block shown once a wave is published."""

from __future__ import annotations

from typing import Any

from django import template

from birlik.core import kpi
from birlik.surveys.queries import published_surveys

register = template.Library()


@register.inclusion_tag("surveys/figures/_link.html")
def trust_index_link() -> dict[str, Any]:
    """``{% trust_index_link %}``: a link to the method page when a weighted wave measuring the
    index is published; nothing otherwise."""

    def published() -> bool:
        return published_surveys().filter(is_trust_index=True, runs__isnull=False).exists()

    # Cached like the page's other figures (until the next change of a figure, or 5 minutes).
    return {"published": kpi.cached("surveys:trust-index-published", published)}
