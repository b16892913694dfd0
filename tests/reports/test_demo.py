"""The demo plans: approved, per region, actuals around their targets; added once."""

import pytest

from birlik.demo.plans import demo_plans_seed
from birlik.reports.models import Plan, Target


@pytest.mark.django_db
def test_demo_plans_are_added_once_and_approved(activity):
    added = demo_plans_seed(scale=1.0, seed=2025)
    assert added["plans"] == 2
    assert added["plan targets"] == Target.objects.count() > 0
    assert set(Plan.objects.values_list("status", flat=True)) == {Plan.Status.APPROVED}
    assert Target.objects.filter(plan__year=2025, indicator="events.events").count() == 3
    assert demo_plans_seed(scale=1.0, seed=2025) == {}
