"""The demo's surveys and expert council: three published national waves whose index matches
the generator's known truth, regional surveys at every stage, the council's experts, studies
and recommendations in every state, added once."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from birlik.access.models import Grant, Role, User
from birlik.demo import survey_sample
from birlik.demo import surveys as demo_surveys
from birlik.demo.plan import TARGETS, scaled
from birlik.demo.services import DEMO_LOGINS, demo_seed
from birlik.registry.models import Membership, Organisation
from birlik.surveys.models import (
    Estimate,
    MarginTarget,
    PanelInvitation,
    Recommendation,
    ResearchPlan,
    Response,
    Study,
    StudyMember,
    Survey,
)
from birlik.surveys.policies import COUNCIL_KINDS

SCALE = 0.05
SEED = 2025


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """The demo at a small scale, seeded once for the module and rolled back at its end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        assert demo_seed(scale=SCALE, seed=SEED) is True
        yield {"media": media}
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo, db) -> dict[str, Any]:
    return demo


def _national_estimate(survey: Survey) -> Estimate:
    run = survey.runs.latest()
    return run.estimates.get(
        question=Estimate.TRUST_INDEX, statistic="mean", dimension="all", category=""
    )


def test_three_national_waves_are_weighed_and_published(seeded):
    years = demo_surveys.wave_years(timezone.localdate())
    waves = list(Survey.objects.filter(is_trust_index=True).order_by("year"))
    assert [wave.year for wave in waves] == list(years)
    assert [wave.wave for wave in waves] == [1, 2, 3]
    expected = demo_surveys.respondents_per_wave(SCALE)
    for wave in waves:
        assert wave.status == Survey.Status.PUBLISHED and wave.public
        assert wave.runs.count() == 1
        assert wave.ends_on < timezone.localdate(wave.runs.get().created_at) <= timezone.localdate()
        assert timezone.localdate(wave.version.launched_at) < wave.starts_on
        responses = Response.objects.filter(survey=wave)
        assert expected <= responses.count() <= expected + demo_surveys.TOP_UP * 5
        assert not responses.filter(weight__isnull=True).exists()
        assert {"interviewer", "web", "paper"} <= set(responses.values_list("mode", flat=True))
        assert wave.starts_on <= min(responses.values_list("submitted_on", flat=True))
        regions = Estimate.objects.filter(
            run__survey=wave, question=Estimate.TRUST_INDEX, statistic="mean", dimension="region"
        )
        assert regions.count() == 20
        assert Estimate.objects.filter(
            run__survey=wave, question=Estimate.TRUSTING, dimension="all"
        ).exists()


def test_each_waves_national_index_has_the_generators_truth_in_its_interval(seeded):
    years = demo_surveys.wave_years(timezone.localdate())
    truths = demo_surveys.wave_truths(SEED, years)
    assert truths[years[0]] == survey_sample.TRUE_INDEX
    national = []
    for wave in Survey.objects.filter(is_trust_index=True).order_by("year"):
        truth = survey_sample.national_truth(truths[wave.year])
        estimate = _national_estimate(wave)
        assert not estimate.suppressed
        assert estimate.low <= truth <= estimate.high, (wave.year, truth, estimate.value)
        national.append(truth)
    # The truth moves a little each year, and up.
    assert national[0] < national[1] < national[2] < national[0] + 5


def test_the_margins_carry_illustrative_regional_shares_with_their_source(seeded):
    wave = Survey.objects.filter(is_trust_index=True).order_by("year").first()
    targets = MarginTarget.objects.filter(margin_set=wave.margin_set)
    regions = targets.filter(dimension="region")
    assert regions.count() == 20
    assert sum(t.share for t in regions) == 1
    assert all("illustrative (demo)" in t.source for t in regions)
    assert {"sex_age", "ethnic_group", "region"} <= set(targets.values_list("dimension", flat=True))


def test_regional_surveys_show_every_stage(seeded):
    regional = {s.slug: s for s in Survey.objects.filter(is_trust_index=False)}
    stages = {s.status for s in regional.values()}
    assert stages == {Survey.Status.PUBLISHED, Survey.Status.WEIGHTED, Survey.Status.FIELDWORK}
    unpublished = [s for s in regional.values() if s.status == Survey.Status.WEIGHTED]
    assert len(unpublished) == 1 and not unpublished[0].public
    assert unpublished[0].runs.exists()
    field = next(s for s in regional.values() if s.status == Survey.Status.FIELDWORK)
    assert field.organisation.region.iso == "KZ-55"
    assert set(field.interviewers.values_list("username", flat=True)) == {
        "staff_house",
        "staff_elders",
    }
    invitations = PanelInvitation.objects.filter(survey=field)
    assert invitations.count() == 80
    assert invitations.filter(used_on__isnull=False).count() == 22
    assert field.responses.filter(mode="panel").count() == 22
    assert {"panel", "web", "interviewer"} == set(field.responses.values_list("mode", flat=True))
    assert not field.runs.exists()
    assert not invitations.filter(used_on__gt=timezone.localdate()).exists()
    assert not Response.objects.filter(submitted_on__gt=timezone.localdate()).exists()
    for survey in regional.values():
        assert set(survey.regions.values_list("iso", flat=True)) == {survey.organisation.region.iso}
        assert 100 <= survey.responses.count() <= 500
        assert set(survey.responses.values_list("region__iso", flat=True)) == {
            survey.organisation.region.iso
        }


