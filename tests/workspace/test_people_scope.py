"""Matching by IIN leaks nothing: another region's person is linked only with their name, seen
only by name, edited only by the body that registered them; look-ups are limited and audited;
an import keeps no IIN (rows hold its key, the uploaded file is private and swept)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from birlik.access.models import AuditEntry
from birlik.imports import services as import_services
from birlik.imports import tasks as import_tasks
from birlik.imports.members import plan
from birlik.imports.models import ImportJob, ImportRow
from birlik.imports.rows import Context
from birlik.registry.iin import iin_digest, make_iin
from birlik.registry.models import Membership, Person
from tests.imports import flow

pytestmark = pytest.mark.django_db

HEADER = ["last_name", "first_name", "patronymic", "iin", "role", "start_date", "consent_date"]
TWELVE_DIGITS = re.compile(r"(?<!\d)\d{12}(?!\d)")
HEX_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")
KIM_BIRTH = datetime.date(1979, 11, 23)


def url(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


def iin_for(birth: datetime.date, serial: int, sex: str = "m") -> str:
    for offset in range(20):
        iin = make_iin(birth, sex, serial + offset)
        if iin:
            return iin
    raise AssertionError


def csv_file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def review(client, body, rows, **options):
    """Upload the rows as a CSV, keep the columns Birlik proposes, check: the review page."""
    return flow.check(client, body, csv_file(rows), name="m.csv", **options)


@pytest.fixture
def kim_iin(network) -> str:
    """The Almaty person, with an IIN, a birth date and contacts entered by Almaty."""
    iin = iin_for(KIM_BIRTH, 4242)
    Person.objects.filter(pk=network.almaty_person.pk).update(
        iin_digest=iin_digest(iin),
        iin_last4=iin[-4:],
        birth_date=KIM_BIRTH,
        phone="+7 701 555 01 01",
        email="kim@example.kz",
    )
    network.almaty_person.refresh_from_db()
    return iin


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def secrets_of_kim(network, kim_iin) -> list[str]:
    """What the Almaty person's page holds that Pavlodar must never see."""
    return [
        "kim@example.kz",
        "+7 701 555 01 01",
        kim_iin[-4:],
        "23.11.1979",
        "1979-11-23",
        network.almaty_house.name_en,
        network.almaty_house.name_kk,
    ]


def test_an_almaty_iin_under_another_name_is_refused_at_every_step(
    as_user, network, kim_iin, data_dir
):
    client = as_user("coordinator_pavlodar")
    rows = [["Иванов", "Иван", "", kim_iin, "member", "2025-01-10", "2025-01-09"]]
    page = review(client, network.pavlodar_house, rows, mode="all")
    text = page.content.decode()
    [row] = flow.rows(page)
    assert row.status == "reject"
    assert row.errors == [
        "A person with this IIN is registered under another name: check the IIN, "
        "the last name and the first name."
    ]
    assert "Ким" not in text
    for secret in secrets_of_kim(network, kim_iin):
        assert secret not in text
    assert not page.context["can_confirm"]
    job = page.context["job"]
    rejected = client.get(url("import_rejected", job.token))
    assert rejected.status_code == 200
    given_back = b"".join(rejected.streaming_content) if rejected.streaming else rejected.content
    assert "Ким".encode() not in given_back
    assert network.almaty_house.name_en.encode() not in given_back
    response = client.post(url("import_confirm", job.token), follow=True)
    assert "Some rows cannot be imported" in response.content.decode()
    import_tasks.run_commit(job.pk)  # a commit queued anyway would find nothing to do
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY
    assert not Membership.objects.filter(
        person=network.almaty_person, organisation__path__startswith=network.pavlodar.path
    ).exists()
    assert client.get(url("person", network.almaty_person.pk)).status_code == 404
    assert client.get(url("person_edit", network.almaty_person.pk)).status_code == 404
    response = client.post(
        url("person_edit", network.almaty_person.pk), {"last_name": "X", "first_name": "Y"}
    )
    assert response.status_code == 404
    assert Person.objects.get(pk=network.almaty_person.pk).last_name == "Ким"


def test_staff_of_one_house_cannot_pull_an_almaty_person_in_either(
    as_user, network, kim_iin, data_dir
):
    client = as_user("staff_pavlodar_house")
    rows = [["Петров", "Пётр", "", kim_iin, "member", "2025-01-10", "2025-01-09"]]
    [row] = flow.rows(review(client, network.pavlodar_house, rows))
    assert row.status == "reject"
    assert "another name" in row.errors[0]


