"""Every write of programmes (slice ``programmes``): bodies join and leave, partners are added
and removed. One transaction each, the policy checked inside, an audit row written with it, and
the figures recomputed once it commits."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.core import kpi
from birlik.core.cleaning import clean_text
from birlik.core.errors import DomainError
from birlik.registry.models import Organisation

from . import programme_policies  # noqa: F401  (the rules of programmes, registered on import)
from .models import (
    FOUNDING_YEAR,
    PartnerOrganisation,
    Programme,
    ProgrammeMembership,
    ProgrammePartner,
)

# A body may be recorded as joining up to this many days ahead (an agreement signed for the
# start of next month); a date further on is a typing mistake.
JOIN_AHEAD_DAYS = 366
LANGS = ("kk", "ru", "en")


class ProgrammeError(DomainError):
    pass


def _check_day(day: datetime.date, *, field: str) -> None:
    today = timezone.localdate()
    if day.year < FOUNDING_YEAR:
        raise ProgrammeError(
            _("Give a date from %(year)s on.") % {"year": FOUNDING_YEAR}, field=field
        )
    if day > today + datetime.timedelta(days=JOIN_AHEAD_DAYS):
        raise ProgrammeError(_("Give a date within a year from today."), field=field)


def _locked_programme(programme: Programme) -> Programme:
    return Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)


def _join(
    *,
    actor: User,
    programme: Programme,
    organisation: Organisation,
    joined_on: datetime.date,
    note: str,
) -> ProgrammeMembership:
    policies.require(actor, "events.join_programme", organisation)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ProgrammeError(
            _("“%(name)s” is closed: a closed body cannot join a programme.")
            % {"name": organisation.name}
        )
    if ProgrammeMembership.objects.filter(
        programme=programme, organisation=organisation, left_on__isnull=True
    ).exists():
        raise ProgrammeError(
            _("“%(name)s” already takes part in this programme; record its leaving first.")
            % {"name": organisation.name}
        )
    last_left = (
        ProgrammeMembership.objects.filter(programme=programme, organisation=organisation)
        .order_by("-left_on")
        .values_list("left_on", flat=True)
        .first()
    )
    if last_left is not None and joined_on <= last_left:
        raise ProgrammeError(
            _("“%(name)s” left this programme on %(date)s: give a later date to join again.")
            % {"name": organisation.name, "date": last_left.strftime("%d.%m.%Y")},
            field="joined_on",
        )
    try:
        with transaction.atomic():
            membership = ProgrammeMembership.objects.create(
                programme=programme,
                organisation=organisation,
                joined_on=joined_on,
                note=note,
                joined_by=actor,
            )
    except IntegrityError as error:  # a concurrent join of the same body won the race
        raise ProgrammeError(
            _("“%(name)s” already takes part in this programme; record its leaving first.")
            % {"name": organisation.name}
        ) from error
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=membership,
        organisation_path=organisation.path,
        changes={"programme": programme.code, "joined_on": joined_on.isoformat()},
        note=note,
    )
    return membership


@transaction.atomic
def programme_join(
    *,
    actor: User,
    programme: Programme,
    organisation: Organisation,
    joined_on: datetime.date | None = None,
    note: str = "",
) -> ProgrammeMembership:
    """A body in the actor's scope joins a programme in use, once at a time."""
    programme = _locked_programme(programme)
    if not programme.is_active:
        raise ProgrammeError(_("This programme is no longer in use: bodies cannot join it."))
    joined_on = joined_on or timezone.localdate()
    _check_day(joined_on, field="joined_on")
    membership = _join(
        actor=actor,
        programme=programme,
        organisation=organisation,
        joined_on=joined_on,
        note=clean_text(note)[:300],
    )
    transaction.on_commit(kpi.invalidate)
    return membership


@transaction.atomic
def programme_join_many(
    *,
    actor: User,
    programme: Programme,
    organisations: Sequence[Organisation],
    joined_on: datetime.date | None = None,
    note: str = "",
) -> list[ProgrammeMembership]:
    """Several bodies join at once (a coordinator's list): all of them or, on any problem,
    none; bodies already taking part are refused by name."""
    if not organisations:
        raise ProgrammeError(_("Tick at least one body."), field="bodies")
    programme = _locked_programme(programme)
    if not programme.is_active:
        raise ProgrammeError(_("This programme is no longer in use: bodies cannot join it."))
    joined_on = joined_on or timezone.localdate()
    _check_day(joined_on, field="joined_on")
    note = clean_text(note)[:300]
    joined = [
        _join(
            actor=actor,
            programme=programme,
            organisation=organisation,
            joined_on=joined_on,
            note=note,
        )
        for organisation in organisations
    ]
    transaction.on_commit(kpi.invalidate)
    return joined


