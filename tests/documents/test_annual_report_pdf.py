"""The annual report reads as a report: a cover, the contents, the year at a glance against the
year before and the approved plan, a section per direction, the regions side by side and the
tables in an annex; every number is the dashboard's, written as the UI writes it."""

from __future__ import annotations

import datetime
import os
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from freezegun import freeze_time
from pypdf import PdfReader

from birlik.appeals.models import Appeal
from birlik.core import kpi
from birlik.events.models import Event
from birlik.mediation.models import MediationCase
from birlik.reports.documents import annual, queries
from birlik.reports.models import Plan, Target
from birlik.reports.queries import indicator_total

from ..charity.factories import centre as charity_centre
from ..charity.factories import make_project
from ..events.factories import EventFactory
from ..factories import OrganisationFactory, kind, region
from .factories import at, build_activity

NOW = "2026-11-25 10:00:00+05:00"
YEAR = 2025
NBSP = "\u00a0"


@pytest.fixture
def year_of_work(network):
    """2025 as in ``build_activity`` (5 events, 184 participants, 3 appeals) with one appeal
    answered on time, one late and one overdue; 2024 with 4 events, 160 participants and 2
    appeals; three mediation cases in Almaty in 2025 (one settled, one not, one open); a
    charity project in Pavlodar; the approved plan of 2025: 10 events, 200 participants."""
    with freeze_time(NOW):
        activity = build_activity(network)
        on_time, late, _open = activity.appeals
        on_time.answered_at = at(YEAR, 2, 10)
        on_time.status = Appeal.Status.ANSWERED
        on_time.save()
        late.answered_at = at(YEAR, 9, 30)
        late.status = Appeal.Status.ANSWERED
        late.save()
        pavlodar, almaty = region("KZ-55"), region("KZ-75")
        for organiser, where, month, people in [
            (network.pavlodar_house, pavlodar, 4, 30),
            (network.pavlodar_house, pavlodar, 6, 20),
            (network.almaty_house, almaty, 7, 60),
            (network.almaty_house, almaty, 10, 50),
        ]:
            starts = at(YEAR - 1, month, 12)
            EventFactory(
                organiser=organiser,
                region=where,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                status=Event.Status.HELD,
                participants_total=people,
                reported_count=people,
                capacity=200,
            )
        for index, month in enumerate((3, 7)):
            received = at(YEAR - 1, month, 4)
            Appeal.objects.create(
                number=f"OLD-{index}",
                organisation=network.pavlodar_house,
                kind=Appeal.Kind.REQUEST,
                text="Сұрау",
                applicant_name="Серік Ахметжанов",
                received_at=received,
                counted_from=received.date(),
                due_date=received.date() + datetime.timedelta(days=21),
            )
        centre = OrganisationFactory(
            parent=network.almaty_house, kind=kind("mediation_centre"), region=almaty
        )
        for index, (outcome, closed_on) in enumerate(
            [("agreement", datetime.date(YEAR, 5, 20)), ("no_agreement", datetime.date(YEAR, 6, 9))]
            + [("", None)]
        ):
            received_on = datetime.date(YEAR, 5, 1)
            MediationCase.objects.create(
                number=f"MED-{index}",
                centre=centre,
                kind="family",
                source="walk_in",
                status="closed" if outcome else "open",
                outcome=outcome,
                received_on=received_on,
                closed_on=closed_on,
                duration_days=(closed_on - received_on).days if closed_on else None,
            )
        make_project(
            charity_centre(network.pavlodar, "KZ-55"),
            budget=1_500_000,
            starts_on=datetime.date(YEAR, 3, 1),
            ends_on=datetime.date(YEAR, 12, 31),
        )
        plan = Plan.objects.create(
            year=YEAR,
            title="Plan of 2025",
            status=Plan.Status.APPROVED,
            approved_at=at(YEAR, 1, 15),
        )
        Target.objects.create(plan=plan, indicator="events.events", value=Decimal(10))
        Target.objects.create(plan=plan, indicator="events.participants", value=Decimal(200))
    return activity


def write(tmp_path: Path, language: str, region_=None, formats=("pdf",)) -> dict[str, Path]:
    """The report written as the job writes it, in ``language``; with
    ``BIRLIK_KEEP_REPORTS=<dir>`` a copy of each file is kept there to look at."""
    paths = {}
    with freeze_time(NOW), translation.override(language):
        content = annual.collect(
            year=YEAR,
            language=language,
            region=region_,
            progress=lambda _value: None,
            with_regions="xlsx" in formats,
        )
        for fmt in formats:
            paths[fmt] = tmp_path / f"report-{language}.{fmt}"
            annual.WRITERS[fmt](content, paths[fmt])
    keep = os.environ.get("BIRLIK_KEEP_REPORTS")
    if keep:
        for path in paths.values():
            shutil.copy(path, Path(keep) / f"{region_.iso if region_ else 'KZ'}-{path.name}")
    return paths


def pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text: str) -> str:
    """The text with its lines joined, as a reader reads a paragraph (and a table row whose
    label wraps)."""
    return " ".join(text.split())


def row(lines: list[str], name: str) -> list[str]:
    """The values of the table row that starts with ``name``."""
    for line in lines:
        if line.startswith(name + " ") and line[len(name) + 1 :][:1] in "0123456789–":
            return line[len(name) + 1 :].split()
    raise AssertionError(f"no row {name!r} in {lines}")


HEADINGS = (
    "The year at a glance",
    "The network of the Assembly",
    "Events",
    "Citizens' appeals and proposals",
    "Mediation",
    "Charity",
    "Regions compared",
    "Annex: tables",
)


def sections(text: list[str]) -> dict[str, str]:
    """The year at a glance (its one page, after the cover and the contents), then the text
    of each section from its heading (a line of its own, in this order) to the next one, each
    flattened."""
    body = "\n".join(text[3:]).splitlines()
    starts: list[int] = []
    for heading in HEADINGS[1:]:
        after = starts[-1] + 1 if starts else 0
        starts.append(next(i for i in range(after, len(body)) if body[i] == heading))
    found = {HEADINGS[0]: flat(text[2])}
    for index, (heading, start) in enumerate(zip(HEADINGS[1:], starts, strict=True)):
        found[heading] = flat("\n".join(body[start : (starts + [len(body)])[index + 1]]))
    return found


def test_the_pdf_reads_as_the_assemblys_annual_report(network, year_of_work, tmp_path):
    text = pages(write(tmp_path, "en")["pdf"])
    cover, contents = text[0], text[1]
    assert "Assembly of People of Kazakhstan" in cover
    assert "Annual report 2025" in cover
    assert "Kazakhstan" in cover
    assert "Generated on 25 November 2026" in cover
    assert "Birlik, the digital platform of the Assembly" in cover
    assert "Contents" in contents
    found = sections(text)
    for heading in HEADINGS:
        assert heading in contents
        assert found[heading].startswith(heading)
    assert text[2].startswith("The year at a glance")
    summary = found["The year at a glance"]
    assert "The main figures of 2025 against 2024." in summary
    assert "Plan: “Plan of 2025” (approved on 15 January 2025)." in summary
    assert len(text) < 30


def test_the_year_at_a_glance_compares_with_the_year_before_and_the_plan(
    network, year_of_work, tmp_path
):
    text = pages(write(tmp_path, "en")["pdf"])
    assert text[2].startswith("The year at a glance")
    summary = sections(text)["The year at a glance"]
    # Figure, 2025, 2024, change, plan for the year.
    for shown in (
        "Figure 2025 2024 Change Plan for the year",
        "Events held 5 4 +25% 10, 50% done",
        "Participants 184 160 +15% 200, 92% done",
        "Appeals received 3 2 +50% –",
        "Appeals answered on time 1 0 – –",
        "Share of answers given on time 50% – – –",
        "Mediation cases received 3 0 – –",
        "Mediation cases settled 1 0 – –",
        "Charity projects started 1 0 – –",
    ):
        assert shown in summary
    # Each direction in sentences.
    assert "In 2025 the bodies of the Assembly held 5 events. They gathered 184 participants." in (
        summary
    )
    assert "In 2025 the bodies received 3 appeals. 1 of them was answered on time: 50% of" in (
        summary
    )
    assert "Mediation centres and councils received 3 cases. 2 cases were closed; 1 of them" in (
        summary
    )
    assert "The Zhomart Zhan charity centres started 1 project with a budget of 1,500,000" in (
        summary
    )


def test_each_direction_has_its_section_with_its_text_figures_and_charts(
    network, year_of_work, tmp_path
):
    found = sections(pages(write(tmp_path, "en")["pdf"]))
    events = found["Events"]
    assert "The most events were held in Pavlodar Region (3)." in events  # Almaty held two
    assert "Events held: the plan for 2025 is 10, 50% done." in events
    assert "Events held by month" in events
    assert "Events held by region" in events
    appeals = found["Citizens' appeals and proposals"]
    assert "1 was answered late." in appeals
    assert "1 appeal is past its term and still without an answer today." in appeals
    assert "Appeals received by month" in appeals
    mediation = found["Mediation"]
    assert "On average a mediation lasted 29 days." in mediation  # (19 + 39) / 2
    assert "Share of mediation cases settled 50% – –" in mediation
    charity = found["Charity"]
    assert "Budgets of charity projects ₸1,500,000 ₸0 –" in charity


