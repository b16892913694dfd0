"""The public indicators of coverage and of the club's output, counted in the database, and the
annual report's section on the journalists' club."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.core import kpi
from birlik.monitoring.models import Item, ItemPlace
from birlik.reports.documents import annual, annual_text

from ..factories import region
from .club_fixtures import club_fixture, make_publication  # noqa: F401 - fixture
from .conftest import make_item, make_source

NOW = "2026-02-10 10:00:00+05:00"
YEAR = kpi.Period.year(2025)


def at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, month, day, 12))


@pytest.fixture
def output(club):
    """Five publications in 2025 (two about Pavlodar, one about Almaty, two national) and one
    of 2024."""
    pavlodar, almaty = region("KZ-55"), region("KZ-75")
    make_publication(club.body, kind="publication", region=pavlodar)
    make_publication(club.body, kind="publication", region=pavlodar)
    make_publication(club.body, kind="tv", region=almaty, published_on=datetime.date(2025, 12, 31))
    make_publication(club.other, kind="social", published_on=datetime.date(2025, 1, 1))
    make_publication(club.other, kind="social")
    make_publication(club.body, kind="tv", published_on=datetime.date(2024, 12, 31))


def test_the_club_output_is_counted_by_kind_and_region(output):
    rows = kpi.compute("monitoring.club_publications", YEAR)
    assert sorted((r["club_kind"], r["region"], r["value"]) for r in rows) == [
        ("publication", "KZ-55", 2),
        ("social", "none", 2),
        ("tv", "KZ-75", 1),
    ]
    pavlodar = kpi.compute("monitoring.club_publications", YEAR, region("KZ-55"))
    assert [(r["club_kind"], r["value"]) for r in pavlodar] == [("publication", 2)]
    item = kpi.REGISTRY.indicators["monitoring.club_publications"]
    assert item.public
    assert kpi.total_of(item, rows) == 5


def test_media_items_are_counted_once_in_their_main_region_by_language(db):
    source = make_source(home_region=region("KZ-71"))
    # Names Pavlodar twice and Almaty once: counted in Pavlodar only.
    both = make_item(source, regions=("KZ-75",), language="kk", published_at=at(3))
    ItemPlace.objects.create(item=both, region=region("KZ-55"), count=2)
    make_item(source, regions=("KZ-55",), language="ru", published_at=at(4))
    make_item(source, regions=("KZ-55",), language="ru", published_at=at(5))
    # Only the outlet's home region: counted there.
    home = make_item(source, language="en", published_at=at(6))
    ItemPlace.objects.create(item=home, region=region("KZ-71"), via=ItemPlace.Via.SOURCE)
    make_item(source, language="kk", published_at=at(7))  # no region at all: national
    make_item(source, regions=("KZ-55",), published_at=at(8), state=Item.State.NEW)  # waiting
    make_item(source, regions=("KZ-55",), published_at=at(8), state=Item.State.NO_ARTICLE)
    make_item(  # 2026 in Almaty time
        source,
        regions=("KZ-55",),
        published_at=timezone.make_aware(datetime.datetime(2026, 1, 1, 0, 30)),
    )
    rows = kpi.compute("monitoring.media_items", YEAR)
    assert sorted((r["region"], r["media_language"], r["value"]) for r in rows) == [
        ("KZ-55", "kk", 1),
        ("KZ-55", "ru", 2),
        ("KZ-71", "en", 1),
        ("none", "kk", 1),
    ]
    assert kpi.total_of(kpi.REGISTRY.indicators["monitoring.media_items"], rows) == 5
    pavlodar = kpi.compute("monitoring.media_items", YEAR, region("KZ-55"))
    assert sorted((r["media_language"], r["value"]) for r in pavlodar) == [("kk", 1), ("ru", 2)]
    assert kpi.compute("monitoring.media_items", YEAR, region("KZ-75")) == []


def test_the_kinds_and_languages_are_named_in_the_readers_language():
    kpi.autodiscover()
    with translation.override("en"):
        kinds = kpi.REGISTRY.labels["club_kind"]()
        languages = kpi.REGISTRY.labels["media_language"]()
    assert kinds == {"publication": "publication", "tv": "TV story", "social": "social-media post"}
    assert languages["kk"] == "Kazakh"
    with translation.override("kk"):
        assert kpi.REGISTRY.labels["media_language"]()["ru"] != "Russian"


def _report(year: int = 2025):
    with freeze_time(NOW), translation.override("en"):
        content = annual.collect(
            year=year, language="en", region=None, progress=lambda _v: None, with_regions=False
        )
        return content, annual_text.directions(content, with_charts=False)


def test_the_annual_report_has_a_section_on_the_journalists_club(network, output):
    content, directions = _report()
    sections = {direction.code: direction for direction in directions}
    assert list(sections)[-1] == "club"
    club_section = sections["club"]
    assert club_section.title == "The journalists' club and the media"
    assert (
        "In 2025 the members and partner media of the APK Journalists' Club released 5 "
        "publications, TV stories and social-media posts." in club_section.text
    )
    assert "Of them, 2 were publications, 1 TV stories and 2 social-media posts." in (
        club_section.text
    )
    assert "Most of the club's output was about Pavlodar Region (2)." in club_section.text
    measures = {m.label: (m.value, m.previous) for m in club_section.measures}
    assert measures == {
        "Publications, TV stories and posts of the club": (5, 1),
        "Publications of the club": (2, 0),
        "TV stories of the club": (1, 1),
        "Social-media posts of the club": (2, 0),
    }


def test_a_year_without_club_output_says_so(network, club):
    _content, directions = _report()
    club_section = next(d for d in directions if d.code == "club")
    assert club_section.summary == [
        "No publication of the journalists' club was registered in 2025."
    ]


def test_the_pdf_and_docx_of_the_report_print_the_clubs_section(network, output, tmp_path):
    with freeze_time(NOW), translation.override("en"):
        content = annual.collect(
            year=2025, language="en", region=None, progress=lambda _v: None, with_regions=False
        )
        for fmt in ("pdf", "docx"):
            annual.WRITERS[fmt](content, tmp_path / f"report.{fmt}")
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "The journalists' club and the media" in text
    assert "Publications, TV stories and posts of the club" in text
