"""Spreadsheet import through the pipeline (upload, columns, check, review, commit in batches)
and export of bodies and members."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from birlik.access.models import AuditEntry
from birlik.imports import fields as catalogue
from birlik.imports import tasks
from birlik.imports.blanks import MEMBER_NAME
from birlik.imports.models import ImportJob, ImportRow
from birlik.registry import services as registry_services
from birlik.registry.iin import make_iin
from birlik.registry.models import Membership, Organisation, Person
from birlik.workspace import importing
from tests.imports.flow import check, columns_form, confirm, rows, statuses, upload, url

pytestmark = pytest.mark.django_db

BODY_HEADER = ["id", "kind", "name_kk", "name_ru", "name_en", "parent_id", "region", "district"]
MEMBER_HEADER = ["last_name", "first_name", "patronymic", "iin", "role", "start_date"]
MEMBER_HEADER += ["body_id", "consent_date"]


def xlsx(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(header: list[str], rows: list[list], *, encoding="utf-8-sig", sep=";") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def snapshot_counts() -> tuple[int, int, int, int]:
    return (
        Organisation.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.exclude(action="read").count(),
    )


def valid_iin(serial: int) -> str:
    for offset in range(20):
        iin = make_iin(datetime.date(1985, 6, 15), "m", serial + offset)
        if iin:
            return iin
    raise AssertionError


def test_the_check_reports_a_bad_iin_row_and_an_unknown_region_row_and_writes_nothing(
    as_user, network
):
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    bodies = xlsx(
        BODY_HEADER,
        [
            ["", "elders_council", "Жаңа кеңес", "", "", "", "KZ-55", ""],
            ["", "elders_council", "Басқа кеңес", "", "", "", "KZ-99", ""],
        ],
    )
    review = check(client, network.pavlodar, bodies, kind="bodies")
    assert statuses(review) == ["create", "reject"]
    assert "Unknown region «KZ-99»" in review.content.decode()
    assert review.context["can_confirm"]  # partial: the valid row may be imported

    members = csv_bytes(
        MEMBER_HEADER,
        [
            ["Серікова", "Дана", "", valid_iin(10), "member", "2025-01-10", "", "2025-01-09"],
            ["Омаров", "Асқар", "", "123456789012", "member", "2025-01-10", "", "2025-01-09"],
        ],
    )
    review = check(client, network.pavlodar_house, members, name="m.csv", mode="all")
    checked = rows(review)
    assert [row.status for row in checked] == ["create", "reject"]
    assert any("IIN" in error for error in checked[1].errors)
    assert not review.context["can_confirm"]  # all or nothing, and a row is rejected
    job = review.context["job"]
    assert (job.created, job.changed, job.unchanged, job.rejected) == (1, 0, 0, 1)
    assert snapshot_counts() == before


def test_confirm_writes_the_checked_rows_once(as_user, network):
    client = as_user("coordinator_pavlodar")
    first, second = valid_iin(20), valid_iin(40)
    members = xlsx(
        MEMBER_HEADER,
        [
            ["Серікова", "Дана", "", first, "member", "2025-01-10", "", "2025-01-09"],
            ["Серікова", "Дана", "", first, "chair", "2025-02-01", network.pavlodar_elders.pk, ""],
            ["Омаров", "Асқар", "", second, "secretary", "10.01.2025", "", "2025-01-09"],
            [
                network.pavlodar_person.last_name,
                network.pavlodar_person.first_name,
                network.pavlodar_person.patronymic,
                "",
                "member",
                "2024-01-15",
                network.pavlodar_elders.pk,
                "",
            ],
        ],
    )
    review = check(client, network.pavlodar, members)
    assert statuses(review) == ["create", "create", "create", "unchanged"]
    assert review.context["can_confirm"]
    job = review.context["job"]
    assert (job.created, job.changed, job.unchanged, job.rejected) == (3, 0, 1, 0)
    assert not Person.objects.filter(last_name="Серікова").exists()

    done = confirm(client, review)

    job = done.context["job"]
    assert job.status == ImportJob.Status.DONE
    assert job.committed == 3
    assert "Import done: 3 rows written." in done.content.decode()
    dana = Person.objects.get(last_name="Серікова")
    assert set(dana.memberships.values_list("role", "organisation")) == {
        ("member", network.pavlodar.pk),
        ("chair", network.pavlodar_elders.pk),
    }
    assert Person.objects.get(last_name="Омаров").memberships.count() == 1
    assert AuditEntry.objects.filter(action="import", object_id=str(network.pavlodar.pk)).exists()
    assert ImportRow.objects.filter(job=job, committed=True).count() == 3

    # The same import cannot be written twice: the job is done, a second confirmation is
    # refused with a message and writes nothing.
    before = snapshot_counts()
    again = client.post(url("import_confirm", job.token), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 200
    assert "this step is no longer possible" in again.content.decode()
    tasks.run_commit(job.pk)
    assert snapshot_counts() == before


def test_all_or_nothing_writes_nothing_when_a_row_fails_the_check_before_writing(as_user, network):
    client = as_user("coordinator_pavlodar")
    elders = network.pavlodar_elders.pk
    members = xlsx(
        MEMBER_HEADER,
        [
            ["Серікова", "Дана", "", "", "member", "2025-01-10", "", "2025-01-09"],
            ["Омаров", "Асқар", "", "", "member", "2025-01-10", elders, "2025-01-09"],
        ],
    )
    review = check(client, network.pavlodar, members, mode="all")
    assert statuses(review) == ["create", "create"]
    assert review.context["can_confirm"]
    # Between the check and the commit the second row's body is closed.
    Organisation.objects.filter(pk=network.pavlodar_elders.pk).update(
        status=Organisation.Status.CLOSED, closed_on=datetime.date(2025, 1, 1)
    )
    before = snapshot_counts()

    done = confirm(client, review)

    job = done.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert job.committed == 0
    assert "Nothing was imported" in done.content.decode()
    assert snapshot_counts() == before
    assert not Person.objects.filter(last_name__in=["Серікова", "Омаров"]).exists()
    assert not ImportRow.objects.filter(job=job, committed=True).exists()


def test_a_failure_inside_a_batch_rolls_back_that_batch_only(as_user, network, monkeypatch):
    client = as_user("coordinator_pavlodar")
    bodies = xlsx(
        BODY_HEADER,
        [
            ["", "elders_council", "Бірінші кеңес", "", "", "", "KZ-55", ""],
            ["", "elders_council", "Екінші кеңес", "", "", "", "KZ-55", ""],
        ],
    )
    review = check(client, network.pavlodar, bodies, kind="bodies")
    assert statuses(review) == ["create", "create"]
    monkeypatch.setattr(tasks, "FIRST_BATCH", 1)
    monkeypatch.setattr(tasks, "MAX_BATCH", 1)
    real_create = registry_services.organisation_create
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            real_create(**kwargs)  # written, then rolled back with its batch
            raise registry_services.RegistryError("Broken on purpose")
        return real_create(**kwargs)

    monkeypatch.setattr(registry_services, "organisation_create", failing_second)

    done = confirm(client, review)

    job = done.context["job"]
    assert job.status == ImportJob.Status.FAILED
    assert "Broken on purpose" in job.message
    assert "Broken on purpose" in done.content.decode()
    assert job.committed == 1
    first, second = rows(done)
    assert first.committed and not second.committed
    assert Organisation.objects.filter(name_kk="Бірінші кеңес").exists()
    assert not Organisation.objects.filter(name_kk="Екінші кеңес").exists()


def test_bodies_import_creates_and_changes_bodies_matched_by_id(as_user, network):
    client = as_user("coordinator_pavlodar")
    house = network.pavlodar_house
    phone = "+7 700 100 20 30"
    bodies = csv_bytes(
        BODY_HEADER + ["phone"],
        [
            [house.pk, "house_of_friendship", house.name_kk, "", "", "", "KZ-55", "", phone],
            ["", "elders_council", "Ауыл кеңесі", "", "", network.pavlodar.pk, "KZ-55", "", ""],
        ],
    )
    review = check(client, network.pavlodar, bodies, kind="bodies", name="b.csv")
    assert statuses(review) == ["change", "create"]
    confirm(client, review)
    house.refresh_from_db()
    assert house.phone == "+77001002030"
    # Empty name cells change nothing: the Russian and English names are kept.
    assert (house.name_ru, house.name_en) == (
        "Дом дружбы Павлодарской области",
        "House of Friendship of Pavlodar Region",
    )
    assert Organisation.objects.filter(name_kk="Ауыл кеңесі", region__iso="KZ-55").exists()


def test_the_check_rejects_duplicates_wrong_kinds_and_bodies_out_of_scope(as_user, network):
    client = as_user("coordinator_pavlodar")
    bodies = xlsx(
        BODY_HEADER,
        [
            ["", "elders_council", "Кеңес", "", "", "", "KZ-55", ""],
            ["", "elders_council", "Кеңес", "", "", "", "KZ-55", ""],
            ["", "spaceship", "Кеме", "", "", "", "KZ-55", ""],
            ["", "house_of_friendship", "Үй", "", "", network.pavlodar_elders.pk, "KZ-55", ""],
            [network.almaty_house.pk, "house_of_friendship", "Алматы", "", "", "", "KZ-75", ""],
            ["", "elders_council", "Күні", "", "", "", "KZ-55", ""],
        ],
    )
    review = check(client, network.pavlodar, bodies, kind="bodies")
    checked = rows(review)
    assert [row.status for row in checked] == [
        "create",
        "reject",
        "reject",
        "reject",
        "reject",
        "create",
    ]
    assert "repeats row 2" in checked[1].errors[0]
    assert "Unknown kind of body «spaceship»" in checked[2].errors[0]
    assert "cannot be placed under" in checked[3].errors[0]
    assert "no body number" in checked[4].errors[0]


def test_members_import_refuses_bad_dates_and_a_new_person_without_consent(as_user, network):
    client = as_user("coordinator_pavlodar")
    members = csv_bytes(
        MEMBER_HEADER,
        [
            ["Бекова", "Әсем", "", "", "member", "31.02.2025", "", "2025-01-01"],
            ["Бекова", "Әсем", "", "", "member", "2025-02-01", "", ""],
            ["Бекова", "Әсем", "", "", "member", "2025-02-01", network.almaty.pk, "2025-01-01"],
        ],
        sep=",",
    )
    checked = rows(check(client, network.pavlodar, members, name="m.csv"))
    assert [row.status for row in checked] == ["reject", "reject", "reject"]
    assert "not a date" in checked[0].errors[0]
    assert "consent" in checked[1].errors[0]
    assert "no body number" in checked[2].errors[0]


def test_cp1251_csv_is_read(as_user, network):
    client = as_user("coordinator_pavlodar")
    data = csv_bytes(
        BODY_HEADER,
        [["", "elders_council", "", "Совет села", "", "", "KZ-55", ""]],
        encoding="cp1251",
    )
    [row] = rows(check(client, network.pavlodar, data, kind="bodies", name="b.csv"))
    assert row.label == "Совет села"
    assert row.status == "create"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This file is a picture (PNG), not an XLSX or CSV spreadsheet",
        ),
        (b"PK\x03\x04broken zip", "The file is not an XLSX or CSV spreadsheet. It may be damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files (.xls)"),
        (b"\x00\x01\x02binary", "The file is not an XLSX or CSV spreadsheet."),
    ],
)
def test_a_broken_file_gets_a_clear_message_and_changes_nothing(
    as_user, network, data, message, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    response = upload(client, network.pavlodar, data, kind="bodies", name="file.csv")
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert snapshot_counts() == before
    assert not ImportJob.objects.exists()
    assert not list(tmp_path.rglob("*.*"))  # nothing kept


def test_a_file_without_known_column_names_is_kept_and_asks_for_the_columns(as_user, network):
    """No longer refused at the upload: the column step says that no row holds known column
    names, and the check is refused until a column gives the name."""
    client = as_user("coordinator_pavlodar")
    data = "город;адрес\nПавлодар;ул. Ленина\n".encode()
    response = upload(client, network.pavlodar, data, kind="bodies", name="file.csv")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page, form = columns_form(client, job)
    assert "No row among the first ones holds column names Birlik knows" in page.content.decode()
    form.update({"mode": "partial", "action": "check"})
    posted = client.post(url("import_columns", job.token), form, HTTP_ACCEPT_LANGUAGE="en")
    assert posted.status_code == 200
    assert "These fields have no column and no value for all rows: Name." in str(
        posted.context["form"].non_field_errors()
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_a_file_with_column_names_and_no_rows_says_so(as_user, network):
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    data = b"kind;name_kk;name_ru;name_en;region\n"
    review = check(client, network.pavlodar, data, kind="bodies", name="file.csv")
    assert review.context["job"].status == ImportJob.Status.FAILED
    assert statuses(review) == []
    assert not review.context["can_confirm"]
    assert "The file has no rows below the column names." in review.content.decode()
    assert snapshot_counts() == before


def test_a_zip_that_is_not_a_workbook_is_refused(as_user, network):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = upload(
        as_user("coordinator_pavlodar"), network.pavlodar, buffer.getvalue(), kind="bodies"
    )
    assert response.status_code == 200
    assert "This file is an archive (ZIP), not an XLSX or CSV spreadsheet" in str(
        response.context["form"].errors["file"]
    )
    assert not ImportJob.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_an_oversize_file_is_refused_before_it_is_read(as_user, network):
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    big = b"kind;name_kk;name_ru;name_en;region\n" + b"x" * (3 * 1024 * 1024)
    response = upload(client, network.pavlodar, big, kind="bodies", name="big.csv")
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert response.wsgi_request.upload_refused == "too_large"
    assert snapshot_counts() == before
    assert not ImportJob.objects.exists()


def test_a_fifty_megabyte_upload_is_refused_with_a_message(as_user, network):
    client = as_user("coordinator_pavlodar")
    big = b"kind;name_kk;name_ru;name_en;region\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, network.pavlodar, big, kind="bodies", name="big.csv")
    assert response.status_code == 200
    assert "larger than 10 MB" in response.content.decode()
    # The upload handler stopped reading at the limit: the file never reached the form.
    assert response.wsgi_request.upload_refused == "too_large"
    assert "file" not in response.wsgi_request.FILES
    assert not ImportJob.objects.exists()


def test_another_user_cannot_open_or_confirm_someone_elses_import(as_user, network):
    owner = as_user("coordinator_pavlodar")
    data = xlsx(BODY_HEADER, [["", "elders_council", "Кеңес", "", "", "", "KZ-55", ""]])
    token = check(owner, network.pavlodar, data, kind="bodies").context["job"].token
    assert owner.get(url("import_review", token)).status_code == 200
    other = Client()
    other.force_login(network.users["admin"])
    assert other.get(url("import_review", token)).status_code == 404
    assert other.post(url("import_confirm", token)).status_code == 404
    assert other.post(url("import_cancel", token)).status_code == 404
    job = ImportJob.objects.get(token=token)
    assert job.status == ImportJob.Status.READY
    tasks.run_commit(job.pk)  # a queued commit would find nothing to do
    assert not Organisation.objects.filter(name_kk="Кеңес").exists()


def test_body_staff_cannot_import_into_the_regional_assembly(as_user, network):
    client = as_user("staff_pavlodar_house")
    assert client.get(url("import", network.pavlodar.pk)).status_code == 404
    assert as_user("analyst").get(url("import", network.pavlodar.pk)).status_code == 403


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_template_holds_the_field_labels_and_an_example_row(as_user, language):
    with translation.override(language):
        address = reverse("workspace:import_template", args=["members"])
        labels = [str(spec.label) for spec in catalogue.MEMBER_FIELDS]
        full_name, start = (
            str(catalogue.field("members", key).label) for key in ("full_name", "start_date")
        )
    response = as_user("coordinator_pavlodar").get(address)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(content(response))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert header == labels
    example = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert example[full_name] == MEMBER_NAME
    assert example[start] == datetime.datetime(2023, 9, 1)


def test_a_filled_template_is_read_column_by_column(as_user, network):
    """The template's header (labels in the user's language) needs no column choice."""
    client = as_user("coordinator_pavlodar")
    with translation.override("ru"):
        address = reverse("workspace:import_template", args=["members"])
    data = content(client.get(address))
    response = upload(client, network.pavlodar, data, name="template.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.header_line == 1
    assert job.mapping == {
        str(index): spec.key for index, spec in enumerate(catalogue.MEMBER_FIELDS)
    }


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_bodies_export_holds_only_rows_in_scope_and_is_audited(as_user, network):
    response = as_user("coordinator_pavlodar").get(url("bodies_export", "csv"))
    rows = read_csv(response)
    assert rows[0] == importing.BODY_COLUMNS
    ids = {int(row[0]) for row in rows[1:]}
    assert ids == {network.pavlodar.pk, network.pavlodar_house.pk, network.pavlodar_elders.pk}
    house = next(row for row in rows if row[0] == str(network.pavlodar_house.pk))
    assert house[1] == "house_of_friendship"
    assert house[5] == str(network.pavlodar.pk)
    assert house[6] == "KZ-55"
    assert AuditEntry.objects.filter(
        action="export",
        object_id=str(network.pavlodar.pk),
        actor=network.users["coordinator_pavlodar"],
    ).exists()


def test_members_export_has_no_iin_and_only_the_subtree(as_user, network):
    person = network.pavlodar_person
    Person.objects.filter(pk=person.pk).update(iin_last4="4321", iin_digest="d" * 64)
    client = as_user("coordinator_pavlodar")
    response = client.get(url("members_export", network.pavlodar.pk, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == importing.MEMBER_EXPORT_COLUMNS
    assert "iin" not in rows[0]
    assert [row[0] for row in rows[1:]] == [person.last_name]
    assert not any("4321" in str(cell) for row in rows for cell in row)
    assert network.almaty_person.last_name not in {row[0] for row in rows}
    assert AuditEntry.objects.filter(action="export", note="members xlsx").exists()
    assert client.get(url("members_export", network.almaty.pk, "csv")).status_code == 404


def test_analyst_cannot_export_members(as_user, network):
    assert (
        as_user("analyst").get(url("members_export", network.pavlodar.pk, "csv")).status_code == 403
    )


def test_an_exported_file_imports_back_without_changes(as_user, network):
    Organisation.objects.filter(pk=network.pavlodar_house.pk).update(
        phone="+77182320000", email="dostyk@example.kz", website="https://dostyk.example.kz"
    )
    client = as_user("coordinator_pavlodar")
    exported = client.get(url("bodies_export", "xlsx"), {"under": network.pavlodar.pk}).content
    review = check(client, network.pavlodar, exported, kind="bodies")
    checked = rows(review)
    assert len(checked) == 3
    assert {row.status for row in checked} == {"unchanged"}, [r.errors for r in checked]


def test_export_neutralises_cells_that_excel_would_run_as_formulas(as_user, network):
    Organisation.objects.filter(pk=network.pavlodar_house.pk).update(address_kk="=HYPERLINK(1)")
    rows = read_csv(as_user("coordinator_pavlodar").get(url("bodies_export", "csv")))
    house = next(row for row in rows if row[0] == str(network.pavlodar_house.pk))
    assert house[8] == "'=HYPERLINK(1)"


def test_an_iin_that_lost_its_leading_zero_in_excel_is_matched(as_user, network):
    iin = next(
        code
        for serial in range(1, 20)
        if (code := make_iin(datetime.date(2003, 5, 4), "f", serial))
    )
    assert iin.startswith("0")
    client = as_user("coordinator_pavlodar")
    data = xlsx(
        MEMBER_HEADER, [["Нұрова", "Аяла", "", int(iin), "member", "2025-01-10", "", "2025-01-09"]]
    )
    review = check(client, network.pavlodar, data)
    assert statuses(review) == ["create"], rows(review)[0].errors
    confirm(client, review)
    assert Person.objects.get(last_name="Нұрова").birth_date == datetime.date(2003, 5, 4)
