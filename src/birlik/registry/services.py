"""Every write to the registry: one function per write, one transaction, its audit row inside."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record, diff, snapshot
from birlik.core import kpi, ratelimit
from birlik.core.errors import DomainError
from birlik.core.text import latin_key
from birlik.geo.models import District, Region

from . import hours
from .iin import iin_digest, validate_iin
from .models import (
    Consent,
    EthnicGroup,
    Membership,
    OpeningHours,
    Organisation,
    OrganisationKind,
    Person,
)

LANGS = ("kk", "ru", "en")
ORGANISATION_FIELDS = [
    "kind",
    *(f"name_{lang}" for lang in LANGS),
    *(f"description_{lang}" for lang in LANGS),
    *(f"address_{lang}" for lang in LANGS),
    "region",
    "district",
    "phone",
    "email",
    "website",
    "founded_on",
    "status",
    "closed_on",
]
PERSON_FIELDS = ["last_name", "first_name", "patronymic", "sex", "birth_date", "phone", "email"]
EDITABLE_ORGANISATION_FIELDS = frozenset(ORGANISATION_FIELDS) - {"kind", "status", "closed_on"}


class RegistryError(DomainError):
    pass


NULLABLE_ORGANISATION_FIELDS = frozenset({"region", "district", "founded_on"})


def _field_value(field: str, value: Any) -> Any:
    """Empty text fields are stored as "", empty references and dates as NULL."""
    if value is None and field not in NULLABLE_ORGANISATION_FIELDS:
        return ""
    return value


def _changed() -> None:
    transaction.on_commit(kpi.invalidate)


def organisation_check_placement(
    *,
    kind: OrganisationKind,
    parent: Organisation | None,
    region: Region | None,
    district: District | None,
) -> None:
    """A body sits where the hierarchy rules of its kind allow, inside its parent's territory."""
    if not kind.is_active:
        raise RegistryError(_("This kind of body is no longer in use."), field="kind")
    if parent is None:
        if not kind.may_be_root:
            raise RegistryError(_("A body of this kind needs a parent body."), field="parent")
    else:
        if parent.status != Organisation.Status.ACTIVE:
            raise RegistryError(_("A closed body cannot receive new bodies."), field="parent")
        if not kind.allowed_parents.filter(pk=parent.kind_id).exists():
            raise RegistryError(
                _("A body of the kind “%(kind)s” cannot be placed under “%(parent)s”.")
                % {"kind": kind.name, "parent": parent.kind.name},
                field="parent",
            )
    if kind.requires_region and region is None:
        raise RegistryError(_("Choose the region of this body."), field="region")
    if district is not None and (region is None or district.region_id != region.pk):
        raise RegistryError(_("The district is not in the chosen region."), field="district")
    if parent is not None:
        if parent.region_id is not None and region is not None and parent.region_id != region.pk:
            raise RegistryError(
                _("The body must be in the region of its parent body."), field="region"
            )
        if (
            parent.district_id is not None
            and district is not None
            and parent.district_id != district.pk
        ):
            raise RegistryError(
                _("The body must be in the district of its parent body."), field="district"
            )


