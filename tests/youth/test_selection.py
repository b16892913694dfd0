"""The jury and the selection: scores hidden until submitted, the weighted ranking, ties to
the earlier application, the places, a manual choice with its reason, the notices."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from birlik.access.models import AuditEntry
from birlik.notify.models import Notice
from birlik.youth import queries, services
from birlik.youth.models import Application, Cohort, JurorSubmission

from .factories import make_application


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are read in English here (Kazakh is the default)."""
    with translation.override("en"):
        yield


def _selection(youth, count=3, waiting=0):
    now = timezone.now()
    applications = [
        make_application(
            youth.cohort,
            last_name=f"Үміткер{index}",
            submitted_at=now + datetime.timedelta(minutes=index),
        )
        for index in range(count)
    ]
    Cohort.objects.filter(pk=youth.cohort.pk).update(
        status=Cohort.Status.SELECTION, waiting_places=waiting
    )
    youth.cohort.refresh_from_db()
    return applications


def _criteria(youth):
    motivation, experience = list(youth.project.criteria.order_by("position", "pk"))
    return motivation, experience


def _score(youth, juror, marks, submit=True):
    """marks: application → (motivation 0..10, experience 0..5)."""
    motivation, experience = _criteria(youth)
    scores = {}
    for application, (first, second) in marks.items():
        scores[(application.pk, motivation.pk)] = first
        scores[(application.pk, experience.pk)] = second
    services.scores_save(juror=juror, cohort=youth.cohort, scores=scores)
    if submit:
        services.scores_submit(juror=juror, cohort=youth.cohort)


