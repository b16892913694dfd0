"""Members: people and their terms in bodies, checked row by row the way the registry will.

Who a row is: by IIN (linked only when the last and first names agree, ``iin_holder``'s rule),
else by name AND date of birth among the people whose data the user may see in the tree
imported into. A namesake is never taken for the same person by name alone: a same-named
member of the same body without an IIN or a birth date to tell them apart is a conflict to
resolve, unless the row repeats that member's very term (a re-imported file).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.core import cleaning
from birlik.registry import services
from birlik.registry.iin import iin_error, validate_iin
from birlik.registry.lookup import BodyIndex, RoleIndex
from birlik.registry.models import Membership, Organisation, Person

from . import fields as catalogue
from .rows import (
    CHANGE,
    CREATE,
    REJECT,
    UNCHANGED,
    Context,
    RowPlan,
    contacts,
    date_value,
    length,
    name_checks,
    repeated,
)

IIN_FIELDS = ("iin_digest", "iin_last4", "iin_birth_date", "iin_sex", "iin_error", "iin_refused")
CHUNK = 1000


def _label(key: str) -> Any:
    return catalogue.field(catalogue.MEMBERS, key).label


def protect_iins(*, user: Any, under: Organisation, rows: list[tuple[int, dict[str, str]]]) -> None:
    """Replace each row's IIN (in place) by its key, or the code of what is wrong with it; the
    file's IINs are looked up once for ``user``: counted, audited, refused beyond the limit."""
    keys: dict[int, services.IinKey] = {}
    for index, (_line, row) in enumerate(rows):
        value = row.pop("iin", "").strip()
        for name in IIN_FIELDS:
            row.pop(name, None)
        if not value:
            continue
        value = cleaning.clean_iin(value)
        try:
            validate_iin(value)
        except ValidationError as error:
            row["iin_error"] = str(error.code or "iin_length")
        else:
            keys[index] = services.iin_key(value)
    lookups = services.iin_lookups(
        actor=user, organisation=under, keys=list(keys.values()), purpose="members import"
    )
    for index, key in keys.items():
        row = rows[index][1]
        if key.digest not in lookups.allowed:
            row["iin_refused"] = "1"
            continue
        row["iin_digest"] = key.digest
        row["iin_last4"] = key.last4
        row["iin_birth_date"] = key.birth_date.isoformat()
        row["iin_sex"] = key.sex


def _row_iin(row: dict[str, str], errors: list[str]) -> services.IinKey | None:
    if row.get("iin_error"):
        errors.append(_("IIN: %(message)s") % {"message": iin_error(row["iin_error"])})
        return None
    if row.get("iin_refused"):
        errors.append(
            _(
                "This IIN was not checked: you have checked too many IINs in the last hour. "
                "Upload the file again later."
            )
        )
        return None
    if not row.get("iin_digest"):
        return None
    try:
        birth_date = datetime.date.fromisoformat(row.get("iin_birth_date", ""))
    except ValueError:
        errors.append(_("IIN: %(message)s") % {"message": iin_error("iin_date")})
        return None
    return services.IinKey(
        digest=row["iin_digest"],
        last4=row.get("iin_last4", ""),
        birth_date=birth_date,
        sex=row.get("iin_sex", ""),
    )


def _names(row: dict[str, str]) -> tuple[str, str, str]:
    last, first, patronymic = (
        cleaning.clean_text(row.get(key, "")) for key in ("last_name", "first_name", "patronymic")
    )
    if not (last or first) and row.get("full_name"):
        return cleaning.split_full_name(row["full_name"])
    return last, first, patronymic


def _variants(name: str) -> set[str]:
    return {name, name.title(), name.upper(), name.lower(), name.capitalize()} - {""}


def _bodies(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> dict[int, Organisation]:
    ids = {int(r["body_id"]) for _l, r in rows if r.get("body_id", "").isdigit()}
    known: dict[int, Organisation] = ctx.cache.setdefault("bodies_by_id", {})
    missing = ids - set(known)
    if missing:
        scoped = policies.scoped(Organisation.objects.filter(pk__in=missing), ctx.user).filter(
            path__startswith=ctx.under.path
        )
        known.update({b.pk: b for b in scoped})
    known.setdefault(ctx.under.pk, ctx.under)
    return known


def _may_manage(ctx: Context, body: Organisation) -> bool:
    allowed: dict[int, bool] = ctx.cache.setdefault("may_manage", {})
    if body.pk not in allowed:
        allowed[body.pk] = policies.can(ctx.user, "registry.manage_membership", body)
    return allowed[body.pk]


def _holders(digests: Iterable[str]) -> dict[str, Person]:
    return {
        p.iin_digest: p
        for p in Person.objects.filter(iin_digest__in=set(digests)).only(
            "id", "last_name", "first_name", "iin_digest", "birth_date"
        )
        if p.iin_digest
    }


def _namesakes(
    ctx: Context, names: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], list[Person]]:
    """People in the tree whose data the user may see, by (last, first) name key."""
    wanted = {(cleaning.match_key(last), cleaning.match_key(first)) for last, first in names}
    lasts: set[str] = set()
    for last, _first in names:
        lasts |= _variants(last)
    if not lasts:
        return {}
    people = policies.scoped_person_data(
        Person.objects.filter(
            last_name__in=lasts, memberships__organisation__path__startswith=ctx.under.path
        ),
        ctx.user,
    ).distinct()
    found: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for person in people.only("id", "last_name", "first_name", "patronymic", "birth_date"):
        key = (cleaning.match_key(person.last_name), cleaning.match_key(person.first_name))
        if key in wanted:
            found[key].append(person)
    return found


