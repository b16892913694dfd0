"""The demo's appeals and proposals: counts as planned, numbers without gaps, legal terms."""

from __future__ import annotations

import datetime
import time
from collections import Counter, defaultdict

from django.db.models import F
from django.utils import timezone

from birlik.access import policies
from birlik.appeals.models import (
    Appeal,
    AppealHandler,
    AppealStep,
    Proposal,
)
from birlik.appeals.services import NUMBER_SCOPE, Terms, extension_latest
from birlik.core import kpi, sequences
from birlik.core.models import Sequence
from birlik.core.workdays import add_working_days, is_working_day, local_date
from birlik.demo.appeals import demo_appeals_seed
from birlik.demo.services import demo_seed

SCALE = 0.05
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


def _total(key: str, year: int = LAST_YEAR) -> int:
    return sum(row["value"] for row in kpi.compute(key, kpi.Period.year(year)))


def test_last_year_has_the_planned_appeals_and_proposals_of_councils_of_elders(seeded):
    last_year = Appeal.objects.filter(received_at__year=LAST_YEAR)  # Almaty: USE_TZ local year
    elders = last_year.filter(organisation__kind__code="elders_council")
    assert elders.exclude(status="not_considered").count() == round(400 * SCALE)
    assert elders.filter(status="not_considered").count() == round(20 * 0.02 / 0.98)
    others = last_year.exclude(organisation__kind__code="elders_council")
    assert others.exclude(status="not_considered").count() == sum(
        round(n * SCALE) for n in (430, 100, 70)
    )
    sent = Proposal.objects.filter(sent_at__year=LAST_YEAR)
    assert sent.count() == round(170 * SCALE)
    assert set(sent.values_list("organisation__kind__code", flat=True)) == {"elders_council"}
    assert _total("appeals.proposals_sent") == sent.count()
    assert _total("appeals.received") == last_year.count()


def test_statuses_agree_with_the_dates_and_the_figures_add_up(seeded):
    appeals = Appeal.objects.all()
    assert not appeals.filter(status="answered", answered_at__isnull=True).exists()
    assert not appeals.exclude(status="answered").filter(answered_at__isnull=False).exists()
    assert not appeals.filter(status="redirected", redirected_to__isnull=True).exists()
    assert not appeals.filter(status="not_considered", anonymous=False).exists()
    assert not appeals.filter(anonymous=True).exclude(applicant_name="").exists()
    assert not appeals.filter(anonymous=False, consent_given_at__isnull=True).exists()
    assert not appeals.filter(status="extended", extended_until__isnull=True).exists()
    assert not appeals.filter(answered_at__lt=F("received_at")).exists()
    assert not appeals.filter(answered_at__gt=timezone.now()).exists()
    # APPC 76: extended to a working day within two months of the start, before the term ran out.
    for extended in appeals.filter(extended_until__isnull=False):
        latest = extension_latest(counted_from=extended.counted_from, terms=Terms())
        assert extended.extended_until <= latest and is_working_day(extended.extended_until)
        assert extended.extended_on <= extended.due_date and extended.extension_reason
    assert not appeals.filter(redirect_by__isnull=True).exists()
    open_ = appeals.filter(status__in=Appeal.OPEN_STATUSES)
    assert open_.filter(received_at__year=TODAY.year).exists()
    # Overdue open appeals have been escalated to the parent body, as the daily job does.
    for appeal in open_:
        if appeal.effective_due < TODAY:
            assert appeal.escalated_to_id is not None, appeal
            assert appeal.steps.filter(action=AppealStep.Action.ESCALATED).count() == 1
    outcomes = sum(
        _total(key)
        for key in (
            "appeals.answered_on_time",
            "appeals.answered_late",
            "appeals.overdue",
            "appeals.not_considered",
            "appeals.redirected",
        )
    )
    last_year = Appeal.objects.filter(received_at__year=LAST_YEAR)
    closed = last_year.filter(status="closed").count()
    open_in_term = sum(
        1
        for appeal in last_year.filter(status__in=Appeal.OPEN_STATUSES)
        if appeal.effective_due >= TODAY
    )
    assert outcomes + closed + open_in_term == last_year.count()
    assert _total("appeals.answered_on_time") > _total("appeals.answered_late") > 0
    assert Appeal.objects.filter(status="redirected").exists()