def test_the_regions_are_compared_on_one_page_with_the_dashboards_figures(
    network, year_of_work, tmp_path
):
    text = pages(write(tmp_path, "en")["pdf"])
    compared = [page for page in text if page.startswith("Regions compared")]
    assert len(compared) == 1
    lines = compared[0].splitlines()
    assert "Region Bodies Events Participants Appeals" in flat(compared[0])
    keys = (
        "registry.bodies",
        "events.events",
        "events.participants",
        "appeals.received_by_body",
        "appeals.answered_on_time_share",
        "mediation.received",
        "charity.projects",
    )
    period = kpi.Period.year(YEAR)
    with freeze_time(NOW), translation.override("en"):
        for iso in ("KZ-55", "KZ-75", "KZ-71"):
            where = region(iso)
            # Each region's row is its own dashboard's figures.
            expected = [indicator_total(key, period=period, region=where) for key in keys]
            shown = row(lines, where.name)
            assert shown == [
                "–" if value is None else f"{value:g}%" if index == 4 else f"{value:g}"
                for index, value in enumerate(expected)
            ], where.name
    assert row(lines, "Pavlodar Region")[1:] == ["3", "77", "2", "50%", "0", "1"]
    assert row(lines, "Almaty")[1:] == ["2", "107", "1", "–", "3", "0"]
    assert row(lines, "Kazakhstan")[1:] == ["5", "184", "3", "50%", "3", "1"]


def test_the_annex_holds_the_tables(network, year_of_work, tmp_path):
    annex = sections(pages(write(tmp_path, "en")["pdf"]))["Annex: tables"]
    assert "Indicator and breakdown Value" in annex
    assert "Events held by kind of body (events) 5" in annex
    assert "Participants by region (participants) 184" in annex


def test_a_region_report_compares_its_districts(network, year_of_work, tmp_path):
    with freeze_time(NOW):
        pavlodar = region("KZ-55")
    text = pages(write(tmp_path, "en", pavlodar)["pdf"])
    assert "Pavlodar Region" in text[0]
    summary = text[2].splitlines()
    # The plan sets national targets only: no plan column for a region.
    assert row(summary, "Events held") == ["3", "2", "+50%"]
    assert row(summary, "Participants") == ["77", "50", "+54%"]
    compared = next(page for page in text if page.startswith("Districts compared"))
    # Events, participants, appeals received, answered on time: the region's total last.
    assert row(compared.splitlines(), "Pavlodar Region") == ["3", "77", "2", "1"]
    assert not any(page.startswith("Regions compared") for page in text)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_language_gives_a_report(network, year_of_work, tmp_path, language):
    paths = write(tmp_path, language, formats=("pdf", "docx"))
    reader = PdfReader(paths["pdf"])
    assert 8 <= len(reader.pages) < 30
    text = "\n".join(page.extract_text() for page in reader.pages)
    title = {"kk": "2025 жылғы жылдық есеп", "ru": "Годовой отчет", "en": "Annual report 2025"}
    assert title[language] in text
    with zipfile.ZipFile(paths["docx"]) as docx:
        document = docx.read("word/document.xml").decode()
    assert "1,500,000" in document if language == "en" else f"1{NBSP}500{NBSP}000" in document


def test_numbers_are_grouped_as_the_ui_groups_them_in_kazakh(network, year_of_work, tmp_path):
    paths = write(tmp_path, "kk", formats=("pdf", "docx"))
    text = "\n".join(pages(paths["pdf"]))
    assert "Қазақстан халқы Ассамблеясы" in text
    assert "2025 жылғы жылдық есеп" in text
    assert "1 500 000" in text  # the text layer gives the no-break space as a space
    with zipfile.ZipFile(paths["docx"]) as docx:
        assert f"1{NBSP}500{NBSP}000" in docx.read("word/document.xml").decode()


def test_a_draft_plan_is_not_reported_against(network, year_of_work, tmp_path):
    Plan.objects.update(status=Plan.Status.DRAFT)
    with freeze_time(NOW):
        assert queries.approved_plan(YEAR) is None
    summary = sections(pages(write(tmp_path, "en")["pdf"]))["The year at a glance"]
    assert "No plan for 2025 has been approved" in summary
    assert "Events held 5 4 +25% Participants" in summary
