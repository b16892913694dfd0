"""Paginated staff lists: one page of rows, and the query string that keeps understood filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(
    request: HttpRequest, items: Any, param: str = "page", size: int | None = None
) -> Page[Any]:
    """The page of ``items`` asked for in ``?<param>=`` (the last page for a page too far)."""
    return Paginator(items, size or settings.BIRLIK_PAGE_SIZE).get_page(request.GET.get(param))


def kept_query(request: HttpRequest, form: Any, extra: tuple[str, ...] = ()) -> str:
    """The filters that were understood, for links to other pages of the list."""
    kept: dict[str, str] = {
        key: str(value)
        for key, value in request.GET.items()
        if value
        and ((key in form.fields and key not in form.errors) or key in extra)
        and key != "page"
    }
    return urlencode(kept)
