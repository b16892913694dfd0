"""The open data release streamed: its figures are the KPI registry's own (each computed once
and reused for every file), and its memory does not grow with the rows it writes."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import tracemalloc

import pytest
from freezegun import freeze_time

from birlik.core import kpi
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.reports.documents import opendata, services
from birlik.reports.queries import CONFIDENTIAL_APPS

from ..documents.factories import build_activity
from ..events.factories import EventFactory

NOW = "2026-11-25 10:00:00+05:00"
# The country, the two regions with activity, and one without any.
SCOPES = ("KZ", "KZ-55", "KZ-75", "KZ-10")


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.BIRLIK_DOCUMENTS_DIR = str(tmp_path / "documents")
    return tmp_path / "documents"


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def released_lines(rows, year, scope):
    return sorted(
        (
            row["indicator"],
            row["dimension_1"],
            row["code_1"],
            row["dimension_2"],
            row["code_2"],
            row["dimension_3"],
            row["code_3"],
            round(float(row["value"]), 6),
        )
        for row in rows
        if row["year"] == str(year) and row["region"] == scope
    )


def expected_lines(year, region):
    """What the release must say for a year and scope, from ``kpi.compute_all``: each public
    indicator's total (when it has one) and its rows; confidential work by region only."""
    public = {item.key for item in kpi.public_indicators()}
    lines = []
    for figure in kpi.compute_all(kpi.Period.year(year), region):
        if figure["key"] not in public:
            continue
        if figure["total"] is not None:
            lines.append((figure["key"], *[""] * 6, round(float(figure["total"]), 6)))
        dimensions, rows = list(figure["dimensions"]), figure["rows"]
        if figure["key"].split(".", 1)[0] in CONFIDENTIAL_APPS:
            if "region" not in dimensions:
                continue
            by_region: dict[str, float] = {}
            for row in rows:
                by_region[str(row["region"])] = by_region.get(str(row["region"]), 0) + row["value"]
            dimensions = ["region"]
            rows = [{"region": code, "value": value} for code, value in by_region.items()]
        for row in rows:
            cells = []
            for index in range(3):
                if index < len(dimensions):
                    cells += [dimensions[index], str(row[dimensions[index]])]
                else:
                    cells += ["", ""]
            lines.append((figure["key"], *cells, round(float(row["value"]), 6)))
    return sorted(lines)


def test_the_release_figures_equal_compute_all_for_the_country_and_each_region(
    network, documents_dir
):
    with freeze_time(NOW):
        build_activity(network)
        release = services.opendata_generate()
        rows = read_csv(documents_dir / "open-data" / release.directory / "indicators.csv")
        assert release.years == [2025, 2026]
        for year in release.years:
            for scope in SCOPES:
                region = None if scope == "KZ" else Region.objects.get(iso=scope)
                expected = expected_lines(year, region)
                assert released_lines(rows, year, scope) == expected, (year, scope)
    held = [
        line for line in released_lines(rows, 2025, "KZ-55") if line[0] == "events.events_by_region"
    ]
    # Pavlodar's three events of 2025, read from the national rows of the indicator.
    assert held == [
        ("events.events_by_region", *[""] * 6, 3.0),
        ("events.events_by_region", "region", "KZ-55", *[""] * 4, 3.0),
    ]


def test_each_indicator_is_computed_once_per_year_and_for_regions_only_without_a_region_breakdown(
    network, monkeypatch
):
    calls: dict[tuple[str, str], int] = {}
    items = kpi.public_indicators()
    counted = []
    for item in items:

        def compute(period, region, _item=item):
            key = (_item.key, region.iso if region is not None else "KZ")
            calls[key] = calls.get(key, 0) + 1
            return _item.compute(period, region)

        counted.append(dataclasses.replace(item, compute=compute))
    monkeypatch.setattr(kpi, "public_indicators", lambda: counted)
    regions = list(Region.objects.order_by("kato"))
    with freeze_time(NOW):
        figures = list(opendata.indicator_figures(kpi.Period.year(2025), regions))
    assert len(figures) == len(items) * (1 + len(regions))
    assert all(count == 1 for count in calls.values())
    by_region = [item.key for item in items if "region" in item.dimensions]
    assert by_region, "indicators broken down by region exist"
    for key in by_region:
        assert (key, "KZ") in calls
        assert not any((key, region.iso) in calls for region in regions), key
    for item in items:
        if "region" not in item.dimensions:
            assert all((item.key, region.iso) in calls for region in regions), item.key


def _events(network, count):
    """``count`` public events of Pavlodar's house, in bulk."""
    start = datetime.datetime(2026, 3, 1, 6, tzinfo=datetime.UTC)
    Event.objects.bulk_create(
        [
            EventFactory.build(
                organiser=network.pavlodar_house,
                title_en=f"Evening of friendship number {index:05d} with a long title",
                starts_at=start + datetime.timedelta(hours=index),
                ends_at=start + datetime.timedelta(hours=index + 2),
                status=Event.Status.OPEN,
                capacity=100,
            )
            for index in range(count)
        ],
        batch_size=500,
    )


def _peak_of_events_dataset(tmp_path):
    """Peak Python memory while the events dataset is read from the database in chunks and
    written to CSV and JSON (as the release writes it), above what was held before."""
    dataset = opendata.DATASETS_BY_CODE["events"]
    context = opendata.Context(years=[2026])
    with (
        (tmp_path / "events.csv").open("w", encoding="utf-8", newline="") as csv_file,
        (tmp_path / "events.json").open("w", encoding="utf-8") as json_file,
    ):
        tracemalloc.start()
        try:
            start, _peak = tracemalloc.get_traced_memory()
            rows = opendata.write_dataset(dataset, context, csv_file, json_file)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak - start, rows


def test_memory_of_the_release_does_not_grow_with_its_rows(network, tmp_path, monkeypatch):
    monkeypatch.setattr(opendata, "CHUNK_SIZE", 50)
    _events(network, 300)
    _peak_of_events_dataset(tmp_path)  # imports and first-use caches out of the way
    small, rows = _peak_of_events_dataset(tmp_path)
    assert rows == 300
    _events(network, 900)
    large, rows = _peak_of_events_dataset(tmp_path)
    assert rows == 1200
    # Four times the rows (900 more, about 1 KB each in memory): the peak stays within a
    # chunk's worth, where holding the rows would add most of a megabyte.
    assert large - small < 150_000, (small, large)