def test_the_council_has_its_experts_and_a_staff_login(seeded):
    council = Organisation.objects.get(kind__code="scientific_expert_council")
    experts = Membership.objects.filter(
        role="expert",
        organisation__kind__code__in=("scientific_expert_council", "scientific_expert_group"),
        end_date__isnull=True,
    )
    groups = Organisation.objects.filter(kind__code="scientific_expert_group").count()
    assert experts.values("person").distinct().count() >= scaled(
        TARGETS["experts"], SCALE, groups + 1
    )
    user = User.objects.get(username=demo_surveys.COUNCIL_LOGIN)
    assert Grant.objects.filter(user=user, role=Role.BODY_STAFF, organisation=council).exists()
    assert (demo_surveys.COUNCIL_LOGIN, demo_surveys.LOGINS[0][1]) in DEMO_LOGINS


def test_studies_run_through_every_status_with_teams_of_experts(seeded):
    today = timezone.localdate()
    studies = Study.objects.all()
    assert studies.count() == demo_surveys.studies_target(SCALE)
    assert set(studies.values_list("status", flat=True)) == set(Study.Status.values)
    assert set(ResearchPlan.objects.values_list("year", flat=True)) >= set(
        demo_surveys.plan_years(today)
    )
    expert_people = set(Membership.objects.filter(role="expert").values_list("person", flat=True))
    for study in studies.prefetch_related("team"):
        team = list(study.team.all())
        assert 2 <= len(team) <= 6, study.pk
        assert sum(member.role == StudyMember.Role.LEAD for member in team) == 1
        assert {member.person_id for member in team} <= expert_people
        assert study.plan.organisation.kind.code in COUNCIL_KINDS
        if study.status != Study.Status.DRAFT:
            assert study.approved_by is not None and study.approved_by != study.drafted_by
            assert study.approved_on <= today
    done = studies.filter(status=Study.Status.DONE)
    assert done.exists()
    for study in done:
        assert study.completed_on <= today
        assert study.findings_kk and study.findings_ru and study.findings_en
        assert study.report.name.endswith(".pdf") and study.report_name.endswith(".pdf")
        with study.report.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    trust = studies.filter(survey__is_trust_index=True)
    assert trust.count() == 3
    assert studies.filter(survey__is_trust_index=False).exists()


def test_recommendations_go_through_every_state_with_dates_in_order(seeded):
    today = timezone.localdate()
    recommendations = Recommendation.objects.all()
    assert recommendations.count() == demo_surveys.recommendations_target(SCALE)
    assert set(recommendations.values_list("status", flat=True)) == set(
        Recommendation.Status.values
    )
    assert set(recommendations.exclude(decision="").values_list("decision", flat=True)) == set(
        Recommendation.Decision.values
    )
    overdue = recommendations.filter(status="sent", response_due__lt=today)
    assert overdue.exists()
    assert recommendations.filter(status="sent", response_due__gte=today).exists()
    assert recommendations.exclude(to_state_body=None).exists()
    assert recommendations.exclude(to_body=None).exists()
    for rec in recommendations.select_related("study"):
        assert (rec.to_body_id is None) != (rec.to_state_body_id is None), rec.pk
        assert rec.study_id is not None or rec.alert_id is not None
        if rec.status == "draft":
            assert rec.sent_on is None
            continue
        assert rec.study is None or rec.study.completed_on <= rec.sent_on
        assert rec.sent_on <= today and rec.response_due > rec.sent_on
        if rec.status in ("answered", "decided"):
            assert rec.sent_on <= rec.answered_on <= today and rec.response_text
        if rec.status == "decided":
            assert rec.answered_on <= rec.decided_on <= today
            assert bool(rec.actions_taken) == (rec.decision != "rejected")


def test_the_step_adds_its_records_once(seeded):
    counts = (Survey.objects.count(), Response.objects.count(), Study.objects.count())
    assert demo_surveys.demo_surveys_seed(scale=SCALE, seed=SEED) == {}
    assert counts == (Survey.objects.count(), Response.objects.count(), Study.objects.count())


def test_the_same_seed_gives_the_same_truth_and_autumn_ends_a_wave():
    years = (2024, 2025, 2026)
    assert demo_surveys.wave_truths(SEED, years) == demo_surveys.wave_truths(SEED, years)
    assert demo_surveys.wave_truths(SEED, years) != demo_surveys.wave_truths(SEED + 1, years)
    assert demo_surveys.wave_years(datetime.date(2026, 12, 7)) == (2024, 2025, 2026)
    assert demo_surveys.wave_years(datetime.date(2026, 6, 1)) == (2023, 2024, 2025)