def test_the_same_name_links_the_person_without_revealing_their_data(
    as_user, network, kim_iin, data_dir
):
    client = as_user("coordinator_pavlodar")
    # Case, spacing, ё/е and a Latin look-alike letter do not matter.
    rows = [["  КИМ ", "Eрлан", "", kim_iin, "member", "2025-01-10", ""]]
    page = review(client, network.pavlodar_house, rows)
    text = page.content.decode()
    [row] = flow.rows(page)
    assert row.status == "create", row.errors
    assert row.notes == [
        "First name: “Eрлан” mixes Latin and Cyrillic letters; kept as written.",
        "A person with this IIN is already registered.",
    ]
    for secret in secrets_of_kim(network, kim_iin):
        assert secret not in text
    done = flow.confirm(client, page)
    assert done.context["job"].status == ImportJob.Status.DONE
    for secret in secrets_of_kim(network, kim_iin):
        assert secret not in done.content.decode()
    term = Membership.objects.get(person=network.almaty_person, organisation=network.pavlodar_house)
    assert Person.objects.filter(last_name__in=["Ким", "КИМ"]).count() == 1

    # The person page: the name and Pavlodar's own term, nothing Almaty entered.
    response = client.get(url("person", network.almaty_person.pk))
    assert response.status_code == 200
    assert not response.context["full"]
    text = response.content.decode()
    assert network.almaty_person.full_name in text
    assert network.pavlodar_house.name_en in text
    assert "registered by a body outside your scope" in text
    for secret in secrets_of_kim(network, kim_iin):
        assert secret not in text
    assert url("person_edit", network.almaty_person.pk) not in text
    assert response.context["trail"] is None
    assert client.get(url("person_edit", network.almaty_person.pk)).status_code == 403
    response = client.post(
        url("person_edit", network.almaty_person.pk),
        {"last_name": "Ким", "first_name": "Changed", "email": "x@example.kz"},
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=network.almaty_person.pk).first_name == "Ерлан"

    # Pavlodar ends its own term; the Almaty term stays out of its reach.
    assert url("membership_end", term.pk) in text
    almaty_term = Membership.objects.get(
        person=network.almaty_person, organisation=network.almaty_house
    )
    assert client.get(url("membership_end", almaty_term.pk)).status_code == 404
    response = client.post(url("membership_end", term.pk), {"end_date": "2025-12-31"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.end_date == datetime.date(2025, 12, 31)

    # Almaty keeps the full page and the right to edit.
    almaty = as_user("coordinator_almaty")
    response = almaty.get(url("person", network.almaty_person.pk))
    assert response.context["full"]
    assert "kim@example.kz" in response.content.decode()
    assert almaty.get(url("person_edit", network.almaty_person.pk)).status_code == 200


def test_lists_and_exports_show_a_linked_person_by_name_only(as_user, network, kim_iin):
    Membership.objects.create(
        person=network.almaty_person,
        organisation=network.pavlodar_house,
        role="member",
        start_date=datetime.date(2025, 1, 10),
    )
    client = as_user("coordinator_pavlodar")
    text = client.get(url("people")).content.decode()
    assert network.almaty_person.full_name in text
    assert "Registered outside your scope" in text
    for secret in secrets_of_kim(network, kim_iin):
        assert secret not in text

    response = client.get(url("membership_add", network.pavlodar.pk), {"q": "Ким"})
    assert [p.pk for p in response.context["candidates"]] == [network.almaty_person.pk]
    assert network.almaty_house.name_en not in response.content.decode()

    exported = b"".join(
        client.get(url("members_export", network.pavlodar.pk, "csv")).streaming_content
    ).decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(exported))}
    assert rows["Ким"][8:10] == ["", ""]
    assert "kim@example.kz" not in exported
    # The export of Almaty's own members keeps the contacts Almaty entered.
    exported = b"".join(
        as_user("coordinator_almaty")
        .get(url("members_export", network.almaty.pk, "csv"))
        .streaming_content
    ).decode("utf-8-sig")
    assert "kim@example.kz" in exported


