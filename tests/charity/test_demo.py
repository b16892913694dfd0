"""The demo charity data: balanced ledgers, all centres, the demo logins, added once."""

from __future__ import annotations

from django.db.models import F, Sum
from django.utils import timezone

from birlik.access.models import Grant
from birlik.charity.models import Distribution, Donation, HelpRequest, Project, RequestWorker, Stock
from birlik.demo.charity import LOGINS, demo_charity_seed

from .factories import centre


def test_demo_seed_balances_and_runs_once(network):
    centres = [centre(network.pavlodar, "KZ-55"), centre(network.almaty, "KZ-75")]
    added = demo_charity_seed(scale=0.2, seed=2025)
    assert added["charity projects"] >= 150
    assert demo_charity_seed(scale=0.2, seed=2025) == {}
    assert set(HelpRequest.objects.values_list("centre", flat=True)) == {c.pk for c in centres}
    for project in Project.objects.all():
        money_in = (
            Donation.objects.filter(project=project, kind="money").aggregate(s=Sum("amount"))["s"]
            or 0
        )
        money_out = (
            Distribution.objects.filter(project=project, kind="money").aggregate(s=Sum("amount"))[
                "s"
            ]
            or 0
        )
        assert (project.money_in, project.money_out) == (money_in, money_out)
        assert project.money_out <= project.money_in
    assert not Stock.objects.filter(quantity_out__gt=F("quantity_in")).exists()
    assert not Stock.objects.filter(value_out__gt=F("value_in")).exists()
    previous = Project.objects.filter(starts_on__year=timezone.localdate().year - 1)
    total = previous.aggregate(s=Sum("budget"))["s"]
    assert 0.15 * 300_000_000 < total < 0.25 * 300_000_000
    assert HelpRequest.objects.filter(status="verified").exists()
    usernames = [u for u, _d in LOGINS]
    assert Grant.objects.filter(user__username__in=usernames).count() == 2
    assert RequestWorker.objects.filter(user__username="staff_charity_almaty").exists()
