"""Writes the national demo network in one transaction: bodies, people, terms and demo logins.

The network itself is decided by ``birlik.demo.plan`` (deterministic, no database); this module
maps it onto rows with ``bulk_create`` and precomputed materialised paths, so the whole registry
loads in seconds instead of one treebeard insert per body.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from tqdm import tqdm

from birlik.access.models import AuditEntry, Grant, Role, User
from birlik.access.services import audit_record
from birlik.appeals.models import Appeal, Proposal
from birlik.core import kpi
from birlik.core.errors import DomainError
from birlik.events.models import Event
from birlik.geo.models import District, Region
from birlik.registry.iin import iin_digest
from birlik.registry.models import (
    Consent,
    EthnicGroup,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
)

from . import charity as demo_charity
from . import deputies as demo_deputies
from . import diplomacy as demo_diplomacy
from . import history as demo_history
from . import hours as demo_hours
from . import ideas as demo_ideas
from . import learning as demo_learning
from . import mediation as demo_mediation
from . import monitoring as demo_monitoring
from . import plans as demo_plans
from . import programmes as demo_programmes
from . import surveys as demo_surveys
from . import volunteers as demo_volunteers
from . import youth as demo_youth
from .appeals import demo_appeals_seed
from .events import demo_events_seed
from .plan import (
    STEPLEN,
    DistrictInfo,
    Plan,
    RegionInfo,
    Territory,
    build_plan,
    planned_counts,
)

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "DemoError", "demo_seed", "planned_counts"]

DEMO_PASSWORD = "birlik-demo-2026"  # noqa: S105 - published with the demo logins
BATCH_SIZE = 2000
MAX_SCALE = 10.0

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    language: str
    role: str
    mark: str  # which body of the plan the grant is on
    description: str
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Ержан Қасымов", "kk", Role.NATIONAL_ADMIN, "root",
             "national administrator — whole network", superuser=True),
    DemoUser("analyst", "Динара Оспанова", "kk", Role.ANALYST, "root",
             "analyst — national figures, no personal data"),
    DemoUser("auditor", "Марат Ахметов", "kk", Role.AUDITOR, "root",
             "auditor — audit log of the whole network"),
    DemoUser("coordinator_pavlodar", "Сергей Ковалев", "ru", Role.REGIONAL_COORDINATOR,
             "pavlodar", "regional coordinator — Pavlodar Region assembly (KZ-55)"),
    DemoUser("coordinator_almaty", "Айгерім Бекенова", "kk", Role.REGIONAL_COORDINATOR,
             "almaty", "regional coordinator — Almaty city assembly (KZ-75)"),
    DemoUser("staff_house", "Ольга Шмидт", "kk", Role.BODY_STAFF, "pavlodar_house",
             "body staff — House of Friendship of Pavlodar Region"),
    DemoUser("staff_elders", "Болат Жұмабаев", "kk", Role.BODY_STAFF, "district_elders",
             "body staff — a district council of elders in Pavlodar Region"),
)  # fmt: skip
DEMO_LOGINS: list[tuple[str, str]] = [
    *((user.username, user.description) for user in DEMO_USERS),
    *demo_mediation.LOGINS,
    *demo_charity.LOGINS,
    *demo_surveys.LOGINS,
    *demo_ideas.LOGINS,
    *demo_learning.LOGINS,
    *demo_diplomacy.LOGINS,
    *demo_deputies.LOGINS,
]


class DemoError(DomainError):
    pass


def demo_present() -> bool:
    """Demo data (or any registry) is already there: seeding would mix two networks."""
    usernames = [user.username for user in DEMO_USERS]
    return Organisation.objects.exists() or User.objects.filter(username__in=usernames).exists()


def territory_from_database() -> Territory:
    """The regions and districts as the database holds them (admins may have renamed some)."""
    regions = [
        RegionInfo(
            iso=region.iso,
            kato=region.kato,
            kind=region.kind,
            name=(region.name_kk or "", region.name_ru or "", region.name_en or ""),  # type: ignore[attr-defined]
            centre=(region.centre_kk or "", region.centre_ru or "", region.centre_en or ""),  # type: ignore[attr-defined]
        )
        for region in Region.objects.all()
    ]
    districts = [
        DistrictInfo(
            kato=district.kato,
            region_iso=district.region.iso,
            kind=district.kind,
            name=(district.name_kk or "", district.name_ru or "", district.name_en or ""),  # type: ignore[attr-defined]
        )
        for district in District.objects.select_related("region")
    ]
    return Territory.of(regions, districts)


def _insert(model: type[M], rows: Sequence[M], bar: tqdm[Any]) -> list[M]:
    """``bulk_create`` in batches; primary keys come back (SQLite 3.35+, PostgreSQL)."""
    created: list[M] = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = list(rows[start : start + BATCH_SIZE])
        created.extend(model._default_manager.bulk_create(batch))
        bar.update(len(batch))
    return created


def _catalogues() -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
    kinds = dict(OrganisationKind.objects.values_list("code", "id"))
    regions = dict(Region.objects.values_list("iso", "id"))
    districts = dict(District.objects.values_list("kato", "id"))
    groups = dict(EthnicGroup.objects.values_list("code", "id"))
    return kinds, regions, districts, groups


def _check(plan: Plan, kinds: dict[str, int], groups: dict[str, int]) -> None:
    missing_kinds = sorted({body.kind for body in plan.bodies} - set(kinds))
    if missing_kinds:
        raise DemoError(
            _("The catalogue of kinds of body lacks %(codes)s; apply the migrations first.")
            % {"codes": ", ".join(missing_kinds)}
        )
    missing_groups = sorted({code for b in plan.bodies for code in b.ethnic_groups} - set(groups))
    if missing_groups:
        raise DemoError(
            _("The catalogue of ethnic groups lacks %(codes)s; apply the migrations first.")
            % {"codes": ", ".join(missing_groups)}
        )


def _write(plan: Plan, *, progress: bool) -> dict[str, Organisation]:
    kinds, regions, districts, groups = _catalogues()
    _check(plan, kinds, groups)
    rows = (
        len(plan.bodies)
        + sum(len(body.ethnic_groups) for body in plan.bodies)
        + 2 * len(plan.people)
        + len(plan.terms)
        + 2 * len(DEMO_USERS)
    )
    with tqdm(
        total=rows,
        desc="Birlik demo data",
        unit=" rows",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress,
        leave=progress,
    ) as bar:
        organisations = []
        for body in plan.bodies:
            organisation = Organisation(
                kind_id=kinds[body.kind],
                path=body.path,
                depth=len(body.path) // STEPLEN,
                numchild=len(body.children),
                name_kk=body.name[0],
                name_ru=body.name[1],
                name_en=body.name[2],
                description_kk=body.description[0],
                description_ru=body.description[1],
                description_en=body.description[2],
                address_kk=body.address[0],
                address_ru=body.address[1],
                address_en=body.address[2],
                region_id=regions[body.region] if body.region else None,
                district_id=districts[body.district] if body.district else None,
                phone=body.phone,
                email=body.email,
                founded_on=body.founded_on,
                status=Organisation.Status.CLOSED if body.closed_on else Organisation.Status.ACTIVE,
                closed_on=body.closed_on,
            )
            organisation.name = body.name[0]  # type: ignore[misc]
            organisation.description = body.description[0]  # type: ignore[misc]
            organisation.address = body.address[0]  # type: ignore[misc]
            organisation.refresh_search_text()
            organisations.append(organisation)
        # Insert in path order so that ids follow the tree; map back by path.
        by_path = {o.path: o for o in _insert(Organisation, sorted(organisations, key=_path), bar)}
        body_ids = [by_path[body.path].pk for body in plan.bodies]

        through = Organisation.ethnic_groups.through
        links = [
            through(organisation_id=body_ids[index], ethnicgroup_id=groups[code])
            for index, body in enumerate(plan.bodies)
            for code in body.ethnic_groups
        ]
        _insert(through, links, bar)

        people = [
            Person(
                last_name=p.last_name,
                first_name=p.first_name,
                patronymic=p.patronymic,
                sex=p.sex,
                birth_date=p.birth_date,
                iin_digest=iin_digest(p.iin) if p.iin else None,
                iin_last4=p.iin[-4:] if p.iin else "",
                phone=p.phone,
                registered_by_id=body_ids[p.registered_by],
            )
            for p in plan.people
        ]
        person_ids = [person.pk for person in _insert(Person, people, bar)]
        consents = [
            Consent(
                person_id=person_ids[index],
                purpose=Consent.Purpose.MEMBERSHIP,
                given_on=p.consent_on or p.birth_date,
            )
            for index, p in enumerate(plan.people)
        ]
        _insert(Consent, consents, bar)
        memberships = [
            Membership(
                person_id=person_ids[term.person],
                organisation_id=body_ids[term.body],
                role=term.role,
                start_date=term.start_date,
                end_date=term.end_date,
            )
            for term in plan.terms
        ]
        _insert(Membership, memberships, bar)

        marks = {mark: by_path[plan.bodies[index].path] for mark, index in plan.marks.items()}
        _create_logins(marks, bar)
    return marks


def _path(organisation: Organisation) -> str:
    return organisation.path


def _create_logins(marks: dict[str, Organisation], bar: tqdm[Any]) -> None:
    password = make_password(DEMO_PASSWORD)  # one hash for all: hashing is the slow part
    users = [
        User(
            username=demo.username,
            full_name=demo.full_name,
            email=f"{demo.username}@assembly-demo.kz",
            language=demo.language,
            password=password,
            is_staff=demo.superuser,
            is_superuser=demo.superuser,
        )
        for demo in DEMO_USERS
    ]
    created = _insert(User, users, bar)
    grants = [
        Grant(user=user, role=demo.role, organisation=marks[demo.mark])
        for user, demo in zip(created, DEMO_USERS, strict=True)
    ]
    _insert(Grant, grants, bar)


def _add_activity(*, progress: bool, scale: float, seed: int) -> bool:
    """A demo network seeded before events existed gets its activity once; other data never."""
    usernames = [user.username for user in DEMO_USERS]
    if Event.objects.exists() or User.objects.filter(username__in=usernames).count() != len(
        usernames
    ):
        return False
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return False
    activity = demo_events_seed(scale=scale, seed=seed, progress=progress)
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        obj=root,
        organisation_path=root.path,
        changes={"events": [0, activity.events], "registrations": [0, activity.registrations]},
        note=f"demo activity, scale {scale:g}, seed {seed}",
    )
    transaction.on_commit(kpi.invalidate)
    return True


def _add_appeals(*, scale: float, seed: int) -> bool:
    """A demo network seeded before appeals existed gets its appeals and proposals once."""
    usernames = [user.username for user in DEMO_USERS]
    if (
        Appeal.objects.exists()
        or Proposal.objects.exists()
        or User.objects.filter(username__in=usernames).count() != len(usernames)
    ):
        return False
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return False
    totals = demo_appeals_seed(scale=scale, seed=seed)
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        obj=root,
        organisation_path=root.path,
        changes={"appeals": [0, totals.appeals], "proposals": [0, totals.proposals]},
        note=f"demo appeals, scale {scale:g}, seed {seed}",
    )
    transaction.on_commit(kpi.invalidate)
    return True


def _seed_later_steps(*, scale: float, seed: int, progress: bool) -> dict[str, int]:
    """Mediation, charity, the national plan, opening hours and early warning's media: each
    adds its records once."""
    added: dict[str, int] = {}
    added.update(demo_mediation.demo_mediation_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_charity.demo_charity_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_plans.demo_plans_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_hours.demo_hours_seed(seed=seed))
    # A year of generated media items (processed by the worker's pipeline), labels and the
    # journalists' club's output.
    added.update(demo_monitoring.demo_monitoring_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_surveys.demo_surveys_seed(scale=scale, seed=seed, progress=progress))
    # Programmes that bodies join, youth projects, volunteers and the Platform of creative
    # solutions (ideas come last: they link to events and projects).
    added.update(demo_programmes.demo_programmes_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_youth.demo_youth_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_volunteers.demo_volunteers_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_ideas.demo_ideas_seed(scale=scale, seed=seed, progress=progress))
    # The Academy's training year, people's diplomacy, the deputy group's initiatives and the
    # yearly totals imported from the years before the platform.
    added.update(demo_learning.demo_learning_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_diplomacy.demo_diplomacy_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_deputies.demo_deputies_seed(scale=scale, seed=seed, progress=progress))
    added.update(demo_history.demo_history_seed(scale=scale, seed=seed, progress=progress))
    return added


def _add_later_steps(*, scale: float, seed: int, progress: bool) -> bool:
    usernames = [user.username for user in DEMO_USERS]
    if User.objects.filter(username__in=usernames).count() != len(usernames):
        return False
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return False
    added = _seed_later_steps(scale=scale, seed=seed, progress=progress)
    if not added:
        return False
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        obj=root,
        organisation_path=root.path,
        changes={key: [0, value] for key, value in added.items()},
        note=f"demo data added, scale {scale:g}, seed {seed}",
    )
    transaction.on_commit(kpi.invalidate)
    return True


@transaction.atomic
def demo_seed(*, progress: bool = False, scale: float = 1.0, seed: int = 2025) -> bool:
    """Creates the national demo network and its activity once; False (and nothing written) if
    data is there (a demo network from before events only gets its activity added)."""
    if not 0 < scale <= MAX_SCALE:
        raise DemoError(
            _("The scale must be greater than 0 and at most %(max)s, for example 0.1.")
            % {"max": MAX_SCALE}
        )
    # Serialise concurrent seeds on PostgreSQL; SQLite serialises writers anyway.
    list(OrganisationKind.objects.select_for_update(of=("self",)).filter(code="secretariat"))
    if demo_present():
        added = _add_activity(progress=progress, scale=scale, seed=seed)
        added = _add_appeals(scale=scale, seed=seed) or added
        return _add_later_steps(scale=scale, seed=seed, progress=progress) or added
    plan = build_plan(territory_from_database(), scale=scale, seed=seed)
    with translation.override("kk"):
        marks = _write(plan, progress=progress)
    activity = demo_events_seed(scale=scale, seed=seed, progress=progress)
    appeals = demo_appeals_seed(scale=scale, seed=seed)
    later = _seed_later_steps(scale=scale, seed=seed, progress=progress)
    audit_record(
        actor=None,
        action=AuditEntry.Action.IMPORT,
        obj=marks["root"],
        organisation_path=marks["root"].path,
        changes={
            "bodies": [0, len(plan.bodies)],
            "people": [0, len(plan.people)],
            "events": [0, activity.events],
            "registrations": [0, activity.registrations],
            "appeals": [0, appeals.appeals],
            "proposals": [0, appeals.proposals],
            **{key: [0, value] for key, value in later.items()},
        },
        note=f"demo data, scale {scale:g}, seed {seed}",
    )
    transaction.on_commit(kpi.invalidate)
    return True
