"""The ledger balances after every step of random donations, distributions (some of them too
large and refused), and cancellations: money in = money out + remaining, per item likewise."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from birlik.charity import services
from birlik.charity.models import Distribution, Donation, Kind, Project, Stock
from birlik.charity.services import CharityError

from .factories import bring_to_helping

ITEMS = ("Рюкзак", "Дәрі", "Көмір")

step = st.one_of(
    st.tuples(st.just("give"), st.integers(1, 50_000)),
    st.tuples(
        st.just("give_item"), st.sampled_from(ITEMS), st.integers(1, 20), st.integers(0, 90_000)
    ),
    st.tuples(st.just("hand_out"), st.integers(1, 80_000)),
    st.tuples(st.just("hand_out_item"), st.sampled_from(ITEMS), st.integers(1, 25)),
    st.tuples(st.just("cancel_gift"), st.integers(0, 30)),
    st.tuples(st.just("cancel_handout"), st.integers(0, 30)),
)


def assert_balanced(project: Project) -> None:
    project.refresh_from_db()
    gifts = Donation.objects.filter(project=project, cancelled_at__isnull=True)
    handed = Distribution.objects.filter(project=project, cancelled_at__isnull=True)
    money_in = gifts.filter(kind=Kind.MONEY).aggregate(s=Sum("amount"))["s"] or 0
    money_out = handed.filter(kind=Kind.MONEY).aggregate(s=Sum("amount"))["s"] or 0
    assert project.money_in == money_in
    assert project.money_out == money_out
    assert project.money_in == project.money_out + project.money_left
    assert project.money_left >= 0
    for stock in Stock.objects.filter(project=project):
        given_ = gifts.filter(kind=Kind.IN_KIND, item__iexact=stock.name).aggregate(
            q=Sum("quantity"), v=Sum("value")
        )
        out = handed.filter(kind=Kind.IN_KIND, item__iexact=stock.name).aggregate(
            q=Sum("quantity"), v=Sum("value")
        )
        assert stock.quantity_in == (given_["q"] or 0)
        assert stock.value_in == (given_["v"] or 0)
        assert stock.quantity_out == (out["q"] or 0)
        assert stock.value_out == (out["v"] or 0)
        assert stock.quantity_left >= 0 and stock.value_left >= 0
        if stock.quantity_left == 0:
            assert stock.value_left == 0


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_ledger_balances_after_every_step(charity, steps):
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        request = bring_to_helping(charity)
        project = charity.project
        for operation, *args in steps:
            try:
                if operation == "give":
                    services.donation_record(
                        actor=charity.worker,
                        project=project,
                        kind=Kind.MONEY,
                        amount=args[0],
                        donor_name="Donor",
                    )
                elif operation == "give_item":
                    services.donation_record(
                        actor=charity.worker,
                        project=project,
                        kind=Kind.IN_KIND,
                        item=args[0],
                        quantity=args[1],
                        value=args[2],
                        donor_name="Donor",
                    )
                elif operation == "hand_out":
                    services.distribution_record(
                        actor=charity.worker,
                        help_request=request,
                        kind=Kind.MONEY,
                        amount=args[0],
                        signed=True,
                    )
                elif operation == "hand_out_item":
                    services.distribution_record(
                        actor=charity.worker,
                        help_request=request,
                        kind=Kind.IN_KIND,
                        item=args[0],
                        quantity=args[1],
                        signed=True,
                    )
                elif operation == "cancel_gift":
                    gifts = list(Donation.objects.filter(project=project).order_by("pk"))
                    if gifts:
                        services.donation_cancel(
                            actor=charity.worker,
                            donation=gifts[args[0] % len(gifts)],
                            reason="recorded in error",
                        )
                else:
                    handed = list(Distribution.objects.filter(project=project).order_by("pk"))
                    if handed:
                        services.distribution_cancel(
                            actor=charity.worker, distribution=handed[args[0] % len(handed)]
                        )
            except CharityError:
                pass  # refused: over-distribution, cancelling twice… — nothing may have changed
            assert_balanced(project)
    finally:
        transaction.savepoint_rollback(sid)


def test_the_database_refuses_a_ledger_that_does_not_balance(charity):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=charity.project.pk).update(money_out=1)
    stock = Stock.objects.create(project=charity.project, name="X", key="x", quantity_in=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stock.objects.filter(pk=stock.pk).update(quantity_out=2)
