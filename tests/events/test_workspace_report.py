"""The report after the event: held or not, numbers by audience, press links, lateness."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.events import services
from birlik.events.models import Event, EventReport

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


def report_form(**extra) -> dict:
    return {"held": "yes", "reported_count": "0", "outcomes": "", "press_links": "", **extra}


@pytest.fixture
def past_event(plan):
    return plan(starts_in=-2 * DAY, registration_required=False, audiences=("youth", "elderly"))


def test_report_with_a_breakdown_by_audience_is_stored_and_shown(as_user, past_event):
    client = as_user("staff_pavlodar_house")
    form = client.get(url("report", past_event.pk))
    assert form.status_code == 200
    labels = [f.label for f in form.context["form"].breakdown_fields]
    assert labels == ["Youth", "Older people"]
    response = client.post(
        url("report", past_event.pk),
        report_form(
            reported_count="40",
            audience_youth="25",
            audience_elderly="10",
            outcomes="Two new volunteers.",
            press_links="https://pavlodarnews.kz/a/1\n\nhttps://kazinform.kz/b",
        ),
        follow=True,
    )
    assert "The report has been saved." in response.content.decode()
    report = EventReport.objects.get(event=past_event)
    assert report.held and report.reported_count == 40
    assert report.breakdown == {"youth": 25, "elderly": 10}
    assert report.press_links == "https://pavlodarnews.kz/a/1\nhttps://kazinform.kz/b"
    assert not report.is_late
    past_event.refresh_from_db()
    assert past_event.status == Event.Status.REPORTED
    assert past_event.participants_total == 40
    page = response.content.decode()
    assert "Participants by audience" in page
    assert response.context["breakdown"] == [("youth", 25), ("older people", 10)]
    assert '<th scope="row">Older people</th><td class="num">10</td>' in page
    assert 'href="https://kazinform.kz/b"' in page
    assert AuditEntry.objects.filter(object_type="events.EventReport").count() == 1


def test_a_breakdown_larger_than_the_participants_is_refused(as_user, past_event):
    response = as_user("staff_pavlodar_house").post(
        url("report", past_event.pk), report_form(reported_count="5", audience_youth="9")
    )
    assert response.status_code == 200
    assert "The breakdown adds up to more people than took part." in response.content.decode()
    assert not EventReport.objects.exists()


def test_press_links_must_be_web_addresses(as_user, past_event):
    response = as_user("staff_pavlodar_house").post(
        url("report", past_event.pk),
        report_form(press_links="https://ok.kz/1\njavascript:alert(1)\nnot a link"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["press_links"]
    assert "javascript:alert(1)" in errors[0] and "not a link" in errors[0]
    assert not EventReport.objects.exists()


def test_an_event_not_held_counts_nobody(as_user, past_event):
    as_user("staff_pavlodar_house").post(
        url("report", past_event.pk), report_form(held="no", reported_count="30")
    )
    past_event.refresh_from_db()
    assert past_event.participants_total == 0
    assert EventReport.objects.get(event=past_event).held is False


def test_a_future_event_cannot_be_reported_as_held(as_user, plan):
    event = plan()
    response = as_user("staff_pavlodar_house").post(url("report", event.pk), report_form())
    assert response.status_code == 200
    assert "An event is reported once it has taken place." in response.content.decode()
    assert not EventReport.objects.exists()


def test_analysts_cannot_report(as_user, past_event):
    assert as_user("analyst").get(url("report", past_event.pk)).status_code == 403


@override_settings(EVENT_REPORT_DAYS=5)
def test_a_report_on_the_last_allowed_minute_is_on_time(as_user, past_event):
    client = as_user("staff_pavlodar_house")
    with freeze_time(past_event.ends_at + 5 * DAY - MINUTE):
        client.post(url("report", past_event.pk), report_form())
    assert EventReport.objects.get(event=past_event).is_late is False


@override_settings(EVENT_REPORT_DAYS=5)
def test_a_report_after_the_deadline_is_flagged_late_with_a_badge(as_user, past_event):
    client = as_user("staff_pavlodar_house")
    with freeze_time(past_event.ends_at + 5 * DAY + MINUTE):
        response = client.post(url("report", past_event.pk), report_form(), follow=True)
        assert "It came late and is marked so." in response.content.decode()
        assert "late report" in response.content.decode()
    assert EventReport.objects.get(event=past_event).is_late is True


@override_settings(EVENT_REPORT_DAYS=5)
def test_the_late_reports_filter_shows_what_the_coordinator_must_chase(as_user, plan, network):
    admin = network.users["admin"]
    overdue = plan(starts_in=-7 * DAY, title_en="Overdue", registration_required=False)
    plan(starts_in=-2 * DAY, title_en="Recent", registration_required=False)
    late = plan(starts_in=-9 * DAY, title_en="Reported late", registration_required=False)
    on_time = plan(starts_in=-9 * DAY, title_en="Reported on time", registration_required=False)
    plan(starts_in=-9 * DAY, title_en="Cancelled", registration_required=False)
    services.event_report_submit(actor=admin, event=late, held=True)
    with freeze_time(on_time.ends_at + DAY):
        services.event_report_submit(actor=admin, event=on_time, held=True)
    services.event_cancel(actor=admin, event=Event.objects.get(title_en="Cancelled"))

    client = as_user("coordinator_pavlodar")
    response = client.get(url("list"), {"late": "on"})
    titles = sorted(e.title_en for e in response.context["page"].object_list)
    assert titles == ["Overdue", "Reported late"]
    page = response.content.decode()
    assert "report overdue" in page and "late report" in page
    detail = client.get(url("detail", overdue.pk)).content.decode()
    assert "has not been reported" in detail
    # Another region's coordinator does not see them.
    assert (
        as_user("coordinator_almaty").get(url("list"), {"late": "on"}).context["page"].count.value
        == 0
    )


@override_settings(EVENT_REPORT_DAYS=5)
def test_overdue_starts_exactly_after_the_report_days(as_user, plan):
    event = plan(starts_in=-DAY, registration_required=False)
    client = as_user("coordinator_pavlodar")
    with freeze_time(event.ends_at + 5 * DAY - MINUTE):
        assert client.get(url("list"), {"late": "on"}).context["page"].count.value == 0
    with freeze_time(event.ends_at + 5 * DAY + MINUTE):
        assert client.get(url("list"), {"late": "on"}).context["page"].count.value == 1
