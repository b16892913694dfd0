"""The import as staff run it: a real regional file taken as it is, the column step remembered
per body, partial or all-or-nothing, rejected rows given back, batches resumable."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from birlik.imports import services, tasks
from birlik.imports.models import ImportJob, ImportMapping, ImportRow
from birlik.registry.iin import make_iin
from birlik.registry.models import Membership, Organisation, Person

from .flow import check, confirm, rows, statuses, upload, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, network):
    client.force_login(network.users["coordinator_pavlodar"])
    return client


def iin(birth: datetime.date, serial: int, sex: str = "m") -> str:
    for offset in range(30):
        value = make_iin(birth, sex, serial + offset)
        if value:
            return value
    raise AssertionError


def titled_members(people: list[list[object]]) -> bytes:
    """A members list as a regional house keeps it: a title and an "as of" line (merged),
    the header on row 4 in Russian, totals and signatures below."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Список членов Ассамблеи народа Казахстана Павлодарской области"])
    sheet.merge_cells("A1:F1")
    sheet.append(["по состоянию на 01.12.2026 г."])
    sheet.merge_cells("A2:F2")
    sheet.append([])
    sheet.append(["№", "Ф.И.О.", "ИИН", "Дата рождения", "Должность", "Телефон"])
    for number, person in enumerate(people, start=1):
        sheet.append([number, *person])
    sheet.append(["", "Итого: " + str(len(people)) + " человек"])
    sheet.append([])
    sheet.append(["Исполнитель: ____________ Ахметова А."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


MEMBER_DEFAULTS = {"role": "member", "start_date": "2025-01-10", "consent_date": "2025-01-09"}


def test_a_titled_russian_list_is_read_as_it_is_and_imported(coordinator, network):
    birth = datetime.date(2003, 4, 5)
    number = iin(birth, 11, "f")
    people = [
        ["Серікова Дана Асқарқызы", int(number), birth, "секретарь", "8 (701) 234-56-78"],
        ["Омаров  Асқар Нұрланұлы", "", "12.03.1985", "", "+7 701 000 00 02"],
        ["Ким Ерлан", "", datetime.datetime(1990, 1, 2), "", 87012345679],
    ]
    data = titled_members(people)

    review = check(coordinator, network.pavlodar_house, data, defaults=MEMBER_DEFAULTS)

    job = review.context["job"]
    assert job.header_line == 4
    assert statuses(review) == ["create", "create", "create"]
    skipped = dict(job.skipped)
    assert set(skipped) == {8, 10}
    page = review.content.decode()
    assert "rows of the file are not data" in page

    done = confirm(coordinator, review)

    assert done.context["job"].status == ImportJob.Status.DONE
    dana = Person.objects.get(last_name="Серікова")
    assert (dana.first_name, dana.patronymic) == ("Дана", "Асқарқызы")
    assert dana.birth_date == birth  # from the IIN that had lost its leading zero
    assert dana.phone == "+77012345678"
    omarov = Person.objects.get(last_name="Омаров")
    assert omarov.birth_date == datetime.date(1985, 3, 12)
    assert Membership.objects.filter(organisation=network.pavlodar_house).count() == 3


def test_the_same_file_again_changes_nothing_and_says_so(coordinator, network):
    data = titled_members([["Омаров Асқар", "", "12.03.1985", "", ""]])
    confirm(coordinator, check(coordinator, network.pavlodar_house, data, defaults=MEMBER_DEFAULTS))
    before = (Person.objects.count(), Membership.objects.count())

    again = check(coordinator, network.pavlodar_house, data, defaults=MEMBER_DEFAULTS)

    assert statuses(again) == ["unchanged"]
    assert "There is nothing to import" in again.content.decode()
    assert again.context["can_confirm"] is False
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_the_column_choice_is_remembered_for_the_body(coordinator, network):
    book = Workbook()
    sheet = book.active
    sheet.append(["Қатысушы", "Байланыс нөмірі", "Ескерту"])
    sheet.append(["Омаров Асқар", "87010000002", "—"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    review = check(
        coordinator,
        network.pavlodar_house,
        data,
        header_line=1,
        mapping={0: "full_name", 1: "phone"},
        defaults=MEMBER_DEFAULTS,
    )
    assert statuses(review) == ["create"]
    saved = ImportMapping.objects.get(organisation=network.pavlodar_house, kind="members")
    assert saved.defaults["role"] == "member"

    response = upload(coordinator, network.pavlodar_house, data)
    job = ImportJob.objects.latest("id")
    assert response.status_code == 302
    assert job.header_line == 1
    assert job.mapping == {"0": "full_name", "1": "phone"}
    assert job.defaults["start_date"] == "2025-01-10"


def test_partial_import_writes_the_valid_rows_and_gives_back_the_rejected_ones(
    coordinator, network
):
    data = titled_members(
        [
            ["Омаров Асқар", "", "12.03.1985", "", ""],
            ["Н?рлан Серік", "", "01.01.1990", "", ""],
            ["Ким Ерлан", "", "31.02.1990", "", ""],
        ]
    )
    review = check(coordinator, network.pavlodar_house, data, defaults=MEMBER_DEFAULTS)
    assert statuses(review) == ["create", "reject", "reject"]
    lost = rows(review)[1].errors
    assert any("instead of letters" in error for error in lost)

    download = coordinator.get(url("import_rejected", review.context["job"].token))
    assert download.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(download.streaming_content) if download.streaming else download.content)
    ).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == [
        "№",
        "Ф.И.О.",
        "ИИН",
        "Дата рождения",
        "Должность",
        "Телефон",
        "Why it was rejected",
    ]
    assert [row[1] for row in values[1:]] == ["Н?рлан Серік", "Ким Ерлан"]
    assert "not a date" in values[2][-1]

    done = confirm(coordinator, review)
    assert done.context["job"].committed == 1
    assert Person.objects.filter(last_name="Омаров").count() == 1


def test_all_or_nothing_refuses_a_file_with_a_rejected_row(coordinator, network):
    data = titled_members(
        [["Омаров Асқар", "", "12.03.1985", "", ""], ["Ким Ерлан", "", "31.02.1990", "", ""]]
    )
    review = check(coordinator, network.pavlodar_house, data, defaults=MEMBER_DEFAULTS, mode="all")

    assert review.context["can_confirm"] is False
    response = coordinator.post(url("import_confirm", review.context["job"].token))
    assert response.status_code == 302
    assert not Person.objects.filter(last_name="Омаров").exists()
    assert "Import the valid rows only" in review.content.decode()


def test_a_word_document_renamed_xlsx_is_named_for_what_it_is(coordinator, network):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(coordinator, network.pavlodar_house, buffer.getvalue(), name="list.xlsx")

    assert response.status_code == 200
    assert "Word" in str(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_another_user_cannot_open_or_act_on_an_import(client, coordinator, network):
    review = check(
        coordinator,
        network.pavlodar_house,
        titled_members([["Омаров Асқар", "", "12.03.1985", "", ""]]),
        defaults=MEMBER_DEFAULTS,
    )
    token = review.context["job"].token
    for name in ("coordinator_almaty", "staff_pavlodar_house", "admin"):
        client.force_login(network.users[name])
        for view in ("import_review", "import_columns", "import_rejected"):
            assert client.get(url(view, token)).status_code == 404
        assert client.post(url("import_confirm", token)).status_code == 404
    assert ImportJob.objects.get(token=token).status == ImportJob.Status.READY


def test_the_review_costs_the_same_queries_for_ten_or_a_hundred_rows(
    coordinator, network, django_assert_max_num_queries
):
    counts = []
    for size in (10, 100):
        people = [[f"Омаров{n} Асқар", "", "12.03.1985", "", ""] for n in range(size)]
        review = check(
            coordinator, network.pavlodar_house, titled_members(people), defaults=MEMBER_DEFAULTS
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            coordinator.get(url("import_review", review.context["job"].token))
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_commit_stopped_mid_way_resumes_without_writing_twice(coordinator, network, monkeypatch):
    people = [[f"Омаров{n} Асқар", "", "12.03.1985", "", ""] for n in range(7)]
    review = check(
        coordinator, network.pavlodar_house, titled_members(people), defaults=MEMBER_DEFAULTS
    )
    job = review.context["job"]
    monkeypatch.setattr(tasks, "FIRST_BATCH", 2)
    monkeypatch.setattr(tasks, "MAX_BATCH", 2)
    real = tasks.kinds.KINDS["members"].apply
    calls = {"n": 0}

    class WorkerKilled(BaseException):
        pass

    def dying(ctx, items):
        calls["n"] += 1
        if calls["n"] == 3:
            raise WorkerKilled
        return real(ctx, items)

    kind = tasks.kinds.KINDS["members"]
    monkeypatch.setitem(
        tasks.kinds.KINDS, "members", type(kind)(**{**kind.__dict__, "apply": dying})
    )
    coordinator.post(url("import_confirm", job.token))
    with pytest.raises(WorkerKilled):
        tasks.run_commit(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.COMMITTING and job.committed == 4

    ImportJob.objects.filter(pk=job.pk).update(
        heartbeat=timezone.now() - datetime.timedelta(minutes=5),
        updated_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert services.resume_interrupted() == 1
    tasks.run_commit(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.committed == 7
    assert Person.objects.filter(last_name__startswith="Омаров").count() == 7
    assert ImportRow.objects.filter(job=job, committed=True).count() == 7
    assert 0 < job.max_lock_ms < 1000


def test_bodies_by_names_with_an_old_region_name_and_kinds_by_label(coordinator, network):
    book = Workbook()
    sheet = book.active
    sheet.append(["Реестр этнокультурных объединений"])
    sheet.append(["Наименование", "Вид", "Область", "Район", "Этнос"])
    sheet.append(
        [
            "Уйгурский этнокультурный центр",
            "Этнокультурное объединение",
            "павлодарская обл.",
            "",
            "уйгуры",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    review = check(coordinator, network.pavlodar, buffer.getvalue(), kind="bodies")

    assert statuses(review) == ["create"], rows(review)[0].errors
    confirm(coordinator, review)
    body = Organisation.objects.get(name_ru="Уйгурский этнокультурный центр")
    assert body.region.iso == "KZ-55"
    assert [g.code for g in body.ethnic_groups.all()] == ["uyghur"]


def test_uploads_are_limited_per_user_and_hour(coordinator, network, monkeypatch, settings):
    settings.REDIS_URL = ""  # the embedded store; the Redis store has its own tests
    monkeypatch.setattr(services, "UPLOADS_PER_HOUR", 2)
    data = titled_members([["Омаров Асқар", "", "12.03.1985", "", ""]])
    for _attempt in range(2):
        assert upload(coordinator, network.pavlodar_house, data).status_code == 302

    refused = upload(coordinator, network.pavlodar_house, data)

    assert refused.status_code == 200
    assert "too many files in the last hour" in refused.content.decode()
    assert ImportJob.objects.count() == 2


def test_a_header_of_thousands_of_cells_offers_a_bounded_column_step(coordinator, network):
    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Телефон", *[f"Колонка {n}" for n in range(2000)]])
    sheet.append(["Омаров Асқар", "87010000002"])
    buffer = io.BytesIO()
    book.save(buffer)

    response = upload(coordinator, network.pavlodar_house, buffer.getvalue())
    job = ImportJob.objects.get()

    assert response.status_code == 302
    assert len(job.header) == services.MAX_COLUMNS
    assert coordinator.get(url("import_columns", job.token)).status_code == 200


def test_what_the_commit_would_refuse_is_found_by_the_check(coordinator, network):
    """Lengths, addresses, overlapping terms: a check that says "ready" never ends in a failed
    commit."""
    long_mail = "a" * 250 + "@example.kz"
    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Должность", "E-mail", "Дата вступления", "Дата выхода", "Роль"])
    sheet.append(["Омаров Асқар", "", "", "10.01.2025", "", "член"])
    sheet.append(["Омаров Асқар", "", "", "10.01.2025", "", "член"])  # the same term again
    sheet.append(["Ким " + "Е" * 101, "", "", "10.01.2025", "", "член"])
    sheet.append(["Ли Анна", "Д" * 201, "", "10.01.2025", "", "член"])
    sheet.append(["Ли Мария", "", long_mail, "10.01.2025", "", "член"])
    sheet.append(["Ли Ольга", "", "", "10.01.2025", "01.01.2025", "член"])
    sheet.append(["Ли Вера", "", "", "10.01.2025", "", "президент"])
    buffer = io.BytesIO()
    book.save(buffer)

    review = check(
        coordinator,
        network.pavlodar_house,
        buffer.getvalue(),
        defaults={"consent_date": "2025-01-09"},
    )

    assert statuses(review) == ["create"] + ["reject"] * 6
    done = confirm(coordinator, review)
    job = done.context["job"]
    assert (job.status, job.committed, job.message) == (ImportJob.Status.DONE, 1, "")


def test_the_column_step_costs_the_same_queries_for_few_or_many_columns(coordinator, network):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for width in (2, 40):
        book = Workbook()
        sheet = book.active
        sheet.append(["ФИО", "Телефон", *[f"Колонка {n}" for n in range(width - 2)]])
        sheet.append(["Омаров Асқар", "87010000002"])
        buffer = io.BytesIO()
        book.save(buffer)
        upload(coordinator, network.pavlodar_house, buffer.getvalue())
        job = ImportJob.objects.latest("id")
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url("import_columns", job.token)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
