"""Writing a body's week: all or nothing, audited, only by those who may edit the body."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from birlik.access.models import AuditEntry
from birlik.registry import services
from birlik.registry.hours import HoursError, Interval, OpeningWeek
from birlik.registry.models import OpeningHours

from ..factories import OpeningHoursFactory

pytestmark = pytest.mark.django_db

T = datetime.time
OFFICE = tuple(
    Interval(day, opens, closes)
    for day in range(5)
    for opens, closes in ((T(9), T(13)), (T(14), T(18)))
)


def week_of(body) -> list[tuple[int, datetime.time, datetime.time]]:
    return list(
        OpeningHours.objects.filter(organisation=body)
        .order_by("weekday", "opens")
        .values_list("weekday", "opens", "closes")
    )


def audit_rows(body) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(object_type="registry.Organisation", object_id=str(body.pk))
    )


def test_staff_replace_their_house_week_with_one_audit_row(network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house, weekday=6, opens=T(11), closes=T(15))

    services.opening_hours_replace(
        actor=network.users["staff_pavlodar_house"],
        organisation=house,
        week=OpeningWeek(
            intervals=(*OFFICE, Interval(5, T(10), T(14))),
            note={"kk": "Алдын ала жазылу бойынша", "ru": "По записи"},
        ),
    )

    assert week_of(house)[:2] == [(0, T(9), T(13)), (0, T(14), T(18))]
    assert week_of(house)[-1] == (5, T(10), T(14))
    assert len(week_of(house)) == 11
    house.refresh_from_db()
    assert house.opening_hours_note_ru == "По записи"
    assert house.open_on_public_holidays is False
    [entry] = audit_rows(house)
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.actor == network.users["staff_pavlodar_house"]
    assert entry.organisation_path == house.path
    before, after = entry.changes["opening_hours"]
    assert before == "Su 11:00-15:00"
    assert after.startswith("Mo 09:00-13:00,14:00-18:00; Tu ")
    assert after.endswith("; Sa 10:00-14:00")
    assert entry.changes["opening_hours_note_ru"] == ["", "По записи"]
    assert "opening_hours_note_en" not in entry.changes


def test_the_same_week_again_writes_nothing(network):
    house = network.pavlodar_house
    actor = network.users["staff_pavlodar_house"]
    services.opening_hours_replace(
        actor=actor, organisation=house, week=OpeningWeek(intervals=OFFICE)
    )
    ids = set(OpeningHours.objects.filter(organisation=house).values_list("pk", flat=True))

    services.opening_hours_replace(
        actor=actor, organisation=house, week=OpeningWeek(intervals=tuple(reversed(OFFICE)))
    )

    assert set(OpeningHours.objects.filter(organisation=house).values_list("pk", flat=True)) == ids
    assert len(audit_rows(house)) == 1


def test_an_empty_week_closes_every_day_and_is_audited(network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)

    services.opening_hours_replace(
        actor=network.users["coordinator_pavlodar"],
        organisation=house,
        week=OpeningWeek(intervals=()),
    )

    assert week_of(house) == []
    assert audit_rows(house)[0].changes["opening_hours"] == ["Mo 09:00-13:00", ""]


def test_a_broken_day_leaves_the_old_week_whole(network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)
    overlapping = (*OFFICE, Interval(4, T(12), T(15)))

    with pytest.raises(HoursError) as error:
        services.opening_hours_replace(
            actor=network.users["staff_pavlodar_house"],
            organisation=house,
            week=OpeningWeek(intervals=overlapping),
        )

    assert error.value.field == "day_4"
    assert week_of(house) == [(0, T(9), T(13))]
    assert audit_rows(house) == []


def test_a_body_edit_with_a_broken_week_keeps_the_body_as_it_was(network):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)

    with pytest.raises(HoursError):
        services.organisation_update(
            actor=network.users["staff_pavlodar_house"],
            organisation=house,
            data={"phone": "+7 7182 111111"},
            opening_hours=OpeningWeek(intervals=(Interval(2, T(18), T(9)),)),
        )

    house.refresh_from_db()
    assert house.phone == ""
    assert week_of(house) == [(0, T(9), T(13))]
    assert audit_rows(house) == []


def test_a_body_edit_with_its_week_is_one_change_in_the_audit_log(network):
    house = network.pavlodar_house

    services.organisation_update(
        actor=network.users["staff_pavlodar_house"],
        organisation=house,
        data={"phone": "+7 7182 111111"},
        opening_hours=OpeningWeek(intervals=OFFICE, open_on_public_holidays=True),
    )

    [entry] = audit_rows(house)
    assert entry.changes["phone"] == ["", "+7 7182 111111"]
    assert entry.changes["opening_hours"][0] == ""
    assert entry.changes["open_on_public_holidays"] == [False, True]
    assert len(week_of(house)) == 10


@pytest.mark.parametrize("user", ["coordinator_almaty", "analyst", "auditor", "nobody"])
def test_who_may_not_edit_the_body_may_not_change_its_week(network, user):
    house = network.pavlodar_house
    OpeningHoursFactory(organisation=house)

    with pytest.raises(PermissionDenied):
        services.opening_hours_replace(
            actor=network.users[user], organisation=house, week=OpeningWeek(intervals=OFFICE)
        )

    assert week_of(house) == [(0, T(9), T(13))]
