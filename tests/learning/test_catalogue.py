"""The public catalogue: courses in use of active providers with their hours and next cohort,
filters (a value not understood is said, never a 500), a course's page."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import translation

from birlik.learning.models import Cohort, Course

from .factories import make_cohort, make_course


def _en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def test_the_catalogue_lists_courses_in_use_with_hours_and_the_next_cohort(client, learning):
    make_course(learning.department, title_en="Old course", is_active=False)
    start = learning.cohort.starts_on
    page = client.get(_en("learning_portal:courses")).content.decode()
    assert "Working in a house of friendship" in page
    assert "24 hours" in page
    assert f"Next cohort starts on {start:%d.%m.%Y}." in page
    assert "Old course" not in page


def test_the_catalogue_filters_by_provider_format_and_words(client, learning):
    make_course(learning.department, title_en="Media literacy", format=Course.Format.ONLINE)
    url = _en("learning_portal:courses")
    assert (
        "Media literacy" not in client.get(url, {"provider": learning.academy.pk}).content.decode()
    )
    online = client.get(url, {"format": "online"}).content.decode()
    assert "Media literacy" in online and "house of friendship" not in online
    assert "Media literacy" in client.get(url, {"q": "media"}).content.decode()


def test_values_not_understood_are_said_and_left_out(client, learning):
    response = client.get(
        _en("learning_portal:courses"), {"provider": "abc", "format": "x", "page": "zz"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Some search values were not understood" in page
    assert "Working in a house of friendship" in page


def test_a_course_page_shows_modules_teachers_prerequisites_and_coming_cohorts(client, learning):
    basics = make_course(learning.academy, title_en="Public accord: the basics")
    learning.course.prerequisites.set([basics])
    learning.course.teachers.create(name="Әлия Сәрсенбаева")
    make_cohort(learning.course, status=Cohort.Status.CANCELLED)
    past = make_cohort(
        learning.course,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 1, 2),
        status=Cohort.Status.FINISHED,
    )
    page = client.get(_en("learning_portal:course", pk=learning.course.pk)).content.decode()
    assert "Module 1" in page and "Module 2" in page
    assert "Әлия Сәрсенбаева" in page and "Public accord: the basics" in page
    assert "3 places left" in page
    assert past.starts_on.strftime("%d.%m.%Y") not in page


def test_a_course_not_in_use_is_not_found(client, learning):
    Course.objects.filter(pk=learning.course.pk).update(is_active=False)
    assert client.get(_en("learning_portal:course", pk=learning.course.pk)).status_code == 404
