"""The official answer: the queue of answers due (working days), answering, late answers,
the daily reminder."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.core.workdays import add_working_days, working_days_left
from birlik.ideas import queries, services
from birlik.ideas.models import Idea
from birlik.notify.models import Notice

from ..factories import GrantFactory, UserFactory
from .factories import make_idea, verified_user

pytestmark = pytest.mark.django_db


def _due(body, due, **extra):
    return make_idea(
        body,
        threshold_reached_on=due - datetime.timedelta(days=20),
        answer_due=due,
        support_count=100,
        **extra,
    )


@freeze_time("2026-03-10 10:00", tz_offset=0)
def test_an_answer_on_time_is_recorded_and_the_author_is_told(network):
    idea = _due(network.pavlodar, datetime.date(2026, 3, 20), author=verified_user(language="kk"))
    services.idea_answer(
        actor=network.users["coordinator_pavlodar"],
        idea=idea,
        body=network.pavlodar_house,
        text="Турнир Достық үйінде мамыр айында өтеді.",
        decision=Idea.Decision.ACCEPTED,
    )
    idea.refresh_from_db()
    assert idea.answered_on == datetime.date(2026, 3, 10)
    assert idea.answer_body == network.pavlodar_house
    assert idea.progress == Idea.Progress.PLANNED
    assert not queries.ideas_answered_late(Idea.objects.all()).exists()
    assert Notice.objects.filter(idempotency_key=f"idea:{idea.pk}:answered:sms").exists()


@freeze_time("2026-03-25 10:00", tz_offset=0)
def test_an_answer_after_its_due_date_is_allowed_and_counted_late(network):
    idea = _due(network.pavlodar, datetime.date(2026, 3, 20))
    services.idea_answer(
        actor=network.users["coordinator_pavlodar"],
        idea=idea,
        body=network.pavlodar,
        text="Идея ішінара қабылданды, келесі жылы.",
        decision=Idea.Decision.PARTLY,
    )
    assert list(queries.ideas_answered_late(Idea.objects.all())) == [idea]


def test_an_idea_is_answered_once(network):
    idea = _due(network.pavlodar, datetime.date(2030, 1, 10))
    actor = network.users["admin"]
    services.idea_answer(
        actor=actor,
        idea=idea,
        body=network.pavlodar,
        text="Қабылданбады, себебі…",
        decision="rejected",
    )
    with pytest.raises(services.IdeaError):
        services.idea_answer(
            actor=actor,
            idea=idea,
            body=network.pavlodar,
            text="Тағы бір жауап.",
            decision="accepted",
        )


def test_the_answering_body_must_be_the_ideas_or_in_the_actors_scope(network):
    idea = _due(network.pavlodar, datetime.date(2030, 1, 10))
    with pytest.raises(services.IdeaError) as error:
        services.idea_answer(
            actor=network.users["coordinator_pavlodar"],
            idea=idea,
            body=network.almaty,
            text="Жауап мәтіні осында.",
            decision="accepted",
        )
    assert error.value.field == "body"


def test_staff_of_another_region_cannot_answer(network, login):
    idea = _due(network.pavlodar, datetime.date(2030, 1, 10))
    with pytest.raises(PermissionDenied):
        services.idea_answer(
            actor=network.users["coordinator_almaty"],
            idea=idea,
            body=network.almaty,
            text="Жауап мәтіні осында.",
            decision="accepted",
        )
    client = login(network.users["coordinator_almaty"])
    response = client.post(
        reverse("ideas:answer", kwargs={"pk": idea.pk}),
        {"body": network.almaty.pk, "decision": "accepted", "text": "Жауап мәтіні осында."},
    )
    assert response.status_code == 404


@freeze_time("2026-03-19 10:00", tz_offset=0)
def test_the_queue_puts_overdue_first_and_counts_working_days_over_nauryz(network, login):
    today = datetime.date(2026, 3, 19)
    over_holiday = _due(network.pavlodar, datetime.date(2026, 3, 26), title="Наурыз мерекесі")
    overdue = _due(network.pavlodar, datetime.date(2026, 3, 16), title="Мерзімі өткен идея")
    _due(network.almaty, datetime.date(2026, 3, 20), title="Алматы идеясы")
    client = login(network.users["coordinator_pavlodar"])
    with translation.override("en"):
        text = client.get(reverse("ideas:answers")).content.decode()
    assert text.index("Мерзімі өткен идея") < text.index("Наурыз мерекесі")
    assert "Алматы идеясы" not in text
    left = working_days_left(today, over_holiday.answer_due)
    assert left < (over_holiday.answer_due - today).days  # Nauryz days are not counted
    assert f"{left} days left" in text
    assert "overdue" in text
    assert overdue.pk


def test_the_answer_form_records_the_answer(network, login):
    idea = _due(network.pavlodar, datetime.date(2030, 1, 10))
    client = login(network.users["coordinator_pavlodar"])
    page = client.get(reverse("ideas:idea", kwargs={"pk": idea.pk}))
    assert f'action="{reverse("ideas:answer", kwargs={"pk": idea.pk})}"' in page.content.decode()
    response = client.post(
        reverse("ideas:answer", kwargs={"pk": idea.pk}),
        {"body": network.pavlodar.pk, "decision": "accepted", "text": "Қабылданды, жоспарға енді."},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.decision == "accepted"


def test_a_too_short_answer_re_renders_the_form(network, login):
    idea = _due(network.pavlodar, datetime.date(2030, 1, 10))
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        reverse("ideas:answer", kwargs={"pk": idea.pk}),
        {"body": network.pavlodar.pk, "decision": "accepted", "text": "Иә"},
    )
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.answered_on is None


def _staff(body, email):
    user = UserFactory(email=email, language="en")
    GrantFactory(user=user, role="body_staff", organisation=body)
    return user


@freeze_time("2026-03-19 10:00", tz_offset=0)
def test_the_daily_reminder_tells_the_bodys_staff_of_answers_due_soon_and_overdue(network):
    today = datetime.date(2026, 3, 19)
    staff = _staff(network.pavlodar, "staff@example.kz")
    soon = _due(network.pavlodar, add_working_days(today, 2))
    later = _due(network.pavlodar, add_working_days(today, 5))
    overdue = _due(network.pavlodar, datetime.date(2026, 3, 16))
    answered = _due(network.pavlodar, datetime.date(2026, 3, 16), answered_on=today)
    services.answers_remind()
    keys = set(
        Notice.objects.filter(recipient=staff.email).values_list("idempotency_key", flat=True)
    )
    assert keys == {
        f"idea:{soon.pk}:remind:2026-03-19:user{staff.pk}",
        f"idea:{overdue.pk}:remind:2026-03-19:user{staff.pk}",
    }
    assert later.pk and answered.pk
    body = Notice.objects.get(idempotency_key__startswith=f"idea:{overdue.pk}:").body
    assert "overdue" in body
    services.answers_remind()  # run twice the same day: no second notice
    assert Notice.objects.filter(recipient=staff.email).count() == 2


def test_the_answers_queue_costs_the_same_queries_for_3_and_30_rows(
    network, login, django_assert_max_num_queries
):
    client = login(network.users["coordinator_pavlodar"])
    for day in range(3):
        _due(network.pavlodar, datetime.date(2030, 1, 10 + day))
    with django_assert_max_num_queries(10):
        client.get(reverse("ideas:answers"))
    for day in range(27):
        _due(network.pavlodar, datetime.date(2030, 2, 1) + datetime.timedelta(days=day))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("ideas:answers")).status_code == 200