def _clean_fields(organisation: Organisation) -> None:
    try:
        organisation.full_clean(exclude=["path", "depth", "numchild", "ethnic_groups"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RegistryError(messages[0], field=field) from error


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    parent: Organisation | None,
    kind: OrganisationKind,
    data: Mapping[str, Any],
    ethnic_groups: Iterable[EthnicGroup] = (),
) -> Organisation:
    """Creates a body under ``parent`` if the actor is staff there and the hierarchy allows it."""
    if parent is None:
        policies.require(actor, "registry.manage_kinds")
    else:
        parent = Organisation.objects.select_for_update(of=("self",)).get(pk=parent.pk)
        policies.require(actor, "registry.add_organisation", parent)
    region = data.get("region")
    district = data.get("district")
    organisation_check_placement(kind=kind, parent=parent, region=region, district=district)
    if not any(data.get(f"name_{lang}") for lang in LANGS):
        raise RegistryError(_("Give the name of the body."), field="name_kk")
    organisation = Organisation(kind=kind)
    for field in EDITABLE_ORGANISATION_FIELDS:
        if field in data:
            setattr(organisation, field, _field_value(field, data[field]))
    organisation.region = region
    organisation.district = district
    organisation.founded_on = data.get("founded_on")
    organisation.refresh_search_text()
    _clean_fields(organisation)
    if parent is None:
        organisation = Organisation.objects.add_root(instance=organisation)
    else:
        organisation = Organisation.objects.add_child(parent, instance=organisation)
    groups = list(ethnic_groups)
    if groups:
        if not kind.has_ethnic_groups:
            raise RegistryError(
                _("This kind of body is not linked to ethnic groups."), field="ethnic_groups"
            )
        organisation.ethnic_groups.set(groups)
    after = snapshot(organisation, ORGANISATION_FIELDS)
    after["ethnic_groups"] = sorted(g.code for g in groups)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=organisation,
        organisation_path=organisation.path,
        changes=diff({}, after),
    )
    _changed()
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    ethnic_groups: Iterable[EthnicGroup] | None = None,
    opening_hours: hours.OpeningWeek | None = None,
) -> Organisation:
    """Changes the description of a body (and its week, when given: one change, one audit
    row); its kind and place in the tree stay as they are."""
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    policies.require(actor, "registry.change_organisation", organisation)
    before = snapshot(organisation, ORGANISATION_FIELDS)
    before["ethnic_groups"] = sorted(organisation.ethnic_groups.values_list("code", flat=True))
    unknown = set(data) - EDITABLE_ORGANISATION_FIELDS
    if unknown:
        raise RegistryError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in data.items():
        setattr(
            organisation,
            field,
            _field_value(field, value),
        )
    parent = Organisation.objects.get_parent(organisation)
    organisation_check_placement(
        kind=organisation.kind,
        parent=parent,
        region=organisation.region,
        district=organisation.district,
    )
    if not any(getattr(organisation, f"name_{lang}") for lang in LANGS):
        raise RegistryError(_("Give the name of the body."), field="name_kk")
    organisation.refresh_search_text()
    organisation.updated_at = timezone.now()
    _clean_fields(organisation)
    organisation.save()
    after = snapshot(organisation, ORGANISATION_FIELDS)
    if ethnic_groups is not None:
        groups = list(ethnic_groups)
        if groups and not organisation.kind.has_ethnic_groups:
            raise RegistryError(
                _("This kind of body is not linked to ethnic groups."), field="ethnic_groups"
            )
        organisation.ethnic_groups.set(groups)
        after["ethnic_groups"] = sorted(g.code for g in groups)
    else:
        after["ethnic_groups"] = before["ethnic_groups"]
    changes = diff(before, after)
    if opening_hours is not None:
        changes.update(_opening_hours_write(organisation, opening_hours))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=organisation,
            organisation_path=organisation.path,
            changes=changes,
        )
        _changed()
    return organisation


OPENING_HOURS_FIELDS = [
    *(f"opening_hours_note_{lang}" for lang in LANGS),
    "open_on_public_holidays",
]


def _week_of(organisation: Organisation) -> tuple[hours.Interval, ...]:
    return tuple(
        hours.Interval(row.weekday, row.opens, row.closes)
        for row in OpeningHours.objects.filter(organisation=organisation).order_by(
            "weekday", "opens"
        )
    )


def _hours_snapshot(
    organisation: Organisation, intervals: Iterable[hours.Interval]
) -> dict[str, Any]:
    # An untranslated note is NULL in the database and "" once written: the same note.
    state: dict[str, Any] = {
        f"opening_hours_note_{lang}": getattr(organisation, f"opening_hours_note_{lang}") or ""
        for lang in LANGS
    }
    state["open_on_public_holidays"] = organisation.open_on_public_holidays
    state["opening_hours"] = hours.audit_text(intervals)
    return state


def _opening_hours_write(
    organisation: Organisation, week: hours.OpeningWeek
) -> dict[str, list[Any]]:
    """Replaces the week of a body locked by the caller; returns the changes to audit."""
    intervals = hours.check_week(week.intervals)
    unknown = set(week.note) - set(LANGS)
    if unknown:
        raise RegistryError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    before = _hours_snapshot(organisation, _week_of(organisation))
    for lang in LANGS:
        setattr(organisation, f"opening_hours_note_{lang}", (week.note.get(lang) or "").strip())
    organisation.open_on_public_holidays = week.open_on_public_holidays
    try:
        organisation.full_clean(
            exclude=[
                f.name
                for f in Organisation._meta.concrete_fields
                if f.name not in OPENING_HOURS_FIELDS
            ],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RegistryError(messages[0], field=field) from error
    changes = diff(before, _hours_snapshot(organisation, intervals))
    if changes:
        organisation.updated_at = timezone.now()
        organisation.save(update_fields=[*OPENING_HOURS_FIELDS, "updated_at"])
        OpeningHours.objects.filter(organisation=organisation).delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(
                organisation=organisation, weekday=i.weekday, opens=i.opens, closes=i.closes
            )
            for i in intervals
        )
    return changes


