"""Bodies: created under the body imported into (or a parent named in the row), or changed
when the row gives a Birlik number; places, kinds and ethnic groups by their names."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.core import cleaning
from birlik.core.errors import DomainError
from birlik.geo.models import District, Region
from birlik.geo.names import PlaceIndex
from birlik.registry import services
from birlik.registry.lookup import BodyIndex, EthnicGroupIndex, KindIndex
from birlik.registry.models import Organisation, OrganisationKind

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
)

_KAZAKH = re.compile(r"[әғқңөұүһі]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
STATUSES = {
    "active": Organisation.Status.ACTIVE,
    "действует": Organisation.Status.ACTIVE,
    "действующая": Organisation.Status.ACTIVE,
    "жұмыс істейді": Organisation.Status.ACTIVE,
    "белсенді": Organisation.Status.ACTIVE,
}


def _label(key: str) -> Any:
    return catalogue.field(catalogue.BODIES, key).label


def _names(
    row: dict[str, str], notes: list[str], existing: Organisation | None = None
) -> dict[str, str]:
    """name_kk/ru/en: as given; a single name column goes to the language it is written in and
    stands for the others until they are translated. An existing body keeps its name in a
    language the row leaves empty."""
    names = {lang: row.get(f"name_{lang}", "") for lang in ("kk", "ru", "en")}
    single = row.get("name", "")
    if single:
        lang = "kk" if _KAZAKH.search(single) else "ru" if _CYRILLIC.search(single) else "en"
        names[lang] = names[lang] or single
    if existing is not None:
        for lang in names:
            names[lang] = names[lang] or getattr(existing, f"name_{lang}", None) or ""
    filled = [v for v in names.values() if v]
    if filled and not all(names.values()):
        first = names["kk"] or names["ru"] or names["en"]
        for lang in names:
            names[lang] = names[lang] or first
        notes.append(_("The name is used in every language until it is translated."))
    return names


def _parent_path(body: Organisation) -> str:
    return str(body.path)[: -Organisation.steplen]


def plan(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    user, under = ctx.user, ctx.under
    places: PlaceIndex = ctx.once("places", PlaceIndex)
    kinds: KindIndex = ctx.once("kinds", KindIndex)
    groups: EthnicGroupIndex = ctx.once("ethnic_groups", EthnicGroupIndex)
    index: BodyIndex = ctx.once("body_index", lambda: BodyIndex(user=user, under=under))
    ids: set[int] = set()
    for _line, row in rows:
        for column in ("id", "parent_id"):
            if row.get(column, "").isdigit():
                ids.add(int(row[column]))
    known = {
        b.pk: b
        for b in policies.scoped(Organisation.objects.filter(pk__in=ids), user)
        .filter(path__startswith=under.path)
        .select_related("kind", "region", "district")
    }
    known[under.pk] = under
    parents_by_path = {
        b.path: b
        for b in Organisation.objects.filter(
            path__in={_parent_path(b) for b in known.values() if b.depth > 1}
        ).select_related("kind")
    }
    plans: list[RowPlan] = []
    for line, row in rows:
        errors: list[str] = []
        notes: list[str] = []
        existing: Organisation | None = None
        body_id = row.get("id", "")
        if body_id:
            if not body_id.isdigit():
                errors.append(
                    _("%(column)s: “%(value)s” is not a Birlik number.")
                    % {"column": _label("id"), "value": body_id[:20]}
                )
            else:
                existing = known.get(int(body_id))
                if existing is None:
                    errors.append(
                        _("There is no body number %(id)s under the body chosen for the import.")
                        % {"id": body_id}
                    )
                elif ("id", existing.pk) in ctx.seen:
                    errors.append(
                        _("This row repeats row %(line)s of the file.")
                        % {"line": ctx.seen[("id", existing.pk)]}
                    )
                else:
                    ctx.seen[("id", existing.pk)] = line
        names = _names(row, notes, existing)
        label = names["kk"] or names["ru"] or names["en"] or "—"
        for lang, value in names.items():
            name_checks(value, _label(f"name_{lang}"), errors, notes)
            if len(value) > 300:
                errors.append(
                    _("%(column)s: at most %(limit)s characters.")
                    % {"column": _label(f"name_{lang}"), "limit": 300}
                )
        if not label or label == "—":
            errors.append(_("Give the name of the body."))
        kind_text = ctx.value(row, "kind")
        kind: OrganisationKind | None = None
        if kind_text:
            found_kind = kinds.find(kind_text)
            kind = found_kind.value
            if found_kind.error:
                errors.append(found_kind.error)
        elif existing is not None:
            kind = existing.kind
        else:
            errors.append(_("Give the kind of body (a column, or one kind for all rows)."))
        parent: Organisation | None = None
        if existing is not None:
            parent = parents_by_path.get(_parent_path(existing)) if existing.depth > 1 else None
            parent_id = row.get("parent_id", "")
            if parent_id.isdigit() and (parent is None or parent.pk != int(parent_id)):
                errors.append(_("An import cannot move a body to another parent body."))
            if kind is not None and kind.pk != existing.kind_id:
                errors.append(_("The kind of an existing body cannot be changed."))
        elif row.get("parent_id"):
            if row["parent_id"].isdigit():
                parent = known.get(int(row["parent_id"]))
            if parent is None:
                errors.append(
                    _("There is no body number %(id)s under the body chosen for the import.")
                    % {"id": row["parent_id"][:20]}
                )
        elif ctx.value(row, "parent"):
            found_parent = index.find(ctx.value(row, "parent"))
            parent = found_parent.value
            if found_parent.error:
                errors.append(found_parent.error)
        else:
            parent = under
        region: Region | None = None
        region_text = ctx.value(row, "region")
        if region_text:
            found_region = places.region(region_text)
            region = found_region.value
            if found_region.error:
                errors.append(found_region.error)
            if found_region.warning:
                notes.append(found_region.warning)
        elif existing is not None:
            region = existing.region
        elif parent is not None:
            region = parent.region
        district: District | None = None
        district_text = ctx.value(row, "district")
        if district_text:
            found_district = places.district(district_text, region, region_text=region_text)
            district = found_district.value
            if found_district.error:
                errors.append(found_district.error)
            if found_district.warning:
                notes.append(found_district.warning)
            if district is not None and (region is None or district.region_id != region.pk):
                region = district.region
        elif existing is not None:
            district = existing.district
        groups_text = row.get("ethnic_groups", "")
        ethnic: list[Any] = []
        if groups_text:
            ethnic, group_errors = groups.find_many(groups_text)
            errors.extend(group_errors)
        for key, limit in (("address", 300), ("phone", 40), ("website", 200)):
            length(row, key, _label(key), limit, errors)
        contacts(row, errors, website=True)
        founded_on = date_value(row, "founded_on", _label("founded_on"), errors, year_ok=True)
        status = row.get("status", "").strip()
        known_status = {cleaning.match_key(s) for s in STATUSES} | set(Organisation.Status.values)
        if status and cleaning.match_key(status) not in known_status:
            notes.append(
                _("Status “%(value)s” is not read by the import.") % {"value": status[:40]}
            )
        data: dict[str, Any] = {
            "name_kk": names["kk"],
            "name_ru": names["ru"],
            "name_en": names["en"],
            "region": region,
            "district": district,
        }
        for key in ("phone", "email", "website"):
            if row.get(key):
                data[key] = row[key]
        if row.get("address"):
            data["address_kk"] = row["address"]
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
            new_key = ("new", parent.pk, kind.pk, cleaning.match_key(label))
            if new_key in ctx.seen:
                errors.append(
                    _("This row repeats row %(line)s of the file.") % {"line": ctx.seen[new_key]}
                )
            else:
                ctx.seen[new_key] = line
                twin = (
                    Organisation.objects.filter(path__startswith=under.path, kind=kind)
                    .filter(
                        Q(name_kk__in=set(names.values()))
                        | Q(name_ru__in=set(names.values()))
                        | Q(name_en__in=set(names.values()))
                    )
                    .first()
                )
                if twin is not None:
                    if twin.depth == parent.depth + 1 and str(twin.path).startswith(
                        str(parent.path)
                    ):
                        plans.append(
                            RowPlan(
                                line=line,
                                status=UNCHANGED,
                                label=label,
                                notes=[_("Already registered (number %(id)s).") % {"id": twin.pk}],
                            )
                        )
                        continue
                    errors.append(
                        _(
                            "A body of this kind with this name is already registered in your "
                            "tree (number %(id)s): put its number in the Birlik number column "
                            "to change it."
                        )
                        % {"id": twin.pk}
                    )
        if errors or kind is None or (existing is None and parent is None):
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors, notes=notes))
            continue
        assert kind is not None  # noqa: S101 - for the type checker
        if existing is None:
            assert parent is not None  # noqa: S101 - checked just above
            item = services.BodyImportRow(
                line=line, kind=kind, parent=parent, data=data, ethnic_groups=tuple(ethnic)
            )
            plans.append(RowPlan(line=line, status=CREATE, label=label, notes=notes, item=item))
            continue
        changes = _changes(existing, data)
        if not changes:
            plans.append(RowPlan(line=line, status=UNCHANGED, label=label, notes=notes))
            continue
        notes.append(_("Changes: %(fields)s") % {"fields": ", ".join(changes)})
        item = services.BodyImportRow(
            line=line, kind=kind, parent=parent or existing, data=data, organisation=existing
        )
        plans.append(RowPlan(line=line, status=CHANGE, label=label, notes=notes, item=item))
    return plans


def _changes(existing: Organisation, data: dict[str, Any]) -> list[str]:
    changed = []
    for column, value in data.items():
        current = getattr(existing, column)
        if column in {"region", "district"}:
            if (current.pk if current else None) != (value.pk if value else None):
                changed.append(column)
        elif (current or "") != value:
            changed.append(column)
    return changed


def apply(ctx: Context, items: list[Any]) -> services.ImportSummary:
    return services.organisations_import(actor=ctx.user, under=ctx.under, rows=items)


def missing(mapped: set[str], defaults: dict[str, str]) -> list[Any]:
    if not mapped & {"name", "name_kk", "name_ru", "name_en"}:
        return [_label("name")]
    return []
