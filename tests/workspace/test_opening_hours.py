"""The week editor on a body's edit page: seven text fields, no JavaScript needed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from birlik.access.models import AuditEntry
from birlik.registry.models import OpeningHours
from tests.factories import OpeningHoursFactory
from tests.portal.helpers import text

pytestmark = pytest.mark.django_db

T = datetime.time


def edit_url(body) -> str:
    return reverse("workspace:body_edit", args=[body.pk])


def body_fields(body) -> dict[str, str]:
    return {
        "name_kk": body.name_kk,
        "name_ru": body.name_ru,
        "name_en": body.name_en,
        "region": str(body.region_id),
    }


def week(**days: str) -> dict[str, str]:
    """The week editor's fields as posted: every day, empty unless given (day_0=Monday)."""
    data = {"hours-sent": "1", **{f"hours-day_{d}": "" for d in range(7)}}
    data.update({f"hours-{name}": value for name, value in days.items()})
    return data


def week_of(body) -> list[tuple[int, datetime.time, datetime.time]]:
    return list(
        OpeningHours.objects.filter(organisation=body)
        .order_by("weekday", "opens")
        .values_list("weekday", "opens", "closes")
    )


def test_the_edit_page_shows_the_week_with_a_field_per_day(as_user, network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house, weekday=0, opens=T(9), closes=T(13))
    OpeningHoursFactory(organisation=house, weekday=0, opens=T(14), closes=T(18))

    response = as_user("staff_pavlodar_house").get(edit_url(house))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Opening hours</legend>" in html
    for weekday, name in enumerate(["Monday", "Tuesday", "Saturday", "Sunday"]):
        assert f">{name}</label>" in html, weekday
    assert 'name="hours-day_0" value="09:00–13:00, 14:00–18:00"' in html
    assert 'name="hours-day_1" value=""' not in html  # an empty day has no value at all
    assert 'aria-describedby="hours-help"' in html
    assert 'id="hours-help"' in html


def test_staff_save_the_week_as_they_write_it(as_user, network):
    house = network.pavlodar_house
    data = {
        **body_fields(house),
        **week(
            day_0="9-13, 14-18",
            day_1="09:00-13:00,14:00-18:00",
            day_2="9.00–13.00; 14.00–18.00",
            day_3="9-18",
            day_4="09:00 — 17:00",
            day_5="10-14",
            note_ru="Библиотека закрывается в 17:00",
        ),
    }

    response = as_user("staff_pavlodar_house").post(edit_url(house), data)

    assert response.status_code == 302
    stored = week_of(house)
    assert stored[:2] == [(0, T(9), T(13)), (0, T(14), T(18))]
    assert (3, T(9), T(18)) in stored
    assert (4, T(9), T(17)) in stored
    assert stored[-1] == (5, T(10), T(14))
    assert not [row for row in stored if row[0] == 6]
    house.refresh_from_db()
    assert house.opening_hours_note_ru == "Библиотека закрывается в 17:00"
    entry = AuditEntry.objects.get(object_type="registry.Organisation", object_id=str(house.pk))
    assert entry.changes["opening_hours"][1].startswith("Mo 09:00-13:00,14:00-18:00; ")


def test_a_day_that_cannot_be_read_is_named_and_nothing_is_saved(as_user, network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)
    data = {
        **body_fields(house),
        "phone": "+7 7182 222222",
        **week(day_0="9-18", day_1="9 to 6", day_3="14-18, 9-15"),
    }

    response = as_user("staff_pavlodar_house").post(edit_url(house), data)

    assert response.status_code == 200
    page = text(response)
    assert "Tuesday: “9 to 6” is not understood." in page
    assert "Thursday: the times 09:00–15:00 and 14:00–18:00 overlap." in page
    html = response.content.decode()
    assert 'name="hours-day_1" value="9 to 6"' in html  # what was typed is kept
    assert 'href="#id_hours-day_1"' in html
    assert week_of(house) == [(0, T(9), T(13))]
    house.refresh_from_db()
    assert house.phone == ""


def test_emptying_every_day_closes_the_body_all_week(as_user, network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)

    response = as_user("staff_pavlodar_house").post(
        edit_url(house), {**body_fields(house), **week()}
    )

    assert response.status_code == 302
    assert week_of(house) == []


def test_a_post_without_the_week_editor_leaves_the_week_alone(as_user, network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)

    response = as_user("staff_pavlodar_house").post(
        edit_url(house), {**body_fields(house), "phone": "+7 7182 333333"}
    )

    assert response.status_code == 302
    assert week_of(house) == [(0, T(9), T(13))]


@pytest.mark.parametrize(
    ("user", "status"),
    [("staff_pavlodar_house", 404), ("coordinator_pavlodar", 404), ("analyst", 403)],
)
def test_someone_who_may_not_edit_the_body_cannot_change_its_week(as_user, network, user, status):
    almaty = network.almaty_house
    OpeningHoursFactory(organisation=almaty)
    client = as_user(user)

    assert client.get(edit_url(almaty)).status_code == status
    response = client.post(edit_url(almaty), {**body_fields(almaty), **week(day_6="9-18")})

    assert response.status_code == status
    assert week_of(almaty) == [(0, T(9), T(13))]
