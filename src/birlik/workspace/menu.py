"""The workspace menu: every section the user's roles open, decided by the policy layer, and who
is signed in (full name, roles and bodies). One menu for the workspace pages of every app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.access import policies
from birlik.access.models import Grant, Role


@dataclass(frozen=True)
class Section:
    """One entry of the menu; ``prefixes`` are the addresses it owns (the longest match wins)."""

    key: str
    label: str
    url: str
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    """Who is signed in, as the menu shows them."""

    name: str
    roles: list[tuple[str, str]]  # (role, body), highest body first


def home_body_id(user: Any) -> int | None:
    """The body of the user's highest staff grant: where their imports go by default."""
    staff = sorted(
        (g for g in policies.grants_of(user) if g.role in policies.STAFF_ROLES),
        key=lambda g: g.path,
    )
    return staff[0].organisation_id if staff else None


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)


def sections(user: Any) -> list[Section]:
    """The sections the user may open, in the order of the menu."""
    can = policies.can
    items: list[tuple[str, str, str, tuple[str, ...]]] = []

    def add(key: str, label: str, url: str, *more: str) -> None:
        items.append((key, label, url, (url, *more)))

    add("home", pgettext("workspace menu", "My work"), _url("workspace:home"))
    add("bodies", pgettext("workspace menu", "Bodies"), _url("workspace:bodies"))
    if can(user, "registry.view_person"):
        add("people", pgettext("register of people", "People"), _url("workspace:people"))
    if can(user, "appeals.view_register"):
        add("appeals", pgettext("workspace menu", "Appeals"), _url("appeals:inbox"))
    if can(user, "appeals.view_proposal"):
        add("proposals", pgettext("workspace menu", "Proposals"), _url("appeals:proposals"))
    if policies.has_role(user, policies.STAFF_ROLES):
        add("events", pgettext("workspace menu", "Events"), _url("events:list"))
    if can(user, "mediation.view_cases"):
        add(
            "mediation",
            pgettext("workspace menu", "Mediation"),
            _url("mediation:cases"),
            _url("mediation:cases"),
        )
    elif can(user, "mediation.view_mediators"):
        add(
            "mediation",
            pgettext("workspace menu", "Mediation"),
            _url("mediation:mediators"),
            _url("mediation:cases"),
        )
    if can(user, "charity.view_register"):
        add("charity", pgettext("workspace menu", "Charity"), _url("charity:requests"))
    elif can(user, "charity.view_projects"):
        add(
            "charity",
            pgettext("workspace menu", "Charity"),
            _url("charity:projects"),
            _url("charity:requests"),
        )
    monitoring = _url("monitoring:dashboard")
    if can(user, "monitoring.view_items"):
        add("monitoring", pgettext("workspace menu", "Early warning"), monitoring)
    elif can(user, "monitoring.view_alerts"):
        add("monitoring", pgettext("workspace menu", "Alerts"), _url("monitoring:alerts"))
    elif can(user, "monitoring.view_club"):
        add("monitoring", pgettext("workspace menu", "Journalists' club"), _url("monitoring:club"))
    surveys = _url("surveys:home")
    if can(user, "surveys.view"):
        add("surveys", pgettext("workspace menu", "Surveys"), surveys)
    elif can(user, "surveys.view_council"):
        add(
            "surveys",
            pgettext("workspace menu", "Expert council"),
            _url("surveys:council"),
            surveys,
        )
    if can(user, "ideas.view_workspace"):
        add("ideas", pgettext("workspace menu", "Ideas"), _url("ideas:home"))
    if can(user, "youth.view"):
        add("youth", pgettext("workspace menu", "Youth projects"), _url("youth:projects"))
    if can(user, "volunteers.view_calls"):
        add("volunteers", pgettext("workspace menu", "Volunteers"), _url("volunteers:calls"))
    if can(user, "events.view_programmes"):
        add(
            "programmes",
            pgettext("workspace menu", "Programmes"),
            _url("events:programme_list"),
        )
    if can(user, "workspace.enter"):
        add("learning", pgettext("workspace menu", "Training"), _url("learning:home"))
    if can(user, "diplomacy.view"):
        add(
            "diplomacy",
            pgettext("workspace menu", "People's diplomacy"),
            _url("diplomacy:requests"),
        )
    if can(user, "deputies.view"):
        add(
            "deputies",
            pgettext("workspace menu", "Deputies' initiatives"),
            _url("deputies:initiatives"),
        )
    if can(user, "reports.view_dashboard"):
        add("dashboard", pgettext("workspace menu", "Dashboards"), _url("reports:dashboard"))
    if can(user, "reports.view_plans"):
        add("plans", pgettext("workspace menu", "Plans and targets"), _url("reports:plans"))
    if can(user, "report_documents.request_report"):
        add(
            "annual_report",
            pgettext("workspace menu", "Annual report"),
            _url("reports_documents:runs"),
        )
    body = home_body_id(user)
    if body is not None and can(user, "registry.import"):
        imports = _url("workspace:home") + "imports/"  # the review pages of an import
        add(
            "imports",
            pgettext("workspace menu", "Imports"),
            _url("workspace:import", pk=body),
            imports,
        )
    if can(user, "api.manage_tokens"):
        add("tokens", pgettext("workspace menu", "Integration tokens"), _url("api_tokens:list"))
    if can(user, "access.manage_grants"):
        add("grants", pgettext("workspace menu", "Roles and access"), _url("access:grants"))
    if can(user, "access.view_audit"):
        add("audit", pgettext("workspace menu", "Audit log"), _url("access:audit"))
    add(
        "account",
        pgettext("workspace menu", "My account"),
        _url("access:profile"),
        _url("access:password"),
        _url("access:totp"),
    )
    return [Section(key, label, url, prefixes) for key, label, url, prefixes in items]


