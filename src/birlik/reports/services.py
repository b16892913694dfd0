"""Every write of plans and targets: one transaction each, with its audit row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.core import kpi
from birlik.events.models import Programme
from birlik.geo.models import Region
from birlik.registry.models import OrganisationKind

from .errors import PlanError
from .models import Plan, Target

MAX_VALUE = Decimal("999999999999.9")


@dataclass(frozen=True)
class TargetInput:
    indicator: str
    region: Region | None
    kind: OrganisationKind | None
    value: Decimal
    programme: Programme | None = None  # (programmes): a target of one programme


def _check_year(year: int) -> None:
    today = timezone.localdate()
    if not 2000 <= year <= today.year + 5:
        raise PlanError(
            _("Give a year between 2000 and %(last)s.") % {"last": today.year + 5}, field="year"
        )


def _check_draft(plan: Plan) -> None:
    if plan.is_approved:
        raise PlanError(_("This plan is approved; its targets can no longer be changed."))


def _check_target(item: TargetInput) -> None:
    known = {indicator.key: indicator for indicator in kpi.indicators()}
    if item.indicator not in known:
        raise PlanError(_("There is no indicator “%(key)s”.") % {"key": item.indicator})
    if item.kind is not None and "kind" not in known[item.indicator].dimensions:
        raise PlanError(
            _("The indicator “%(key)s” is not counted by kind of body; leave the kind empty.")
            % {"key": item.indicator}
        )
    if item.programme is not None and "programme" not in known[item.indicator].dimensions:
        raise PlanError(
            _("The indicator “%(key)s” is not counted by programme; leave the programme empty.")
            % {"key": item.indicator}
        )
    if item.value < 0 or item.value > MAX_VALUE:
        raise PlanError(_("A target is a number from 0 up to 999 999 999 999."))


@transaction.atomic
def plan_create(*, year: int, title: str, user: User) -> Plan:
    """One national plan per year, created as a draft."""
    _check_year(year)
    if Plan.objects.filter(year=year).exists():
        raise PlanError(_("There is already a plan for %(year)s.") % {"year": year}, field="year")
    plan = Plan.objects.create(year=year, title=title.strip(), created_by=user)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        obj=plan,
        changes={"year": year, "title": title},
    )
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, title: str, user: User) -> Plan:
    """The title of a draft plan may change; an approved plan stays as approved."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_draft(plan)
    plan.title = title.strip()
    plan.updated_at = timezone.now()
    plan.save(update_fields=["title", "updated_at"])
    audit_record(
        actor=user, action=AuditEntry.Action.UPDATE, obj=plan, changes={"title": plan.title}
    )
    return plan


@transaction.atomic
def plan_approve(*, plan: Plan, user: User) -> Plan:
    """A draft plan with at least one target is approved once; its targets are then fixed."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_draft(plan)
    if not plan.targets.exists():
        raise PlanError(_("Add at least one target before approving the plan."))
    plan.status = Plan.Status.APPROVED
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.updated_at = plan.approved_at
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    audit_record(actor=user, action=AuditEntry.Action.UPDATE, obj=plan, note="approved")
    return plan


def _replace(plan: Plan, item: TargetInput) -> Target:
    Target.objects.filter(
        plan=plan,
        indicator=item.indicator,
        region=item.region,
        kind=item.kind,
        programme=item.programme,
    ).delete()
    return Target.objects.create(
        plan=plan,
        indicator=item.indicator,
        region=item.region,
        kind=item.kind,
        programme=item.programme,
        value=item.value,
    )


@transaction.atomic
def target_set(*, plan: Plan, target: TargetInput, user: User) -> Target:
    """Set (or replace) the target of an indicator for a region, kind and programme in a draft
    plan."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_draft(plan)
    _check_target(target)
    row = _replace(plan, target)
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        obj=plan,
        changes={
            "target": target.indicator,
            "region": target.region.iso if target.region else "",
            "kind": target.kind.code if target.kind else "",
            "programme": target.programme.code if target.programme else "",
            "value": str(target.value),
        },
    )
    return row


@transaction.atomic
def target_delete(*, target: Target, user: User) -> None:
    """Remove a target from a draft plan."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=target.plan_id)
    _check_draft(plan)
    audit_record(
        actor=user, action=AuditEntry.Action.UPDATE, obj=plan, changes={"removed": str(target)}
    )
    target.delete()


@transaction.atomic
def targets_import(*, plan: Plan, targets: list[TargetInput], user: User) -> int:
    """Replace every target of a draft plan by the imported ones (all or nothing)."""
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    _check_draft(plan)
    seen: set[tuple[str, int | None, int | None, int | None]] = set()
    for item in targets:
        _check_target(item)
        key = (
            item.indicator,
            item.region.pk if item.region else None,
            item.kind.pk if item.kind else None,
            item.programme.pk if item.programme else None,
        )
        if key in seen:
            raise PlanError(
                _("The target of “%(key)s” is given twice for the same region and kind.")
                % {"key": item.indicator}
            )
        seen.add(key)
    plan.targets.all().delete()
    Target.objects.bulk_create(
        Target(
            plan=plan,
            indicator=t.indicator,
            region=t.region,
            kind=t.kind,
            programme=t.programme,
            value=t.value,
        )
        for t in targets
    )
    plan.updated_at = timezone.now()
    plan.save(update_fields=["updated_at"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.IMPORT,
        obj=plan,
        changes={"imported_targets": len(targets)},
    )
    return len(targets)


def plan_period(plan: Plan) -> kpi.Period:
    return kpi.Period(datetime.date(plan.year, 1, 1), datetime.date(plan.year, 12, 31))
