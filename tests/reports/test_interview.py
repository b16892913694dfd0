"""The Assembly's figures of the year: each figure of the annual interview read off a registered
indicator, the same numbers on the pages, in `birlik figures` and in the annual report."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import translation
from freezegun import freeze_time

from birlik.appeals.models import Appeal, Proposal, StateBody
from birlik.core import kpi
from birlik.events.models import Audience, Event, HistoricalFigure, Programme
from birlik.monitoring.models import ClubPublication
from birlik.registry.models import Membership
from birlik.reports import interview

from ..charity.factories import centre, make_project
from ..events.factories import EventFactory
from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, region
from ..mediation.factories import MediatorFactory

TODAY = "2026-06-30 12:00:00+05:00"
YEAR = kpi.Period.year(2025)
STAFF = "/en/workspace/reports/year/"
PUBLIC = "/en/figures/year/"


def at(month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, month, day, 6, tzinfo=datetime.UTC)


def held(organiser, people, *, month=3, kind_=Event.Kind.MEETING, programme=None, audiences=()):
    event = EventFactory(
        organiser=organiser,
        region=organiser.region,
        kind=kind_,
        programme=programme,
        starts_at=at(month),
        ends_at=at(month) + datetime.timedelta(hours=2),
        status=Event.Status.HELD,
        participants_total=people,
        reported_count=people,
    )
    if audiences:
        event.audiences.set(Audience.objects.filter(code__in=audiences))
    return event


@pytest.fixture
def world(network):
    """Two councils of elders (one national), a mothers' council, an expert group, their
    members; events, appeals and proposals of the councils; a media training; a festival and
    a concert; «Мың бала» imported for 2016–2024 and held in 2025; a mediator, a charity
    project and the journalists' club's output."""
    with freeze_time(TODAY):
        national_elders = OrganisationFactory(
            parent=network.root, kind=kind("elders_council"), region=None
        )
        mothers = OrganisationFactory(
            parent=network.pavlodar, kind=kind("mothers_council"), region=region("KZ-55")
        )
        experts = OrganisationFactory(
            parent=network.pavlodar,
            kind=kind("scientific_expert_group"),
            region=region("KZ-55"),
        )
        for body, count in ((national_elders, 2), (mothers, 3), (experts, 2)):
            for _index in range(count):
                MembershipFactory(
                    organisation=body, person=PersonFactory(registered_by=network.pavlodar_house)
                )
        MembershipFactory(
            organisation=network.almaty_house,
            person=PersonFactory(registered_by=network.pavlodar_house),
            role=Membership.Role.ACTIVIST,
        )
        elders = network.pavlodar_elders
        held(elders, 40)
        held(elders, 25, month=5)
        held(mothers, 300)
        held(network.pavlodar_house, 120, kind_=Event.Kind.FESTIVAL)
        held(network.almaty_house, 80, kind_=Event.Kind.CONCERT)
        held(
            network.almaty_house,
            35,
            kind_=Event.Kind.TRAINING,
            audiences=("journalists",),
        )
        myn_bala = Programme.objects.get(code="myn_bala")
        held(network.pavlodar_house, 60, programme=myn_bala)
        for year in range(2016, 2025):
            HistoricalFigure.objects.create(
                year=year,
                organisation=network.pavlodar_house,
                programme=myn_bala,
                events_count=1_000,
                participants=30_000,
            )
        received = datetime.datetime(2025, 4, 1, 6, tzinfo=datetime.UTC)
        for number, answered in (("E-1", True), ("E-2", True), ("E-3", False)):
            Appeal.objects.create(
                number=number,
                organisation=elders,
                kind="request",
                text="Мәтін",
                received_at=received,
                counted_from=received.date(),
                due_date=datetime.date(2025, 5, 1),
                status="answered" if answered else "in_progress",
                answered_at=received + datetime.timedelta(days=5) if answered else None,
            )
        Proposal.objects.create(
            organisation=elders,
            state_body=StateBody.objects.order_by("pk").first(),
            title="Ұсыныс",
            text="Мәтін",
            status="sent",
            sent_at=received,
        )
        MediatorFactory(person=network.pavlodar_person)
        make_project(
            centre(network.pavlodar, "KZ-55"),
            budget=2_500_000,
            starts_on=datetime.date(2025, 3, 1),
            ends_on=datetime.date(2025, 12, 31),
        )
        for kind_code, count in (("publication", 3), ("tv", 2), ("social", 1)):
            for index in range(count):
                ClubPublication.objects.create(
                    outlet="Qazaqstan",
                    kind=kind_code,
                    published_on=datetime.date(2025, 6, 1 + index),
                    title=f"{kind_code} {index}",
                    region=region("KZ-55"),
                )
    return network


def by_code(figures):
    return {figure["code"]: figure for figure in figures}


def test_each_figure_of_the_interview_is_a_registered_indicator_and_its_rows_exist():
    """Learning and diplomacy register their keys in their own slices: this holds once all
    three are in."""
    known = {item.key: item for item in kpi.indicators()}
    codes = interview.figure_codes()
    assert len(codes) == len(set(codes))
    for figure in interview.FIGURES:
        assert figure.key in known, figure.key
        for dimension, _code in figure.rows:
            assert dimension in known[figure.key].dimensions, (figure.code, dimension)


@freeze_time(TODAY)
def test_each_figure_is_its_indicators_rows_added_up(world):
    with translation.override("en"):
        figures = interview.interview_figures(YEAR)
    assert [figure["code"] for figure in figures] == interview.figure_codes()
    known = {item.key: item for item in kpi.indicators()}
    for figure in figures:
        if figure["key"] not in known:
            assert figure["value"] is None
            assert figure["key"] in figure["missing"]
            continue
        rows = [
            row
            for row in kpi.compute(figure["key"], YEAR)
            if all(str(row.get(dim)) == code for dim, code in figure["rows"].items())
        ]
        assert figure["value"] == kpi.total_of(known[figure["key"]], rows), figure["code"]


@freeze_time(TODAY)
def test_the_figures_of_the_small_world_counted_by_hand(world):
    figures = by_code(interview.interview_figures(YEAR))
    expected = {
        "elders_councils": 2,  # the network's and the national one
        "elders_members": 3,  # the network's person and two
        "elders_events": 2,
        "elders_reached": 65,
        "elders_appeals": 2,  # the third is not answered
        "elders_proposals": 1,
        "mothers_members": 3,
        "mothers_events": 1,
        "mothers_reached": 300,
        "houses_of_friendship": 2,
        "experts": 2,
        "youth_activists": 1,
        "festivals": 1,
        "performances": 1,
        "media_trainings": 1,
        "media_training_participants": 35,
        "myn_bala_decade": 9_001,
        "mediators": 1,
        "charity_projects": 1,
        "charity_budgets": 2_500_000,
        "publications": 3,
        "tv_stories": 2,
        "social_posts": 1,
        "events": 7,
        "participants": 660,
    }
    assert {code: figures[code]["value"] for code in expected} == expected
    assert figures["myn_bala_decade"]["missing"] == ""
    assert figures["houses_of_friendship"]["interview_value"] == 36


@freeze_time(TODAY)
def test_a_region_counts_its_own_records(world):
    figures = by_code(interview.interview_figures(YEAR, region("KZ-75")))
    assert figures["elders_events"]["value"] == 0
    assert figures["performances"]["value"] == 1
    assert figures["houses_of_friendship"]["value"] == 1
    assert figures["myn_bala_decade"]["value"] == 0


@freeze_time(TODAY)
def test_the_decade_counts_the_imported_years_and_says_which_are_missing(world):
    with translation.override("en"):
        figures = by_code(interview.interview_figures(kpi.Period.year(2024)))
        decade = figures["myn_bala_decade"]
        assert decade["value"] == 9_000  # 2016–2024 imported; 2015 has no record
        assert decade["missing"].startswith("No record at all for 2015:")
    HistoricalFigure.objects.filter(year__in=(2018, 2019)).delete()
    cache.clear()
    with translation.override("en"):
        decade = by_code(interview.interview_figures(YEAR))["myn_bala_decade"]
    assert decade["value"] == 7_001
    assert "2018, 2019:" in decade["missing"]
    assert kpi.compute("events.myn_bala_decade", YEAR) == [{"region": "KZ-55", "value": 7_001}]


def test_the_interviews_values_are_written_as_stated():
    figures = {figure.code: figure for figure in interview.FIGURES}
    with translation.override("en"):
        assert interview.stated_text(figures["elders_councils"], "bodies") == "over 1,200"
        assert interview.stated_text(figures["ethnocultural_associations"], "") == "about 1,000"
        assert interview.stated_text(figures["houses_of_friendship"], "") == "36"
        assert interview.stated_text(figures["academy_trainees"], "") == "–"
    assert interview.shows_reference(kpi.Period.year(2025))
    assert not interview.shows_reference(kpi.Period.year(2026))


# --- The pages ---------------------------------------------------------------------------------


def row_of(page: str, code: str) -> list[str]:
    match = re.search(rf'<tr id="figure-{code}">(.*?)</tr>', page, re.S)
    assert match, code
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match.group(1), re.S)
    ]


@freeze_time(TODAY)
def test_the_public_page_shows_the_figures_with_the_interviews_values_for_2025(world, client):
    page = client.get(PUBLIC, {"year": 2025}).content.decode().replace("&#x27;", "'")
    assert "The Assembly's figures of the year" in page
    assert "Stated in the interview of 2025" in page
    assert row_of(page, "elders_events")[1:3] == ["2", "over 3,000"]
    assert row_of(page, "houses_of_friendship")[1:3] == ["2", "36"]
    assert world.pavlodar_person.last_name not in page


@freeze_time(TODAY)
def test_other_years_show_no_reference_column_and_say_what_is_missing(world, client):
    page = client.get(PUBLIC, {"year": 2024}).content.decode()
    assert "Stated in the interview" not in page
    cells = row_of(page, "myn_bala_decade")
    assert cells[1] == "9,000"
    assert cells[2].startswith("No record at all for 2015")


@freeze_time(TODAY)
def test_the_public_page_shows_public_indicators_only(world, client, login, monkeypatch):
    import dataclasses

    experts = kpi.REGISTRY.indicators["registry.experts"]
    monkeypatch.setitem(
        kpi.REGISTRY.indicators, "registry.experts", dataclasses.replace(experts, public=False)
    )
    assert 'id="figure-experts"' not in client.get(PUBLIC, {"year": 2025}).content.decode()
    staff = login(world.users["admin"]).get(STAFF, {"year": 2025}).content.decode()
    assert row_of(staff, "experts")[1] == "2"


@freeze_time(TODAY)
def test_a_coordinator_sees_the_figures_of_their_region_only(world, login):
    client = login(world.users["coordinator_almaty"])
    page = client.get(STAFF, {"year": 2025}).content.decode()
    assert "Region:</strong> Almaty" in page
    assert row_of(page, "performances")[1] == "1"
    assert row_of(page, "elders_events")[1] == "0"
    assert client.get(STAFF, {"year": 2025, "region": "KZ-55"}).status_code == 404
    assert client.get(STAFF, {"region": "XX-00"}).status_code == 404


@freeze_time(TODAY)
def test_the_staff_page_is_for_holders_of_a_grant(world, client, login):
    assert client.get(STAFF).status_code == 302
    assert login(world.users["nobody"]).get(STAFF).status_code == 403
    page = login(world.users["admin"]).get(STAFF, {"year": 2025, "region": "KZ-55"})
    assert page.status_code == 200
    assert row_of(page.content.decode(), "elders_events")[1] == "2"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "Enter a whole number."),
        ({"year": "1800"}, "Give a year between 1995 and"),
        ({"year": "99999999999999999999"}, "Give a year between 1995 and"),
        ({"region": "KZ-99"}, "Select a valid choice."),
    ],
)
@freeze_time(TODAY)
def test_bad_input_gets_a_message_and_the_figures_of_this_year(
    network, client, login, query, message
):
    for url, browser in ((PUBLIC, client), (STAFF, login(network.users["admin"]))):
        response = browser.get(url, query)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'role="alert"' in page
        assert message in page
        assert "<strong>Year:</strong> 2026" in page


def grow(network, count: int) -> None:
    """``count`` more records of each kind the figures count."""
    with freeze_time(TODAY):
        for _index in range(count):
            body = OrganisationFactory(
                parent=network.pavlodar, kind=kind("elders_council"), region=region("KZ-55")
            )
            MembershipFactory(
                organisation=body, person=PersonFactory(registered_by=network.pavlodar_house)
            )
            held(body, 10)
            held(network.almaty_house, 5, kind_=Event.Kind.CONCERT)


@pytest.mark.parametrize("count", [3, 30])
@freeze_time(TODAY)
def test_the_pages_cost_the_same_queries_for_few_and_many_records(
    network, client, login, django_assert_max_num_queries, count
):
    grow(network, count)
    admin = login(network.users["admin"])
    for url, browser in ((PUBLIC, client), (STAFF, admin)):
        cache.clear()
        # Cold: one computation per indicator the figures read, whatever the data size.
        with django_assert_max_num_queries(35):
            assert browser.get(url, {"year": 2025}).status_code == 200
        with django_assert_max_num_queries(10):
            assert browser.get(url, {"year": 2025}).status_code == 200


@freeze_time(TODAY)
def test_the_dashboards_and_every_figure_page_link_to_the_figures_of_the_year(world, client, login):
    for page in (
        client.get("/en/figures/", {"year": 2025}),
        client.get("/en/figures/all/", {"year": 2025}),
        login(world.users["admin"]).get("/en/workspace/reports/", {"year": 2025}),
    ):
        text = page.content.decode()
        assert "/year/?year=2025" in text


@freeze_time(TODAY)
def test_every_figure_page_says_what_a_figure_lacks(world, client):
    HistoricalFigure.objects.filter(year=2016).delete()
    page = client.get("/en/figures/all/", {"year": 2025}).content.decode()
    assert "Not yet whole:</strong> No record at all for 2016:" in page


# --- The annual report ------------------------------------------------------------------------


@freeze_time(TODAY)
def test_the_annual_report_has_the_figures_of_the_year(world, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from birlik.reports.documents import annual

    HistoricalFigure.objects.filter(year=2016).delete()
    with translation.override("en"):
        content = annual.collect(
            year=2025, language="en", region=None, progress=lambda _p: None, with_regions=False
        )
        annual.write_xlsx(content, tmp_path / "report.xlsx")
        annual.write_pdf(content, tmp_path / "report.pdf")
        annual.write_docx(content, tmp_path / "report.docx")
    book = load_workbook(tmp_path / "report.xlsx", read_only=True)
    sheet = book["Figures of the year"]
    rows = {row[8]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert set(rows) == set(interview.figure_codes())
    elders = rows["elders_events"]
    assert elders[2:6] == ("over 3,000", 2, "events.events", "elders_council")
    assert rows["myn_bala_decade"][3] == 8_001
    assert rows["myn_bala_decade"][6].startswith("No record at all for 2016:")
    main = {
        (row[4], row[5] or ""): row[6]
        for row in book["Kazakhstan"].iter_rows(min_row=5, values_only=True)
        if row[4]
    }
    assert main[("events.myn_bala_decade", "")].startswith("No record at all for 2016:")
    assert not main[("events.events", "")]
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "The Assembly's figures of the year" in text
    assert "over 3,000" in text
    docx = Document(tmp_path / "report.docx")
    assert "The Assembly's figures of the year" in [p.text for p in docx.paragraphs]
