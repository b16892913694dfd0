"""The sources of early warning in the workspace: the list with each source's health, a
source's fetch log, adding and changing sources, "fetch now", uploads of Telegram exports and
vendors' sheets, and items typed by hand.

Readers of media (analysts, national administrators, regional coordinators) see the sources
and their health, and may type an item (a coordinator files it under one of their regions);
national administrators and analysts holding their role on the whole network manage sources.
Sources are public outlets: they are not scoped by region.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core import uploads
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import page_of

from . import queries, services
from .fetching import error_message
from .models import Source
from .source_forms import (
    ItemEnterForm,
    SourceFilterForm,
    SourceForm,
    SourceUploadForm,
    source_initial,
)

VIEW = "monitoring.view_sources"
MANAGE = "monitoring.manage_sources"
ENTER = "monitoring.enter_item"
LIST_DAYS = 7
HEALTH_DAYS = 30
HEALTH_FETCHES = 50
UPLOADED_KINDS = frozenset({Source.Kind.TELEGRAM, Source.Kind.VENDOR})


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (``staff_view`` let only them in)."""
    return cast(User, request.user)


def _crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    trail = [(_("Workspace"), reverse("workspace:home"))]
    with contextlib.suppress(NoReverseMatch):  # the overview is another part's page
        trail.append((_("Media monitoring"), reverse("monitoring:dashboard")))
    return [{"label": label, "url": url} for label, url in [*trail, *pairs]]


def _sources_crumb() -> tuple[str, str]:
    return (pgettext("media sources", "Sources"), reverse("monitoring:sources"))


def _source(pk: int) -> Source:
    return get_object_or_404(Source.objects.select_related("home_region", "club_member"), pk=pk)


def _health_url(source: Source) -> str:
    return reverse("monitoring:source_health", kwargs={"pk": source.pk})


# --- The list ------------------------------------------------------------------------------------


@staff_view
def sources(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, VIEW)
    form = SourceFilterForm(request.GET)
    filters = form.filters()
    items = Source.objects.select_related("home_region").order_by("name", "pk")
    if filters["kind"]:
        items = items.filter(kind=filters["kind"])
    if filters["state"]:
        items = items.filter(queries.source_state_q(filters["state"]))
    page = page_of(request, items)
    now = timezone.now()
    rows = queries.source_health_rows(page.object_list, now=now, days=LIST_DAYS)
    return render(
        request,
        "monitoring/sources.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "days": [day for day, _count in rows[0].per_day] if rows else [],
            "query_string": "&".join(f"{key}={value}" for key, value in filters.items() if value),
            "filtered": any(filters.values()),
            "may_manage": policies.can(request.user, MANAGE),
            "may_enter": policies.can(request.user, ENTER),
            "crumbs": _crumbs((pgettext("media sources", "Sources"), "")),
        },
    )


# --- One source ----------------------------------------------------------------------------------


@staff_view
def source_health(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, VIEW)
    source = _source(pk)
    now = timezone.now()
    per_day = queries.items_per_day([source.pk], now=now, days=HEALTH_DAYS)[source.pk]
    fetches = queries.source_fetches_recent(source, limit=HEALTH_FETCHES)
    return render(
        request,
        "monitoring/source_health.html",
        {
            "source": source,
            "state": queries.source_state(source),
            "state_label": queries.SOURCE_STATES[queries.source_state(source)],
            "last_error": error_message(source.last_error) if source.last_error else "",
            "per_day": per_day,
            "most": max((count for _day, count in per_day), default=0),
            "total": sum(count for _day, count in per_day),
            "fetches": [
                (fetch, error_message(fetch.error) if fetch.error else "") for fetch in fetches
            ],
            "failed": sum(1 for fetch in fetches if fetch.error),
            "fetched": source.kind in Source.FETCHED,
            "uploaded": source.kind in UPLOADED_KINDS,
            "may_manage": policies.can(request.user, MANAGE),
            "crumbs": _crumbs(_sources_crumb(), (source.name, "")),
        },
    )


def _form_page(
    request: HttpRequest, form: SourceForm, source: Source | None, *, status: int = 200
) -> HttpResponse:
    title = _("Change the source") if source else _("Add a source")
    pairs = [_sources_crumb()]
    if source is not None:
        pairs.append((source.name, _health_url(source)))
    return render(
        request,
        "monitoring/source_form.html",
        {"form": form, "source": source, "title": title, "crumbs": _crumbs(*pairs, (title, ""))},
        status=status,
    )