@transaction.atomic
def opening_hours_replace(
    *, actor: User, organisation: Organisation, week: hours.OpeningWeek
) -> Organisation:
    """Replaces a body's usual week (intervals, note, public holidays) as a whole, for those who
    may edit the body; an unchanged week writes nothing."""
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    policies.require(actor, "registry.change_organisation", organisation)
    changes = _opening_hours_write(organisation, week)
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=organisation,
            organisation_path=organisation.path,
            changes=changes,
        )
    return organisation


@transaction.atomic
def organisation_close(
    *, actor: User, organisation: Organisation, closed_on: datetime.date, reason: str = ""
) -> Organisation:
    """A body is closed, never deleted; it must have no active bodies below it."""
    organisation = Organisation.objects.select_for_update(of=("self",)).get(pk=organisation.pk)
    policies.require(actor, "registry.close_organisation", organisation)
    if organisation.status == Organisation.Status.CLOSED:
        raise RegistryError(_("This body is already closed."))
    if organisation.founded_on and closed_on < organisation.founded_on:
        raise RegistryError(_("A body cannot close before it was founded."), field="closed_on")
    open_children = (
        Organisation.objects.filter(
            path__startswith=organisation.path, status=Organisation.Status.ACTIVE
        )
        .exclude(pk=organisation.pk)
        .count()
    )
    if open_children:
        raise RegistryError(
            _("Close or move the %(count)s active bodies below this one first.")
            % {"count": open_children}
        )
    before = snapshot(organisation, ORGANISATION_FIELDS)
    organisation.status = Organisation.Status.CLOSED
    organisation.closed_on = closed_on
    organisation.updated_at = timezone.now()
    organisation.save(update_fields=["status", "closed_on", "updated_at"])
    Membership.objects.filter(organisation=organisation, end_date__isnull=True).update(
        end_date=closed_on
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CLOSE,
        obj=organisation,
        organisation_path=organisation.path,
        changes=diff(before, snapshot(organisation, ORGANISATION_FIELDS)),
        note=reason,
    )
    _changed()
    return organisation


# --- People and their IIN -----------------------------------------------------------------
#
# An IIN says who someone is, so matching one is a read of personal data: every look-up made
# for a user is counted (``IIN_MATCHES_PER_HOUR``) and written to the audit log, whatever it
# finds, and an IIN held by someone is only ever linked when the name given agrees too. What a
# match reveals stays with the bodies that may see the person (``policies.sees_person``).

IIN_LOOKUP_SCOPE = "registry-iin-lookup"
IIN_MATCH_SCOPE = "registry-iin-match"
IIN_LOOKUP_WINDOW = 3600


@dataclass(frozen=True)
class IinKey:
    """An IIN reduced to what the registry keeps: keyed digest, last four digits, and the birth
    date and sex it encodes. Nothing else of the number is kept anywhere, files included."""

    digest: str
    last4: str
    birth_date: datetime.date
    sex: str

    @property
    def masked(self) -> str:
        return f"••••••••{self.last4}"


def iin_key(iin: str) -> IinKey:
    """Check an IIN and reduce it to its key, or raise a translated error on the ``iin`` field."""
    value = (iin or "").strip()
    try:
        facts = validate_iin(value)
    except ValidationError as error:
        raise RegistryError(error.messages[0], field="iin") from error
    return IinKey(
        digest=iin_digest(value), last4=value[-4:], birth_date=facts.birth_date, sex=facts.sex
    )


class IinMatch(enum.Enum):
    NONE = "none"  # nobody holds this IIN
    SAME = "same"  # held by a person whose last and first names agree with the ones given
    OTHER = "other"  # held by someone registered under another name


def names_agree(person: Person, *, last_name: str, first_name: str) -> bool:
    """The same last and first name, whatever the case, spacing, ё/е, Kazakh letters typed as
    Russian ones, Latin look-alike letters or a Latin spelling."""
    return latin_key(person.last_name) == latin_key(last_name) and latin_key(
        person.first_name
    ) == latin_key(first_name)


