"""Reads shared by the workspace, the portal and the exports of charity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.access import policies
from birlik.core import spreadsheets
from birlik.core.workdays import add_working_days, local_date

from .models import Beneficiary, Distribution, Donation, HelpRequest, Project, Stock, Story

LEDGER_LINES = 500


@dataclass
class Ledger:
    project: Project
    money_in: int
    money_out: int
    money_left: int
    stock: list[Stock]
    donations: list[Donation] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    donations_total: int = 0
    distributions_total: int = 0

    @property
    def balances(self) -> bool:
        return self.money_in == self.money_out + self.money_left and all(
            s.quantity_in == s.quantity_out + s.quantity_left for s in self.stock
        )

    @property
    def in_kind_in(self) -> int:
        return sum(s.value_in for s in self.stock)

    @property
    def in_kind_out(self) -> int:
        return sum(s.value_out for s in self.stock)


def ledger(project: Project, *, lines: int = LEDGER_LINES) -> Ledger:
    """Totals from the maintained running sums, and the latest entries (donors by receipt)."""
    project.refresh_from_db(fields=["money_in", "money_out"])
    donations = Donation.objects.filter(project=project).defer(
        "donor_name", "donor_phone", "donor_email", "donor_bin", "donor_iin_digest"
    )
    distributions = Distribution.objects.filter(project=project).select_related("request")
    return Ledger(
        project=project,
        money_in=project.money_in,
        money_out=project.money_out,
        money_left=project.money_left,
        stock=list(Stock.objects.filter(project=project)),
        donations=list(donations.order_by("-received_on", "-id")[:lines]),
        distributions=list(
            distributions.only(
                "pk",
                "kind",
                "amount",
                "item",
                "quantity",
                "value",
                "delivered_on",
                "cancelled_at",
                "request__number",
            ).order_by("-delivered_on", "-id")[:lines]
        ),
        donations_total=donations.count(),
        distributions_total=distributions.count(),
    )


def ledger_workbook(project: Project) -> bytes:
    book = spreadsheets.Book()
    summary = book.sheet(_("Totals"))
    project.refresh_from_db(fields=["money_in", "money_out"])
    summary.append([_("Project"), str(project.title)])
    summary.append([_("Money received, KZT"), project.money_in])
    summary.append([_("Money distributed, KZT"), project.money_out])
    summary.append([_("Money remaining, KZT"), project.money_left])
    summary.append([])
    summary.append(
        [_("Item"), _("Quantity received"), _("Quantity distributed"), _("Quantity remaining"),
         _("Value received, KZT"), _("Value distributed, KZT"), _("Value remaining, KZT")]
    )  # fmt: skip
    for stock in Stock.objects.filter(project=project):
        summary.append(
            [stock.name, stock.quantity_in, stock.quantity_out, stock.quantity_left,
             stock.value_in, stock.value_out, stock.value_left]
        )  # fmt: skip
    gifts = book.sheet(_("Donations"))
    gifts.append(
        [pgettext("donation receipt", "Receipt"), _("Received on"), _("Kind"), _("Amount, KZT"),
         _("Item"), _("Quantity"), _("Value, KZT"), _("Cancelled")]
    )  # fmt: skip
    for d in Donation.objects.filter(project=project).order_by("received_on", "id").iterator():
        gifts.append(
            [d.receipt_number, d.received_on, d.get_kind_display(), d.amount, d.item, d.quantity,
             d.value, "✓" if d.cancelled_at else ""]
        )  # fmt: skip
    handed = book.sheet(_("Distributions"))
    handed.append(
        [_("Request"), _("Delivered on"), _("Kind"), _("Amount, KZT"), _("Item"), _("Quantity"),
         _("Value, KZT"), _("Cancelled")]
    )  # fmt: skip
    rows = Distribution.objects.filter(project=project).select_related("request")
    for x in rows.order_by("delivered_on", "id").iterator(chunk_size=1000):
        handed.append(
            [x.request.number, x.delivered_on, x.get_kind_display(), x.amount, x.item, x.quantity,
             x.value, "✓" if x.cancelled_at else ""]
        )  # fmt: skip
    return book.bytes()


# The centre's own term to decide on a request, in working days from its receipt.
VERIFICATION_WORKING_DAYS: dict[str, int] = {
    HelpRequest.Urgency.URGENT: 3,
    HelpRequest.Urgency.NORMAL: 10,
}


def verification_due(help_request: HelpRequest) -> datetime.date | None:
    """The day a request still being verified is to be decided by: 3 working days from its
    receipt when urgent, 10 otherwise; None once it is decided."""
    if help_request.status not in (HelpRequest.Status.RECEIVED, HelpRequest.Status.VERIFYING):
        return None
    days = VERIFICATION_WORKING_DAYS.get(help_request.urgency, 10)
    return add_working_days(local_date(help_request.received_at), days)


def readable_beneficiaries(user: Any) -> QuerySet[Beneficiary]:
    """Beneficiaries whose data the user may read: named caseworker or head of the centre."""
    return (
        policies.scoped(Beneficiary.objects.all(), user)
        .select_related("request", "request__centre")
        .order_by("request__received_at", "request_id")
    )


def open_requests() -> QuerySet[HelpRequest]:
    """Requests open for help, with the anonymous fields only (for the portal)."""
    return (
        HelpRequest.objects.filter(status__in=HelpRequest.OPEN_FOR_HELP)
        .select_related("region", "district")
        .defer("need", "visit_note", "reason")
        .order_by("urgency", "-verified_at", "-id")
    )


def published_stories() -> QuerySet[Story]:
    return (
        Story.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True)
        .select_related("request", "request__region")
        .order_by("-published_at", "-id")
    )


def counts_by_category() -> dict[str, int]:
    rows = HelpRequest.objects.filter(status__in=HelpRequest.OPEN_FOR_HELP).values("category")
    return {r["category"]: r["n"] for r in rows.annotate(n=Count("id")).order_by()}
