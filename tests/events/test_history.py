"""Yearly totals imported from the records kept before Birlik: stored once per year, body and
programme, counted in a period that covers their whole year (never in a quarter or a month),
marked as imported totals on the dashboards and in the annual report."""

from __future__ import annotations

import datetime
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from openpyxl import load_workbook

from birlik.access.models import AuditEntry
from birlik.core import kpi
from birlik.core.templatetags.birlik_format import number
from birlik.events import services
from birlik.events.models import HistoricalFigure, Programme
from birlik.events.services import EventError, HistoricalRow
from birlik.reports.documents import annual

from ..queries import DataQueriesContext
from ..reports.factories import held_event

pytestmark = pytest.mark.django_db

YEAR = 2019
PUBLIC = "/en/figures/"


def held_at(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 10, 6, tzinfo=datetime.UTC)


def myn_bala() -> Programme:
    return Programme.objects.get(code="myn_bala")


def history(network, *rows: tuple, actor=None, source: str = "myn-bala-2015-2024.xlsx"):
    """Import (organisation, year, programme, events, participants) rows as the admin."""
    items = [
        HistoricalRow(
            line=line,
            organisation=organisation,
            year=year,
            programme=programme,
            events=events,
            participants=participants,
        )
        for line, (organisation, year, programme, events, participants) in enumerate(rows, start=2)
    ]
    return services.historical_figures_import(
        actor=actor or network.users["admin"], rows=items, source=source
    )


def totals(period: kpi.Period, region=None) -> dict[str, object]:
    return {item["key"]: item for item in kpi.compute_all(period, region)}


def figure_on(page: str, label: str) -> str:
    match = re.search(
        r'<span class="figure-value">([^<]*)</span> <span class="figure-label">' + re.escape(label),
        page,
    )
    assert match, label
    return match.group(1)


def test_a_year_of_a_body_and_programme_is_stored_once_and_reimporting_it_changes_nothing(
    network,
):
    first = history(
        network,
        (network.pavlodar_house, YEAR, myn_bala(), 120, 5400),
        (network.pavlodar_house, YEAR, None, 30, 900),
        (network.almaty_house, 2018, myn_bala(), 80, 2000),
    )
    assert (first.created, first.changed, first.unchanged) == (3, 0, 0)
    figure = HistoricalFigure.objects.get(organisation=network.pavlodar_house, programme=None)
    assert (figure.events_count, figure.participants) == (30, 900)
    assert figure.source == "myn-bala-2015-2024.xlsx"
    assert figure.imported_by == network.users["admin"]

    again = history(
        network,
        (network.pavlodar_house, YEAR, myn_bala(), 120, 5400),
        (network.pavlodar_house, YEAR, None, 31, 950),
    )
    assert (again.created, again.changed, again.unchanged) == (0, 1, 1)
    assert HistoricalFigure.objects.count() == 3
    figure.refresh_from_db()
    assert (figure.events_count, figure.participants) == (31, 950)
    assert AuditEntry.objects.filter(object_type="events.HistoricalFigure").count() == 4


def test_the_database_refuses_a_second_total_of_the_same_year_body_and_programme(network):
    for programme in (None, myn_bala()):
        HistoricalFigure.objects.create(
            year=YEAR, organisation=network.almaty, programme=programme, events_count=1
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            HistoricalFigure.objects.create(
                year=YEAR, organisation=network.almaty, programme=programme, events_count=2
            )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((2026, 10, 100), "Row 2: The year must be from 1995 to 2025"),
        ((1994, 10, 100), "Row 2: The year must be from 1995 to 2025"),
        ((YEAR, -1, 100), "Row 2: The number of events cannot be negative."),
        ((YEAR, 10, -5), "Row 2: The number of participants cannot be negative."),
        ((YEAR, 0, 100), "Row 2: Participants are given but no events"),
        ((YEAR, 5_000_000, 100), "Row 2: 5000000 is too large here"),
    ],
)
def test_a_bad_yearly_total_is_refused_with_its_row_and_nothing_is_stored(network, row, message):
    year, events, participants = row
    with pytest.raises(EventError) as caught:
        history(
            network,
            (network.pavlodar_house, year, None, events, participants),
            (network.almaty_house, YEAR, None, 3, 30),
        )
    assert str(caught.value.message).startswith(message)
    assert not HistoricalFigure.objects.exists()


def test_the_same_total_twice_in_one_file_is_refused(network):
    with pytest.raises(EventError) as caught:
        history(
            network,
            (network.pavlodar_house, YEAR, None, 3, 30),
            (network.pavlodar_house, YEAR, None, 4, 40),
        )
    assert "Row 3: The same body, year and programme are already on row 2" in str(
        caught.value.message
    )
    assert not HistoricalFigure.objects.exists()


