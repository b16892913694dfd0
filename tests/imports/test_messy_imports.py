"""The files staff really keep, end to end through the pages: members lists in kk/ru/en with
titles, totals, formulas, every form of date, IIN and phone; CSV as Excel saves it; bodies by
names (old ones too); files that are not spreadsheets."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from birlik.imports.models import ImportJob, ImportRow
from birlik.registry.iin import iin_digest
from birlik.registry.models import Membership, Organisation, Person

from . import messy
from .flow import check, confirm, rows, upload

pytestmark = pytest.mark.django_db

DEFAULTS = {"role": "member", "consent_date": "2025-01-09"}
CREATED = (0, 1, 3, 5, 6, 9, 12)  # indexes of MESSY_MEMBERS that import


@pytest.fixture
def coordinator(client, network):
    client.force_login(network.users["coordinator_pavlodar"])
    return client


def by_index(review) -> dict[int, ImportRow]:
    return {row.line - messy.FIRST_DATA_ROW: row for row in rows(review)}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_a_messy_members_list_in_each_language(coordinator, network, language):
    data = messy.members_titled(messy.MESSY_MEMBERS, language=language)

    review = check(coordinator, network.pavlodar, data, defaults=DEFAULTS)

    job = review.context["job"]
    assert job.header_line == messy.HEADER_ROW
    mapped = set(job.mapping.values())
    assert {"full_name", "iin", "birth_date", "phone", "start_date", "body"} <= mapped
    found = by_index(review)
    assert sorted(i for i, row in found.items() if row.status == "create") == list(CREATED), {
        i: (row.status, row.errors) for i, row in found.items()
    }
    assert any("instead of letters" in e for e in found[4].errors)  # Н?рлан
    assert any(e.startswith("IIN") for e in found[7].errors)  # 9.30512E+11
    assert any("formula" in n for n in found[2].notes)  # =DATE(2021,9,1), read as text
    for duplicate in (8, 10, 11):
        assert any("repeats row" in e for e in found[duplicate].errors)
    assert any("mixes Latin and Cyrillic" in n for n in found[3].notes)  # Cергеев
    assert {line for line, _note in job.skipped} >= {
        messy.FIRST_DATA_ROW + len(messy.MESSY_MEMBERS)
    }

    confirm(coordinator, review)

    for index in CREATED:
        member = messy.MESSY_MEMBERS[index]
        person = Person.objects.get(iin_digest=iin_digest(member.iin_expected))
        assert person.birth_date == member.birth_expected
        assert person.phone == "+" + member.phone_expected
    kim = Person.objects.get(iin_digest=iin_digest(messy.MESSY_MEMBERS[5].iin_expected))
    assert (kim.last_name, kim.first_name, kim.patronymic) == ("Ким", "Алина", "Викторовна")
    aigul = Person.objects.get(iin_digest=iin_digest(messy.MESSY_MEMBERS[1].iin_expected))
    assert aigul.patronymic == "Серік қызы"
    elders = Membership.objects.filter(organisation=network.pavlodar_elders).count()
    assert elders == 1  # only the network's own member: Ахметов (row 4) was refused


def test_the_same_list_imported_twice_changes_nothing(coordinator, network):
    data = messy.members_titled(messy.MESSY_MEMBERS)
    confirm(coordinator, check(coordinator, network.pavlodar, data, defaults=DEFAULTS))
    counts = (Person.objects.count(), Membership.objects.count())

    again = check(coordinator, network.pavlodar, data, defaults=DEFAULTS)

    assert again.context["job"].created == 0
    assert again.context["job"].unchanged == len(CREATED)
    assert (Person.objects.count(), Membership.objects.count()) == counts


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1251", ";"), ("utf-8-sig", ","), ("utf-8", ";")],
)
def test_csv_as_excel_saves_it(coordinator, network, encoding, delimiter):
    data = messy.members_csv(
        messy.MESSY_MEMBERS, encoding=encoding, delimiter=delimiter, titled=True
    )

    review = check(coordinator, network.pavlodar, data, name="members.csv", defaults=DEFAULTS)

    found = by_index(review)
    created = {i for i, row in found.items() if row.status == "create"}
    if encoding == "cp1251":
        # Windows-1251 has no ә, қ, ұ…: Excel wrote "?" for them; those names are refused.
        assert 0 in found and any("instead of letters" in e for e in found[0].errors)
        assert 2 in created  # Иванов Сергей Петрович: no Kazakh letters
    else:
        assert {0, 1, 2, 3, 5, 6} <= created


def test_bodies_by_names_old_names_and_moves(client, network):
    coordinator = client  # the national administrator: the rows are in several regions
    client.force_login(network.users["admin"])
    review = check(coordinator, network.root, messy.bodies_by_names(), kind="bodies")

    found = {row.line - 4: row for row in rows(review)}
    statuses = [found[i].status for i in range(len(messy.BODIES_BY_NAMES))]
    # The last row (a house of friendship straight under the secretariat) breaks the hierarchy.
    assert statuses == ["create"] * (len(statuses) - 1) + ["reject"], statuses
    assert "cannot be placed under" in found[len(statuses) - 1].errors[0]
    notes = {i: " ".join(row.notes) for i, row in found.items()}
    for index, body in enumerate(messy.BODIES_BY_NAMES):
        if "Ayagoz" in body.note:
            assert "since 2022" in notes[index]
        if "ЮКО" in body.region or "Семипалатинская" in body.region:
            assert "is an old name" in notes[index]

    confirm(coordinator, review)
    for body in messy.BODIES_BY_NAMES:
        created = Organisation.objects.filter(name_ru=body.name).first()
        if body.kind_expected == "house_of_friendship" and body.region_expected == "KZ-71":
            assert created is None  # the rejected row
            continue
        assert created is not None, body.name
        assert created.region.iso == body.region_expected
        if body.kind_expected:
            assert created.kind.code == body.kind_expected
        if body.district_expected:
            assert created.district.kato == body.district_expected
        if body.ethnic_expected:
            assert sorted(g.code for g in created.ethnic_groups.all()) == sorted(
                body.ethnic_expected
            )


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (messy.word_renamed(), messy.WORD_RENAMED_NAME, "Word"),
        (messy.photo_renamed(), messy.PHOTO_RENAMED_NAME, "picture (JPEG)"),
        (messy.old_xls(), messy.OLD_XLS_NAME, ".xls"),
    ],
    ids=["word", "photo", "xls"],
)
def test_a_file_that_is_not_a_spreadsheet_is_named_for_what_it_is(
    coordinator, network, data, name, says
):
    response = upload(coordinator, network.pavlodar, data, name=name)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert says.lower() in errors.lower(), errors
    assert not ImportJob.objects.exists()


def test_an_iin_held_by_someone_else_is_a_conflict_never_a_link(coordinator, network):
    kim = network.almaty_person
    birth = datetime.date(1985, 3, 12)
    number = messy.valid_iin(birth, "m", 4242)
    Person.objects.filter(pk=kim.pk).update(iin_digest=iin_digest(number), iin_last4=number[-4:])
    member = messy.Member("Омаров Асқар", number, birth, body=messy.PAVLODAR_HOUSE)

    review = check(coordinator, network.pavlodar, messy.members_titled([member]), defaults=DEFAULTS)

    [row] = rows(review)
    assert row.status == "reject"
    assert any("registered under another name" in e for e in row.errors)
    assert kim.last_name not in " ".join(row.errors)


def test_a_regional_activity_report_imports_the_events_held(coordinator, network):
    from birlik.events.models import Event

    review = check(coordinator, network.pavlodar, messy.events_report(), kind="events")

    found = {row.line - 4: row for row in rows(review)}
    for index, event in enumerate(messy.EVENTS_REPORT):
        row = found[index]
        if isinstance(event.participants, messy.Formula):
            # A formula is read as its text, flagged, never computed: the count is refused.
            assert row.status == "reject"
            assert any("formula" in n for n in row.notes)
            continue
        assert row.status == "create", (event.title, row.errors)
    assert any("Итого" in note for _line, note in review.context["job"].skipped)

    confirm(coordinator, review)

    for event in messy.EVENTS_REPORT:
        if isinstance(event.participants, messy.Formula):
            continue
        stored = (
            Event.objects.get(title_ru=event.title)
            if Event.objects.filter(title_ru=event.title).exists()
            else Event.objects.get(title_kk=event.title)
        )
        assert stored.kind == event.kind_expected
        assert timezone.localtime(stored.starts_at).date() == event.date_expected
        assert stored.participants_total == event.participants_expected
        assert (stored.programme.code if stored.programme else "") == event.programme_expected

    again = check(coordinator, network.pavlodar, messy.events_report(), kind="events")
    assert again.context["job"].created == 0


def test_past_yearly_figures_are_imported_and_counted_once(coordinator, network):
    from birlik.events.models import HistoricalFigure

    history = messy.history_rows()
    review = check(coordinator, network.pavlodar, messy.history_figures(history), kind="history")

    # A programme Birlik does not list is refused by name, never created.
    unknown = [r for r in history if "Рухани" in r.programme]
    assert unknown
    refused = [r for r in rows(review) if r.status == "reject"]
    assert len(refused) == len(unknown)
    assert all("Unknown programme" in r.errors[0] for r in refused)
    confirm(coordinator, review)

    kept = [r for r in history if r not in unknown]
    assert HistoricalFigure.objects.count() == len(kept)
    for row in kept:
        figure = HistoricalFigure.objects.get(
            year=row.year_expected,
            organisation__name_ru=row.body,
            programme__isnull=not row.programme,
        )
        assert (figure.events_count, figure.participants) == (
            row.events_expected,
            row.participants_expected,
        )
    again = check(coordinator, network.pavlodar, messy.history_figures(history), kind="history")
    assert again.context["job"].unchanged == len(kept)
    assert again.context["job"].created == 0