def _terms(people: Iterable[Person]) -> dict[tuple[int, int, str], list[Membership]]:
    ids = {p.pk for p in people}
    terms: dict[tuple[int, int, str], list[Membership]] = defaultdict(list)
    if ids:
        for term in Membership.objects.filter(person_id__in=ids).only(
            "id", "person_id", "organisation_id", "role", "start_date", "end_date"
        ):
            terms[(term.person_id, term.organisation_id, term.role)].append(term)
    return terms


def plan(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    result: list[RowPlan] = []
    for start in range(0, len(rows), CHUNK):
        result.extend(_plan_chunk(ctx, rows[start : start + CHUNK]))
    return result


def _plan_chunk(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    today = timezone.localdate()
    known = _bodies(ctx, rows)
    index: BodyIndex = ctx.once("body_index", lambda: BodyIndex(user=ctx.user, under=ctx.under))
    roles: RoleIndex = ctx.once("role_index", RoleIndex)
    parsed = [(line, row, _names(row)) for line, row in rows]
    holders = _holders(r["iin_digest"] for _l, r in rows if r.get("iin_digest"))
    namesakes = _namesakes(
        ctx, [(n[0], n[1]) for _l, r, n in parsed if not r.get("iin_digest") and n[0] and n[1]]
    )
    people = list(holders.values()) + [p for group in namesakes.values() for p in group]
    terms = _terms(people)
    new_iins: set[str] = ctx.cache.setdefault("new_iins", set())
    plans: list[RowPlan] = []
    for line, row, (last, first, patronymic) in parsed:
        errors: list[str] = []
        notes: list[str] = []
        full_name = " ".join(n for n in (last, first, patronymic) if n) or "—"
        body: Organisation | None = ctx.under
        if row.get("body_id"):
            if not row["body_id"].isdigit():
                errors.append(
                    _("%(column)s: “%(value)s” is not a Birlik number.")
                    % {"column": _label("body_id"), "value": row["body_id"][:20]}
                )
                body = None
            else:
                body = known.get(int(row["body_id"]))
                if body is None:
                    errors.append(
                        _("There is no body number %(id)s under the body chosen for the import.")
                        % {"id": row["body_id"]}
                    )
        elif ctx.value(row, "body"):
            found = index.find(ctx.value(row, "body"))
            body = found.value
            if found.error:
                errors.append(found.error)
            if found.warning:
                notes.append(found.warning)
        label = full_name if body is None else f"{full_name} — {body.name}"
        if not last:
            errors.append(_("Give the last name."))
        if not first:
            errors.append(_("Give the first name."))
        for key, value in (("last_name", last), ("first_name", first), ("patronymic", patronymic)):
            name_checks(value, _label(key), errors, notes)
            if len(value) > 100:
                errors.append(
                    _("%(column)s: at most %(limit)s characters.")
                    % {"column": _label(key), "limit": 100}
                )
        length(row, "position", _label("position"), 200, errors)
        contacts(row, errors)
        role_text = ctx.value(row, "role") or "member"
        role_found = roles.find(role_text)
        role = role_found.value
        if role is None:
            errors.append(
                role_found.error or _("Unknown role “%(value)s”.") % {"value": role_text[:40]}
            )
        start_date = date_value(row, "start_date", _label("start_date"), errors, ctx)
        if start_date is None and not ctx.value(row, "start_date"):
            errors.append(_("Give the start of the term (a column, or one date for all rows)."))
        end_date = date_value(row, "end_date", _label("end_date"), errors)
        if start_date and end_date and end_date < start_date:
            errors.append(_("The term cannot end before it starts."))
        if start_date and start_date > today + datetime.timedelta(days=366):
            errors.append(_("The start of the term is more than a year ahead."))
        consent = date_value(row, "consent_date", _label("consent_date"), errors, ctx)
        if consent and consent > today:
            errors.append(_("The date of consent is in the future."))
        birth = date_value(row, "birth_date", _label("birth_date"), errors)
        iin = _row_iin(row, errors)
        if iin is not None:
            if birth is not None and birth != iin.birth_date:
                errors.append(
                    _(
                        "The date of birth (%(birth)s) differs from the one in the IIN "
                        "(%(iin)s): check both."
                    )
                    % {
                        "birth": birth.strftime("%d.%m.%Y"),
                        "iin": iin.birth_date.strftime("%d.%m.%Y"),
                    }
                )
            birth = iin.birth_date
        if birth is not None:
            if birth > today:
                errors.append(_("The date of birth is in the future."))
            elif start_date is not None and start_date < birth:
                errors.append(_("The term starts before the person was born."))
        if body is not None:
            if not _may_manage(ctx, body):
                errors.append(_("You may not change the members of this body."))
            elif body.status != Organisation.Status.ACTIVE:
                errors.append(_("A closed body cannot receive new members."))
        identity = (
            iin.digest
            if iin is not None
            else "name:" + cleaning.match_key(full_name) + (birth.isoformat() if birth else "")
        )
        if iin is not None:
            earlier = ctx.seen.get(("iin", iin.digest))
            if earlier is not None and earlier[0] != (
                cleaning.match_key(last),
                cleaning.match_key(first),
            ):
                errors.append(
                    _("The same IIN is given for another person in row %(line)s.")
                    % {"line": earlier[1]}
                )
            ctx.seen.setdefault(
                ("iin", iin.digest), ((cleaning.match_key(last), cleaning.match_key(first)), line)
            )
        if errors or role is None or start_date is None or body is None:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        term_key = ("term", identity, body.pk, role, start_date)
        if term_key in ctx.seen:
            plans.append(repeated(line, label, ctx.seen[term_key]))
            continue
        ctx.seen[term_key] = line
        person: Person | None = None
        if iin is not None:
            holder = holders.get(iin.digest)
            if holder is not None:
                if services.names_agree(holder, last_name=last, first_name=first):
                    person = holder
                    notes.append(_("A person with this IIN is already registered."))
                else:
                    errors.append(str(services.IIN_NAME_MISMATCH))
        else:
            same = namesakes.get((cleaning.match_key(last), cleaning.match_key(first)), [])
            same = [
                p
                for p in same
                if not patronymic
                or not p.patronymic
                or cleaning.match_key(p.patronymic) == cleaning.match_key(patronymic)
            ]
            if birth is not None:
                matches = [p for p in same if p.birth_date == birth]
                if matches:
                    person = matches[0]
                    notes.append(_("Already registered: matched by name and date of birth."))
            else:
                in_body = [
                    p
                    for p in same
                    if terms.get((p.pk, body.pk, role))
                    or any(key[0] == p.pk and key[1] == body.pk for key in terms)
                ]
                repeat = [
                    p
                    for p in in_body
                    if any(t.start_date == start_date for t in terms.get((p.pk, body.pk, role), []))
                ]
                if repeat:
                    person = repeat[0]
                elif in_body:
                    errors.append(
                        _(
                            "A member with this name is already registered in this body: add "
                            "the IIN or the date of birth to tell them apart."
                        )
                    )
        existing: Membership | None = None
        if person is not None and not errors:
            person_terms = terms.get((person.pk, body.pk, role), [])
            existing = next((t for t in person_terms if t.start_date == start_date), None)
            overlapping = [
                t
                for t in person_terms
                if t is not existing
                and (t.end_date is None or t.end_date >= start_date)
                and (end_date is None or t.start_date <= end_date)
            ]
            if existing is None and overlapping:
                errors.append(
                    _("This person already holds this role in this body for these dates.")
                )
        same_new = iin is not None and person is None and iin.digest in new_iins
        if person is None and not errors and consent is None and not same_new:
            errors.append(
                _(
                    "Give the date of the person's consent to the processing of personal data "
                    "(a column, or one date for all rows) to register a new person."
                )
            )
        if errors:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        if same_new:
            notes.append(_("The same person as in an earlier row."))
        elif person is None:
            notes.append(_("A new person will be registered."))
            if iin is not None:
                new_iins.add(iin.digest)
        person_data: dict[str, Any] = {
            "last_name": last,
            "first_name": first,
            "patronymic": patronymic,
            "phone": row.get("phone", ""),
            "email": row.get("email", ""),
        }
        if iin is None and birth is not None:
            person_data["birth_date"] = birth
        item = services.MemberImportRow(
            line=line,
            organisation=body,
            person_data=person_data,
            role=role,
            position=row.get("position", ""),
            start_date=start_date,
            end_date=end_date,
            iin=iin,
            consent_given_on=consent,
            person=person if iin is None else None,
        )
        if existing is not None:
            if end_date is not None and existing.end_date != end_date:
                notes.append(
                    _("The term will end on %(date)s.") % {"date": end_date.strftime("%d.%m.%Y")}
                )
                plans.append(RowPlan(line=line, status=CHANGE, label=label, notes=notes, item=item))
            else:
                plans.append(RowPlan(line=line, status=UNCHANGED, label=label, notes=notes))
            continue
        plans.append(RowPlan(line=line, status=CREATE, label=label, notes=notes, item=item))
    return plans


def apply(ctx: Context, items: list[Any]) -> services.ImportSummary:
    return services.members_import(actor=ctx.user, under=ctx.under, rows=items)


def missing(mapped: set[str], defaults: dict[str, str]) -> list[Any]:
    absent = []
    if "full_name" not in mapped and not {"last_name", "first_name"} <= mapped:
        absent.append(_label("full_name"))
    return absent
