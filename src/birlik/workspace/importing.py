"""Spreadsheets in and out: reading XLSX/CSV files, the dry run of an import, exports.

An import is read into plain rows, checked row by row against the same rules as the services
(nothing is written), kept in a file under ``DATA_DIR/imports`` tied to the user, and applied
on confirmation in one transaction by ``registry.services``, after checking the rows again.
IINs never reach that file: on upload each is checked, looked up once (counted and audited,
``services.iin_lookups``) and replaced by what the registry keeps of it (``IinKey``).
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birlik.access import policies
from birlik.core import spreadsheets
from birlik.core.errors import DomainError
from birlik.core.spreadsheets import (  # noqa: F401 - re-exported for the workspace views
    MAX_ROWS,
    ImportFileError,
    Table,
    read_rows,
)
from birlik.core.text import fold
from birlik.geo.models import District, Region
from birlik.registry import services
from birlik.registry.iin import iin_error, validate_iin
from birlik.registry.models import Membership, Organisation, OrganisationKind, Person

BODIES = "bodies"
MEMBERS = "members"
KINDS = {
    BODIES: gettext_lazy("Bodies"),
    MEMBERS: gettext_lazy("Members"),
}

BODY_COLUMNS = [
    "id",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent_id",
    "region",
    "district",
    "address",
    "phone",
    "email",
    "website",
    "founded_on",
    "status",
]
BODY_REQUIRED = ["kind", "name_kk", "name_ru", "name_en", "region"]
MEMBER_EXPORT_COLUMNS = [
    "last_name",
    "first_name",
    "patronymic",
    "role",
    "position",
    "start_date",
    "end_date",
    "body_id",
    "phone",
    "email",
]
MEMBER_COLUMNS = [*MEMBER_EXPORT_COLUMNS[:3], "iin", *MEMBER_EXPORT_COLUMNS[3:], "consent_date"]
MEMBER_REQUIRED = ["last_name", "first_name", "role", "start_date"]
COLUMNS = {BODIES: BODY_COLUMNS, MEMBERS: MEMBER_COLUMNS}
REQUIRED = {BODIES: BODY_REQUIRED, MEMBERS: MEMBER_REQUIRED}

EXPORT_XLSX_MAX_ROWS = 100_000
STORE_TTL_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


# --- Reading files: ``birlik.core.spreadsheets`` (shared with the events and plan imports) ----


def read_table(data: bytes, *, import_kind: str) -> Table:
    """The header and non-empty rows of the first sheet, checked for the expected columns."""
    return read_rows(data, columns=COLUMNS[import_kind], required=REQUIRED[import_kind])


# --- Keeping the file between the dry run and the confirmation ------------------------------


def _store_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


STORE_VERSION = 2
# What a stored members row keeps of its IIN instead of the number (see ``protect_iins``).
IIN_FIELDS = ("iin_digest", "iin_last4", "iin_birth_date", "iin_sex", "iin_error", "iin_refused")


def sweep_expired() -> int:
    """Delete the dry-run files older than a day (at each upload and by the daily job)."""
    directory = _store_dir()
    cutoff = time.time() - STORE_TTL_SECONDS
    removed = 0
    for old in directory.glob("*.json"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:  # swept by another process at the same moment
            continue
    return removed


def store(*, user_id: int, import_kind: str, under_id: int, filename: str, table: Table) -> str:
    """Keep the parsed rows under a random name; old ones are swept on the way. A raw IIN is
    never written: members rows must have gone through ``protect_iins``."""
    directory = _store_dir()
    sweep_expired()
    token = secrets.token_urlsafe(24)
    payload = {
        "version": STORE_VERSION,
        "user": user_id,
        "kind": import_kind,
        "under": under_id,
        "filename": filename[:200],
        "ignored": table.ignored,
        "rows": [(line, {k: v for k, v in row.items() if k != "iin"}) for line, row in table.rows],
    }
    path = directory / f"{token}.json"
    # Created with its final mode: the rows are personal data from the first byte.
    with open(
        os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8"
    ) as out:
        json.dump(payload, out, ensure_ascii=False)
    return token


def load(token: str, *, user_id: int) -> dict[str, Any] | None:
    """The stored import if it exists, is fresh and belongs to this user."""
    if not _TOKEN.match(token or ""):
        return None
    path = _store_dir() / f"{token}.json"
    try:
        if path.stat().st_mtime < time.time() - STORE_TTL_SECONDS:
            return None
        payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("user") != user_id or payload.get("version") != STORE_VERSION:
        return None
    return payload


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        (_store_dir() / f"{token}.json").unlink(missing_ok=True)


def _clean_iin(value: str) -> str:
    value = value.strip().replace(" ", "")
    if value.isdigit() and len(value) == 11:
        # Excel drops the leading zero of IINs of people born in 2000–2009.
        value = value.zfill(12)
    return value


def protect_iins(*, user: Any, under: Organisation, table: Table) -> Table:
    """Replace each row's IIN by its key (or the code of what is wrong with it), looking the
    file's IINs up once for ``user``: counted, audited, and refused beyond the hourly limit."""
    keys: dict[int, services.IinKey] = {}
    rows: list[tuple[int, dict[str, str]]] = []
    for index, (line, row) in enumerate(table.rows):
        kept = {k: v for k, v in row.items() if k != "iin" and k not in IIN_FIELDS}
        value = _clean_iin(row.get("iin", ""))
        if value:
            try:
                validate_iin(value)
            except ValidationError as error:
                kept["iin_error"] = str(error.code or "iin_length")
            else:
                keys[index] = services.iin_key(value)
        rows.append((line, kept))
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
    return Table(header=table.header, rows=rows, ignored=table.ignored)