def iin_holder(*, key: IinKey, last_name: str, first_name: str) -> tuple[IinMatch, Person | None]:
    """Who holds this IIN, for the name given: the person only when the name agrees.

    Not counted or audited by itself: callers act on look-ups already made with
    ``iin_lookups`` (the dry run of an import counts them; its confirmation re-checks)."""
    holder = Person.objects.select_related("registered_by").filter(iin_digest=key.digest).first()
    if holder is None:
        return IinMatch.NONE, None
    if names_agree(holder, last_name=last_name, first_name=first_name):
        return IinMatch.SAME, holder
    return IinMatch.OTHER, None


def person_find_by_iin(*, iin: str) -> Person | None:
    """Match a person by IIN without the number ever being stored in the clear.

    No policy and no limit: for the demo's checks and data repair only. Anything done for a
    user goes through ``iin_lookups`` and ``iin_holder``."""
    return Person.objects.filter(iin_digest=iin_digest(iin)).first()


class IinLookupRefused(RegistryError):
    """The user made too many IIN look-ups in the last hour."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-int(retry_after) // 60))
        super().__init__(
            ngettext(
                "You have checked too many IINs in the last hour. Try again in %(count)s minute.",
                "You have checked too many IINs in the last hour. Try again in %(count)s minutes.",
                minutes,
            )
            % {"count": minutes},
            field="iin",
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class IinLookups:
    """The outcome of ``iin_lookups``: the digests that were looked up, and the refusal (with
    its wait) when the user's limit stopped the others."""

    allowed: frozenset[str]
    refused: IinLookupRefused | None = None


def _sees_every_person(actor: User) -> bool:
    roots = policies.roots(actor, policies.PERSONAL_DATA_ROLES)
    return bool(roots) and not Organisation.objects.filter(depth=1).exclude(path__in=roots).exists()


@transaction.atomic
def iin_lookups(
    *, actor: User, organisation: Organisation, keys: Sequence[IinKey], purpose: str
) -> IinLookups:
    """Look up IINs for a staff user of ``organisation``: each look-up is audited (last four
    digits only) and counted against ``IIN_LOOKUPS_PER_HOUR`` and, when the IIN is held by
    someone, against ``IIN_MATCHES_PER_HOUR``, except those that can reveal
    nothing: an IIN of a person whose data the user already sees, and any IIN for a user who
    sees everyone's. Beyond the limit the remaining IINs are refused, not looked up.

    Its own transaction, committed before the caller goes on: a registration refused because
    the IIN is taken must not roll back the record of the look-up (nor its count)."""
    policies.require(actor, "registry.add_person", organisation)  # staff of the body
    unique = list({key.digest: key for key in keys}.values())
    if not unique:
        return IinLookups(allowed=frozenset())
    digests = [key.digest for key in unique]
    held = set(Person.objects.filter(iin_digest__in=digests).values_list("iin_digest", flat=True))
    seen = set(
        policies.scoped_person_data(
            Person.objects.filter(iin_digest__in=digests), actor
        ).values_list("iin_digest", flat=True)
    )
    unlimited = _sees_every_person(actor)
    match_limit = int(getattr(settings, "IIN_MATCHES_PER_HOUR", 20))
    lookup_limit = int(getattr(settings, "IIN_LOOKUPS_PER_HOUR", 2000))
    allowed: set[str] = set()
    refused: IinLookupRefused | None = None
    refused_count = 0
    entries: list[AuditEntry] = []  # one per look-up, written together
    for key in unique:
        if refused is None and not unlimited and key.digest not in seen:
            # Every look-up counts against the wide limit (no search of ~10,000 candidate IINs
            # of one birth date); one that finds someone the user may not see also counts
            # against the narrow limit of matches, so a list of new members still loads.
            verdict = ratelimit.check(
                IIN_LOOKUP_SCOPE, str(actor.pk), limit=lookup_limit, window=IIN_LOOKUP_WINDOW
            )
            if not verdict.over and key.digest in held:
                verdict = ratelimit.check(
                    IIN_MATCH_SCOPE, str(actor.pk), limit=match_limit, window=IIN_LOOKUP_WINDOW
                )
            if verdict.over:
                refused = IinLookupRefused(verdict.retry_after)
        if refused is not None and key.digest not in seen and not unlimited:
            refused_count += 1
            continue
        allowed.add(key.digest)
        entry = _audit_entry(
            actor,
            organisation,
            str(organisation.path),
            {"iin": [None, key.masked], "found": [None, key.digest in held]},
            note=f"IIN look-up: {purpose}",
        )
        entry.action = AuditEntry.Action.READ
        entries.append(entry)
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    if refused_count:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.READ,
            obj=organisation,
            organisation_path=str(organisation.path),
            changes={"refused": [None, refused_count]},
            note=f"IIN look-ups refused over the hourly limit: {purpose}",
        )
    return IinLookups(allowed=frozenset(allowed), refused=refused)


