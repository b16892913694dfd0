"""Applying: a verified account, once per cohort, while the window is open, with the form."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.notify.models import Notice
from birlik.youth import services
from birlik.youth.models import Application, Cohort

from ..factories import UserFactory, region
from .factories import answers_for, verified_user


@pytest.fixture(autouse=True)
def english_messages():
    """The services' messages are read in English here (Kazakh is the default)."""
    with translation.override("en"):
        yield


def _apply(youth, user, **extra):
    values = {
        "applicant": user,
        "cohort": youth.cohort,
        "last_name": "Асқаров",
        "first_name": "Дәулет",
        "birth_date": datetime.date(2004, 5, 1),
        "region": region("KZ-55"),
        "phone": "+7 701 123 45 67",
        "answers": answers_for(youth.project),
        "consent": True,
    }
    values.update(extra)
    return services.application_submit(**values)


def test_a_verified_account_applies_and_is_told_by_the_outbox(youth):
    application = _apply(youth, verified_user())
    assert application.status == Application.Status.SUBMITTED
    assert application.phone == "+77011234567"
    assert Notice.objects.filter(idempotency_key__startswith=f"youth:{application.pk}:").exists()


def test_an_account_applies_only_once_per_cohort(youth):
    user = verified_user()
    _apply(youth, user)
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        _apply(youth, user)
    assert "already applied" in str(error.value.message)
    assert Application.objects.count() == 1


def test_an_unverified_account_is_refused(youth):
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        _apply(youth, UserFactory())
    assert "Confirm your phone or e-mail" in str(error.value.message)


def test_applications_are_refused_once_the_window_has_closed(youth):
    close = youth.cohort.applications_close_on
    with (
        freeze_time(close + datetime.timedelta(days=1)),
        translation.override("en"),
        pytest.raises(services.YouthError) as error,
    ):
        _apply(youth, verified_user())
    assert "closed" in str(error.value.message)
    with freeze_time(close):
        _apply(youth, verified_user())


def test_a_cohort_in_selection_takes_no_application(youth):
    Cohort.objects.filter(pk=youth.cohort.pk).update(status=Cohort.Status.SELECTION)
    with pytest.raises(services.YouthError):
        _apply(youth, verified_user())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {}}, "q_"),
        ({"last_name": "  "}, "last_name"),
        ({"birth_date": datetime.date(1960, 1, 1)}, "birth_date"),
        ({"phone": "", "email": ""}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"consent": False}, "consent"),
    ],
)
def test_a_wrong_application_is_refused_on_its_field(youth, change, field):
    with pytest.raises(services.YouthError) as error:
        _apply(youth, verified_user(), **change)
    assert (error.value.field or "").startswith(field)
    assert not Application.objects.exists()


def test_a_choice_outside_the_options_is_refused(youth):
    questions = list(youth.project.questions.all())
    answers = answers_for(youth.project) | {str(questions[1].pk): "7"}
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        _apply(youth, verified_user(), answers=answers)
    assert error.value.field == f"q_{questions[1].pk}"
    assert "Choose an option" in str(error.value.message)


def test_the_public_form_sends_an_anonymous_visitor_to_sign_in(client, youth):
    url = reverse("youth_portal:apply", kwargs={"pk": youth.cohort.pk})
    with translation.override("en"):
        response = client.get(url)
    assert response.status_code == 200
    assert reverse("access:login") + "?next=" in response.content.decode()


def test_the_public_form_asks_an_unverified_account_to_confirm_its_contact(client, youth):
    client.force_login(UserFactory())
    response = client.get(reverse("youth_portal:apply", kwargs={"pk": youth.cohort.pk}))
    assert response.status_code == 200
    assert b'<form method="post" novalidate>' not in response.content


def test_the_public_form_stores_an_application_and_shows_it_in_my_applications(client, youth):
    user = verified_user()
    client.force_login(user)
    url = reverse("youth_portal:apply", kwargs={"pk": youth.cohort.pk})
    questions = list(youth.project.questions.all())
    data = {
        "last_name": "Асқаров",
        "first_name": "Дәулет",
        "birth_date": "2004-05-01",
        "region": region("KZ-55").pk,
        "phone": "+77011234567",
        "consent": "on",
        f"q_{questions[0].pk}": "I want to learn.",
        f"q_{questions[1].pk}": "0",
        f"q_{questions[2].pk}": "yes",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    application = Application.objects.get(applicant=user)
    assert application.answers == {
        str(questions[0].pk): "I want to learn.",
        str(questions[1].pk): 0,
        str(questions[2].pk): True,
    }
    with translation.override("en"):
        page = client.get(reverse("youth_portal:mine"))
    assert "Leaders" in page.content.decode()
    again = client.get(url)
    assert again.status_code == 200
    assert Application.objects.count() == 1


def test_the_public_form_shows_a_missing_answer_and_keeps_nothing(client, youth):
    client.force_login(verified_user())
    url = reverse("youth_portal:apply", kwargs={"pk": youth.cohort.pk})
    response = client.post(url, {"last_name": "A", "first_name": "B", "consent": "on"})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_public_list_shows_projects_with_an_open_intake_only(client, youth, network):
    with translation.override("en"):
        response = client.get(reverse("youth_portal:projects"))
    assert "Leaders" in response.content.decode()
    Cohort.objects.update(applications_close_on=timezone.localdate() - datetime.timedelta(days=1))
    with translation.override("en"):
        response = client.get(reverse("youth_portal:projects"))
    assert "Leaders" not in response.content.decode()


def test_an_applicant_withdraws_before_the_selection(youth):
    user = verified_user()
    application = _apply(youth, user)
    services.application_withdraw(applicant=user, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(services.YouthError):
        services.application_withdraw(applicant=verified_user(), application=application)