def test_the_21st_iin_look_up_in_an_hour_is_refused(as_user, network, settings, data_dir):
    settings.IIN_LOOKUPS_PER_HOUR = 20
    client = as_user("coordinator_pavlodar")
    iins = [iin_for(datetime.date(1990, 1, 1) + datetime.timedelta(days=i), 10) for i in range(21)]
    rows = [
        [f"Адамов{i}", "Арман", "", iin, "member", "2025-01-10", "2025-01-09"]
        for i, iin in enumerate(iins)
    ]
    checked = flow.rows(review(client, network.pavlodar, rows))
    assert [row.status for row in checked] == ["create"] * 20 + ["reject"]
    assert checked[20].errors == [
        "This IIN was not checked: you have checked too many IINs in the last hour. "
        "Upload the file again later."
    ]
    lookups = AuditEntry.objects.filter(
        action="read",
        note="IIN look-up: members import",
        actor=network.users["coordinator_pavlodar"],
    )
    assert lookups.count() == 20
    assert {entry.changes["iin"][1] for entry in lookups} == {
        f"••••••••{i[-4:]}" for i in iins[:20]
    }
    refused = AuditEntry.objects.get(note__startswith="IIN look-ups refused")
    assert refused.changes == {"refused": [None, 1]}
    for entry in AuditEntry.objects.all():
        assert not TWELVE_DIGITS.search(str(entry.changes) + entry.note + entry.object_repr)

    # The registration form is stopped as well, with the wait in the message.
    response = client.post(
        url("person_create", network.pavlodar_house.pk),
        {
            "last_name": "Жаңа",
            "first_name": "Адам",
            "iin": iin_for(datetime.date(1991, 5, 5), 30),
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["iin"]
    assert message.startswith("You have checked too many IINs in the last hour. Try again in")
    assert not Person.objects.filter(last_name="Жаңа").exists()
    # Another user has a limit of their own.
    response = as_user("staff_pavlodar_house").post(
        url("person_create", network.pavlodar_house.pk),
        {
            "last_name": "Жаңа",
            "first_name": "Адам",
            "iin": iin_for(datetime.date(1991, 5, 5), 30),
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.status_code == 302


def test_reviewing_and_confirming_do_not_count_the_look_ups_again(
    as_user, network, settings, data_dir
):
    settings.IIN_LOOKUPS_PER_HOUR = 2
    client = as_user("coordinator_pavlodar")
    besova, omarov = iin_for(datetime.date(1992, 2, 2), 1), iin_for(datetime.date(1993, 3, 3), 1)
    rows = [
        ["Бекова", "Әсем", "", besova, "member", "2025-01-10", "2025-01-09"],
        ["Бекова", "Әсем", "", besova, "chair", "2025-01-10", ""],
        ["Омаров", "Асқар", "", omarov, "member", "2025-01-10", "2025-01-09"],
    ]
    page = review(client, network.pavlodar, rows)
    assert flow.statuses(page) == ["create", "create", "create"]
    assert page.context["can_confirm"]
    assert client.get(page.request["PATH_INFO"]).status_code == 200
    done = flow.confirm(client, page)
    assert done.context["job"].status == ImportJob.Status.DONE
    assert Person.objects.get(last_name="Бекова").memberships.count() == 2
    assert Person.objects.get(last_name="Омаров").birth_date == datetime.date(1993, 3, 3)
    assert AuditEntry.objects.filter(note="IIN look-up: members import").count() == 2


def test_the_registration_form_does_not_say_whose_iin_it_is(as_user, network, kim_iin):
    client = as_user("coordinator_pavlodar")
    response = client.post(
        url("person_create", network.pavlodar_house.pk),
        {
            "last_name": "Ким",
            "first_name": "Ерлан",
            "iin": kim_iin,
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["iin"]
    assert message.startswith("A person with this IIN is already registered.")
    text = response.content.decode()
    for secret in secrets_of_kim(network, kim_iin)[:-2]:
        assert secret not in text.replace(kim_iin, "")
    assert network.almaty_house.name_en not in text
    entry = AuditEntry.objects.get(note="IIN look-up: registration")
    assert entry.changes == {"iin": [None, f"••••••••{kim_iin[-4:]}"], "found": [None, True]}
    assert entry.organisation_path == network.pavlodar_house.path

    # Almaty, who sees the person, is told who it is.
    response = as_user("coordinator_almaty").post(
        url("person_create", network.almaty_house.pk),
        {
            "last_name": "Ким",
            "first_name": "Ерлан",
            "iin": kim_iin,
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.context["form"].errors["iin"] == [
        f"This IIN is already registered for {network.almaty_person.full_name}."
    ]


def test_changing_an_iin_to_one_held_elsewhere_is_refused_and_audited(as_user, network, kim_iin):
    person = network.pavlodar_person
    response = as_user("coordinator_pavlodar").post(
        url("person_edit", person.pk),
        {"last_name": person.last_name, "first_name": person.first_name, "iin": kim_iin},
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["iin"][0]
        .startswith("A person with this IIN is already registered.")
    )
    person.refresh_from_db()
    assert person.iin_digest is None
    assert AuditEntry.objects.filter(note="IIN look-up: change of IIN").count() == 1


def stored_text(job: ImportJob) -> str:
    """Everything the database keeps of an import (the job's fields and its rows), with the
    IINs' keyed digests left out (hex, they may hold a run of digits by chance)."""
    fields = ImportJob.objects.filter(pk=job.pk).values().get()
    rows = list(ImportRow.objects.filter(job=job).values("label", "errors", "notes", "data"))
    return HEX_DIGEST.sub("", json.dumps([fields, rows], default=str, ensure_ascii=False))


def age(job: ImportJob, delta: datetime.timedelta) -> None:
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - delta)


def test_an_import_keeps_no_iin_in_the_database_and_its_file_is_swept(as_user, network, data_dir):
    client = as_user("coordinator_pavlodar")
    good = iin_for(datetime.date(1988, 8, 8), 5)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    rows = [
        ["Серікова", "Дана", "", good, "member", "2025-01-10", "2025-01-09"],
        ["Омаров", "Асқар", "", bad, "member", "2025-01-10", "2025-01-09"],
    ]
    page = review(client, network.pavlodar, rows)
    assert flow.statuses(page) == ["create", "reject"]
    assert flow.rows(page)[1].errors == [
        "IIN: The IIN check digit does not match: please check the number."
    ]
    job = page.context["job"]
    stored = stored_text(job)
    assert not TWELVE_DIGITS.search(stored), stored
    assert good not in stored and bad not in stored

    # The uploaded file itself is private while the job lives.
    files = list((data_dir / "imports").iterdir())
    assert [path.name for path in files] == [job.file_path]
    [kept] = files
    assert oct(kept.stat().st_mode)[-3:] == "600"

    # A day is not over: nothing is swept.
    age(job, import_services.JOB_TTL - datetime.timedelta(minutes=5))
    assert import_tasks.imports_sweep.call() == 0
    assert kept.exists()
    assert client.get(page.request["PATH_INFO"]).status_code == 200

    age(job, import_services.JOB_TTL + datetime.timedelta(minutes=1))
    assert import_tasks.imports_sweep.call() == 1
    assert not kept.exists()
    assert not ImportJob.objects.exists()
    assert not ImportRow.objects.exists()
    assert client.get(page.request["PATH_INFO"]).status_code == 404


def test_an_upload_sweeps_expired_imports_and_files(as_user, network, data_dir):
    client = as_user("coordinator_pavlodar")
    row = ["Серікова", "Дана", "", "", "member", "2025-01-10", "2025-01-09"]
    old = review(client, network.pavlodar, [row]).context["job"]
    old_file = data_dir / "imports" / old.file_path
    assert old_file.exists()
    age(old, import_services.JOB_TTL + datetime.timedelta(minutes=1))
    stale = data_dir / "imports" / ("x" * 32 + ".csv")  # a file left without its job
    stale.write_text("{}")
    day_ago = time.time() - import_services.JOB_TTL.total_seconds() - 60
    os.utime(stale, (day_ago, day_ago))
    fresh = data_dir / "imports" / ("y" * 32 + ".csv")
    fresh.write_text("{}")

    review(client, network.pavlodar, [row])

    assert not stale.exists()
    assert not old_file.exists()
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert fresh.exists()  # less than a day old: perhaps a job being created


def test_the_rows_of_an_import_hold_the_iins_key_and_never_the_iin(as_user, network, data_dir):
    client = as_user("coordinator_pavlodar")
    good = iin_for(datetime.date(1988, 8, 8), 5)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    page = review(
        client,
        network.pavlodar,
        [
            ["Серікова", "Дана", "", good, "member", "2025-01-10", "2025-01-09"],
            ["Омаров", "Асқар", "", bad, "member", "2025-01-10", "2025-01-09"],
            ["Ахметов", "Ерлан", "", "", "member", "2025-01-10", "2025-01-09"],
        ],
    )
    checked, wrong, without = (row.data for row in flow.rows(page))
    assert "iin" not in checked and "iin" not in wrong and "iin" not in without
    assert checked["iin_digest"] == iin_digest(good)
    assert checked["iin_last4"] == good[-4:]
    assert checked["iin_birth_date"] == "1988-08-08"
    assert "iin_digest" not in wrong and wrong["iin_error"]
    assert not {key for key in without if key.startswith("iin")}

    flow.confirm(client, page)
    assert Person.objects.get(last_name="Серікова").iin_digest == iin_digest(good)


def test_a_row_whose_iin_was_not_checked_is_a_row_error(network):
    """The look-up limit refused the IIN: the row is not imported without it."""
    ctx = Context(user=network.users["coordinator_pavlodar"], under=network.pavlodar)
    row = {"last_name": "А", "first_name": "Б", "iin_refused": "1", "role": "member",
           "start_date": "2025-01-10", "consent_date": "2025-01-09"}  # fmt: skip
    [result] = plan(ctx, [(2, row)])
    assert result.status == "reject"
    assert result.item is None
    assert result.errors == [
        "This IIN was not checked: you have checked too many IINs in the last hour. "
        "Upload the file again later."
    ]