def test_the_dry_run_and_the_import_give_the_same_problems(network):
    row = HistoricalRow(
        line=7, organisation=network.almaty, year=1990, programme=None, events=-1, participants=0
    )
    problems = services.historical_row_problems(row)
    assert len(problems) == 2
    with pytest.raises(EventError) as caught:
        services.historical_figures_import(actor=network.users["admin"], rows=[row])
    assert str(caught.value.message) == "Row 7: " + " ".join(problems)
    assert services.historical_figure_current(row) is None


def test_staff_import_the_totals_of_their_own_bodies_only(network):
    staff = network.users["staff_pavlodar_house"]
    with pytest.raises(PermissionDenied):
        history(
            network,
            (network.pavlodar_house, YEAR, None, 3, 30),
            (network.almaty_house, YEAR, None, 3, 30),
            actor=staff,
        )
    assert not HistoricalFigure.objects.exists()
    history(network, (network.pavlodar_house, YEAR, None, 3, 30), actor=staff)
    row = HistoricalRow(
        line=2,
        organisation=network.pavlodar_house,
        year=YEAR,
        programme=None,
        events=9,
        participants=9,
    )
    assert services.historical_figure_current(row) == (3, 30)


def test_the_figures_of_the_year_include_the_imported_totals_by_region_kind_and_programme(
    network,
):
    held_event(network.pavlodar_house, 25, when=held_at(YEAR, 3))
    history(
        network,
        (network.pavlodar_house, YEAR, myn_bala(), 120, 5400),
        (network.pavlodar_elders, YEAR, None, 10, 300),
        (network.almaty_house, YEAR, myn_bala(), 7, 70),
        (network.almaty_house, YEAR - 1, None, 1000, 1000),  # another year
    )
    figures = totals(kpi.Period.year(YEAR))
    assert figures["events.events"]["total"] == 1 + 120 + 10 + 7
    assert figures["events.participants"]["total"] == 25 + 5400 + 300 + 70
    by_region = {row["region"]: row["value"] for row in figures["events.events_by_region"]["rows"]}
    assert by_region == {"KZ-55": 131, "KZ-75": 7}
    by_kind = {row["kind"]: row["value"] for row in figures["events.participants"]["rows"]}
    assert by_kind == {"house_of_friendship": 25 + 5400 + 70, "elders_council": 300}
    by_programme = {
        row["programme"]: row["value"] for row in figures["events.events_by_programme"]["rows"]
    }
    assert by_programme == {"none": 1 + 10, "myn_bala": 127}
    by_district = {
        row["district"]: row["value"] for row in figures["events.events_by_district"]["rows"]
    }
    assert by_district[network.pavlodar_elders.district.kato] == 10
    assert sum(by_district.values()) == 138
    by_event_kind = {
        row["event_kind"]: row["value"] for row in figures["events.events_by_event_kind"]["rows"]
    }
    assert by_event_kind == {"meeting": 1, "none": 137}
    cube = {
        (row["month"], row["region"], row["kind"]): row["value"]
        for row in figures["events.events_cube"]["rows"]
    }
    assert cube[(str(YEAR), "KZ-55", "house_of_friendship")] == 120
    assert cube[(f"{YEAR}-03", "KZ-55", "house_of_friendship")] == 1
    assert figures["events.events_cube"]["total"] == 138
    # Unique participants are people known by a contact: imported totals are not among them.
    assert figures["events.participants_unique"]["total"] == 0
    # A region's figures take the totals of its bodies only.
    pavlodar = network.pavlodar.region
    assert totals(kpi.Period.year(YEAR), pavlodar)["events.events"]["total"] == 131


@pytest.mark.parametrize(
    "period",
    [
        kpi.Period(datetime.date(YEAR, 1, 1), datetime.date(YEAR, 3, 31)),
        kpi.Period(datetime.date(YEAR, 6, 1), datetime.date(YEAR, 12, 31)),
    ],
    ids=["first quarter", "june to december"],
)
def test_a_period_shorter_than_the_year_leaves_the_imported_totals_out(network, period):
    held_event(network.pavlodar_house, 25, when=held_at(YEAR, 3 if period.end.month == 3 else 7))
    history(network, (network.pavlodar_house, YEAR, None, 120, 5400))
    figures = totals(period)
    assert figures["events.events"]["total"] == 1
    assert figures["events.participants"]["total"] == 25
    assert figures["events.events_cube"]["total"] == 1


def test_a_period_of_several_years_counts_each_whole_year(network):
    history(
        network,
        (network.pavlodar_house, 2017, None, 5, 50),
        (network.pavlodar_house, 2018, None, 7, 70),
    )
    both = kpi.Period(datetime.date(2017, 1, 1), datetime.date(2018, 12, 31))
    assert totals(both)["events.events"]["total"] == 12
    cut = kpi.Period(datetime.date(2017, 2, 1), datetime.date(2018, 12, 31))
    assert totals(cut)["events.events"]["total"] == 7


