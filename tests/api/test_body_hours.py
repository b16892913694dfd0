"""A body's opening hours in the public API: the week as intervals, the note, the holiday rule."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import OpeningHoursFactory

pytestmark = pytest.mark.django_db

T = datetime.time


def test_a_body_lists_its_week_monday_first(network, api):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house, weekday=5, opens=T(10), closes=T(14))
    OpeningHoursFactory(organisation=house, weekday=0, opens=T(14), closes=T(18))
    OpeningHoursFactory(organisation=house, weekday=0, opens=T(9), closes=T(13))
    house.opening_hours_note_en = "On Saturdays by appointment"
    house.save()

    body = api.get(f"/bodies/{house.pk}").json()

    assert body["opening_hours"] == [
        {"weekday": 0, "opens": "09:00", "closes": "13:00"},
        {"weekday": 0, "opens": "14:00", "closes": "18:00"},
        {"weekday": 5, "opens": "10:00", "closes": "14:00"},
    ]
    assert body["opening_hours_note"] == "On Saturdays by appointment"
    assert body["open_on_public_holidays"] is False


def test_a_body_without_hours_gives_an_empty_week(network, api):
    body = api.get(f"/bodies/{network.pavlodar_elders.pk}").json()

    assert body["opening_hours"] == []
    assert body["opening_hours_note"] == ""


def test_the_schema_describes_the_week(db, api):
    schema = api.get("/openapi.json").json()
    detail = schema["components"]["schemas"]["BodyDetail"]["properties"]
    assert "opening_hours" in detail
    interval = schema["components"]["schemas"]["OpeningInterval"]["properties"]
    assert interval["weekday"]["maximum"] == 6
