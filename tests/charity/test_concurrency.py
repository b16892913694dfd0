"""Workers handing out the last tenge of a project at the same moment: exactly what remains is
handed out, the others are refused, and the ledger still balances."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from birlik.access.models import User
from birlik.charity import services
from birlik.charity.models import Distribution, HelpRequest, Kind, Project
from birlik.charity.services import CharityError
from tests.events.test_concurrency import own_connections, run_together

from .factories import bring_to_helping, give

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def hand_out(request_id: int, worker_id: int, amount: int) -> Callable[[], str]:
    def call() -> str:
        try:
            services.distribution_record(
                actor=User.objects.get(pk=worker_id),
                help_request=HelpRequest.objects.get(pk=request_id),
                kind=Kind.MONEY,
                amount=amount,
                signed=True,
            )
        except CharityError:
            return "refused"
        return "handed out"

    return call


def test_concurrent_distributions_never_exceed_what_remains(charity):
    bring_to_helping(charity)
    give(charity, 100_000)
    with own_connections() as run:
        results = run_together(
            [hand_out(charity.request.pk, charity.worker.pk, 20_000) for _ in range(THREADS)]
        )
        money = run(
            lambda: Project.objects.values_list("money_in", "money_out").get(pk=charity.project.pk)
        )
        rows = run(lambda: Distribution.objects.filter(project=charity.project).count())
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert Counter(results) == {"handed out": 5, "refused": THREADS - 5}
    assert money == (100_000, 100_000)
    assert rows == 5
