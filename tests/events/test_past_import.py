"""Events already held, imported from the regions' activity reports: recorded as held and
reported, counted in the figures (and their rollup), never twice, refused when they cannot be
true; the kind of event and the programme found by the words staff write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.core import kpi
from birlik.events import queries, services
from birlik.events.models import Event, EventMonthFigure, Programme
from birlik.events.services import EventError, PastEventRow

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 5, 14)


def row(network, line: int = 2, **values) -> PastEventRow:
    data = {
        "organiser": network.pavlodar_house,
        "title": "Круглый стол «Единство в многообразии»",
        "date": DAY,
        "kind": Event.Kind.ROUND_TABLE,
        "programme": None,
        "participants": 45,
        "place": "Павлодар, Дом дружбы",
        **values,
    }
    return PastEventRow(line=line, **data)


def past(network, *rows: PastEventRow, actor=None):
    return services.past_events_import(
        actor=actor or network.users["admin"], rows=list(rows), source="отчет-2024.xlsx"
    )


def test_a_past_event_is_recorded_as_held_and_reported_with_its_participants(network):
    myn_bala = Programme.objects.get(code="myn_bala")
    summary = past(
        network,
        row(network),
        row(
            network,
            3,
            title="Мың бала олимпиадасы",
            kind=Event.Kind.COMPETITION,
            programme=myn_bala,
        ),
    )
    assert (summary.created, summary.changed, summary.unchanged) == (2, 0, 0)
    event = Event.objects.get(title_ru="Круглый стол «Единство в многообразии»")
    assert event.status == Event.Status.REPORTED
    assert event.report.held and event.report.reported_count == 45
    assert not event.report.is_late
    assert (event.reported_count, event.participants_total) == (45, 45)
    assert timezone.localtime(event.starts_at).date() == DAY
    assert event.region == network.pavlodar_house.region
    assert event.address_kk == "Павлодар, Дом дружбы"
    kazakh = Event.objects.get(programme=myn_bala)
    assert kazakh.title_kk == "Мың бала олимпиадасы"  # written in Kazakh, kept as Kazakh
    figures = kpi.compute("events.participants", kpi.Period.year(2024))
    assert sum(r["value"] for r in figures) == 90
    assert (
        AuditEntry.objects.filter(
            object_type="events.Event", action="import", note="отчет-2024.xlsx"
        ).count()
        == 2
    )


def test_importing_the_same_report_again_changes_nothing(network):
    past(network, row(network))
    again = past(
        network,
        # The same title typed otherwise: case, spaces, a Latin "C" and "o" inside Cyrillic.
        row(network, title="  КРУГЛЫЙ  Cтол «Единствo в многообразии» "),
        row(network, 3, title="Другая встреча"),
        row(network, 4, title="Другая встреча"),  # twice in the same file
    )
    assert (again.created, again.unchanged) == (1, 2)
    assert Event.objects.count() == 2
    assert services.past_event_recorded(
        row(network, title="круглый стол «единство в многообразии»")
    )
    assert not services.past_event_recorded(row(network, date=DAY - datetime.timedelta(days=1)))


def test_the_rollup_of_the_dashboards_follows_the_imported_events(
    network, django_capture_on_commit_callbacks
):
    services.event_figures_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        past(network, row(network), row(network, 3, title="Концерт", participants=300))
    figure = EventMonthFigure.objects.get(month=DAY.replace(day=1))
    assert (figure.events, figure.participants) == (2, 345)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"date": datetime.date(2026, 12, 1)}, "The date 01.12.2026 is in the future"),
        ({"date": datetime.date(1990, 1, 1)}, "is before 1995, when the Assembly was founded"),
        ({"title": "   "}, "Give the title of the event."),
        ({"title": "x" * 301}, "The title is too long"),
        ({"kind": "picnic"}, "Choose the kind of event from the list."),
        ({"participants": -3}, "The number of participants cannot be negative."),
        ({"participants": 2_000_000}, "2000000 is too large here"),
    ],
)
@freeze_time("2026-11-25 12:00:00+05:00")
def test_an_impossible_past_event_is_refused_with_its_row_and_nothing_is_stored(
    network, values, message
):
    good = row(network, 2, title="Встреча с молодёжью")
    bad = row(network, 3, **values)
    assert any(message in problem for problem in services.past_event_problems(bad))
    with pytest.raises(EventError) as caught:
        past(network, good, bad)
    assert str(caught.value.message).startswith("Row 3: ")
    assert message in str(caught.value.message)
    assert not Event.objects.exists()


def test_an_event_of_today_ends_by_now(network):
    with freeze_time("2026-11-25 04:30:00+00:00"):  # 09:30 in Almaty
        past(network, row(network, date=datetime.date(2026, 11, 25)))
        event = Event.objects.get()
        assert event.ends_at <= timezone.now()
        assert event.starts_at <= event.ends_at


def test_a_national_body_without_a_region_or_a_closed_body_cannot_have_these_events(network):
    problems = services.past_event_problems(row(network, organiser=network.root))
    assert problems and "has no region" in problems[0]
    network.almaty_house.closed_on = datetime.date(2020, 1, 1)
    later = row(network, organiser=network.almaty_house, date=datetime.date(2021, 3, 1))
    assert "was closed on 01.01.2020" in services.past_event_problems(later)[0]
    earlier = row(network, organiser=network.almaty_house, date=datetime.date(2019, 3, 1))
    assert services.past_event_problems(earlier) == []


def test_staff_import_the_events_of_their_own_bodies_only(network):
    staff = network.users["staff_pavlodar_house"]
    with pytest.raises(PermissionDenied):
        past(network, row(network), row(network, 3, organiser=network.almaty_house), actor=staff)
    assert not Event.objects.exists()
    assert past(network, row(network), actor=staff).created == 1


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("round_table", Event.Kind.ROUND_TABLE),
        ("Round table", Event.Kind.ROUND_TABLE),
        ("КРУГЛЫЙ СТОЛ", Event.Kind.ROUND_TABLE),
        ("Дөңгелек үстел", Event.Kind.ROUND_TABLE),
        ("Концерт", Event.Kind.CONCERT),
        ("Праздничный концерт, посвящённый Дню единства", Event.Kind.CONCERT),
        ("семинар-тренинг", Event.Kind.TRAINING),
        ("Республиканский конкурс чтецов", Event.Kind.COMPETITION),
        ("Фестиваль национальных культур", Event.Kind.FESTIVAL),
        ("акция «Дари добро»", Event.Kind.VOLUNTEERING),
        ("Встреча с ветеранами", Event.Kind.MEETING),
        ("Жастармен кездесу", Event.Kind.MEETING),
        ("Кездесулер", Event.Kind.MEETING),
        ("выставка", Event.Kind.EXHIBITION),
        ("sports event", Event.Kind.SPORTS),
        ("", None),
        ("что-то ещё", None),
    ],
)
def test_the_kind_of_event_is_found_by_the_words_staff_write(text, kind):
    assert queries.event_kind_by_label(text) == kind


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("myn_bala", "myn_bala"),
        ("«Мың бала»", "myn_bala"),
        ("Мын бала", "myn_bala"),
        ('"МЫҢ БАЛА"', "myn_bala"),
        ("Программа «Мың бала»", "myn_bala"),
        ("Myn Bala", "myn_bala"),
        ("Инклюзивная ассамблея", "inclusive_assembly"),
        ("Мың", None),
        ("", None),
    ],
)
def test_the_programme_is_found_by_its_code_or_name_in_any_language(db, text, code):
    found = queries.programme_by_label(text)
    assert (found.code if found else None) == code
    among = list(Programme.objects.filter(code="myn_bala"))
    assert queries.programme_by_label("Мын бала", programmes=among) == among[0]
