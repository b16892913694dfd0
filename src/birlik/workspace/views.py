"""The staff workspace: bodies, people and memberships of the user's subtrees, and spreadsheets.

Every view asks ``access.policies``: a record outside the user's scope answers 404, an action
the role does not allow answers 403. Every write is one call to ``registry.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.access.decorators import staff_view as workspace_view
from birlik.access.services import audit_read
from birlik.core.errors import DomainError
from birlik.core.listing import kept_query as _kept_query
from birlik.core.listing import page_of as _page
from birlik.events.models import Event
from birlik.registry import queries, services
from birlik.registry.models import Membership, Organisation, Person

from . import forms, importing, menu, mywork

View = Callable[..., HttpResponseBase]
FORMATS = {"csv", "xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE


def _user_id(request: HttpRequest) -> int:
    return int(request.user.pk or 0)


def _body(request: HttpRequest, pk: int) -> Organisation:
    return policies.get_scoped_or_404(
        Organisation.objects.select_related("kind", "region", "district"), request.user, pk=pk
    )


def _person(request: HttpRequest, pk: int) -> Person:
    return policies.get_scoped_or_404(
        Person.objects.select_related("registered_by"), request.user, pk=pk
    )


# --- Home -----------------------------------------------------------------------------------


@workspace_view
def home(request: HttpRequest) -> HttpResponse:
    grants = list(
        request.user.grants.filter(revoked_at__isnull=True)  # type: ignore[union-attr]
        .select_related("organisation", "organisation__kind")
        .order_by("organisation__path", "role")
    )
    staff_bodies = [
        g.organisation
        for g in grants
        if g.role in policies.STAFF_ROLES and g.organisation.status == Organisation.Status.ACTIVE
    ]
    return render(
        request,
        "workspace/home.html",
        {
            "grants": grants,
            "figures": queries.scope_figures(user=request.user),
            "staff_bodies": list(dict.fromkeys(staff_bodies)),
            "sees_people": policies.can(request.user, "registry.view_person"),
            "work": mywork.my_work(request.user),
        },
    )


# --- Bodies ---------------------------------------------------------------------------------


@workspace_view
def bodies(request: HttpRequest) -> HttpResponse:
    form = forms.BodyFilterForm(request.GET)
    filters = form.filters()
    page = _page(request, queries.scoped_bodies(user=request.user, **filters))
    adding: Person | None = None
    person_id = request.GET.get("person", "")
    if person_id.isdigit() and policies.can(request.user, "registry.view_person"):
        adding = policies.scoped(Person.objects.filter(pk=int(person_id)), request.user).first()
    query = _kept_query(request, form, extra=("person",) if adding else ())
    return render(
        request,
        "workspace/bodies.html",
        {
            "form": form,
            "page": page,
            "query_string": query,
            "export_query": _kept_query(request, form),
            "invalid": bool(form.errors),
            "adding": adding,
        },
    )


@workspace_view
def body(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    user = request.user
    sees_members = policies.can(user, "registry.view_members", organisation)
    sees_audit = policies.can(user, "access.view_audit", organisation)
    is_active = organisation.status == Organisation.Status.ACTIVE
    parent = queries.body_parent(organisation)
    context: dict[str, Any] = {
        "body": organisation,
        "crumbs": menu.body_crumbs(user, organisation),
        "parent": parent,
        "parent_in_scope": parent is not None
        and policies.covers(user, policies.ALL_ROLES, str(parent.path)),
        "children": _page(request, queries.body_children(organisation), "children"),
        "ethnic_groups": list(organisation.ethnic_groups.all())
        if organisation.kind.has_ethnic_groups
        else [],
        "member_counts": queries.member_counts_by_role(organisation),
        "sees_members": sees_members,
        "members": _page(request, queries.body_members(organisation), "members")
        if sees_members
        else None,
        "sees_audit": sees_audit,
        "trail": _page(
            request,
            queries.audit_trail(object_type="registry.Organisation", object_id=organisation.pk),
            "audit",
        )
        if sees_audit
        else None,
        "can_change": policies.can(user, "registry.change_organisation", organisation),
        "can_close": is_active and policies.can(user, "registry.close_organisation", organisation),
        "can_add_child": is_active
        and policies.can(user, "registry.add_organisation", organisation)
        and organisation.kind.allowed_children.filter(is_active=True).exists(),
        "can_manage_members": is_active
        and policies.can(user, "registry.manage_membership", organisation),
        "can_add_person": is_active and policies.can(user, "registry.add_person", organisation),
        "can_import": is_active and policies.can(user, "registry.import", organisation),
        "can_export_people": policies.can(user, "registry.export_people", organisation),
        **_body_events(user, organisation, is_active),
    }
    return render(request, "workspace/body.html", context)


BODY_EVENTS_SHOWN = 5


def _body_events(user: Any, organisation: Organisation, is_active: bool) -> dict[str, Any]:
    """The body's next and latest events (a few of each; the events list has the rest)."""
    now = timezone.now()
    events = Event.objects.filter(organiser=organisation)
    return {
        "events_upcoming": list(
            events.filter(ends_at__gte=now).order_by("starts_at", "id")[:BODY_EVENTS_SHOWN]
        ),
        "events_recent": list(
            events.filter(ends_at__lt=now).order_by("-starts_at", "-id")[:BODY_EVENTS_SHOWN]
        ),
        "can_plan_event": is_active and policies.can(user, "events.add_event", organisation),
    }