def test_numbers_are_unique_and_gapless_per_year_and_sequences_continue_them(seeded):
    by_year: dict[int, list[int]] = defaultdict(list)
    for number, received_at in Appeal.objects.values_list("number", "received_at"):
        year, serial = number.split("-")
        assert int(year) == local_date(received_at).year
        by_year[int(year)].append(int(serial))
    assert set(by_year) == {LAST_YEAR, TODAY.year} or set(by_year) == {LAST_YEAR}
    for year, serials in by_year.items():
        assert sorted(serials) == list(range(1, len(serials) + 1))
        assert sequences.last_numbers(NUMBER_SCOPE)[year] == len(serials)
    # Numbers follow the order of receipt.
    ordered = list(Appeal.objects.filter(received_at__year=LAST_YEAR).order_by("received_at"))
    assert [a.number for a in ordered] == sorted(a.number for a in ordered)


def test_terms_follow_the_working_day_rule(seeded):
    for appeal in Appeal.objects.all():
        received = local_date(appeal.received_at)
        assert appeal.counted_from == add_working_days(received, 0), appeal
        assert appeal.due_date == add_working_days(received, 15), appeal
    for proposal in Proposal.objects.filter(sent_at__isnull=False):
        assert proposal.answer_due == add_working_days(local_date(proposal.sent_at), 15)
        if proposal.answered_at:
            assert proposal.answered_at >= local_date(proposal.sent_at)


def test_handlers_are_staff_of_the_body_and_mixes_are_realistic(seeded):
    handlers = AppealHandler.objects.select_related("appeal__organisation", "user")
    assert handlers.exists()
    for handler in handlers:
        assert policies.covers(
            handler.user, policies.STAFF_ROLES, handler.appeal.organisation.path
        ), handler
    assert not Appeal.objects.filter(handlers__isnull=True, executor__isnull=False).exists()
    languages = Counter(Appeal.objects.values_list("language", flat=True))
    assert set(languages) <= {"kk", "ru", "en"}
    assert languages["kk"] > languages["ru"] > languages["en"]
    outcomes = Counter(Proposal.objects.filter(status="answered").values_list("outcome", flat=True))
    assert outcomes["accepted"] + outcomes["partly"] > 0
    assert outcomes["rejected"] > 0
    assert Proposal.objects.filter(status__in=["draft", "approved"], sent_at__isnull=True).exists()


def test_seeding_again_adds_no_appeals(seeded):
    before = (Appeal.objects.count(), Proposal.objects.count(), AppealStep.objects.count())
    assert demo_seed(scale=SCALE) is False
    assert (Appeal.objects.count(), Proposal.objects.count(), AppealStep.objects.count()) == before


def test_a_demo_network_seeded_before_appeals_gets_them_once(seeded):
    count = Appeal.objects.count()
    Appeal.objects.all().delete()
    Proposal.objects.all().delete()
    Sequence.objects.filter(scope=NUMBER_SCOPE).delete()
    assert demo_seed(scale=SCALE) is True
    assert Appeal.objects.count() == count
    assert demo_seed(scale=SCALE) is False


def test_the_plan_is_deterministic_for_a_seed_and_a_date(seeded):
    def signature():
        return list(
            Appeal.objects.order_by("number").values_list(
                "number", "organisation_id", "kind", "language", "status", "received_at"
            )
        )

    first = signature()
    Appeal.objects.all().delete()
    Proposal.objects.all().delete()
    Sequence.objects.filter(scope=NUMBER_SCOPE).delete()
    demo_appeals_seed(scale=SCALE)
    assert signature() == first


def test_full_scale_appeals_are_written_in_a_few_seconds(seeded):
    Appeal.objects.all().delete()
    Proposal.objects.all().delete()
    Sequence.objects.filter(scope=NUMBER_SCOPE).delete()
    started = time.perf_counter()
    totals = demo_appeals_seed(scale=1.0, today=datetime.date(2026, 11, 25))
    assert time.perf_counter() - started < 15
    # At scale 1 the network's bodies are only 5 % of the demo's, but the flow is the full one.
    assert totals.appeals > 1500
    assert totals.proposals >= 170