def test_the_public_dashboard_shows_and_marks_the_imported_totals_of_a_year(network, client):
    held_event(network.pavlodar_house, 25, when=held_at(YEAR, 3))
    history(network, (network.pavlodar_house, YEAR, myn_bala(), 1234, 56789))
    page = client.get(PUBLIC, {"year": YEAR}).content.decode()
    with translation.override("en"):
        assert figure_on(page, "Events held by kind of body") == number(1235)
        assert figure_on(page, "Participants by kind of body") == number(56789 + 25)
    assert (
        "Including totals imported from earlier records for whole years: 1,234 events held, "
        "56,789 participants." in page
    )
    assert "not counted in the unique participants" in page
    every = client.get(PUBLIC + "all/", {"year": YEAR}).content.decode()
    assert "1,234 events held, 56,789 participants" in every

    quarter = client.get(PUBLIC, {"year": YEAR, "quarter": 1}).content.decode()
    assert figure_on(quarter, "Events held by kind of body") == "1"
    assert "Including totals imported" not in quarter


def test_the_staff_dashboard_marks_the_totals_of_the_kind_of_body_asked(network, login):
    history(
        network,
        (network.pavlodar_house, YEAR, None, 12, 340),
        (network.pavlodar_elders, YEAR, None, 3, 60),
    )
    client = login(network.users["coordinator_pavlodar"])
    page = client.get("/en/workspace/reports/", {"year": YEAR}).content.decode()
    assert "15 events held, 400 participants" in page
    elders = client.get(
        "/en/workspace/reports/", {"year": YEAR, "kind": "elders_council"}
    ).content.decode()
    assert "3 events held, 60 participants" in elders
    other = login(network.users["coordinator_almaty"])
    assert (
        "Including totals imported"
        not in other.get("/en/workspace/reports/", {"year": YEAR}).content.decode()
    )


def test_the_dashboard_reads_the_imported_totals_in_one_query_however_many(network, client):
    from django.core.cache import cache

    def count() -> int:
        cache.clear()
        with DataQueriesContext(connection) as context:
            assert client.get(PUBLIC, {"year": YEAR}).status_code == 200
        return len(context.captured_queries)

    history(network, (network.pavlodar_house, YEAR, None, 1, 1))
    few = count()
    bodies = [network.pavlodar, network.pavlodar_elders, network.almaty, network.almaty_house]
    programmes = list(Programme.objects.all()[:5])
    history(
        network,
        *[(body, YEAR, programme, 3, 30) for body in bodies for programme in programmes],
        *[(body, YEAR - 1, None, 3, 30) for body in bodies],
    )
    assert count() == few


def test_the_annual_report_of_the_year_has_the_imported_totals_and_says_so(network, tmp_path):
    history(
        network,
        (network.pavlodar_house, YEAR, myn_bala(), 1234, 56789),
    )
    with translation.override("en"):
        content = annual.collect(year=YEAR, language="en", region=None, progress=lambda _p: None)
        annual.write_xlsx(content, tmp_path / "report.xlsx")
        annual.write_docx(content, tmp_path / "report.docx")
        annual.write_pdf(content, tmp_path / "report.pdf")
        expected = totals(kpi.Period.year(YEAR))
    workbook = load_workbook(tmp_path / "report.xlsx", read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    national = sheets["Kazakhstan"]
    assert "1,234 events held, 56,789 participants" in national[2][0]
    values = {(row[4], row[5] or ""): row[3] for row in national[4:] if row[4]}
    assert values[("events.events", "")] == expected["events.events"]["total"] == 1234
    assert values[("events.participants_by_programme", "myn_bala")] == 56789
    pavlodar = next(rows for title, rows in sheets.items() if title.startswith("KZ-55"))
    almaty = next(rows for title, rows in sheets.items() if title.startswith("KZ-75"))
    assert "1,234 events held" in pavlodar[2][0]
    assert not any(almaty[2])
    with zipfile.ZipFile(tmp_path / "report.docx") as docx:
        text = docx.read("word/document.xml").decode()
    assert "Including totals imported from earlier records for whole years" in text
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_a_year_with_imported_totals_only_may_have_its_annual_report(
    network, django_capture_on_commit_callbacks
):
    from birlik.reports.documents.queries import year_has_data

    assert not year_has_data(1996)
    # The figures cached before the import are dropped when it commits.
    with django_capture_on_commit_callbacks(execute=True):
        history(network, (network.almaty_house, 1996, None, 4, 40))
    assert year_has_data(1996)
    assert year_has_data(1996, network.almaty.region)
    assert not year_has_data(1996, network.pavlodar.region)
