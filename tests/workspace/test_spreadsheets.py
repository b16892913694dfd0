"""Spreadsheet import (dry run, then one transaction) and export of bodies and members."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from birlik.access.models import AuditEntry
from birlik.registry.iin import make_iin
from birlik.registry.models import Membership, Organisation, Person
from birlik.workspace import importing

pytestmark = pytest.mark.django_db

BODY_HEADER = ["id", "kind", "name_kk", "name_ru", "name_en", "parent_id", "region", "district"]
MEMBER_HEADER = ["last_name", "first_name", "patronymic", "iin", "role", "start_date"]
MEMBER_HEADER += ["body_id", "consent_date"]


def url(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


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


def upload(client, body, data: bytes, *, kind="bodies", name="file.xlsx"):
    return client.post(
        url("import", body.pk),
        {"import_kind": kind, "file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


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


def test_dry_run_reports_a_bad_iin_row_and_an_unknown_region_row_and_writes_nothing(
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
    response = upload(client, network.pavlodar, bodies)
    assert response.status_code == 302
    review = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    result = review.context["result"]
    assert [row.status for row in result.rows] == ["create", "reject"]
    assert "Unknown region “KZ-99”" in review.content.decode()
    assert not review.context["can_confirm"]

    members = csv_bytes(
        MEMBER_HEADER,
        [
            ["Серікова", "Дана", "", valid_iin(10), "member", "2025-01-10", "", "2025-01-09"],
            ["Омаров", "Асқар", "", "123456789012", "member", "2025-01-10", "", "2025-01-09"],
        ],
    )
    response = upload(client, network.pavlodar_house, members, kind="members", name="m.csv")
    review = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    rows = review.context["result"].rows
    assert [row.status for row in rows] == ["create", "reject"]
    assert any("IIN" in error for error in rows[1].errors)
    assert snapshot_counts() == before


def test_confirm_writes_all_rows_in_one_transaction(as_user, network):
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
    response = upload(client, network.pavlodar, members, kind="members")
    review = client.get(response["Location"])
    assert [row.status for row in review.context["result"].rows] == [
        "create",
        "create",
        "create",
        "unchanged",
    ]
    assert review.context["can_confirm"]
    token = review.context["token"]
    response = client.post(url("import_confirm", token))
    assert response.status_code == 302
    dana = Person.objects.get(last_name="Серікова")
    assert set(dana.memberships.values_list("role", "organisation")) == {
        ("member", network.pavlodar.pk),
        ("chair", network.pavlodar_elders.pk),
    }
    assert Person.objects.get(last_name="Омаров").memberships.count() == 1
    assert AuditEntry.objects.filter(action="import", object_id=str(network.pavlodar.pk)).exists()
    # The stored file is gone: the same import cannot be applied twice.
    assert client.post(url("import_confirm", token)).status_code == 404


def test_a_failure_while_applying_rolls_back_every_row(as_user, network, monkeypatch):
    client = as_user("coordinator_pavlodar")
    bodies = xlsx(
        BODY_HEADER,
        [
            ["", "elders_council", "Бірінші кеңес", "", "", "", "KZ-55", ""],
            ["", "elders_council", "Екінші кеңес", "", "", "", "KZ-55", ""],
        ],
    )
    response = upload(client, network.pavlodar, bodies)
    token = client.get(response["Location"]).context["token"]
    from birlik.registry import services

    real_create = services.organisation_create
    calls = []

    def failing_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise services.RegistryError("Broken on purpose")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "organisation_create", failing_second)
    before = snapshot_counts()
    response = client.post(url("import_confirm", token), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Nothing was imported" in response.content.decode()
    assert snapshot_counts() == before
    assert not Organisation.objects.filter(name_kk="Бірінші кеңес").exists()


def test_bodies_import_creates_and_changes_bodies_matched_by_id(as_user, network):
    client = as_user("coordinator_pavlodar")
    house = network.pavlodar_house
    bodies = csv_bytes(
        BODY_HEADER + ["phone"],
        [
            [house.pk, "house_of_friendship", house.name_kk, "", "", "", "KZ-55", "", "+7 700 1"],
            ["", "elders_council", "Ауыл кеңесі", "", "", network.pavlodar.pk, "KZ-55", "", ""],
        ],
    )
    response = upload(client, network.pavlodar, bodies, name="b.csv")
    review = client.get(response["Location"])
    assert [row.status for row in review.context["result"].rows] == ["change", "create"]
    client.post(url("import_confirm", review.context["token"]))
    house.refresh_from_db()
    assert house.phone == "+7 700 1"
    assert Organisation.objects.filter(name_kk="Ауыл кеңесі", region__iso="KZ-55").exists()


def test_dry_run_rejects_duplicates_wrong_kinds_and_bodies_out_of_scope(as_user, network):
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
    response = upload(client, network.pavlodar, bodies)
    review = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    rows = review.context["result"].rows
    assert [row.status for row in rows] == [
        "create",
        "reject",
        "reject",
        "reject",
        "reject",
        "create",
    ]
    assert "twice" in rows[1].errors[0]
    assert "Unknown kind" in rows[2].errors[0]
    assert "cannot be placed under" in rows[3].errors[0]
    assert "no body number" in rows[4].errors[0]


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
    response = upload(client, network.pavlodar, members, kind="members", name="m.csv")
    rows = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").context["result"].rows
    assert [row.status for row in rows] == ["reject", "reject", "reject"]
    assert "not a date" in rows[0].errors[0]
    assert "consent" in rows[1].errors[0]
    assert "no body number" in rows[2].errors[0]


def test_cp1251_csv_is_read(as_user, network):
    client = as_user("coordinator_pavlodar")
    data = csv_bytes(
        BODY_HEADER,
        [["", "elders_council", "", "Совет села", "", "", "KZ-55", ""]],
        encoding="cp1251",
    )
    response = upload(client, network.pavlodar, data, name="b.csv")
    rows = client.get(response["Location"]).context["result"].rows
    assert rows[0].label == "Совет села"
    assert rows[0].status == "create"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an XLSX or CSV spreadsheet"),
        (b"PK\x03\x04broken zip", "not an XLSX or CSV spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files"),
        ("город;адрес\nПавлодар;ул. Ленина\n".encode(), "These columns are missing"),
        (b"kind;name_kk;name_ru;name_en;region\n", "no rows below the column names"),
    ],
)
def test_a_broken_file_gets_a_clear_message_and_changes_nothing(as_user, network, data, message):
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    response = upload(client, network.pavlodar, data, name="file.csv")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot_counts() == before


def test_a_zip_that_is_not_a_workbook_is_refused(as_user, network):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = upload(as_user("coordinator_pavlodar"), network.pavlodar, buffer.getvalue())
    assert "not an XLSX or CSV spreadsheet" in response.content.decode()


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_an_oversize_file_is_refused_before_it_is_read(as_user, network):
    client = as_user("coordinator_pavlodar")
    before = snapshot_counts()
    big = b"kind;name_kk;name_ru;name_en;region\n" + b"x" * (3 * 1024 * 1024)
    response = upload(client, network.pavlodar, big, name="big.csv")
    assert response.status_code == 200
    assert "larger than 1 MB" in response.content.decode()
    assert snapshot_counts() == before


def test_a_fifty_megabyte_upload_is_refused_with_a_message(as_user, network):
    client = as_user("coordinator_pavlodar")
    big = b"kind;name_kk;name_ru;name_en;region\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, network.pavlodar, big, name="big.csv")
    assert response.status_code == 200
    assert "larger than 10 MB" in response.content.decode()
    # The upload handler stopped reading at the limit: the file never reached the form.
    assert response.wsgi_request.upload_refused == "too_large"
    assert "file" not in response.wsgi_request.FILES


def test_another_user_cannot_open_or_confirm_someone_elses_import(as_user, network, client):
    owner = as_user("coordinator_pavlodar")
    data = xlsx(BODY_HEADER, [["", "elders_council", "Кеңес", "", "", "", "KZ-55", ""]])
    token = owner.get(upload(owner, network.pavlodar, data)["Location"]).context["token"]
    other = Client()
    other.force_login(network.users["admin"])
    assert other.get(url("import_review", token)).status_code == 404
    assert other.post(url("import_confirm", token)).status_code == 404
    assert not Organisation.objects.filter(name_kk="Кеңес").exists()


def test_body_staff_cannot_import_into_the_regional_assembly(as_user, network):
    client = as_user("staff_pavlodar_house")
    assert client.get(url("import", network.pavlodar.pk)).status_code == 404
    assert as_user("analyst").get(url("import", network.pavlodar.pk)).status_code == 403


def test_templates_hold_the_header_row(as_user):
    response = as_user("coordinator_pavlodar").get(url("import_template", "members"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == importing.MEMBER_COLUMNS


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
        phone="+7 7182 32-00-00", email="dostyk@example.kz", website="https://dostyk.example.kz"
    )
    client = as_user("coordinator_pavlodar")
    exported = client.get(url("bodies_export", "xlsx"), {"under": network.pavlodar.pk}).content
    response = upload(client, network.pavlodar, exported)
    rows = client.get(response["Location"]).context["result"].rows
    assert {row.status for row in rows} == {"unchanged"}


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
    rows = (
        client.get(upload(client, network.pavlodar, data, kind="members")["Location"])
        .context["result"]
        .rows
    )
    assert rows[0].status == "create"
