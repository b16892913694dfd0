"""Answers imported from staff's spreadsheets: messy real files made here with openpyxl (a
title row, headers as codes or as the questions' texts in kk/ru/en, options as codes or labels,
totals and signatures below), a Windows-1251 CSV, files that are not spreadsheets; every row
checked like a form; the same file twice adds nothing."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from birlik.core.errors import DomainError
from birlik.surveys import answer_import
from birlik.surveys.models import Mode, Option, Question, Response, Survey
from tests.conftest import Network

from .factories import make_survey, make_version

TITLE_RU = {
    "Q1": "Вы участвовали в мероприятиях Ассамблеи?",
    "T1": "Насколько можно доверять людям других этносов?",
    "AGE": "Возраст",
}
TITLE_KK = {
    "Q1": "Ассамблея іс-шараларына қатыстыңыз ба?",
    "T1": "Басқа этнос өкілдеріне қаншалықты сенуге болады?",
    "AGE": "Жасы",
}
LABELS = {  # code: (kk, ru, en)
    ("D_SEX", "female"): ("Әйел", "Женщина", "Female"),
    ("D_SEX", "male"): ("Ер", "Мужчина", "Male"),
    ("Q1", "yes"): ("Иә", "Да", "Yes"),
    ("Q1", "no"): ("Жоқ", "Нет", "No"),
    ("Q2", "concert"): ("Концерт", "Концерт", "Concert"),
    ("Q2", "forum"): ("Форум", "Форум", "Forum"),
    ("Q2", "course"): ("Тіл курсы", "Языковые курсы", "Language course"),
    ("T1", "88"): ("Білмеймін", "Затрудняюсь ответить", "Don't know"),
    ("T1", "99"): ("Жауап беруден бас тартты", "Отказ от ответа", "Refused"),
}


@pytest.fixture
def survey(network: Network) -> Survey:
    version = make_version(
        network.pavlodar,
        [
            ("D_SEX", "single", {"options": ["female", "male"], "required": True, "role": "sex"}),
            ("Q1", "single", {"options": ["yes", "no"], "required": True}),
            (
                "Q2",
                "multiple",
                {
                    "options": ["concert", "forum", "course"],
                    "show_if": {"q": "Q1", "v": "yes"},
                },
            ),
            (
                "T1",
                "scale",
                {"scale_min": 0, "scale_max": 10, "options": ["88", "99"], "required": True},
            ),
            ("AGE", "number", {"number_min": 18, "number_max": 120}),
            ("X1", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2"]}),
        ],
    )
    for code, texts in TITLE_RU.items():
        Question.objects.filter(version=version, code=code).update(
            text_ru=texts, text_kk=TITLE_KK[code]
        )
    for (code, option), (kk, ru, en) in LABELS.items():
        Option.objects.filter(question__version=version, question__code=code, code=option).update(
            label_kk=kk, label_ru=ru, label_en=en
        )
    Question.objects.filter(version=version, code="T1").update(
        label_min_en="cannot be trusted at all", label_max_en="can be trusted completely"
    )
    return make_survey(version, network.pavlodar, modes=[Mode.IMPORT, Mode.PAPER])


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messy_xlsx() -> bytes:
    """A fieldwork team's sheet: a title and a date line, headers mixing codes and Russian
    texts (with a hint in brackets), answers as Russian or Kazakh labels or codes, a column
    Birlik does not know, a totals line and a signature below."""
    return xlsx(
        [
            ["Опрос о доверии, Павлодарская область"],
            ["по состоянию на 15.03.2026"],
            [],
            [
                "№",
                "Дата заполнения",
                "D_SEX",
                TITLE_RU["Q1"],
                "Q2",
                TITLE_RU["T1"] + " (0-10)",
                "Возраст",
                "X1__r1",
                "X1__r2",
                "Интервьюер",
            ],
            [
                1,
                datetime.date(2026, 3, 10),
                "Женщина",
                "Да",
                "Концерт; Форум",
                7,
                34,
                4,
                5,
                "Иванова",
            ],
            [2, "11.03.2026", "male", "Нет", "", "Затрудняюсь ответить", "", "", "", "Иванова"],
            [3, None, "Ер", "Иә", "concert,course", 10.0, "45", 3, "", "Серікова"],
            [4, None, "Женщина", "Да", "Форум", 12, 17, None, None, "Серікова"],
            [5, None, "", "Нет", None, 5, None, None, None, "Серікова"],
            [6, None, "Мужчина", "Может быть", None, 5, None, None, None, "Серікова"],
            ["Итого", None, None, None, None, None, None, None, None, None],
            ["Исполнитель ____________ Иванова А."],
        ]
    )


def upload(client: Client, survey: Survey, data: bytes, name: str, language: str = "ru") -> Any:
    return client.post(
        reverse("surveys:import", args=[survey.pk]),
        {"file": SimpleUploadedFile(name, data), "language": language},
    )


def reference_of(response: Any) -> str:
    found = re.search(r'name="reference" value="([^"]+)"', response.content.decode())
    assert found, "the preview has no confirm form"
    return found.group(1)


def apply(client: Client, survey: Survey, reference: str, language: str = "ru") -> Any:
    return client.post(
        reverse("surveys:import_apply", args=[survey.pk]),
        {"reference": reference, "language": language},
    )


# --- The preview and the apply -------------------------------------------------------------------


def test_a_messy_sheet_is_read_row_by_row(network, survey):
    plan = answer_import.import_plan(survey, messy_xlsx())
    assert plan.header_line == 4
    verdicts = {row.line: row for row in plan.rows}
    assert [verdicts[line].status for line in (5, 6, 7)] == ["add"] * 3
    assert [verdicts[line].status for line in (8, 9, 10)] == ["error"] * 3
    assert plan.unknown == ["№", "Интервьюер"]
    assert {line for line, _why in plan.skipped} == {11, 12}
    with translation.override("en"):
        errors = {line: [message for _q, message in verdicts[line].errors] for line in (8, 9, 10)}
        # Row 8: 12 is off the 0–10 scale, 17 below the age range.
        assert any("0" in m and "10" in m for m in errors[8]) and len(errors[8]) == 2
    assert [q for q, _m in verdicts[9].errors] == ["D_SEX. Question D_SEX (kk)"]
    assert verdicts[10].errors[0][0].startswith("Q1.")


def test_preview_then_apply_then_the_same_file_again_adds_nothing(
    network, survey, login, django_assert_max_num_queries
):
    client = login(network.users["staff_pavlodar_house"])
    data = messy_xlsx()
    preview = upload(client, survey, data, "опрос.xlsx")
    assert preview.status_code == 200
    html = preview.content.decode()
    with translation.override("kk"):
        assert translation.pgettext("import row", "Will be added") in html
        assert translation.pgettext("import row", "Not imported") in html
        assert translation.gettext("This question needs an answer.") in html
    assert not Response.objects.exists()  # the preview writes nothing

    done = apply(client, survey, reference_of(preview))
    assert done.status_code == 302
    rows = {r.client_uuid.rsplit(":", 1)[1]: r for r in Response.objects.all()}
    assert sorted(rows) == ["5", "6", "7"]
    first, second, third = rows["5"], rows["6"], rows["7"]
    assert first.answers == {
        "D_SEX": "female",
        "Q1": "yes",
        "Q2": ["concert", "forum"],
        "T1": 7,
        "AGE": 34,
        "X1": {"r1": 4, "r2": 5},
    }
    assert first.submitted_on == datetime.date(2026, 3, 10)
    assert second.submitted_on == datetime.date(2026, 3, 11)
    assert second.answers == {"D_SEX": "male", "Q1": "no", "T1": "88"}
    assert third.answers["Q2"] == ["concert", "course"] and third.answers["T1"] == 10
    assert third.answers["D_SEX"] == "male"
    assert {r.mode for r in rows.values()} == {Mode.IMPORT}
    assert {r.language for r in rows.values()} == {"ru"}
    assert {r.entered_by_id for r in rows.values()} == {network.users["staff_pavlodar_house"].pk}
    assert first.sex == "female"
    digest = answer_import.import_plan(survey, data).digest
    assert first.client_uuid == f"import:{digest}:5"
    followed = client.get(done["Location"])
    with translation.override("kk"):
        added = translation.ngettext(
            "%(count)s response was added.", "%(count)s responses were added.", 3
        ) % {"count": 3}
    assert added in followed.content.decode()

    again = upload(client, survey, data, "опрос (копия).xlsx")
    html = again.content.decode()
    with translation.override("kk"):
        assert translation.pgettext("import row", "Already imported") in html
        assert translation.gettext("There is nothing to add from this file.") in html
    assert 'name="reference"' not in html
    plan = answer_import.import_plan(survey, data)
    assert plan.count(answer_import.ALREADY) == 3 and plan.to_add == 0
    assert Response.objects.count() == 3
    with django_assert_max_num_queries(12):
        client.get(reverse("surveys:import", args=[survey.pk]))


def test_imported_rows_are_what_response_store_writes(network, survey):
    from birlik.surveys import services

    user = network.users["coordinator_pavlodar"]
    data = messy_xlsx()
    plan = answer_import.import_upload(survey, data, user=user)
    answer_import.import_apply(survey, plan.reference, user=user, language="ru")
    stored = Response.objects.get(client_uuid=f"import:{plan.digest}:6")
    checked = services.response_check(survey.version, {"D_SEX": "male", "Q1": "no", "T1": "88"})
    again = services.response_store(
        survey, checked, mode=Mode.IMPORT, language="ru", client_uuid=stored.client_uuid
    )
    assert again == (stored, "already")
    assert stored.content_hash == services.response_content_hash(survey.version, checked)
    assert stored.submitted_on == datetime.date(2026, 3, 11)


def test_a_row_written_meanwhile_is_not_written_twice(network, survey, monkeypatch):
    user = network.users["coordinator_pavlodar"]
    plan = answer_import.import_upload(survey, messy_xlsx(), user=user)
    from birlik.surveys import services

    checked = services.response_check(survey.version, {"D_SEX": "male", "Q1": "no", "T1": "88"})
    services.response_store(
        survey, checked, mode=Mode.IMPORT, language="ru", client_uuid=f"import:{plan.digest}:6"
    )
    # As if another import wrote row 6 between the check and the write.
    monkeypatch.setattr(answer_import, "_existing", lambda uuids: {})
    result = answer_import.import_apply(survey, plan.reference, user=user, language="ru")
    assert (result.created, result.already, result.rejected) == (2, 1, 3)
    assert Response.objects.count() == 3


def test_confirming_the_same_preview_twice_adds_nothing_more(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    preview = upload(client, survey, messy_xlsx(), "a.xlsx")
    reference = reference_of(preview)
    apply(client, survey, reference)
    assert Response.objects.count() == 3
    second = apply(client, survey, reference)  # the file was deleted after the first
    assert second.status_code == 302
    assert Response.objects.count() == 3
    with translation.override("kk"):
        gone = translation.gettext("The uploaded file is no longer kept. Upload it again.")
    assert gone in client.get(second["Location"]).content.decode()


def test_kazakh_headers_and_labels(network, survey, login):
    data = xlsx(
        [
            ["Сауалнама нәтижелері"],
            ["D_SEX", TITLE_KK["Q1"], TITLE_KK["T1"], TITLE_KK["AGE"], "Q2"],
            ["Әйел", "Иә", 8, 29, "Тіл курсы"],
            ["Ер", "Жоқ", "Білмеймін", 61, None],
            ["Ер", "Иә", "0", None, "Концерт, Форум"],
        ]
    )
    client = login(network.users["staff_pavlodar_house"])
    preview = upload(client, survey, data, "сауалнама.xlsx", language="kk")
    assert preview.status_code == 200
    apply(client, survey, reference_of(preview), language="kk")
    answers = sorted(
        (r.answers for r in Response.objects.all()), key=lambda a: (a["D_SEX"], a["Q1"])
    )
    assert answers == [
        {"D_SEX": "female", "Q1": "yes", "Q2": ["course"], "T1": 8, "AGE": 29},
        {"D_SEX": "male", "Q1": "no", "T1": "88", "AGE": 61},
        {"D_SEX": "male", "Q1": "yes", "Q2": ["concert", "forum"], "T1": 0},
    ]
    assert {r.language for r in Response.objects.all()} == {"kk"}


def test_a_windows_1251_csv_with_russian_headers_and_labels(network, survey, login):
    data = "\r\n".join(
        [
            "Результаты опроса;;;;",
            f"D_SEX;{TITLE_RU['Q1']};{TITLE_RU['T1']};{TITLE_RU['AGE']};Q2",
            "Женщина;Да;8;29;Языковые курсы",
            "Мужчина;Нет;Затрудняюсь ответить;61;",
            "Мужчина;Да;0;;Концерт, Форум",
        ]
    ).encode("cp1251")
    client = login(network.users["staff_pavlodar_house"])
    preview = upload(client, survey, data, "опрос.csv")
    assert preview.status_code == 200
    apply(client, survey, reference_of(preview))
    answers = sorted(
        (r.answers for r in Response.objects.all()), key=lambda a: (a["D_SEX"], a["Q1"])
    )
    assert answers == [
        {"D_SEX": "female", "Q1": "yes", "Q2": ["course"], "T1": 8, "AGE": 29},
        {"D_SEX": "male", "Q1": "no", "T1": "88", "AGE": 61},
        {"D_SEX": "male", "Q1": "yes", "Q2": ["concert", "forum"], "T1": 0},
    ]


def test_cp1251_russian_csv_by_label(network, survey):
    text = (
        "Анкеты;;\r\n"
        "Пол;D_SEX;Q1;T1\r\n"
        "x;Женщина;Да;Затрудняюсь ответить\r\n"
        "x;Мужчина;Нет;Отказ от ответа\r\n"
    )
    plan = answer_import.import_plan(survey, text.encode("cp1251"))
    assert [row.status for row in plan.rows] == ["add", "add"], [r.errors for r in plan.rows]
    assert plan.unknown == ["Пол"]


def test_english_question_texts_and_scale_end_labels(network, survey):
    data = xlsx(
        [
            ["Question D_SEX", "Question Q1", "Question T1", "Question AGE"],
            ["Female", "No", "can be trusted completely", "7,5"],
            ["Male", "No", "cannot be trusted at all", "40"],
        ]
    )
    plan = answer_import.import_plan(survey, data)
    first, second = plan.rows
    assert first.status == "error"  # 7.5 is below the age range
    assert second.status == "add"


def test_answers_to_hidden_questions_are_dropped(network, survey, login):
    data = xlsx([["D_SEX", "Q1", "Q2", "T1"], ["female", "no", "concert", 3]])
    client = login(network.users["staff_pavlodar_house"])
    apply(client, survey, reference_of(upload(client, survey, data, "h.xlsx")))
    assert Response.objects.get().answers == {"D_SEX": "female", "Q1": "no", "T1": 3}


# --- Files that are not spreadsheets of answers ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (
            "Уважаемые коллеги!\r\nНаправляем результаты опроса.\r\nС уважением, отдел.".encode(
                "cp1251"
            ),
            "answers.xls",
        ),
        (b"<html><body><table><tr><td>D_SEX</td></tr></table></body></html>", "answers.xls"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "answers.xlsx"),
        (b"", "empty.csv"),
    ],
    ids=["letter-renamed-xls", "html-renamed-xls", "picture", "empty"],
)
def test_what_is_not_a_table_of_answers_is_refused_with_a_message(
    network, survey, login, data, name
):
    client = login(network.users["staff_pavlodar_house"])
    response = upload(client, survey, data, name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert 'name="reference"' not in html
    assert not Response.objects.exists()


def test_a_renamed_text_file_says_what_is_wrong(network, survey):
    letter = "Уважаемые коллеги!\r\nНаправляем результаты.\r\n".encode("cp1251")
    with translation.override("en"), pytest.raises(DomainError) as refused:
        answer_import.import_plan(survey, letter)
    assert "column names" in str(refused.value.message)
    page = b"<!DOCTYPE html><html><body><table></table></body></html>"
    with translation.override("en"), pytest.raises(DomainError) as refused:
        answer_import.import_plan(survey, page)
    assert "web page" in str(refused.value.message)


def test_a_file_with_only_headers_has_nothing_to_import(network, survey):
    with pytest.raises(DomainError):
        answer_import.import_plan(survey, xlsx([["D_SEX", "Q1", "T1"]]))


# --- Who may, and when ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", 200),
        ("coordinator_pavlodar", 200),
        ("staff_pavlodar_house", 200),
        ("analyst", 200),
        ("coordinator_almaty", 404),
        ("auditor", 404),
        ("nobody", 404),
    ],
)
def test_who_opens_the_import(network, survey, login, username, expected):
    client = login(network.users[username])
    assert client.get(reverse("surveys:import", args=[survey.pk])).status_code == expected
    response = upload(client, survey, messy_xlsx(), "a.xlsx")
    assert response.status_code == expected
    assert not Response.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(survey, client):
    response = client.get(reverse("surveys:import", args=[survey.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:login"))
    response = client.post(reverse("surveys:import_apply", args=[survey.pk]), {"reference": "x"})
    assert response.status_code == 302


def test_apply_takes_only_post(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(reverse("surveys:import_apply", args=[survey.pk])).status_code == 405


def test_a_reference_is_good_only_for_its_user_and_survey(network, survey, login):
    owner = login(network.users["staff_pavlodar_house"])
    reference = reference_of(upload(owner, survey, messy_xlsx(), "a.xlsx"))
    other = Client()
    other.force_login(network.users["coordinator_pavlodar"])
    apply(other, survey, reference)
    another_survey = make_survey(survey.version, network.pavlodar, modes=[Mode.IMPORT])
    apply(owner, another_survey, reference)
    apply(owner, survey, reference[:-3] + "abc")  # tampered
    assert not Response.objects.exists()
    apply(owner, survey, reference)
    assert Response.objects.count() == 3


def test_a_survey_that_takes_no_spreadsheets_says_so(network, survey, login):
    survey.modes = [Mode.WEB]
    survey.save()
    client = login(network.users["coordinator_pavlodar"])
    page = client.get(reverse("surveys:import", args=[survey.pk]))
    with translation.override("kk"):
        refused = translation.gettext("This survey does not take answers from spreadsheets.")
    assert refused in page.content.decode()
    response = upload(client, survey, messy_xlsx(), "a.xlsx")
    assert response.status_code == 400
    assert refused in response.content.decode()


def test_a_closed_survey_refuses_the_apply(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    reference = reference_of(upload(client, survey, messy_xlsx(), "a.xlsx"))
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    apply(client, survey, reference)
    assert not Response.objects.exists()


def test_a_bad_language_is_refused(network, survey, login):
    client = login(network.users["coordinator_pavlodar"])
    reference = reference_of(upload(client, survey, messy_xlsx(), "a.xlsx"))
    apply(client, survey, reference, language="de")
    assert not Response.objects.exists()


def test_old_kept_files_are_swept(network, survey, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    plan = answer_import.import_upload(
        survey, messy_xlsx(), user=network.users["coordinator_pavlodar"]
    )
    assert plan.reference
    kept = list((tmp_path / "survey-imports").iterdir())
    assert len(kept) == 1 and oct(kept[0].stat().st_mode)[-3:] == "600"
    assert answer_import.import_sweep() == 0
    old = datetime.datetime.now().timestamp() - 2 * 24 * 3600
    import os

    os.utime(kept[0], (old, old))
    assert answer_import.import_sweep() == 1
