"""Names of regions in figures, in the reader's language: the one place a figure's region code
(or the bucket of bodies that belong to no region) becomes the text a table shows."""

from __future__ import annotations

from django.utils.translation import pgettext

from .models import Region

# The code figures give the bodies without a region: the secretariat and the other national
# (republican) bodies. Never shown as such.
NO_REGION = "none"


def no_region_label() -> str:
    """The bucket of bodies without a region: «Республикалық ұйымдар», "National bodies"."""
    return pgettext("region bucket", "National bodies")


def region_label(name: object) -> str:
    """A region's name, or the national bucket's label when there is no region."""
    return str(name) if name else no_region_label()


def region_names() -> dict[str, str]:
    """ISO code → name in the active language, the 20 regions in their order (one query)."""
    return {region.iso: region.name for region in Region.objects.all()}


def region_labels() -> dict[str, str]:
    """``region_names`` and the national bucket (``NO_REGION``): the labels of a figure's
    ``region`` codes."""
    return {**region_names(), NO_REGION: no_region_label()}
