"""The journalists' club's register in the workspace: what the club's members and partner
media published, entered by hand, imported from a spreadsheet or collected from their sources.

The club's staff keep their club's register, the national administrators every club's; the
national analysts read it. Anyone else: 403, and a publication out of one's scope: 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.core import uploads
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of

from . import club_forms, queries, services
from .models import ClubPublication


def _crumbs(*steps: tuple[Any, str]) -> list[dict[str, Any]]:
    register = {"label": _("The journalists' club's register"), "url": reverse("monitoring:club")}
    return [register, *({"label": label, "url": url} for label, url in steps)]


def _publication(request: HttpRequest, pk: int) -> ClubPublication:
    """A publication of the user's register to change: 404 out of scope, 403 read-only."""
    publication = policies.get_scoped_or_404(
        ClubPublication.objects.select_related("organisation", "region"), request.user, pk=pk
    )
    policies.require(request.user, "monitoring.register_club")
    return publication


@staff_view
def club(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "monitoring.view_club")
    form = club_forms.ClubFilterForm(request.GET)
    filters = form.filters()
    rows = queries.club_publications(user=request.user, **filters)
    counts = queries.club_counts(
        year=filters["year"],
        region=filters["region"],
        qs=queries.club_publications(user=request.user, outlet=filters["outlet"]),
    )
    return render(
        request,
        "monitoring/club.html",
        {
            "form": form,
            "year": filters["year"],
            "counts": [(label, counts[code]) for code, label in ClubPublication.Kind.choices],
            "total": sum(counts.values()),
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "may_register": policies.can(request.user, "monitoring.register_club"),
        },
    )


def _form_page(
    request: HttpRequest,
    form: club_forms.ClubPublicationForm,
    publication: ClubPublication | None = None,
) -> HttpResponse:
    if publication is None:
        crumbs = _crumbs((_("Enter a publication"), reverse("monitoring:club_new")))
    else:
        url = reverse("monitoring:club_edit", kwargs={"pk": publication.pk})
        crumbs = _crumbs((publication.title, url))
    return render(
        request,
        "monitoring/club_form.html",
        {"form": form, "publication": publication, "crumbs": crumbs},
        status=400 if form.is_bound else 200,
    )


@staff_view
def club_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "monitoring.register_club")
    form = club_forms.ClubPublicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_publication_register(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The publication was entered in the register."))
            return redirect("monitoring:club")
    return _form_page(request, form)


@staff_view
def club_edit(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    initial = {
        "organisation": publication.organisation_id,
        "outlet": publication.outlet,
        "kind": publication.kind,
        "published_on": publication.published_on,
        "title": publication.title,
        "url": publication.url,
        "region": publication.region.iso if publication.region is not None else None,
    }
    form = club_forms.ClubPublicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.club_publication_update(
                actor=request.user,  # type: ignore[arg-type]
                publication=publication,
                **form.cleaned_data,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The publication was corrected."))
            return redirect("monitoring:club")
    return _form_page(request, form, publication)


@require_POST
@staff_view
def club_delete(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    services.club_publication_delete(actor=request.user, publication=publication)  # type: ignore[arg-type]
    messages.success(request, _("The publication was deleted from the register."))
    return redirect("monitoring:club")


def _import_page(
    request: HttpRequest,
    form: club_forms.ClubImportForm,
    result: services.ImportResult | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "monitoring/club_import.html",
        {
            "form": form,
            "result": result,
            "crumbs": _crumbs((_("Import a spreadsheet"), reverse("monitoring:club_import"))),
        },
        status=status,
    )


@uploads.upload_limit(uploads.IMPORT_LIMIT)
@staff_view
def club_import(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "monitoring.register_club")
    if request.method != "POST":
        return _import_page(request, club_forms.ClubImportForm(user=request.user))
    if refused := uploads.refusal_message(request, uploads.IMPORT_LIMIT, split=True):
        form = club_forms.ClubImportForm(request.POST, None, user=request.user)
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
        return _import_page(request, form, status=400)
    form = club_forms.ClubImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    try:
        result = services.club_import(
            actor=request.user,  # type: ignore[arg-type]
            upload=form.cleaned_data["file"],
            organisation=form.cleaned_data["organisation"],
        )
    except DomainError as error:
        show_domain_error(form, error)
        return _import_page(request, form, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)s publication was stored.",
            "%(count)s publications were stored.",
            result.stored,
        )
        % {"count": result.stored},
    )
    return _import_page(request, club_forms.ClubImportForm(user=request.user), result)


urlpatterns = [
    path("club/", club, name="club"),
    path("club/new/", club_new, name="club_new"),
    path("club/<int:pk>/edit/", club_edit, name="club_edit"),
    path("club/<int:pk>/delete/", club_delete, name="club_delete"),
    path("club/import/", club_import, name="club_import"),
]
