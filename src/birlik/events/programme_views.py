"""The staff's programme pages (slice ``programmes``), mounted at
/<lang>/workspace/events/programmes/: the programmes with the bodies taking part, a body joining
or leaving (its staff, or a manager covering it; a coordinator ticks several bodies at once),
and the partners (national administrators). Every write goes through ``programme_services``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.policies import STAFF_ROLES, prefix_q, roots
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.kpi import Period
from birlik.core.listing import page_of
from birlik.geo.labels import region_labels
from birlik.registry.models import Organisation, OrganisationKind

from . import programme_forms as forms
from . import programme_queries as queries
from . import programme_services as services
from .models import Programme, ProgrammeMembership, ProgrammePartner

MAX_BODIES_AT_ONCE = 200


@staff_view
def programme_list(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "events.view_programmes")
    return render(
        request,
        "events/programmes/list.html",
        {"programmes": queries.programmes_for_staff(request.user)},
    )


def _kind_filter(request: HttpRequest) -> str:
    code = request.GET.get("kind", "")
    return code if code and OrganisationKind.objects.filter(code=code).exists() else ""


def _detail_page(
    request: HttpRequest,
    programme: Programme,
    *,
    join_form: forms.JoinForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_join = policies.can(user, "events.join_programme")
    year = timezone.localdate().year
    figures = queries.programme_figures(period=Period.year(year))
    labels = region_labels()
    regions = [
        (labels.get(iso, iso), values)
        for iso, values in sorted(
            queries.by_region(figures, programme.code).items(),
            key=lambda pair: labels.get(pair[0], "\uffff"),
        )
    ]
    context: dict[str, Any] = {
        "programme": programme,
        "year": year,
        "totals": queries.totals_by_programme(figures).get(
            programme.code, dict.fromkeys(queries.MEASURES, 0)
        ),
        "regions": regions,
        "partners": queries.programme_partners(programme),
        "memberships": page_of(request, queries.memberships_in_scope(programme, user)),
        "can_join": can_join and programme.is_active,
        "manage_partners": policies.can(user, "events.manage_programme_partners"),
        "leave_form": forms.LeaveForm(),
    }
    if context["can_join"]:
        kind = _kind_filter(request)
        context.update(
            {
                "join_form": join_form or forms.JoinForm(),
                "joinable": page_of(
                    request, queries.joinable_bodies(programme, user, kind=kind), "bodies_page"
                ),
                "kind": kind,
                "kind_query": urlencode({"kind": kind}) if kind else "",
                "kinds": OrganisationKind.objects.order_by("position", "code"),
            }
        )
    return render(request, "events/programmes/detail.html", context, status=status)


@staff_view
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    policies.require(request.user, "events.view_programmes")
    return _detail_page(request, queries.staff_programme_or_404(code))


def _bodies_in_scope(request: HttpRequest) -> list[Organisation]:
    """The ticked bodies; any that is unknown or outside the user's scope → 404."""
    raw = request.POST.getlist("bodies")
    try:
        ids = {int(value) for value in raw}
    except ValueError as error:
        raise Http404 from error
    if len(ids) > MAX_BODIES_AT_ONCE:
        return []
    bodies: QuerySet[Organisation] = Organisation.objects.filter(pk__in=ids).filter(
        prefix_q("path", roots(request.user, STAFF_ROLES))
    )
    found = list(bodies.order_by("path"))
    if len(found) != len(ids):
        raise Http404
    return found


@require_POST
@staff_view
def programme_join(request: HttpRequest, code: str) -> HttpResponse:
    programme = queries.staff_programme_or_404(code)
    policies.require(request.user, "events.join_programme")
    bodies = _bodies_in_scope(request)
    form = forms.JoinForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, programme, join_form=form, status=400)
    if not bodies:
        form.add_error(
            None,
            _("Tick at least one body (at most %(count)s at once).")
            % {"count": MAX_BODIES_AT_ONCE},
        )
        return _detail_page(request, programme, join_form=form, status=400)
    try:
        joined = services.programme_join_many(
            actor=request.user,  # type: ignore[arg-type]
            programme=programme,
            organisations=bodies,
            joined_on=form.cleaned_data["joined_on"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        show_domain_error(form, error)
        return _detail_page(request, programme, join_form=form, status=400)
    messages.success(
        request,
        ngettext(
            "%(count)s body takes part in the programme.",
            "%(count)s bodies take part in the programme.",
            len(joined),
        )
        % {"count": len(joined)},
    )
    return redirect("events:programme_detail", code=programme.code)


@require_POST
@staff_view
def programme_leave(request: HttpRequest, code: str, membership: int) -> HttpResponse:
    programme = queries.staff_programme_or_404(code)
    row = policies.get_scoped_or_404(
        ProgrammeMembership.objects.filter(programme=programme).select_related("organisation"),
        request.user,
        pk=membership,
    )
    form = forms.LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the last day the body took part, as a date."))
        return redirect("events:programme_detail", code=programme.code)
    try:
        services.programme_leave(
            actor=request.user,  # type: ignore[arg-type]
            membership=row,
            left_on=form.cleaned_data["left_on"],
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("“%(name)s” no longer takes part in the programme.")
            % {"name": row.organisation.name},
        )
    return redirect("events:programme_detail", code=programme.code)


@staff_view
def programme_partners(request: HttpRequest, code: str) -> HttpResponse:
    policies.require(request.user, "events.manage_programme_partners")
    programme = queries.staff_programme_or_404(code)
    form = forms.PartnerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                organisation = data["organisation"]
                if not data["state_body"] and organisation is None:
                    organisation = services.partner_organisation_create(
                        actor=request.user,  # type: ignore[arg-type]
                        names={lang: data[f"name_{lang}"] for lang in ("kk", "ru", "en")},
                        kind=data["kind"],
                        website=data["website"],
                    )
                services.programme_partner_add(
                    actor=request.user,  # type: ignore[arg-type]
                    programme=programme,
                    state_body=data["state_body"],
                    organisation=organisation,
                    roles={lang: data[f"role_{lang}"] for lang in ("kk", "ru", "en")},
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The partner was added to the programme."))
                return redirect("events:programme_partners", code=programme.code)
    return render(
        request,
        "events/programmes/partners.html",
        {
            "programme": programme,
            "partners": queries.programme_partners(programme),
            "form": form,
        },
        status=status,
    )


@require_POST
@staff_view
def programme_partner_remove(request: HttpRequest, code: str, partner: int) -> HttpResponse:
    policies.require(request.user, "events.manage_programme_partners")
    programme = queries.staff_programme_or_404(code)
    row = get_object_or_404(ProgrammePartner, pk=partner, programme=programme)
    try:
        services.programme_partner_remove(actor=request.user, partner=row)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The partner was removed from the programme."))
    return redirect("events:programme_partners", code=programme.code)