@staff_view
def source_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, MANAGE)
    form = SourceForm(request.POST or None, initial={"enabled": True, "schedule_minutes": 10})
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.source_create(actor=_user(request), **form.values())
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The source was added. Birlik reads it shortly."))
                return redirect(_health_url(created))
        return _form_page(request, form, None, status=400)
    return _form_page(request, form, None)


@staff_view
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, MANAGE)
    source = _source(pk)
    if source.kind == Source.Kind.MANUAL:
        messages.info(request, _("The source of items entered by hand is kept by Birlik."))
        return redirect(_health_url(source))
    form = SourceForm(request.POST or None, initial=source_initial(source))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.source_update(actor=_user(request), source=source, **form.values())
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The source was saved."))
                return redirect(_health_url(source))
        return _form_page(request, form, source, status=400)
    return _form_page(request, form, source)


@require_POST
@staff_view
def source_fetch_now(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, MANAGE)
    source = _source(pk)
    try:
        queued = services.source_fetch_queue(actor=_user(request), source=source)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if queued:
            messages.success(request, _("The source will be read in a moment."))
        else:
            messages.info(request, _("The source is being read already."))
    return redirect(_health_url(source))


# --- Uploads -------------------------------------------------------------------------------------


def _upload_page(
    request: HttpRequest,
    source: Source,
    form: SourceUploadForm,
    *,
    status: int = 200,
    added: int | None = None,
    skipped: list[tuple[int, str]] | None = None,
) -> HttpResponse:
    return render(
        request,
        "monitoring/source_upload.html",
        {
            "source": source,
            "form": form,
            "added": added,
            "skipped": skipped or [],
            "telegram": source.kind == Source.Kind.TELEGRAM,
            "crumbs": _crumbs(
                _sources_crumb(), (source.name, _health_url(source)), (_("Upload a file"), "")
            ),
        },
        status=status,
    )


@uploads.upload_limit(uploads.IMPORT_LIMIT)
@staff_view
def source_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    policies.require(request.user, MANAGE)
    source = _source(pk)
    if source.kind not in UPLOADED_KINDS:
        messages.info(
            request,
            _("Files are uploaded only to a Telegram channel or a monitoring vendor's source."),
        )
        return redirect(_health_url(source))
    if request.method != "POST":
        return _upload_page(request, source, SourceUploadForm())
    if refused := uploads.refusal_message(request, uploads.IMPORT_LIMIT, split=True):
        form = SourceUploadForm(request.POST, {})
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _upload_page(request, source, form, status=400)
    form = SourceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, source, form, status=400)
    skipped: list[tuple[int, str]] = []
    try:
        added = services.items_from_upload(
            actor=_user(request),
            source=source,
            upload=form.cleaned_data["file"],
            skipped=skipped,
        )
    except DomainError as error:
        show_domain_error(form, error)
        return _upload_page(request, source, form, status=400)
    messages.success(
        request,
        ngettext("%(count)s new item was added.", "%(count)s new items were added.", added)
        % {"count": added},
    )
    return _upload_page(request, source, SourceUploadForm(), added=added, skipped=skipped)


# --- Items typed by hand -------------------------------------------------------------------------


def _item_url(item_pk: int) -> str:
    try:
        return reverse("monitoring:item", kwargs={"pk": item_pk})
    except NoReverseMatch:  # the item page is another part's
        return reverse("monitoring:item_enter")


@staff_view
def item_enter(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, ENTER)
    form = ItemEnterForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data: dict[str, Any] = form.cleaned_data
            published: datetime.datetime | None = data.get("published_at")
            try:
                item = services.item_enter(
                    actor=_user(request),
                    title=data["title"],
                    text=data.get("text", ""),
                    url=data.get("url", ""),
                    published_at=published,
                    region=data.get("region"),
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request, _("The item was added. Birlik reads it within a few minutes.")
                )
                return redirect(_item_url(item.pk))
        status = 400
    return render(
        request,
        "monitoring/item_enter.html",
        {"form": form, "crumbs": _crumbs((_("Enter an item by hand"), ""))},
        status=status,
    )


urlpatterns = [
    path("sources/", sources, name="sources"),
    path("sources/new/", source_new, name="source_new"),
    path("sources/<int:pk>/", source_health, name="source_health"),
    path("sources/<int:pk>/edit/", source_edit, name="source_edit"),
    path("sources/<int:pk>/fetch/", source_fetch_now, name="source_fetch_now"),
    path("sources/<int:pk>/upload/", source_upload, name="source_upload"),
    path("items/enter/", item_enter, name="item_enter"),
]