# --- The dry run ----------------------------------------------------------------------------

CREATE = "create"
CHANGE = "change"
UNCHANGED = "unchanged"
REJECT = "reject"


@dataclass
class RowPlan:
    line: int
    status: str
    label: str
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    item: Any = None

    @property
    def css(self) -> str:
        return {
            CREATE: "row-created",
            CHANGE: "row-changed",
            REJECT: "row-rejected",
        }.get(self.status, "")


@dataclass
class Plan:
    import_kind: str
    rows: list[RowPlan]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def changed(self) -> int:
        return self.count(CHANGE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def rejected(self) -> int:
        return self.count(REJECT)

    @property
    def items(self) -> list[Any]:
        return [row.item for row in self.rows if row.status in {CREATE, CHANGE}]


def parse_date(value: str) -> datetime.date:
    """ISO dates from XLSX cells and typed dates as 2024-03-01, 01.03.2024 or 01/03/2024."""
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(value)


def _date_or_error(row: dict[str, str], column: str, errors: list[str]) -> datetime.date | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        errors.append(
            _("Column %(column)s: “%(value)s” is not a date; write it as 2024-03-01.")
            % {"column": column, "value": value[:40]}
        )
        return None


def _int_or_error(row: dict[str, str], column: str, errors: list[str]) -> int | None:
    value = row.get(column, "")
    if not value:
        return None
    if not value.isdigit():
        errors.append(
            _("Column %(column)s: “%(value)s” is not a body number.")
            % {"column": column, "value": value[:40]}
        )
        return None
    return int(value)


def _length(row: dict[str, str], column: str, limit: int, errors: list[str]) -> None:
    if len(row.get(column, "")) > limit:
        errors.append(
            _("Column %(column)s: at most %(limit)s characters.")
            % {"column": column, "limit": limit}
        )


def _contacts(row: dict[str, str], errors: list[str], *, website: bool) -> None:
    _length(row, "phone", 40, errors)
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(
                _("Column email: “%(value)s” is not an e-mail address.")
                % {"value": row["email"][:60]}
            )
    if website and row.get("website"):
        try:
            URLValidator()(row["website"])
        except ValidationError:
            errors.append(
                _("Column website: “%(value)s” is not a web address (start it with https://).")
                % {"value": row["website"][:60]}
            )


def _scoped_under(user: Any, under: Organisation, ids: set[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    bodies = policies.scoped(Organisation.objects.filter(pk__in=ids), user).filter(
        path__startswith=under.path
    )
    return {b.pk: b for b in bodies.select_related("kind", "region", "district")}


def _parent_path(body: Organisation) -> str:
    return str(body.path)[: -Organisation.steplen]


def plan_bodies(*, user: Any, under: Organisation, rows: list[tuple[int, dict[str, str]]]) -> Plan:
    """What importing these rows of bodies would do, row by row; nothing is written."""
    kinds = {k.code: k for k in OrganisationKind.objects.all()}
    regions: dict[str, Region] = {}
    for known_region in Region.objects.all():
        regions[known_region.iso.upper()] = known_region
        regions[known_region.kato] = known_region
    district_codes = {row.get("district", "") for _line, row in rows} - {""}
    districts = {d.kato: d for d in District.objects.filter(kato__in=district_codes)}
    ids: set[int] = set()
    for _line, row in rows:
        for column in ("id", "parent_id"):
            if row.get(column, "").isdigit():
                ids.add(int(row[column]))
    known = _scoped_under(user, under, ids | {under.pk})
    known[under.pk] = under
    parents_by_path = {
        b.path: b
        for b in Organisation.objects.filter(
            path__in={_parent_path(b) for b in known.values() if b.depth > 1}
        ).select_related("kind")
    }
    seen_ids: dict[int, int] = {}
    seen_new: dict[tuple[int, int, str], int] = {}
    plans: list[RowPlan] = []
    for line, row in rows:
        errors: list[str] = []
        notes: list[str] = []
        label = row.get("name_kk") or row.get("name_ru") or row.get("name_en") or "—"
        body_id = _int_or_error(row, "id", errors)
        parent_id = _int_or_error(row, "parent_id", errors)
        existing = None
        if body_id is not None:
            existing = known.get(body_id)
            if existing is None:
                errors.append(
                    _("There is no body number %(id)s under the body chosen for the import.")
                    % {"id": body_id}
                )
            elif body_id in seen_ids:
                errors.append(
                    _("This body appears twice in the file (row %(line)s).")
                    % {"line": seen_ids[body_id]}
                )
            else:
                seen_ids[body_id] = line
        kind = kinds.get(row.get("kind", "").strip().lower())
        if kind is None:
            errors.append(
                _("Unknown kind of body “%(value)s”: use a code from the template.")
                % {"value": row.get("kind", "")[:60]}
            )
        parent: Organisation | None = None
        if existing is not None:
            parent = parents_by_path.get(_parent_path(existing)) if existing.depth > 1 else None
            if parent_id is not None and (parent is None or parent.pk != parent_id):
                errors.append(_("An import cannot move a body to another parent body."))
            if kind is not None and kind.pk != existing.kind_id:
                errors.append(_("The kind of an existing body cannot be changed."))
        elif parent_id is not None:
            parent = known.get(parent_id)
            if parent is None:
                errors.append(
                    _("There is no body number %(id)s under the body chosen for the import.")
                    % {"id": parent_id}
                )
        else:
            parent = under
        region: Region | None = None
        region_code = row.get("region", "").strip().upper()
        if region_code:
            region = regions.get(region_code)
            if region is None:
                errors.append(
                    _("Unknown region “%(value)s”: use an ISO code such as KZ-55.")
                    % {"value": row.get("region", "")[:20]}
                )
        elif existing is not None:
            region = existing.region
        district: District | None = None
        district_code = row.get("district", "").strip()
        if district_code:
            district = districts.get(district_code)
            if district is None:
                errors.append(
                    _("Unknown district “%(value)s”: use its KATO code.")
                    % {"value": district_code[:20]}
                )
        elif existing is not None:
            district = existing.district
        for column in ("name_kk", "name_ru", "name_en", "address"):
            _length(row, column, 300, errors)
        _contacts(row, errors, website=True)
        founded_on = _date_or_error(row, "founded_on", errors)
        status = row.get("status", "").strip().lower()
        current_status = existing.status if existing is not None else Organisation.Status.ACTIVE
        if status and status != current_status:
            errors.append(_("Bodies are closed on their page in the workspace, not by import."))
        if existing is None and not (
            row.get("name_kk") or row.get("name_ru") or row.get("name_en")
        ):
            errors.append(_("Give the name of the body."))
        data: dict[str, Any] = {}
        for column in ("name_kk", "name_ru", "name_en", "phone", "email", "website"):
            if row.get(column):
                data[column] = row[column]
        if row.get("address"):
            data["address_kk"] = row["address"]
        if region_code:
            data["region"] = region
        if district_code:
            data["district"] = district
        if founded_on is not None:
            data["founded_on"] = founded_on
        if kind is not None and not errors:
            if existing is None and parent is not None:
                if not policies.can(user, "registry.add_organisation", parent):
                    errors.append(
                        _("You may not add bodies under “%(parent)s”.") % {"parent": parent.name}
                    )
            elif existing is not None and not policies.can(
                user, "registry.change_organisation", existing
            ):
                errors.append(_("You may not change this body."))
        if kind is not None and not errors:
            try:
                services.organisation_check_placement(
                    kind=kind, parent=parent, region=region, district=district
                )
            except DomainError as error:
                if existing is None or error.field in {"region", "district"}:
                    errors.append(str(error.message))
        if existing is None and kind is not None and parent is not None and not errors:
            key = (parent.pk, kind.pk, fold(label))
            if key in seen_new:
                errors.append(
                    _("This body appears twice in the file (row %(line)s).")
                    % {"line": seen_new[key]}
                )
            else:
                seen_new[key] = line
                twin = (
                    Organisation.objects.filter(
                        path__startswith=parent.path, depth=parent.depth + 1, kind=kind
                    )
                    .filter(Q(name_kk=label) | Q(name_ru=label) | Q(name_en=label) | Q(name=label))
                    .first()
                )
                if twin is not None:
                    errors.append(
                        _(
                            "A body of this kind with this name is already registered here "
                            "(number %(id)s): put its number in the id column to change it."
                        )
                        % {"id": twin.pk}
                    )
        if errors or kind is None or (existing is None and parent is None):
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        if existing is None:
            assert parent is not None  # noqa: S101 - for the type checker, checked just above
            item = services.BodyImportRow(line=line, kind=kind, parent=parent, data=data)
            plans.append(RowPlan(line=line, status=CREATE, label=label, item=item))
            continue
        changes = _body_changes(existing, data)
        if not changes:
            plans.append(RowPlan(line=line, status=UNCHANGED, label=label))
            continue
        notes = [_("Changes: %(fields)s") % {"fields": ", ".join(changes)}]
        item = services.BodyImportRow(
            line=line,
            kind=kind,
            parent=parent or existing,
            data=data,
            organisation=existing,
        )
        plans.append(RowPlan(line=line, status=CHANGE, label=label, notes=notes, item=item))
    return Plan(import_kind=BODIES, rows=plans)


def _body_changes(existing: Organisation, data: dict[str, Any]) -> list[str]:
    changed = []
    for column, value in data.items():
        current = getattr(existing, column)
        if column in {"region", "district"}:
            if (current.pk if current else None) != (value.pk if value else None):
                changed.append(column)
        elif (current or "") != value:
            changed.append(column)
    return changed


def _role_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for code, _label in Membership.Role.choices:
        codes[code] = code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Membership.Role.choices:
                codes.setdefault(str(label).strip().lower(), code)
    return codes


def _row_iin(row: dict[str, str], errors: list[str]) -> services.IinKey | None:
    """The key a stored row keeps of its IIN (``protect_iins``), or None with the reason."""
    if row.get("iin_error"):
        errors.append(_("IIN: %(message)s") % {"message": iin_error(row["iin_error"])})
        return None
    if row.get("iin_refused") or (row.get("iin") and not row.get("iin_digest")):
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


def plan_members(*, user: Any, under: Organisation, rows: list[tuple[int, dict[str, str]]]) -> Plan:
    """What importing these rows of members would do, row by row; nothing is written."""
    ids = {int(row["body_id"]) for _line, row in rows if row.get("body_id", "").isdigit()}
    known = _scoped_under(user, under, ids)
    known[under.pk] = under
    roles = _role_codes()
    seen_terms: dict[tuple[str, int, str, datetime.date], int] = {}
    seen_iins: dict[str, tuple[str, int]] = {}
    new_iins: set[str] = set()
    plans: list[RowPlan] = []
    for line, row in rows:
        errors: list[str] = []
        notes: list[str] = []
        names = [row.get(c, "").strip() for c in ("last_name", "first_name", "patronymic")]
        full_name = " ".join(n for n in names if n) or "—"
        body_id = _int_or_error(row, "body_id", errors)
        body: Organisation | None = under if body_id is None else known.get(body_id)
        if body_id is not None and body is None:
            errors.append(
                _("There is no body number %(id)s under the body chosen for the import.")
                % {"id": body_id}
            )
        label = full_name if body is None else f"{full_name} — {body.name}"
        if not names[0]:
            errors.append(_("Give the last name."))
        if not names[1]:
            errors.append(_("Give the first name."))
        for column in ("last_name", "first_name", "patronymic"):
            _length(row, column, 100, errors)
        _length(row, "position", 200, errors)
        _contacts(row, errors, website=False)
        role = roles.get(row.get("role", "").strip().lower())
        if role is None:
            errors.append(
                _("Unknown role “%(value)s”: use a code from the template, such as member.")
                % {"value": row.get("role", "")[:40]}
            )
        start_date = _date_or_error(row, "start_date", errors)
        if start_date is None and not row.get("start_date"):
            errors.append(_("Give the start of the term."))
        end_date = _date_or_error(row, "end_date", errors)
        if start_date and end_date and end_date < start_date:
            errors.append(_("The term cannot end before it starts."))
        consent = _date_or_error(row, "consent_date", errors)
        iin = _row_iin(row, errors)
        digest = ""
        if iin is not None:
            digest = iin.digest
            earlier = seen_iins.get(digest)
            if earlier is not None and fold(earlier[0]) != fold(full_name):
                errors.append(
                    _("The same IIN is given for another person in row %(line)s.")
                    % {"line": earlier[1]}
                )
            seen_iins.setdefault(digest, (full_name, line))
        if body is not None:
            if not policies.can(user, "registry.manage_membership", body):
                errors.append(_("You may not change the members of this body."))
            elif body.status != Organisation.Status.ACTIVE:
                errors.append(_("A closed body cannot receive new members."))
        if errors or role is None or start_date is None or body is None:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        identity = digest or fold(full_name)
        key = (identity, body.pk, role, start_date)
        if key in seen_terms:
            plans.append(
                RowPlan(
                    line=line,
                    status=REJECT,
                    label=label,
                    errors=[
                        _("This term appears twice in the file (row %(line)s).")
                        % {"line": seen_terms[key]}
                    ],
                )
            )
            continue
        seen_terms[key] = line
        person: Person | None = None
        match = services.IinMatch.NONE
        if iin is not None:
            # Linked only when the name agrees; what is said reveals no one's name or body.
            match, person = services.iin_holder(key=iin, last_name=names[0], first_name=names[1])
            if match is services.IinMatch.OTHER:
                errors.append(str(services.IIN_NAME_MISMATCH))
            elif match is services.IinMatch.SAME:
                notes.append(_("A person with this IIN is already registered."))
        else:
            person = (
                Person.objects.filter(
                    memberships__organisation=body,
                    last_name=names[0],
                    first_name=names[1],
                    patronymic=names[2],
                )
                .distinct()
                .first()
            )
            if person is not None:
                notes.append(_("Already a member of this body: matched by name."))
        existing: Membership | None = None
        if person is not None:
            terms = Membership.objects.filter(person=person, organisation=body, role=role)
            existing = next((t for t in terms if t.start_date == start_date), None)
            overlapping = [
                t
                for t in terms
                if t is not existing
                and (t.end_date is None or t.end_date >= start_date)
                and (end_date is None or t.start_date <= end_date)
            ]
            if existing is None and overlapping:
                errors.append(
                    _("This person already holds this role in this body for these dates.")
                )
        if (
            person is None
            and match is not services.IinMatch.OTHER
            and consent is None
            and not (iin is not None and digest in new_iins)
        ):
            errors.append(
                _(
                    "Give the date of the person's consent to the processing of personal data "
                    "(column consent_date) to register a new person."
                )
            )
        if errors:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        if person is None and iin is not None and digest in new_iins:
            notes.append(_("The same person as in an earlier row."))
        elif person is None:
            notes.append(_("A new person will be registered."))
            if iin is not None:
                new_iins.add(digest)
        item = services.MemberImportRow(
            line=line,
            organisation=body,
            person_data={
                "last_name": names[0],
                "first_name": names[1],
                "patronymic": names[2],
                "phone": row.get("phone", ""),
                "email": row.get("email", ""),
            },
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
                notes.append(_("The term will end on %(date)s.") % {"date": end_date.isoformat()})
                plans.append(RowPlan(line=line, status=CHANGE, label=label, notes=notes, item=item))
            else:
                plans.append(RowPlan(line=line, status=UNCHANGED, label=label, notes=notes))
            continue
        plans.append(RowPlan(line=line, status=CREATE, label=label, notes=notes, item=item))
    return Plan(import_kind=MEMBERS, rows=plans)


def plan(*, user: Any, under: Organisation, import_kind: str, rows: list[Any]) -> Plan:
    checked = [(int(line), {str(k): str(v) for k, v in row.items()}) for line, row in rows]
    if import_kind == BODIES:
        return plan_bodies(user=user, under=under, rows=checked)
    return plan_members(user=user, under=under, rows=checked)


def apply(*, user: Any, under: Organisation, result: Plan) -> services.ImportSummary:
    """Write the rows in one transaction; a broken row rolls everything back."""
    if result.import_kind == BODIES:
        return services.organisations_import(actor=user, under=under, rows=result.items)
    return services.members_import(actor=user, under=under, rows=result.items)


# --- Writing spreadsheets -------------------------------------------------------------------


def body_row(body: Organisation) -> list[Any]:
    return [
        body.pk,
        body.kind.code,
        body.name_kk or "",
        body.name_ru or "",
        body.name_en or "",
        getattr(body, "parent_pk", None) or "",
        body.region.iso if body.region else "",
        body.district.kato if body.district else "",
        body.address_kk or "",
        body.phone,
        body.email,
        body.website,
        body.founded_on.isoformat() if body.founded_on else "",
        body.status,
    ]


def member_row(membership: Membership) -> list[Any]:
    person = membership.person
    return [
        person.last_name,
        person.first_name,
        person.patronymic,
        membership.role,
        membership.position,
        membership.start_date.isoformat(),
        membership.end_date.isoformat() if membership.end_date else "",
        membership.organisation_id,
        person.phone,
        person.email,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV for Excel: UTF-8 with a BOM so Cyrillic opens correctly, cells guarded."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(spreadsheets.safe_row(row))


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    return spreadsheets.xlsx_bytes(header, rows, title=title)
