"""Region names in templates, the empty region named as figures name it."""

from __future__ import annotations

from typing import Any

from django import template

from birlik.geo import labels

register = template.Library()


@register.filter
def region_label(region: Any) -> str:
    """A region (or its name) as lists and figures show it; no region: the national bucket."""
    return labels.region_label(getattr(region, "name", region))
