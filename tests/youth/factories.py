"""Builders of youth projects for tests: a project run by a body, its form and criteria, a
cohort, verified applicants and their applications."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from birlik.events.models import Programme
from birlik.registry.models import Organisation
from birlik.youth.models import Application, Cohort, Criterion, Question, YouthProject

from ..factories import UserFactory, region


def programme(code: str = "zhana_tolqyn") -> Programme:
    item, _ = Programme.objects.get_or_create(
        code=code, defaults={"name_kk": "Жаңа толқын", "name_en": "Zhana Tolqyn"}
    )
    return item


def make_project(body: Organisation, **extra: Any) -> YouthProject:
    project = YouthProject.objects.create(
        programme=programme(),
        organisation=body,
        title_kk=extra.pop("title_kk", "Көшбасшылар мектебі"),
        title_en=extra.pop("title_en", "Leaders' School"),
        **extra,
    )
    Question.objects.create(
        project=project, kind=Question.Kind.LONG_TEXT, label_en="Why do you apply?", position=10
    )
    Question.objects.create(
        project=project,
        kind=Question.Kind.CHOICE,
        label_en="Language of study",
        options_en="Kazakh\nRussian",
        options_kk="Қазақша\nОрысша",
        position=20,
    )
    Question.objects.create(
        project=project,
        kind=Question.Kind.YES_NO,
        label_en="Have you volunteered?",
        required=False,
        position=30,
    )
    Criterion.objects.create(project=project, name_en="Motivation", weight=2, max_score=10)
    Criterion.objects.create(project=project, name_en="Experience", weight=1, max_score=5)
    return project


def make_cohort(project: YouthProject, **extra: Any) -> Cohort:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "name_en": "Leaders' School — spring",
        "applications_open_on": today - datetime.timedelta(days=5),
        "applications_close_on": today + datetime.timedelta(days=5),
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=60),
        "places": 2,
        "status": Cohort.Status.OPEN,
    }
    values.update(extra)
    return Cohort.objects.create(project=project, **values)


def verified_user(**extra: Any) -> Any:
    return UserFactory(phone_verified_at=timezone.now(), **extra)


def answers_for(project: YouthProject) -> dict[str, Any]:
    questions = list(project.questions.all())
    return {str(questions[0].pk): "I want to learn.", str(questions[1].pk): "1"}


def make_application(cohort: Cohort, **extra: Any) -> Application:
    values: dict[str, Any] = {
        "applicant": extra.pop("applicant", None) or verified_user(),
        "last_name": "Асқаров",
        "first_name": "Дәулет",
        "birth_date": datetime.date(2004, 5, 1),
        "phone": "+77011234567",
        "region": region("KZ-55"),
        "consent_given_on": timezone.localdate(),
    }
    values.update(extra)
    return Application.objects.create(cohort=cohort, **values)
