"""Importing the club's output from the spreadsheets staff really send: a title above the
table, merged cells, dates typed as text, Russian or Kazakh headers, a cp1251 CSV, totals and
signatures below. Good rows are stored, duplicates skipped and counted, bad rows reported by
their line, and nothing at all is stored from a file that is not a spreadsheet."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.monitoring import services
from birlik.monitoring.models import ClubPublication

from ..factories import png_bytes
from .club_fixtures import club_fixture, make_publication, xlsx_file  # noqa: F401 - fixture

URL = "/en/workspace/monitoring/club/import/"
NOW = "2025-11-20 10:00:00+05:00"


@pytest.fixture(autouse=True)
def _in_november_2025():
    with freeze_time(NOW):
        yield


def messy_sheet() -> bytes:
    title = "Журналистер клубы мүшелерінің жарияланымдары, 2025 жыл"
    rows = [
        [title, None, None, None, None, None, None],  # line 1, merged over A1:G1
        ["по состоянию на 01.11.2025"],  # 2
        [],  # 3
        ["№", "Дата публикации", "Наименование СМИ", "Вид материала", "Заголовок", "Ссылка",
         "Регион"],  # 4
        [1, 2, 3, 4, 5, 6, 7],  # 5: column numbers
        [1, "05.03.2025", "Казинформ", "публикация", "Бірлік – басты құндылық",
         "https://kazinform.kz/1", "Павлодарская обл."],  # 6
        [2, datetime.datetime(2025, 3, 6), "Хабар 24", "ТВ-сюжет",
         "Достық үйі жаңа маусымды бастады", None, "г. Алматы"],  # 7
        [3, "07.03.2025", "Instagram @apk_kz", "пост", "Наурыз мерекесі",
         "https://instagram.com/p/abc", "РК"],  # 8
        [4, "31.02.2025", "Egemen", "публикация", "A date that does not exist"],  # 9
        [5, "08.03.2025", "Egemen", "подкаст", "A kind Birlik does not count"],  # 10
        [6, "09.03.2025", "Egemen", "мақала", "A region that is not one", None,
         "Марс облысы"],  # 11
        [7, "05.03.2025", "Казинформ", "публикация", "Бірлік – басты құндылық",
         "https://kazinform.kz/1", "Павлодарская обл."],  # 12: row 6 again (the link)
        [8, "10.03.2025", "Kazpravda", "статья", "Already in the register",
         "https://kazpravda.kz/existing"],  # 13
        [9, "11.03.2025", None, "post", "No outlet"],  # 14
        [10, "06.03.2025", "Хабар 24", "тв", "Достық үйі жаңа маусымды бастады"],  # 15: row 7
        ["Итого", None, None, None, "10 материалов"],  # 16
        ["Исполнитель: ____________ Ахметова А."],  # 17
    ]  # fmt: skip
    return xlsx_file(rows, merge="A1:G1")


def test_a_messy_xlsx_stores_the_good_rows_and_reports_the_others_by_line(club):
    make_publication(club.body, url="https://kazpravda.kz/existing", title="Existing")
    with translation.override("en"):
        result = services.club_import(actor=club.staff, upload=messy_sheet())
    assert result.stored == 3
    stored = {p.title: p for p in ClubPublication.objects.exclude(title="Existing")}
    assert set(stored) == {
        "Бірлік – басты құндылық",
        "Достық үйі жаңа маусымды бастады",
        "Наурыз мерекесі",
    }
    first = stored["Бірлік – басты құндылық"]
    assert first.published_on == datetime.date(2025, 3, 5)
    assert first.kind == ClubPublication.Kind.PUBLICATION
    assert first.region.iso == "KZ-55"
    assert first.outlet == "Казинформ"
    assert first.organisation == club.body
    assert first.created_by == club.staff
    tv = stored["Достық үйі жаңа маусымды бастады"]
    assert (tv.kind, tv.region.iso, tv.url) == ("tv", "KZ-75", "")
    post = stored["Наурыз мерекесі"]
    assert (post.kind, post.region) == ("social", None)
    assert [line for line, _why in result.duplicates] == [12, 13, 15]
    errors = dict(result.errors)
    assert set(errors) == {9, 10, 11, 14}
    assert "is not a date" in " ".join(errors[9])
    assert "“подкаст” is not a kind Birlik counts" in " ".join(errors[10])
    assert "Марс облысы" in " ".join(errors[11])
    assert "Give the outlet that published it." in errors[14]
    skipped = dict(result.skipped)
    assert {5, 16, 17} <= set(skipped)
    imported = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert imported.count() == 3
    assert {entry.organisation_path for entry in imported} == {club.body.path}


def test_importing_the_same_file_twice_stores_nothing_more(club):
    services.club_import(actor=club.staff, upload=messy_sheet())
    again = services.club_import(actor=club.staff, upload=messy_sheet())
    assert again.stored == 0
    assert len(again.duplicates) == 6
    assert ClubPublication.objects.count() == 4  # row 13 is new here


def test_a_cp1251_csv_with_russian_headers_is_read(club):
    text = (
        "Публикации членов клуба журналистов\r\n"
        "Дата;СМИ;Тип;Заголовок;Ссылка;Область\r\n"
        "12.04.2025;Казахстанская правда;статья;Дом дружбы открыл сезон;"
        "https://kazpravda.kz/a/1;Павлодарская область\r\n"
        "13.04.2025;Хабар;телесюжет;Сюжет о единстве;;Алматы\r\n"
        "14.04.2025;Хабар;видео;Дата в будущем;;\r\n"
        "2025-13-01;Хабар;тв;Месяц 13;;\r\n"
        "15.04.2025;Телеграм-канал АНК;посты;Пост о Наурызе;;\r\n"
    )
    data = text.replace("14.04.2025", "14.12.2025").encode("cp1251")
    with translation.override("en"):
        result = services.club_import(actor=club.staff, upload=data)
    assert result.stored == 3
    assert [line for line, _reasons in result.errors] == [5, 6]
    assert "The date of publication is in the future." in dict(result.errors)[5]
    kinds = dict(ClubPublication.objects.values_list("title", "kind"))
    assert kinds == {
        "Дом дружбы открыл сезон": "publication",
        "Сюжет о единстве": "tv",
        "Пост о Наурызе": "social",
    }
    assert ClubPublication.objects.get(title="Сюжет о единстве").region.iso == "KZ-75"


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (png_bytes(), "This file is a picture (PNG)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "This file is a PDF document"),
        (b"", "The file is empty."),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused_and_nothing_is_stored(club, data, said):
    with translation.override("en"), pytest.raises(services.ClubError) as refused:
        services.club_import(actor=club.staff, upload=data)
    assert said in str(refused.value.message)
    assert refused.value.field == "file"
    assert ClubPublication.objects.count() == 0
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


def test_the_import_page_shows_what_was_stored_and_each_refused_row(login, club):
    client = login(club.staff)
    upload = SimpleUploadedFile("club.xlsx", messy_sheet())
    response = client.post(URL, {"organisation": club.body.pk, "file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "4 publications were stored." in page  # row 13 is new here
    assert "What the import did" in page
    for line in (9, 10, 11, 14):
        assert f'<th scope="row" class="num">{line}</th>' in page
    assert "2 rows were already in the register" in page
    assert "Give the outlet that published it." in page
    assert ClubPublication.objects.count() == 4


def test_the_import_page_refuses_a_photo_with_a_message(login, club):
    client = login(club.staff)
    upload = SimpleUploadedFile("club.xlsx", png_bytes(), content_type="application/vnd.ms-excel")
    response = client.post(URL, {"organisation": club.body.pk, "file": upload})
    assert response.status_code == 400
    assert "This file is a picture (PNG)" in response.content.decode()
    assert ClubPublication.objects.count() == 0


def test_a_file_too_large_is_refused_before_it_is_read(login, club, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = login(club.staff)
    upload = SimpleUploadedFile("club.csv", b"a;b\n" * 2000)
    response = client.post(URL, {"organisation": club.body.pk, "file": upload})
    assert response.status_code == 400
    assert "The file is larger than 1 MB. Split it into smaller files." in (
        response.content.decode()
    )
    assert ClubPublication.objects.count() == 0


def test_club_staff_import_only_into_their_own_club(login, club):
    client = login(club.staff)
    upload = SimpleUploadedFile("club.xlsx", messy_sheet())
    response = client.post(URL, {"organisation": club.other.pk, "file": upload})
    assert response.status_code == 400
    assert ClubPublication.objects.count() == 0
    with pytest.raises(services.ClubError):
        services.club_import(actor=club.staff, upload=messy_sheet(), organisation=club.other)
    assert ClubPublication.objects.count() == 0