def current_key(items: list[Section], path: str) -> str:
    """The section whose address is the longest start of ``path`` (the home only exactly)."""
    best, length = "", 0
    for item in items:
        for prefix in item.prefixes:
            matches = path == prefix if item.key == "home" else path.startswith(prefix)
            if matches and len(prefix) > length:
                best, length = item.key, len(prefix)
    return best


def identity(user: Any) -> Identity:
    """The user's full name (never the login) and their active roles with the bodies."""
    name = (getattr(user, "full_name", "") or user.get_full_name() or "").strip()
    grants = (
        Grant.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__path", "role")
    )
    labels = dict(Role.choices)
    roles = [(str(labels.get(g.role, g.role)), g.organisation.name) for g in grants]
    return Identity(name=name or _("(name not given)"), roles=roles)


@dataclass(frozen=True)
class Crumb:
    """One step of the breadcrumbs of a record page; the last one is the page itself."""

    label: str
    url: str


def home_crumb() -> Crumb:
    return Crumb(pgettext("workspace menu", "My work"), _url("workspace:home"))


def body_crumbs(user: Any, body: Any) -> list[Crumb]:
    """My work › Bodies › the bodies above ``body`` that the user sees › ``body``."""
    from birlik.registry.models import Organisation

    steplen = Organisation.steplen
    above = [body.path[: steplen * depth] for depth in range(1, body.depth)]
    roots = policies.roots(user, policies.ALL_ROLES)
    seen = [path for path in above if any(path.startswith(root) for root in roots)]
    ancestors = Organisation.objects.filter(path__in=seen).order_by("path") if seen else []
    crumbs = [home_crumb(), Crumb(pgettext("workspace menu", "Bodies"), _url("workspace:bodies"))]
    crumbs += [Crumb(item.name, _url("workspace:body", pk=item.pk)) for item in ancestors]
    crumbs.append(Crumb(body.name, _url("workspace:body", pk=body.pk)))
    return crumbs


def person_crumbs(user: Any, person: Any) -> list[Crumb]:
    """My work › People (for those who see the list) › the person."""
    crumbs = [home_crumb()]
    if policies.can(user, "registry.view_person"):
        crumbs.append(Crumb(pgettext("register of people", "People"), _url("workspace:people")))
    crumbs.append(Crumb(person.full_name, _url("workspace:person", pk=person.pk)))
    return crumbs


def import_crumbs(body: Any, *, step: str = "") -> list[Crumb]:
    """My work › the body › Import a spreadsheet (› the step of an import under way)."""
    crumbs = [
        home_crumb(),
        Crumb(body.name, _url("workspace:body", pk=body.pk)),
        Crumb(_("Import a spreadsheet"), _url("workspace:import", pk=body.pk)),
    ]
    if step:
        crumbs.append(Crumb(step, ""))
    return crumbs
