"""Open data: every dataset as CSV and JSON with a dictionary and a ZIP, no personal data,
published atomically, streamed to anyone at any size."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.http import FileResponse, StreamingHttpResponse
from freezegun import freeze_time

from birlik.core import kpi
from birlik.reports.documents import opendata, services
from birlik.reports.documents.models import OpenDataRelease

from ..factories import region
from .factories import (
    SECRET_APPEAL_TEXT,
    SECRET_APPLICANT,
    SECRET_IIN,
    SECRET_PARTICIPANT,
    SECRET_PERSON,
    build_activity,
)

NOW = "2026-11-25 10:00:00+05:00"
PERSONAL_FIELDS = {
    "first_name",
    "last_name",
    "patronymic",
    "full_name",
    "birth_date",
    "iin",
    "iin_digest",
    "iin_last4",
    "participant_key",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "text",
    "answer_text",
    "ticket_code",
}


@pytest.fixture
def release(network, documents_dir):
    with freeze_time(NOW):
        build_activity(network)
        return services.opendata_generate()


def folder(documents_dir, release):
    return documents_dir / "open-data" / release.directory


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_dataset_is_written_as_csv_and_json_with_the_same_rows(release, documents_dir):
    where = folder(documents_dir, release)
    for dataset in opendata.DATASETS:
        raw = (where / f"{dataset.code}.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), "UTF-8 without a byte order mark"
        rows = read_csv(where / f"{dataset.code}.csv")
        with (where / f"{dataset.code}.csv").open(encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == dataset.field_names
        items = json.loads((where / f"{dataset.code}.json").read_text(encoding="utf-8"))
        assert isinstance(items, list)
        assert len(items) == len(rows) == release.file(f"{dataset.code}.csv")["rows"]
        if items:
            assert list(items[0]) == dataset.field_names
    assert len(read_csv(where / "regions.csv")) == 20
    assert len(read_csv(where / "events.csv")) == 7


def test_the_release_records_size_and_sha256_of_each_file(release, documents_dir):
    where = folder(documents_dir, release)
    names = {item["name"] for item in release.files}
    assert {"events.csv", "events.json", "dictionary.json", "birlik-open-data.zip"} <= names
    for item in release.files:
        data = (where / item["name"]).read_bytes()
        assert item["size"] == len(data)
        assert item["sha256"] == hashlib.sha256(data).hexdigest()


def test_the_zip_holds_every_file_and_the_dictionary(release, documents_dir):
    where = folder(documents_dir, release)
    with zipfile.ZipFile(where / "birlik-open-data.zip") as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
        dictionary = json.loads(archive.read("dictionary.json"))
    expected = {f"{d.code}.{fmt}" for d in opendata.DATASETS for fmt in ("csv", "json")}
    assert names == expected | {"dictionary.json"}
    resources = {item["name"]: item for item in dictionary["resources"]}
    assert set(resources) == {d.code for d in opendata.DATASETS}
    fields = resources["events"]["schema"]["fields"]
    assert [f["name"] for f in fields] == opendata.DATASETS_BY_CODE["events"].field_names
    assert set(fields[0]["description"]) == {"kk", "ru", "en"}
    assert resources["events"]["title"]["en"] == "Public events"


def test_no_personal_data_appears_in_any_published_file(release, documents_dir):
    where = folder(documents_dir, release)
    secrets = [
        *SECRET_PERSON,
        *SECRET_PARTICIPANT,
        *SECRET_APPLICANT,
        SECRET_APPEAL_TEXT,
        SECRET_IIN,
        "k-secret",
    ]
    with zipfile.ZipFile(where / "birlik-open-data.zip") as archive:
        contents = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    for name, text in contents.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {name}"
    for dataset in opendata.DATASETS:
        assert not PERSONAL_FIELDS & set(dataset.field_names), dataset.code


def test_public_events_carry_their_public_facts(release, documents_dir, network):
    rows = {row["id"]: row for row in read_csv(folder(documents_dir, release) / "events.csv")}
    festival = next(row for row in rows.values() if row["kind"] == "festival")
    assert festival["participants"] == "40"
    assert festival["region"] == "KZ-55"
    assert festival["languages"] == "kk,ru"
    assert festival["organiser_id"] == str(network.pavlodar_house.pk)
    assert festival["starts_at"].endswith("+05:00")
    bodies = {row["id"]: row for row in read_csv(folder(documents_dir, release) / "bodies.csv")}
    house = bodies[str(network.pavlodar_house.pk)]
    assert house["parent_id"] == str(network.pavlodar.pk)
    assert house["name_en"] == "House of Friendship of Pavlodar Region"
    assert house["kind"] == "house_of_friendship"
    assert bodies[str(network.root.pk)]["parent_id"] == ""


def test_indicator_figures_are_those_of_the_kpi_registry(release, documents_dir):
    rows = read_csv(folder(documents_dir, release) / "indicators.csv")
    assert {row["year"] for row in rows} == {"2025", "2026"}
    with freeze_time(NOW):
        for scope, where in (("KZ", None), ("KZ-55", region("KZ-55"))):
            figures = kpi.compute_all(kpi.Period.year(2025), where)
            totals = {
                row["indicator"]: float(row["value"])
                for row in rows
                if row["year"] == "2025" and row["region"] == scope and not row["dimension_1"]
            }
            public = {item.key for item in kpi.public_indicators()}
            for figure in figures:
                if (
                    figure["key"] not in public or figure["total"] is None
                ):  # staff-only signals are not released
                    assert figure["key"] not in totals, figure["key"]
                else:
                    assert totals[figure["key"]] == pytest.approx(figure["total"]), figure["key"]
            assert "events.events_by_audience" not in totals
    held = [
        row
        for row in rows
        if row["year"] == "2025" and row["region"] == "KZ" and row["indicator"] == "events.events"
    ]
    assert {row["value"] for row in held if not row["dimension_1"]} == {"5"}
    appeals = read_csv(folder(documents_dir, release) / "appeals_figures.csv")
    assert appeals and all(row["indicator"].startswith("appeals.") for row in appeals)
    cube = [row for row in rows if row["indicator"] == "events.events_cube" and row["code_3"]]
    assert cube and {row["dimension_3"] for row in cube} == {"kind"}


def test_confidential_work_is_published_by_region_only(release, documents_dir):
    for name in ("mediation_figures.csv", "charity_figures.csv"):
        for row in read_csv(folder(documents_dir, release) / name):
            assert row["dimension_1"] in ("", "region"), row
            assert not row["dimension_2"] and not row["dimension_3"], row


def test_open_data_page_before_any_release_says_so_and_downloads_answer_404(client, db):
    page = client.get("/en/open-data/")
    assert page.status_code == 200
    assert "No open data release has been generated yet" in page.content.decode()
    missing = client.get("/en/open-data/files/events.csv")
    assert missing.status_code == 404
    assert "No open data release has been generated yet" in missing.content.decode()


def test_open_data_page_lists_datasets_with_sizes_in_one_query(
    client, release, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        page = client.get("/en/open-data/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Public events" in text
    assert "/en/open-data/files/events.csv" in text
    assert "/en/open-data/files/birlik-open-data.zip" in text
    assert "Generated on 25.11.2026" in text


def test_a_file_is_streamed_from_disk_with_its_type(client, release, documents_dir):
    response = client.get("/en/open-data/files/events.csv")
    assert response.status_code == 200
    assert isinstance(response, FileResponse) and response.streaming
    body = b"".join(response.streaming_content)
    assert body == (folder(documents_dir, release) / "events.csv").read_bytes()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    archive = client.get("/en/open-data/files/birlik-open-data.zip")
    assert archive["Content-Type"] == "application/zip"
    assert int(archive["Content-Length"]) == release.file("birlik-open-data.zip")["size"]


@pytest.mark.parametrize(
    "name", ["nothing.csv", "..%2Fbirlik.sqlite3", ".hidden", "events.csv.tmp"]
)
def test_a_name_the_release_does_not_list_answers_404(client, release, name):
    response = client.get(f"/en/open-data/files/{name}")
    assert response.status_code == 404


def test_a_dataset_streams_live_from_the_database(client, network, django_assert_max_num_queries):
    build_activity(network)
    with django_assert_max_num_queries(3):
        response = client.get("/en/open-data/live/events.csv")
        assert isinstance(response, StreamingHttpResponse)
        text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert client.get("/en/open-data/live/indicators.csv").status_code == 404
    assert client.get("/en/open-data/live/people.csv").status_code == 404


def test_the_dictionary_page_describes_every_field_in_the_reader_language(client, db):
    english = client.get("/en/open-data/dictionary/").content.decode()
    assert "participants" in english
    assert "People checked in plus those the organiser reported, once held." in english
    assert client.get("/kk/open-data/dictionary/").status_code == 200


def test_a_new_release_is_published_whole_and_old_ones_are_pruned(network, documents_dir):
    build_activity(network)
    first = services.opendata_generate()
    second = services.opendata_generate()
    third = services.opendata_generate()
    assert list(OpenDataRelease.objects.values_list("pk", flat=True)) == [third.pk, second.pk]
    kept = sorted(p.name for p in (documents_dir / "open-data").iterdir())
    assert kept == sorted([second.directory, third.directory])
    assert first.directory not in kept


def test_a_generation_that_fails_publishes_nothing(network, documents_dir, monkeypatch):
    build_activity(network)
    good = services.opendata_generate()

    def broken(_context):
        raise RuntimeError("disk full")
        yield ()  # pragma: no cover

    monkeypatch.setattr(
        opendata,
        "DATASETS",
        tuple(
            dataclasses.replace(d, rows=broken) if d.code == "events" else d
            for d in opendata.DATASETS
        ),
    )
    with pytest.raises(RuntimeError):
        services.opendata_generate()
    assert list(OpenDataRelease.objects.all()) == [good]
    assert [p.name for p in (documents_dir / "open-data").iterdir()] == [good.directory]


def test_the_opendata_command_generates_a_release_now(network, capsys):
    build_activity(network)
    call_command("opendata")
    out = capsys.readouterr().out
    assert "birlik-open-data.zip" in out
    assert OpenDataRelease.objects.count() == 1


def test_the_worker_queues_the_open_data_once_a_day(db, settings, monkeypatch):
    from django.core.cache import cache

    from birlik.cli import enqueue_daily_jobs
    from birlik.reports.documents import tasks

    queued = []
    monkeypatch.setattr(
        tasks, "opendata_generate", type("Job", (), {"enqueue": lambda: queued.append(1)})
    )
    cache.clear()
    with freeze_time(NOW):
        names = enqueue_daily_jobs()
        assert enqueue_daily_jobs() == []
    assert "opendata_generate" in names
    assert queued == [1]