def _iin_must_be_free(
    *, actor: User, organisation: Organisation, key: IinKey, purpose: str, person: Person | None
) -> None:
    """An IIN given in a form: one counted, audited look-up; taken by someone else → refused.
    Whose it is is said only to a user who may see that person's data."""
    lookups = iin_lookups(actor=actor, organisation=organisation, keys=[key], purpose=purpose)
    if key.digest not in lookups.allowed:
        assert lookups.refused is not None  # noqa: S101 - a digest is allowed or refused
        raise lookups.refused
    holder = Person.objects.filter(iin_digest=key.digest).select_related("registered_by").first()
    if holder is None or (person is not None and holder.pk == person.pk):
        return
    if policies.can(actor, "registry.view_person", holder):
        raise RegistryError(
            _("This IIN is already registered for %(name)s.") % {"name": holder.full_name},
            field="iin",
        )
    raise RegistryError(
        _(
            "A person with this IIN is already registered. If it is the same person, add them "
            "to this body with a members import giving their IIN, last name and first name."
        ),
        field="iin",
    )


def person_create(
    *,
    actor: User,
    registered_by: Organisation,
    data: Mapping[str, Any],
    iin: str | None = None,
    consent_purpose: str = Consent.Purpose.MEMBERSHIP,
    consent_given_on: datetime.date | None = None,
) -> Person:
    """Registers a person with their consent; an IIN is checked by one counted, audited
    look-up and refused when someone already holds it."""
    policies.require(actor, "registry.add_person", registered_by)
    if consent_given_on is None:
        raise RegistryError(
            _("Record the person's consent to the processing of personal data."),
            field="consent_given_on",
        )
    key = iin_key(iin) if iin else None
    if key is not None:
        _iin_must_be_free(
            actor=actor, organisation=registered_by, key=key, purpose="registration", person=None
        )
    return _person_register(
        actor=actor,
        registered_by=registered_by,
        data=data,
        iin=key,
        consent_purpose=consent_purpose,
        consent_given_on=consent_given_on,
    )