@workspace_view
def body_create(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _body(request, pk)
    policies.require(request.user, "registry.add_organisation", parent)
    form = forms.BodyCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.organisation_create(
                actor=request.user,  # type: ignore[arg-type]
                parent=parent,
                kind=form.cleaned_data["kind"],
                # organisation_create turns None into "" for every field: leave empty ones out.
                data={k: v for k, v in form.data_for_service().items() if v is not None},
                ethnic_groups=form.ethnic_groups_for_service() or (),
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The body has been registered."))
            return redirect("workspace:body", pk=created.pk)
    return render(request, "workspace/body_form.html", {"form": form, "parent": parent})


def _body_initial(organisation: Organisation) -> dict[str, Any]:
    initial = {name: getattr(organisation, name) for name in forms.BodyForm.DATA_FIELDS}
    initial["region"] = organisation.region_id
    initial["district"] = organisation.district_id
    initial["ethnic_groups"] = list(organisation.ethnic_groups.all())
    return initial


@workspace_view
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    policies.require(request.user, "registry.change_organisation", organisation)
    form = forms.BodyForm(
        request.POST or None,
        initial=_body_initial(organisation),
        parent=queries.body_parent(organisation),
        with_ethnic_groups=organisation.kind.has_ethnic_groups,
    )
    # A post without the week editor (an older page, a script) leaves the week as it is.
    hours_sent = request.method == "POST" and forms.OpeningHoursForm.sent_in(request.POST)
    hours_form = forms.OpeningHoursForm(
        request.POST if hours_sent else None,
        initial=forms.OpeningHoursForm.initial_for(organisation),
    )
    hours_valid = hours_form.is_valid() if hours_sent else True
    if request.method == "POST" and form.is_valid() and hours_valid:
        try:
            services.organisation_update(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                data=form.data_for_service(),
                ethnic_groups=form.ethnic_groups_for_service(),
                opening_hours=hours_form.week_for_service() if hours_sent else None,
            )
        except DomainError as error:
            target = hours_form if error.field in hours_form.fields else form
            forms.show_domain_error(target, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("workspace:body", pk=organisation.pk)
    return render(
        request,
        "workspace/body_form.html",
        {"form": form, "body": organisation, "hours_form": hours_form},
    )


@workspace_view
def body_close(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    policies.require(request.user, "registry.close_organisation", organisation)
    form = forms.BodyCloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_close(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The body has been closed."))
            return redirect("workspace:body", pk=organisation.pk)
    return render(request, "workspace/body_close.html", {"form": form, "body": organisation})


# --- People ---------------------------------------------------------------------------------


@workspace_view
def people(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "registry.view_person")
    form = forms.PeopleFilterForm(request.GET)
    query = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = _page(request, queries.scoped_people(user=request.user, query=query))
    return render(
        request,
        "workspace/people.html",
        {"form": form, "page": page, "query_string": _kept_query(request, form)},
    )


@workspace_view
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """The full page for staff of the registering body's subtree; a body that only has the
    person as a member gets their name and its own terms (``policies.sees_person``)."""
    record = _person(request, pk)
    user = request.user
    full = policies.can(user, "registry.view_person", record)
    audit_read(
        actor=user,  # type: ignore[arg-type]
        obj=record,
        organisation_path=record.registered_by.path,
        note="workspace person page" if full else "workspace person page (name and terms)",
    )
    sees_audit = full and policies.can(user, "access.view_audit", record.registered_by)
    memberships = _page(request, queries.person_memberships(user=user, person=record), "terms")
    today = timezone.localdate()
    # Each body ends its own terms: a term is ended by staff of its body, whoever sees the rest.
    terms = [
        (
            term,
            (term.end_date is None or term.end_date >= today)
            and policies.can(user, "registry.manage_membership", term.organisation),
        )
        for term in memberships.object_list
    ]
    return render(
        request,
        "workspace/person.html",
        {
            "person": record,
            "crumbs": menu.person_crumbs(user, record),
            "full": full,
            "memberships": memberships,
            "terms": terms,
            "consent": record.consents.order_by("-given_on").first() if full else None,
            "can_change": full and policies.can(user, "registry.change_person", record),
            "can_add_to_body": policies.can(user, "registry.manage_membership"),
            "sees_audit": sees_audit,
            "trail": _page(
                request,
                queries.audit_trail(object_type="registry.Person", object_id=record.pk),
                "audit",
            )
            if sees_audit
            else None,
        },
    )


@workspace_view
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    policies.require(request.user, "registry.add_person", organisation)
    form = forms.PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.person_create(
                actor=request.user,  # type: ignore[arg-type]
                registered_by=organisation,
                data=form.data_for_service(),
                iin=form.iin_for_service(),
                consent_given_on=form.cleaned_data["consent_given_on"],
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(
                request, _("The person has been registered. Now record their term in the body.")
            )
            url = reverse("workspace:membership_add", kwargs={"pk": organisation.pk})
            return redirect(f"{url}?{urlencode({'person': created.pk})}")
    return render(request, "workspace/person_form.html", {"form": form, "body": organisation})


@workspace_view
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = _person(request, pk)
    policies.require(request.user, "registry.change_person", record)
    initial = {name: getattr(record, name) for name in forms.PersonForm.DATA_FIELDS}
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,  # type: ignore[arg-type]
                person=record,
                data=form.data_for_service(),
                iin=form.iin_for_service(),
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("workspace:person", pk=record.pk)
    return render(request, "workspace/person_form.html", {"form": form, "person": record})


# --- Memberships ----------------------------------------------------------------------------

CANDIDATES_SHOWN = 20


@workspace_view
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    policies.require(request.user, "registry.manage_membership", organisation)
    people_in_scope = queries.scoped_people(user=request.user)
    form = forms.MembershipForm(request.POST or None)
    chosen: Person | None = None
    raw_person = (request.POST or request.GET).get("person", "")
    if raw_person.isdigit():
        chosen = people_in_scope.filter(pk=int(raw_person)).first()
    search = request.GET.get("q", "").strip()[:100]
    candidates: list[Person] = []
    if chosen is None and search:
        candidates = list(queries.scoped_people(user=request.user, query=search)[:CANDIDATES_SHOWN])
    if request.method == "POST" and form.is_valid():
        if chosen is None:
            form.add_error(None, _("Find and choose the person first."))
        else:
            try:
                services.membership_add(
                    actor=request.user,  # type: ignore[arg-type]
                    person=chosen,
                    organisation=organisation,
                    role=form.cleaned_data["role"],
                    position=form.cleaned_data["position"],
                    start_date=form.cleaned_data["start_date"],
                    end_date=form.cleaned_data["end_date"],
                )
            except DomainError as error:
                forms.show_domain_error(form, error)
            else:
                messages.success(request, _("The term has been recorded."))
                return redirect("workspace:body", pk=organisation.pk)
    return render(
        request,
        "workspace/membership_form.html",
        {
            "form": form,
            "body": organisation,
            "chosen": chosen,
            "search": search,
            "candidates": candidates,
            "more_candidates": len(candidates) >= CANDIDATES_SHOWN,
            "can_add_person": policies.can(request.user, "registry.add_person", organisation),
        },
    )


@workspace_view
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = policies.get_scoped_or_404(
        Membership.objects.select_related("person", "organisation", "organisation__kind"),
        request.user,
        pk=pk,
    )
    policies.require(request.user, "registry.manage_membership", membership.organisation)
    form = forms.MembershipEndForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user,  # type: ignore[arg-type]
                membership=membership,
                end_date=form.cleaned_data["end_date"],
            )
        except DomainError as error:
            forms.show_domain_error(form, error)
        else:
            messages.success(request, _("The term has been ended."))
            return redirect("workspace:person", pk=membership.person_id)
    return render(
        request, "workspace/membership_end.html", {"form": form, "membership": membership}
    )


# --- Exports --------------------------------------------------------------------------------


def _with_parent_pk(bodies: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """The parent's number in the same query: the parent's path is the path minus one step."""
    parent = Organisation.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organisation.steplen)
    ).values("pk")[:1]
    return bodies.annotate(parent_pk=Subquery(parent))


def _download(
    *, header: list[str], rows: Any, fmt: str, filename: str, title: str
) -> HttpResponseBase:
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            importing.csv_stream(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            importing.xlsx_bytes(header, rows, title=title), content_type=XLSX_TYPE
        )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response


@workspace_view
def bodies_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    form = forms.BodyFilterForm(request.GET)
    under: Organisation | None = None
    raw_under = request.GET.get("under", "")
    if raw_under.isdigit():
        under = _body(request, int(raw_under))
    rows = queries.scoped_bodies(user=request.user, under=under, **form.filters())
    count = rows.count()
    back = reverse("workspace:bodies") if under is None else under_url(under)
    if fmt == "xlsx" and count > importing.EXPORT_XLSX_MAX_ROWS:
        messages.error(
            request,
            _("Too many rows for an XLSX file (%(count)s). Narrow the filters or choose CSV.")
            % {"count": count},
        )
        return redirect(back)
    audited = (
        [under]
        if under is not None
        else list(
            Organisation.objects.filter(
                path__in=policies.roots(request.user, policies.ALL_ROLES)
            ).order_by("path")
        )
    )
    for organisation in audited:
        services.export_record(
            actor=request.user,  # type: ignore[arg-type]
            organisation=organisation,
            dataset="bodies",
            file_format=fmt,
            rows=count,
        )
    data = (importing.body_row(b) for b in _with_parent_pk(rows).iterator(chunk_size=2000))
    return _download(
        header=importing.BODY_COLUMNS, rows=data, fmt=fmt, filename="bodies", title="bodies"
    )


def under_url(organisation: Organisation) -> str:
    return reverse("workspace:body", kwargs={"pk": organisation.pk})


def _contacts_kept(membership: Membership) -> Membership:
    """A member registered outside the user's scope is exported with their name only: the
    contacts stay with the body that registered them (``policies.sees_person``)."""
    if not getattr(membership, "person_data_visible", False):
        membership.person.phone = ""
        membership.person.email = ""
    return membership


@workspace_view
def members_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in FORMATS:
        raise Http404
    organisation = _body(request, pk)
    policies.require(request.user, "registry.export_people", organisation)
    rows = queries.members_for_export(organisation, user=request.user)
    count = rows.count()
    if fmt == "xlsx" and count > importing.EXPORT_XLSX_MAX_ROWS:
        messages.error(
            request,
            _("Too many rows for an XLSX file (%(count)s). Choose CSV.") % {"count": count},
        )
        return redirect(under_url(organisation))
    services.export_record(
        actor=request.user,  # type: ignore[arg-type]
        organisation=organisation,
        dataset="members",
        file_format=fmt,
        rows=count,
    )
    data = (importing.member_row(_contacts_kept(m)) for m in rows.iterator(chunk_size=2000))
    return _download(
        header=importing.MEMBER_EXPORT_COLUMNS,
        rows=data,
        fmt=fmt,
        filename="members",
        title="members",
    )
