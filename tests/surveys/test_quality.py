"""Quality flags: speeding against the version's median, straightlining on wide matrices,
repeats by browser or content; only responses not excluded, idempotent, a background job."""

from __future__ import annotations

import pytest

from birlik.surveys import services, tasks
from birlik.surveys.models import Response
from birlik.surveys.quality import flag_survey

from .factories import make_response, make_survey, make_version

pytestmark = pytest.mark.django_db

ROWS = ["r1", "r2", "r3", "r4", "r5"]


def survey_with_matrices(network):
    version = make_version(
        network.root,
        [
            ("Q1", "single", {"options": ["1", "2"]}),
            ("WIDE", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ROWS, "options": ["88"]}),
            ("NARROW", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["a", "b"]}),
        ],
    )
    return make_survey(version)


def test_speeding_is_under_a_third_of_the_median(network):
    survey = survey_with_matrices(network)
    times = [600, 610, 590, 620, 199, 200, None]
    rows = [make_response(survey, {"Q1": "1"}, duration_seconds=t) for t in times]
    counts = flag_survey(survey)
    # median of 600, 610, 590, 620, 199, 200 = 595; a third is 198.3
    flagged = {r.pk for r in Response.objects.all() if r.flags.get("speeding")}
    assert flagged == set()
    Response.objects.filter(pk=rows[4].pk).update(duration_seconds=150)
    counts = flag_survey(survey)
    flagged = {r.pk for r in Response.objects.all() if r.flags.get("speeding")}
    assert flagged == {rows[4].pk}
    assert counts["speeding"] == 1 and counts["responses"] == 7


def test_straightlining_needs_five_rows_of_one_point(network):
    survey = survey_with_matrices(network)
    same = make_response(survey, {"WIDE": dict.fromkeys(ROWS, 3)})
    varied = make_response(survey, {"WIDE": {**dict.fromkeys(ROWS, 3), "r5": 4}})
    dont_know = make_response(survey, {"WIDE": dict.fromkeys(ROWS, "88")})
    narrow = make_response(survey, {"NARROW": {"a": 2, "b": 2}})
    partial = make_response(survey, {"WIDE": {"r1": 3, "r2": 3}})
    counts = flag_survey(survey)
    flags = {r.pk: r.flags for r in Response.objects.all()}
    assert flags[same.pk] == {"straightlining": ["WIDE"]}
    for other in (varied, dont_know, narrow, partial):
        assert "straightlining" not in flags[other.pk]
    assert counts["straightlining"] == 1


def test_repeats_by_browser_or_by_content(network):
    survey = survey_with_matrices(network)
    answers = {"Q1": "1"}
    checked = services.response_check(survey.version, answers)
    first = services.response_submit(survey, answers, language="kk", device_digest="a" * 64)
    same_browser = services.response_submit(
        survey, {"Q1": "2"}, language="kk", device_digest="a" * 64
    )
    same_content = services.response_submit(survey, answers, language="kk", device_digest="b" * 64)
    unrelated = services.response_submit(survey, {"Q1": "2"}, language="kk")
    assert first.content_hash == services.response_content_hash(survey.version, checked)
    counts = flag_survey(survey)
    flags = {r.pk: r.flags for r in Response.objects.all()}
    assert "duplicate" not in flags[first.pk]
    assert flags[same_browser.pk]["duplicate"] == first.pk
    assert flags[same_content.pk]["duplicate"] == first.pk
    # the same content as same_browser, which came earlier
    assert flags[unrelated.pk]["duplicate"] == same_browser.pk
    assert counts["duplicate"] == 3


def test_excluded_responses_are_left_alone_and_flags_are_idempotent(network):
    survey = survey_with_matrices(network)
    kept = make_response(survey, {"WIDE": dict.fromkeys(ROWS, 1)}, flags={"note": "kept"})
    excluded = make_response(
        survey, {"WIDE": dict.fromkeys(ROWS, 1)}, excluded=True, flags={"old": True}
    )
    first = flag_survey(survey)
    second = flag_survey(survey)
    assert first == second
    assert first["responses"] == 1
    kept.refresh_from_db()
    excluded.refresh_from_db()
    assert kept.flags == {"note": "kept", "straightlining": ["WIDE"]}
    assert excluded.flags == {"old": True}
    # a response no longer flagged loses the flag
    Response.objects.filter(pk=kept.pk).update(
        answers={"WIDE": {**dict.fromkeys(ROWS, 1), "r1": 2}}
    )
    flag_survey(survey)
    kept.refresh_from_db()
    assert kept.flags == {"note": "kept"}


def test_seeded_responses_without_a_real_hash_are_not_repeats(network):
    survey = survey_with_matrices(network)
    make_response(survey, {"Q1": "1"})
    make_response(survey, {"Q1": "1"})
    assert flag_survey(survey)["duplicate"] == 0


def test_flags_in_batches_with_few_queries(network, django_assert_max_num_queries):
    survey = survey_with_matrices(network)
    for i in range(30):
        make_response(survey, {"WIDE": dict.fromkeys(ROWS, 2)}, duration_seconds=300 + i)
    with django_assert_max_num_queries(6):
        counts = flag_survey(survey)
    assert counts["straightlining"] == 30


def test_the_job_flags_a_survey(network):
    survey = survey_with_matrices(network)
    make_response(survey, {"WIDE": dict.fromkeys(ROWS, 5)})
    assert tasks.survey_flag_job.call(survey.pk)["straightlining"] == 1
    assert tasks.survey_flag_job.call(0) == {}
