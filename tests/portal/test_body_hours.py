"""A body's opening hours on its public page: the week, today, and whether it is open now
(Asia/Almaty time, public holidays from the working-day calendar)."""

from __future__ import annotations

import datetime
import re

import pytest
from freezegun import freeze_time

from tests.factories import OpeningHoursFactory, OrganisationFactory, kind, region

from .helpers import main, text

pytestmark = pytest.mark.django_db

T = datetime.time


@pytest.fixture
def house(network):
    """Pavlodar's house: weekdays 09:00–13:00 and 14:00–18:00, Saturday 10:00–14:00."""
    body = network.pavlodar_house
    for weekday in range(5):
        OpeningHoursFactory(organisation=body, weekday=weekday, opens=T(9), closes=T(13))
        OpeningHoursFactory(organisation=body, weekday=weekday, opens=T(14), closes=T(18))
    OpeningHoursFactory(organisation=body, weekday=5, opens=T(10), closes=T(14))
    return body


def hours_block(response) -> str:
    found = re.search(
        r'<section aria-labelledby="hours-heading".*?</section>', main(response), re.S
    )
    assert found, "no opening hours on the page"
    return found[0]


def today_row(response) -> str:
    found = re.search(r'<div class="hours-day is-today">(.*?)</div>', hours_block(response), re.S)
    assert found, "today is not marked"
    return re.sub(r"<[^>]+>", " ", found[1])


# 06:00 UTC is 11:00 in Almaty (UTC+5): Wednesday 10 December 2025.
@freeze_time("2025-12-10 06:00:00")
def test_on_a_weekday_morning_the_kazakh_page_says_open_now(client, house):
    response = client.get(f"/kk/bodies/{house.pk}/")

    block = hours_block(response)
    assert '<h2 id="hours-heading">Жұмыс уақыты</h2>' in block
    assert "<strong>Қазір ашық</strong><br>Жабылу уақыты: 13:00" in block
    assert " ".join(today_row(response).split()) == "Сәрсенбі бүгін 09:00–13:00, 14:00–18:00"
    page = text(response)
    assert "Дүйсенбі 09:00–13:00, 14:00–18:00" in page
    assert "Жексенбі жабық" in page
    assert block.count("is-today") == 1


@freeze_time("2025-12-10 08:30:00")  # 13:30 in Almaty: the lunch break.
def test_in_the_lunch_break_the_russian_page_gives_the_time_it_opens_again(client, house):
    response = client.get(f"/ru/bodies/{house.pk}/")

    assert "<strong>Сейчас закрыто</strong><br>Откроется сегодня в 14:00" in hours_block(response)
    assert '<h2 id="hours-heading">Режим работы</h2>' in hours_block(response)


@freeze_time("2025-12-14 07:00:00")  # Sunday noon in Almaty.
def test_on_sunday_the_russian_page_says_closed_until_monday(client, house):
    response = client.get(f"/ru/bodies/{house.pk}/")

    block = hours_block(response)
    assert "<strong>Сейчас закрыто</strong><br>Откроется завтра в 09:00" in block
    assert " ".join(today_row(response).split()) == "Воскресенье сегодня закрыто"
    assert "Закрыто в праздничные дни" in text(response)


@freeze_time("2025-12-13 10:00:00")  # Saturday 15:00 in Almaty, after closing.
def test_on_saturday_afternoon_the_kazakh_page_names_monday(client, house):
    response = client.get(f"/kk/bodies/{house.pk}/")

    assert "<strong>Қазір жабық</strong><br>Ашылу уақыты: дүйсенбі, 09:00" in hours_block(response)


@freeze_time("2025-12-16 06:00:00")  # Tuesday 11:00, Independence Day.
@pytest.mark.parametrize(
    ("language", "headline", "detail"),
    [
        ("kk", "Бүгін жабық: мереке күні", "Ашылу уақыты: ертең, 09:00"),
        ("ru", "Сегодня закрыто: праздничный день", "Откроется завтра в 09:00"),
        ("en", "Closed today: public holiday", "Opens tomorrow at 09:00"),
    ],
)
def test_on_a_public_holiday_the_page_says_closed_today(client, house, language, headline, detail):
    response = client.get(f"/{language}/bodies/{house.pk}/")

    assert f"<strong>{headline}</strong><br>{detail}" in hours_block(response)


@freeze_time("2025-12-16 06:00:00")
def test_a_body_open_on_holidays_is_open_on_one(client, house):
    house.open_on_public_holidays = True
    house.save()

    response = client.get(f"/en/bodies/{house.pk}/")

    assert "<strong>Open now</strong><br>Closes at 13:00" in hours_block(response)
    assert "Open on public holidays as on other days." in text(response)


def test_a_note_is_shown_in_the_language_of_the_page(client, house):
    house.opening_hours_note_kk = "Сенбі күні алдын ала жазылу бойынша"
    house.opening_hours_note_en = "On Saturdays by appointment"
    house.save()

    assert "On Saturdays by appointment" in hours_block(client.get(f"/en/bodies/{house.pk}/"))
    kazakh = hours_block(client.get(f"/kk/bodies/{house.pk}/"))
    assert "Сенбі күні алдын ала жазылу бойынша" in kazakh


def test_a_body_without_hours_says_they_are_not_recorded(client, network):
    response = client.get(f"/en/bodies/{network.pavlodar_elders.pk}/")

    block = hours_block(response)
    assert "The opening hours of this body are not recorded yet." in block
    assert "hours-week" not in block


def test_a_closed_body_shows_no_hours(client, network):
    closed = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("mothers_council"),
        region=region("KZ-55"),
        status="closed",
        closed_on=datetime.date(2024, 5, 1),
    )
    OpeningHoursFactory(organisation=closed)

    response = client.get(f"/en/bodies/{closed.pk}/")

    assert response.status_code == 200
    assert "hours-heading" not in main(response)
    assert "Open now" not in text(response)