@transaction.atomic
def _person_register(
    *,
    actor: User,
    registered_by: Organisation,
    data: Mapping[str, Any],
    iin: IinKey | None,
    consent_given_on: datetime.date,
    consent_purpose: str = Consent.Purpose.MEMBERSHIP,
) -> Person:
    """The write of a registration, for an IIN already looked up (``person_create``, or the
    dry run of an import): an IIN is held by one person only."""
    policies.require(actor, "registry.add_person", registered_by)
    if iin is not None and Person.objects.filter(iin_digest=iin.digest).exists():
        raise RegistryError(_("A person with this IIN is already registered."), field="iin")
    person = Person(registered_by=registered_by)
    for field in PERSON_FIELDS:
        if field in data and data[field] is not None:
            setattr(person, field, data[field])
    if iin is not None:
        person.iin_digest = iin.digest
        person.iin_last4 = iin.last4
        person.birth_date = iin.birth_date
        person.sex = iin.sex
    try:
        person.full_clean(exclude=["registered_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RegistryError(messages[0], field=field) from error
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as error:  # the same IIN registered at the same moment elsewhere
        raise RegistryError(
            _("A person with this IIN is already registered."), field="iin"
        ) from error
    Consent.objects.create(
        person=person, purpose=consent_purpose, given_on=consent_given_on, recorded_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=person,
        organisation_path=registered_by.path,
        changes=diff({}, {**snapshot(person, PERSON_FIELDS), "iin": iin is not None}),
    )
    return person


def person_update(
    *, actor: User, person: Person, data: Mapping[str, Any], iin: str | None = None
) -> Person:
    """Changes a person's details (staff of the body that registered them); a new IIN is
    checked by one counted, audited look-up and refused when someone else holds it."""
    policies.require(actor, "registry.change_person", person)
    key = iin_key(iin) if iin else None
    if key is not None:
        _iin_must_be_free(
            actor=actor,
            organisation=person.registered_by,
            key=key,
            purpose="change of IIN",
            person=person,
        )
    return _person_update(actor=actor, person=person, data=data, iin=key)


@transaction.atomic
def _person_update(
    *, actor: User, person: Person, data: Mapping[str, Any], iin: IinKey | None
) -> Person:
    person = (
        Person.objects.select_for_update(of=("self",))
        .select_related("registered_by")
        .get(pk=person.pk)
    )
    policies.require(actor, "registry.change_person", person)
    before = snapshot(person, PERSON_FIELDS)
    for field in PERSON_FIELDS:
        if field in data and data[field] is not None:
            setattr(person, field, data[field])
    if iin is not None:
        clash = Person.objects.filter(iin_digest=iin.digest).exclude(pk=person.pk)
        if clash.exists():
            raise RegistryError(_("A person with this IIN is already registered."), field="iin")
        person.iin_digest = iin.digest
        person.iin_last4 = iin.last4
        person.birth_date = iin.birth_date
        person.sex = iin.sex
    try:
        person.full_clean(exclude=["registered_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise RegistryError(messages[0], field=field) from error
    person.updated_at = timezone.now()
    person.save()
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if iin is not None:
        changes["iin"] = ["••••", "••••"]
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=person,
            organisation_path=person.registered_by.path,
            changes=changes,
        )
    return person


@transaction.atomic
def membership_add(
    *,
    actor: User,
    person: Person,
    organisation: Organisation,
    role: str,
    start_date: datetime.date,
    position: str = "",
    end_date: datetime.date | None = None,
) -> Membership:
    """A person joins an active body for a term; the same role twice at once is refused."""
    policies.require(actor, "registry.manage_membership", organisation)
    if organisation.status != Organisation.Status.ACTIVE:
        raise RegistryError(_("A closed body cannot receive new members."))
    if role not in Membership.Role.values:
        raise RegistryError(_("Choose a role from the list."), field="role")
    if end_date is not None and end_date < start_date:
        raise RegistryError(_("The term cannot end before it starts."), field="end_date")
    overlapping = Membership.objects.filter(person=person, organisation=organisation, role=role)
    overlapping = overlapping.exclude(end_date__lt=start_date)
    if end_date is not None:
        overlapping = overlapping.exclude(start_date__gt=end_date)
    if overlapping.exists():
        raise RegistryError(
            _("This person already holds this role in this body for these dates."), field="role"
        )
    membership = Membership.objects.create(
        person=person,
        organisation=organisation,
        role=role,
        position=position,
        start_date=start_date,
        end_date=end_date,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=membership,
        organisation_path=organisation.path,
        changes=diff(
            {}, snapshot(membership, ["person", "role", "position", "start_date", "end_date"])
        ),
    )
    _changed()
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership, end_date: datetime.date) -> Membership:
    """A term ends on a date not before it began; the record stays for history."""
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    policies.require(actor, "registry.manage_membership", membership.organisation)
    if membership.end_date is not None and membership.end_date <= end_date:
        raise RegistryError(_("This term has already ended."))
    if end_date < membership.start_date:
        raise RegistryError(_("The term cannot end before it starts."), field="end_date")
    before = snapshot(membership, ["end_date"])
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=membership,
        organisation_path=membership.organisation.path,
        changes=diff(before, snapshot(membership, ["end_date"])),
    )
    _changed()
    return membership


# --- Spreadsheet import and export (added for the staff workspace) ---------------------------


@dataclass(frozen=True)
class BodyImportRow:
    """One checked row of a bodies spreadsheet: a change when ``organisation`` is set."""

    line: int
    kind: OrganisationKind
    parent: Organisation
    data: dict[str, Any]
    organisation: Organisation | None = None
    ethnic_groups: tuple[EthnicGroup, ...] = ()


@dataclass(frozen=True)
class MemberImportRow:
    """One checked row of a members spreadsheet: ``iin`` (its key, looked up in the dry run) or
    ``person`` (a member of the same body matched by full name) says who it is."""

    line: int
    organisation: Organisation
    person_data: dict[str, Any]
    role: str
    start_date: datetime.date
    position: str = ""
    end_date: datetime.date | None = None
    iin: IinKey | None = None
    consent_given_on: datetime.date | None = None
    person: Person | None = None


@dataclass(frozen=True)
class ImportSummary:
    created: int
    changed: int


class ImportRowError(RegistryError):
    """A row broke a rule when applied: the whole import is rolled back."""

    def __init__(self, *, line: int, error: DomainError) -> None:
        super().__init__(
            _("Row %(line)s: %(message)s") % {"line": line, "message": error.message},
            field=error.field,
        )
        self.line = line


def _require_under(under: Organisation, body: Organisation, line: int) -> None:
    if not str(body.path).startswith(str(under.path)):
        raise ImportRowError(
            line=line,
            error=RegistryError(_("This body is not under the body chosen for the import.")),
        )


@transaction.atomic
def organisations_import(
    *, actor: User, under: Organisation, rows: Sequence[BodyImportRow]
) -> ImportSummary:
    """All rows or none: each body is created or changed by the ordinary services, in order."""
    policies.require(actor, "registry.import", under)
    created = changed = 0
    for row in rows:
        try:
            if row.organisation is None:
                _require_under(under, row.parent, row.line)
                organisation_create(
                    actor=actor,
                    parent=row.parent,
                    kind=row.kind,
                    data=row.data,
                    ethnic_groups=row.ethnic_groups,
                )
                created += 1
            else:
                _require_under(under, row.organisation, row.line)
                if row.organisation.kind_id != row.kind.pk:
                    raise RegistryError(_("The kind of an existing body cannot be changed."))
                organisation_update(actor=actor, organisation=row.organisation, data=row.data)
                changed += 1
        except ImportRowError:
            raise
        except DomainError as error:
            raise ImportRowError(line=row.line, error=error) from error
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=under,
        organisation_path=under.path,
        changes={"bodies_created": [0, created], "bodies_changed": [0, changed]},
        note="bodies",
    )
    return ImportSummary(created=created, changed=changed)


