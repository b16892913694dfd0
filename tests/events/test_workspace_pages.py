"""Planning events in the workspace: who may do what, and every step in the audit trail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from birlik.access.models import AuditEntry, Role
from birlik.events.models import Audience, Event, Registration

from ..factories import GrantFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"events:{name}", args=args)


def event_form(**extra) -> dict:
    data = {
        "title_kk": "Наурыз мерекесі",
        "title_en": "Nauryz celebration",
        "kind": "festival",
        "format": "in_person",
        "address_kk": "Павлодар, Кутузов көшесі, 5",
        "starts_at": "2031-03-21T15:00",
        "ends_at": "2031-03-21T18:00",
        "languages": ["kk", "ru"],
        "audiences": [],
        "accessibility": ["step_free"],
        "capacity": "50",
        "registration_required": "yes",
        "co_organisers": "",
    }
    data.update(extra)
    return data


def event_trail(event: Event) -> list[tuple[str, dict]]:
    return list(
        AuditEntry.objects.filter(object_type="events.Event", object_id=str(event.pk))
        .exclude(action=AuditEntry.Action.READ)
        .order_by("at", "pk")
        .values_list("action", "changes")
    )


@pytest.fixture
def regional_event(plan, network):
    return plan(organiser=network.pavlodar)


@pytest.fixture
def district_staff(client, network):
    user = UserFactory(username="staff_district_elders")
    GrantFactory(user=user, role=Role.BODY_STAFF, organisation=network.pavlodar_elders)
    client.force_login(user)
    return client


def test_staff_of_a_district_body_do_not_see_a_regional_event(district_staff, regional_event):
    for name in ("detail", "edit", "cancel", "report", "check_in"):
        assert district_staff.get(url(name, regional_event.pk)).status_code == 404
    assert district_staff.post(url("publish", regional_event.pk)).status_code == 404


def test_staff_of_the_house_cannot_edit_the_regional_assemblys_event(as_user, regional_event):
    client = as_user("staff_pavlodar_house")
    assert client.get(url("edit", regional_event.pk)).status_code == 404
    response = client.post(url("edit", regional_event.pk), event_form(title_kk="Басқа"))
    assert response.status_code == 404
    regional_event.refresh_from_db()
    assert regional_event.title_kk == "Достық кеші"


def test_coordinator_of_another_region_gets_404(as_user, regional_event):
    client = as_user("coordinator_almaty")
    assert client.get(url("detail", regional_event.pk)).status_code == 404
    assert client.get(url("list")).context["page"].count.value == 0


def test_analyst_sees_the_event_but_may_not_change_it(as_user, regional_event):
    client = as_user("analyst")
    page = client.get(url("detail", regional_event.pk))
    assert page.status_code == 200
    assert "Friendship evening" in page.content.decode()
    assert url("edit", regional_event.pk) not in page.content.decode()
    assert page.context["registrations"] is None  # no personal data for analysts
    assert client.get(url("edit", regional_event.pk)).status_code == 403
    assert client.post(url("publish", regional_event.pk)).status_code == 403
    assert client.post(url("cancel", regional_event.pk), {"reason": "x"}).status_code == 403
    assert client.get(url("register", regional_event.pk)).status_code == 403
    regional_event.refresh_from_db()
    assert regional_event.status == Event.Status.PLANNED


def test_planning_needs_a_body_in_scope_and_a_staff_role(as_user, network):
    assert (
        as_user("staff_pavlodar_house").get(url("create", network.almaty_house.pk)).status_code
        == 404
    )
    assert as_user("analyst").get(url("create", network.pavlodar_house.pk)).status_code == 403


def test_staff_plan_edit_publish_and_cancel_an_event_and_each_step_is_audited(
    as_user, network, sign_up
):
    client = as_user("staff_pavlodar_house")
    house = network.pavlodar_house
    form_page = client.get(url("create", house.pk))
    assert form_page.status_code == 200
    # The region comes from the body; the venue offers the region's houses of friendship.
    assert form_page.context["form"].initial["region"] == house.region_id
    venues = list(form_page.context["form"].fields["venue"].queryset)
    assert venues == [house]

    response = client.post(
        url("create", house.pk),
        event_form(
            audiences=list(
                Audience.objects.filter(code__in=["youth", "elderly"]).values_list("pk", flat=True)
            ),
            venue=str(house.pk),
            co_organisers=f"{network.pavlodar_elders.pk}",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get(title_kk="Наурыз мерекесі")
    assert response["Location"] == url("detail", event.pk)
    assert event.organiser == house
    assert event.region == region("KZ-55")
    assert event.status == Event.Status.PLANNED
    assert event.capacity == 50
    assert event.language_codes == ["kk", "ru"]
    assert sorted(a.code for a in event.audiences.all()) == ["elderly", "youth"]
    assert list(event.co_organisers.all()) == [network.pavlodar_elders]
    # 15:00 in Almaty is 10:00 UTC (UTC+5).
    assert event.starts_at.hour == 10

    response = client.post(url("edit", event.pk), event_form(capacity="80", title_en="Nauryz"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.capacity, event.title_en) == (80, "Nauryz")

    response = client.post(url("publish", event.pk), follow=True)
    assert "The event is open for registration." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.OPEN

    sign_up(event, 1)
    confirm = client.get(url("cancel", event.pk))
    assert "1 registered person is told" in confirm.content.decode()
    response = client.post(url("cancel", event.pk), {"reason": "Storm warning"}, follow=True)
    assert "The event has been cancelled." in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED

    trail = event_trail(event)
    assert [action for action, _changes in trail] == ["create", "update", "update", "update"]
    assert trail[1][1]["capacity"] == [50, 80]
    assert trail[2][1] == {"status": ["planned", "open"]}
    assert trail[3][1] == {"status": ["open", "cancelled"]}
    assert AuditEntry.objects.get(
        object_type="events.Event", object_id=str(event.pk), note="Storm warning"
    )
    # The trail is on the event page for those who may read it.
    page = as_user("coordinator_pavlodar").get(url("detail", event.pk)).content.decode()
    assert "Storm warning" in page


def test_a_form_with_mistakes_says_what_to_fix_and_plans_nothing(as_user, network):
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("create", network.pavlodar_house.pk),
        event_form(
            title_kk="",
            title_en="",
            ends_at="2031-03-21T12:00",
            co_organisers="99999, abc",
            capacity="-3",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Give the title of the event." in errors["title_kk"]
    assert "The event cannot end before it starts." in errors["ends_at"]
    assert "co_organisers" in errors and "capacity" in errors
    assert "Please correct the errors below." in response.content.decode()
    assert not Event.objects.exists()


def test_the_services_rule_comes_back_as_a_field_message(as_user, network):
    response = as_user("staff_pavlodar_house").post(
        url("create", network.pavlodar_house.pk), event_form(address_kk="", venue="")
    )
    assert response.status_code == 200
    assert "Give the address or choose the venue." in response.context["form"].errors["address_kk"]
    assert not Event.objects.exists()


def test_registering_people_and_the_waiting_list_promotion_show_on_the_event_page(as_user, plan):
    event = plan(capacity=1, publish=True)
    client = as_user("staff_pavlodar_house")
    person = {"phone": "", "email": "", "language": "kk", "consent": "on"}
    response = client.post(
        url("register", event.pk),
        {**person, "full_name": "Асқар Бекұлы", "phone": "+7 701 111 22 33"},
        follow=True,
    )
    assert "Асқар Бекұлы is registered" in response.content.decode()
    response = client.post(
        url("register", event.pk),
        {**person, "full_name": "Дана Серікова", "email": "dana@example.kz"},
        follow=True,
    )
    assert "The event is full: Дана Серікова is on the waiting list." in response.content.decode()
    first = Registration.objects.get(full_name="Асқар Бекұлы")
    assert first.source == Registration.Source.STAFF

    response = client.post(url("registration_cancel", event.pk, first.pk), follow=True)
    page = response.content.decode()
    assert "The registration of Асқар Бекұлы has been cancelled." in page
    rows = {r.full_name: r.status for r in response.context["registrations"].object_list}
    assert rows == {"Асқар Бекұлы": "cancelled", "Дана Серікова": "confirmed"}
    event.refresh_from_db()
    assert (event.confirmed_count, event.waitlist_count) == (1, 0)


def test_registration_without_consent_is_refused_with_a_message(as_user, plan):
    event = plan(publish=True)
    response = as_user("staff_pavlodar_house").post(
        url("register", event.pk), {"full_name": "Ерлан", "phone": "87011112233", "language": "ru"}
    )
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not Registration.objects.exists()


def test_registrations_can_be_searched_by_name_or_phone(as_user, plan, sign_up):
    event = plan(publish=True)
    sign_up(event, 1, full_name="Айгүл Сейітова", phone="+7 701 555 00 01")
    sign_up(event, 2, full_name="Борис Ким", phone="+7 702 777 00 02")
    client = as_user("staff_pavlodar_house")
    names = lambda q: [  # noqa: E731
        r.full_name
        for r in client.get(url("detail", event.pk), {"q": q}).context["registrations"].object_list
    ]
    assert names("ким") == ["Борис Ким"]
    assert names("айгүл") == ["Айгүл Сейітова"]
    assert names("777 00") == ["Борис Ким"]
    assert names("8 701 555 00 01") == ["Айгүл Сейітова"]


def test_the_events_list_filters_and_reports_bad_values(as_user, plan, network):
    plan(title_en="In Pavlodar", programme=None)
    plan(
        organiser=network.almaty_house,
        region=region("KZ-75"),
        title_en="In Almaty",
        address_kk="Алматы",
    )
    client = as_user("admin")
    everything = client.get(url("list"))
    assert everything.context["page"].count.value == 2
    in_almaty = client.get(url("list"), {"region": "KZ-75"})
    assert [e.title_en for e in in_almaty.context["page"].object_list] == ["In Almaty"]
    by_body = client.get(url("list"), {"body": network.pavlodar.pk})
    assert [e.title_en for e in by_body.context["page"].object_list] == ["In Pavlodar"]
    broken = client.get(url("list"), {"region": "XX", "page": "abc", "date_from": "soon"})
    assert broken.status_code == 200
    assert broken.context["page"].count.value == 2
    assert "Some search values were not understood" in broken.content.decode()


def test_the_body_page_shows_its_events_and_the_plan_link(as_user, plan, network):
    plan(title_en="Coming soon")
    page = (
        as_user("staff_pavlodar_house")
        .get(reverse("workspace:body", args=[network.pavlodar_house.pk]))
        .content.decode()
    )
    assert "Coming soon" in page
    assert url("create", network.pavlodar_house.pk) in page
    analyst_page = (
        as_user("analyst")
        .get(reverse("workspace:body", args=[network.pavlodar_house.pk]))
        .content.decode()
    )
    assert "Coming soon" in analyst_page
    assert url("create", network.pavlodar_house.pk) not in analyst_page


def test_the_admin_lists_events_but_leaves_changes_to_the_workspace(client, plan, network):
    plan()
    admin = network.users["admin"]
    admin.is_staff = True
    admin.save()
    client.force_login(admin)
    listing = client.get(reverse("admin:events_event_changelist"))
    assert listing.status_code == 200
    assert "Friendship evening" in listing.content.decode()
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    assert client.get(reverse("admin:events_programme_changelist")).status_code == 200


def test_reading_the_registrations_list_is_audited(as_user, plan):
    event = plan()
    client = as_user("staff_pavlodar_house")
    client.get(reverse("events:detail", kwargs={"pk": event.pk}))
    read = AuditEntry.objects.get(object_type="events.Event", action=AuditEntry.Action.READ)
    assert read.note == "registrations, page 1"