def test_a_juror_sees_only_their_own_scores_until_they_submit(youth):
    a, b, c = _selection(youth)
    first, second = youth.jurors
    _score(youth, first, {a: (5, 5), b: (5, 5), c: (5, 5)})
    _score(youth, second, {a: (1, 1), b: (1, 1), c: (1, 1)}, submit=False)
    assert set(queries.visible_scores(youth.cohort, second).values_list("juror_id", flat=True)) == {
        second.pk
    }
    assert set(queries.visible_scores(youth.cohort, first).values_list("juror_id", flat=True)) == {
        first.pk
    }
    services.scores_submit(juror=second, cohort=youth.cohort)
    assert set(queries.visible_scores(youth.cohort, second).values_list("juror_id", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_the_jury_page_hides_another_jurors_scores_until_submitted(client, youth):
    a, b, c = _selection(youth)
    first, second = youth.jurors
    motivation, _experience = _criteria(youth)
    _score(youth, first, {a: (7, 3), b: (7, 3), c: (7, 3)})
    client.force_login(second)
    from django.urls import reverse

    url = reverse("youth:jury", kwargs={"pk": youth.cohort.pk})
    page = client.get(url).content.decode()
    assert f'name="s_{a.pk}_{motivation.pk}" value=""' in page
    assert "Motivation 7" not in page
    _score(youth, second, {a: (2, 2), b: (2, 2), c: (2, 2)})
    with translation.override("en"):
        page = client.get(url).content.decode()
    assert "Motivation 7" in page


def test_submitted_scores_are_final(youth):
    a, b, c = _selection(youth)
    juror = youth.jurors[0]
    _score(youth, juror, {a: (1, 1), b: (1, 1), c: (1, 1)})
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        _score(youth, juror, {a: (9, 1), b: (1, 1), c: (1, 1)}, submit=False)
    assert "can no longer change" in str(error.value.message)


def test_scores_are_submitted_only_when_complete(youth):
    a, b, c = _selection(youth)
    juror = youth.jurors[0]
    _score(youth, juror, {a: (1, 1), b: (1, 1)}, submit=False)
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        services.scores_submit(juror=juror, cohort=youth.cohort)
    assert "2 scores are missing" in str(error.value.message)
    assert not JurorSubmission.objects.exists()


def test_a_score_above_the_criterions_maximum_is_refused(youth):
    a, _b, _c = _selection(youth)
    _motivation, experience = _criteria(youth)
    with pytest.raises(services.YouthError):
        services.scores_save(
            juror=youth.jurors[0], cohort=youth.cohort, scores={(a.pk, experience.pk): 6}
        )


def test_only_jurors_of_the_cohort_give_scores(youth):
    a, _b, _c = _selection(youth)
    motivation, _experience = _criteria(youth)
    with pytest.raises(PermissionDenied):
        services.scores_save(
            juror=youth.manager, cohort=youth.cohort, scores={(a.pk, motivation.pk): 5}
        )


def test_the_ranking_is_the_weighted_mean_of_submitted_jurors(youth):
    a, b, c = _selection(youth)
    first, second = youth.jurors
    # Motivation weighs 2 (out of 10), experience 1 (out of 5).
    _score(youth, first, {a: (10, 0), b: (0, 5), c: (5, 5)})
    _score(youth, second, {a: (10, 0), b: (0, 5), c: (5, 5)}, submit=False)
    ranked = queries.ranking(youth.cohort)
    # a and c tie exactly (2 of 3 weighted points): the earlier application, a, goes first.
    assert [row.application.pk for row in ranked] == [a.pk, c.pk, b.pk]
    assert [row.percent for row in ranked] == [66.7, 66.7, 33.3]
    # The unsubmitted juror's scores do not count.
    assert [row.jurors for row in ranked] == [1, 1, 1]


def test_equal_results_go_to_the_earlier_application(youth):
    a, b, c = _selection(youth)
    _score(youth, youth.jurors[0], {a: (5, 2), b: (5, 2), c: (5, 2)})
    assert [row.application.pk for row in queries.ranking(youth.cohort)] == [a.pk, b.pk, c.pk]


def test_the_selection_takes_the_first_places_and_tells_everyone(youth):
    a, b, c, d = _selection(youth, count=4, waiting=1)
    _score(youth, youth.jurors[0], {a: (1, 1), b: (9, 5), c: (8, 5), d: (0, 0)})
    services.cohort_select(actor=youth.manager, cohort=youth.cohort)
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {
        b.pk: "selected",
        c.pk: "selected",
        a.pk: "waiting",
        d.pk: "not_selected",
    }
    youth.cohort.refresh_from_db()
    assert youth.cohort.status == Cohort.Status.RUNNING
    for application, what in ((b, "selected"), (a, "waiting"), (d, "not_selected")):
        assert Notice.objects.filter(idempotency_key=f"youth:{application.pk}:{what}:sms").exists()


def test_a_manual_choice_needs_a_reason_which_is_recorded(youth):
    a, b, c = _selection(youth)
    _score(youth, youth.jurors[0], {a: (9, 5), b: (8, 5), c: (1, 1)})
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        services.cohort_select(actor=youth.manager, cohort=youth.cohort, selected=[a.pk, c.pk])
    assert error.value.field == "reason"
    assert Application.objects.filter(status="submitted").count() == 3
    services.cohort_select(
        actor=youth.manager,
        cohort=youth.cohort,
        selected=[a.pk, c.pk],
        reason="Квота для сельских районов",
    )
    c.refresh_from_db()
    b.refresh_from_db()
    youth.cohort.refresh_from_db()
    assert (c.status, b.status) == ("selected", "not_selected")
    assert c.decision_note == b.decision_note == "Квота для сельских районов"
    assert youth.cohort.selection_note == "Квота для сельских районов"
    assert AuditEntry.objects.filter(note__contains="Квота для сельских районов").exists()


def test_no_more_than_the_places_are_selected(youth):
    a, b, c = _selection(youth)
    _score(youth, youth.jurors[0], {a: (9, 5), b: (8, 5), c: (1, 1)})
    with pytest.raises(services.YouthError):
        services.cohort_select(
            actor=youth.manager, cohort=youth.cohort, selected=[a.pk, b.pk, c.pk], reason="All"
        )


def test_the_selection_waits_for_a_submitted_juror(youth):
    _selection(youth)
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        services.cohort_select(actor=youth.manager, cohort=youth.cohort)
    assert "No juror" in str(error.value.message)


def test_a_juror_does_not_select(youth):
    a, b, c = _selection(youth)
    _score(youth, youth.jurors[0], {a: (9, 5), b: (8, 5), c: (1, 1)})
    outsider = youth.network.users["staff_pavlodar_house"]
    with pytest.raises(PermissionDenied):
        services.cohort_select(actor=outsider, cohort=youth.cohort)


def test_a_withdrawn_application_is_not_ranked(youth):
    a, b, c = _selection(youth)
    Application.objects.filter(pk=b.pk).update(status="withdrawn")
    assert [row.application.pk for row in queries.ranking(youth.cohort)] == [a.pk, c.pk]