IIN_NAME_MISMATCH = _(
    "A person with this IIN is registered under another name: check the IIN, the last name "
    "and the first name."
)


def _audit_entry(
    actor: User, obj: Any, path: str, changes: dict[str, Any], note: str = ""
) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor.pk else None,
        action=AuditEntry.Action.CREATE,
        object_type=obj._meta.label,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        organisation_path=path,
        changes=changes,
        note=note[:300],
    )


@transaction.atomic
def members_import(
    *, actor: User, under: Organisation, rows: Sequence[MemberImportRow]
) -> ImportSummary:
    """All rows or none: people are matched by IIN and name (or given), else registered, then
    join. Linking a person registered elsewhere shows this body nothing more than their name.

    The same rules as ``person_create`` and ``membership_add``, written in bulk: a batch of a
    thousand rows costs a few dozen queries (policies per body, one look-up of IINs, one of
    terms, one insert per table), so a large import never holds the write lock for long."""
    policies.require(actor, "registry.import", under)
    bodies: dict[int, Organisation] = {}
    for row in rows:
        _require_under(under, row.organisation, row.line)
        if row.organisation.pk not in bodies:
            body = row.organisation
            try:
                policies.require(actor, "registry.manage_membership", body)
                policies.require(actor, "registry.add_person", body)
            except DomainError as error:
                raise ImportRowError(line=row.line, error=error) from error
            if body.status != Organisation.Status.ACTIVE:
                raise ImportRowError(
                    line=row.line,
                    error=RegistryError(_("A closed body cannot receive new members.")),
                )
            bodies[body.pk] = body
    digests = {row.iin.digest for row in rows if row.iin is not None}
    holders = {p.iin_digest: p for p in Person.objects.filter(iin_digest__in=digests)}
    new_people: list[Person] = []
    consents: list[tuple[Person, datetime.date]] = []
    people: list[Person] = []
    for row in rows:
        person = row.person
        if row.iin is not None:
            person = holders.get(row.iin.digest)
            if (
                person is not None
                and person.pk
                and not names_agree(
                    person,
                    last_name=str(row.person_data.get("last_name", "")),
                    first_name=str(row.person_data.get("first_name", "")),
                )
            ):
                raise ImportRowError(
                    line=row.line, error=RegistryError(IIN_NAME_MISMATCH, field="iin")
                )
        if person is None:
            if row.consent_given_on is None:
                raise ImportRowError(
                    line=row.line,
                    error=RegistryError(
                        _("Record the person's consent to the processing of personal data."),
                        field="consent_given_on",
                    ),
                )
            person = Person(registered_by=row.organisation)
            for name in PERSON_FIELDS:
                if row.person_data.get(name) is not None:
                    setattr(person, name, row.person_data[name])
            if row.iin is not None:
                person.iin_digest = row.iin.digest
                person.iin_last4 = row.iin.last4
                person.birth_date = row.iin.birth_date
                person.sex = row.iin.sex
                holders[row.iin.digest] = person  # a later row with this IIN is this person
            try:
                person.clean_fields(exclude=["registered_by", "iin_digest"])
            except ValidationError as error:
                field, messages = next(iter(error.message_dict.items()))
                raise ImportRowError(
                    line=row.line, error=RegistryError(messages[0], field=field)
                ) from error
            new_people.append(person)
            consents.append((person, row.consent_given_on))
        people.append(person)
    try:
        with transaction.atomic():
            Person.objects.bulk_create(new_people)
    except IntegrityError as error:  # the same IIN registered at the same moment elsewhere
        raise RegistryError(
            _("A person with this IIN is already registered."), field="iin"
        ) from error
    Consent.objects.bulk_create(
        Consent(person=p, purpose=Consent.Purpose.MEMBERSHIP, given_on=day, recorded_by=actor)
        for p, day in consents
    )
    terms: dict[tuple[int, int, str], list[Membership]] = {}
    for term in Membership.objects.filter(
        person_id__in={p.pk for p in people}, organisation_id__in=set(bodies)
    ):
        terms.setdefault((term.person_id, term.organisation_id, term.role), []).append(term)
    created_terms: list[Membership] = []
    changed = 0
    for row, person in zip(rows, people, strict=True):
        if row.role not in Membership.Role.values:
            raise ImportRowError(
                line=row.line, error=RegistryError(_("Choose a role from the list."), field="role")
            )
        if row.end_date is not None and row.end_date < row.start_date:
            raise ImportRowError(
                line=row.line,
                error=RegistryError(_("The term cannot end before it starts."), field="end_date"),
            )
        held = terms.setdefault((person.pk, row.organisation.pk, row.role), [])
        existing = next((t for t in held if t.start_date == row.start_date), None)
        if existing is not None:
            if row.end_date is not None and existing.end_date != row.end_date and existing.pk:
                try:
                    membership_end(actor=actor, membership=existing, end_date=row.end_date)
                except DomainError as error:
                    raise ImportRowError(line=row.line, error=error) from error
                changed += 1
            continue
        if any(
            (t.end_date is None or t.end_date >= row.start_date)
            and (row.end_date is None or t.start_date <= row.end_date)
            for t in held
        ):
            raise ImportRowError(
                line=row.line,
                error=RegistryError(
                    _("This person already holds this role in this body for these dates."),
                    field="role",
                ),
            )
        term = Membership(
            person=person,
            organisation=row.organisation,
            role=row.role,
            position=row.position,
            start_date=row.start_date,
            end_date=row.end_date,
        )
        held.append(term)
        created_terms.append(term)
    Membership.objects.bulk_create(created_terms)
    entries = [
        _audit_entry(
            actor,
            person,
            str(person.registered_by.path),
            diff({}, {**snapshot(person, PERSON_FIELDS), "iin": bool(person.iin_digest)}),
        )
        for person in new_people
    ] + [
        _audit_entry(
            actor,
            term,
            str(term.organisation.path),
            diff({}, snapshot(term, ["person", "role", "position", "start_date", "end_date"])),
        )
        for term in created_terms
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    created = len(created_terms)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=under,
        organisation_path=under.path,
        changes={"memberships_created": [0, created], "memberships_changed": [0, changed]},
        note="members",
    )
    _changed()
    return ImportSummary(created=created, changed=changed)


@transaction.atomic
def export_record(
    *, actor: User, organisation: Organisation, dataset: str, file_format: str, rows: int
) -> AuditEntry:
    """Every spreadsheet taken out of the platform is logged with what and how many rows."""
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=organisation,
        organisation_path=organisation.path,
        changes={"rows": [None, rows]},
        note=f"{dataset} {file_format}",
    )