@transaction.atomic
def programme_leave(
    *, actor: User, membership: ProgrammeMembership, left_on: datetime.date | None = None
) -> ProgrammeMembership:
    """A body stops taking part in a programme (from the day after ``left_on``)."""
    membership = (
        ProgrammeMembership.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme")
        .get(pk=membership.pk)
    )
    policies.require(actor, "events.join_programme", membership.organisation)
    if membership.left_on is not None:
        raise ProgrammeError(_("This body has already left the programme."))
    left_on = left_on or timezone.localdate()
    _check_day(left_on, field="left_on")
    if left_on < membership.joined_on:
        raise ProgrammeError(
            _("The body joined on %(date)s: it cannot leave before that day.")
            % {"date": membership.joined_on.strftime("%d.%m.%Y")},
            field="left_on",
        )
    membership.left_on = left_on
    membership.left_by = actor
    membership.save(update_fields=["left_on", "left_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=membership,
        organisation_path=membership.organisation.path,
        changes={"programme": membership.programme.code, "left_on": left_on.isoformat()},
    )
    transaction.on_commit(kpi.invalidate)
    return membership


# --- Partners ----------------------------------------------------------------------------------


def _texts(values: dict[str, str], field: str, *, required: str = "") -> dict[str, str]:
    """``{field}_{lang}`` cleaned for kk/ru/en, and the untranslated field (the Kazakh text, or
    the first given)."""
    cleaned = {f"{field}_{lang}": clean_text(values.get(lang, ""))[:300] for lang in LANGS}
    if required and not any(cleaned.values()):
        raise ProgrammeError(required, field=f"{field}_kk")
    cleaned[field] = next((value for value in cleaned.values() if value), "")
    return cleaned


@transaction.atomic
def partner_organisation_create(
    *, actor: User, names: dict[str, str], kind: str, website: str = ""
) -> PartnerOrganisation:
    """An organisation outside the Assembly, named in at least one language, of a known kind."""
    policies.require(actor, "events.manage_programme_partners")
    if kind not in PartnerOrganisation.Kind.values:
        raise ProgrammeError(_("Choose the kind of organisation from the list."), field="kind")
    texts = _texts(names, "name", required=str(_("Give the organisation's name.")))
    organisation = PartnerOrganisation.objects.create(
        kind=kind, website=website.strip()[:200], **texts
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=organisation,
        changes={"kind": kind, "name": texts["name"]},
    )
    return organisation


@transaction.atomic
def programme_partner_add(
    *,
    actor: User,
    programme: Programme,
    state_body: Any = None,
    organisation: PartnerOrganisation | None = None,
    roles: dict[str, str] | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> ProgrammePartner:
    """A state body of the catalogue or an outside organisation (one of them) becomes a partner
    of the programme, with its role and dates; the same party once per programme at a time."""
    policies.require(actor, "events.manage_programme_partners")
    programme = _locked_programme(programme)
    if (state_body is None) == (organisation is None):
        raise ProgrammeError(
            _("Choose a state body from the catalogue or an organisation, one of them.")
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ProgrammeError(_("The partnership ends before it starts."), field="ends_on")
    party = {"state_body": state_body} if state_body is not None else {"organisation": organisation}
    today = timezone.localdate()
    current = programme.partners.filter(**party).exclude(ends_on__lt=today)
    if current.exists():
        raise ProgrammeError(_("This partner already takes part in the programme."))
    partner = ProgrammePartner.objects.create(
        programme=programme,
        starts_on=starts_on,
        ends_on=ends_on,
        **party,
        **_texts(roles or {}, "role"),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=partner,
        changes={
            "programme": programme.code,
            "partner": str(partner),
            "starts_on": starts_on.isoformat() if starts_on else "",
            "ends_on": ends_on.isoformat() if ends_on else "",
        },
    )
    return partner


@transaction.atomic
def programme_partner_remove(*, actor: User, partner: ProgrammePartner) -> None:
    """A partner recorded by mistake is removed (an ended partnership keeps its end date)."""
    policies.require(actor, "events.manage_programme_partners")
    partner = (
        ProgrammePartner.objects.select_for_update(of=("self",))
        .select_related("programme", "state_body", "organisation")
        .get(pk=partner.pk)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=partner,
        changes={"programme": partner.programme.code, "partner": str(partner)},
    )
    partner.delete()
