"""Exports: the CSV (BOM, codes, weights, excluded rows and open text left out), the SPSS file
read back with pyreadstat (variable labels, value labels, user-missing 88/99, weights), valid
SPSS names, and the codebook."""

from __future__ import annotations

import csv
import io
import os
import tempfile

import pytest
from openpyxl import load_workbook

from birlik.surveys import exports, trust_index
from birlik.surveys.models import Survey

from .factories import make_response, make_survey, make_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(network):
    version = make_version(
        network.root,
        [
            ("D_SEX", "single", {"options": ["female", "male"], "role": "sex"}),
            ("Q1", "single", {"options": ["1", "2", "88"], "text": "Favourite"}),
            ("T1", "scale", {"scale_min": 0, "scale_max": 10, "options": ["88", "99"]}),
            ("M1", "multiple", {"options": ["a", "b"]}),
            ("G1", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2"]}),
            ("X1", "text", {"show_if": {"q": "Q1", "op": "eq", "v": "1"}}),
        ],
    )
    survey = make_survey(version, network.root, status=Survey.Status.WEIGHTED)
    make_response(
        survey,
        {
            "D_SEX": "female",
            "Q1": "1",
            "T1": 7,
            "M1": ["a"],
            "G1": {"r1": 4, "r2": 5},
            "X1": "=HYPERLINK(1)",
        },
        sex="female",
        weight=1.25,
    )
    make_response(
        survey, {"D_SEX": "male", "Q1": "2", "T1": "88", "G1": {"r1": 2}}, sex="male", weight=0.75
    )
    make_response(survey, {"Q1": "2", "T1": 3}, excluded=True, weight=None)
    return survey


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_holds_codes_and_weights_without_excluded_rows_or_text(survey):
    rows = read_csv(exports.responses_csv(survey, "kk"))
    assert len(rows) == 2
    first, second = rows
    assert "X1" not in first
    assert first["Q1"] == "1" and first["T1"] == "7" and first["sex"] == "female"
    assert first["M1.a"] == "1" and first["M1.b"] == "0"
    assert first["G1.r1"] == "4" and first["G1.r2"] == "5"
    assert float(first["weight"]) == 1.25
    assert second["T1"] == "88"  # the code, as stored
    assert second["M1.a"] == ""  # not asked / not answered
    assert second["G1.r2"] == ""
    with_text = read_csv(exports.responses_csv(survey, "ru", include_text=True))
    assert with_text[0]["X1"] == "'=HYPERLINK(1)"  # never a live formula


def read_sav(data: bytes, **options):
    import pyreadstat

    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        with open(path, "wb") as file:
            file.write(data)
        return pyreadstat.read_sav(path, **options)
    finally:
        os.unlink(path)


def test_the_sav_file_reads_back_with_labels_missing_values_and_weights(survey):
    frame, meta = read_sav(exports.responses_sav(survey, "ru"), user_missing=True)
    assert list(frame["weight"]) == [1.25, 0.75]
    labels = meta.column_names_to_labels
    assert labels["Q1"] == "Favourite (ru)"
    assert labels["G1_r1"] == "Question G1 (ru): r1 (ru)"
    assert labels["M1_a"] == "Question M1 (ru): a (ru)"
    assert meta.variable_value_labels["Q1"] == {1.0: "1 (ru)", 2.0: "2 (ru)", 88.0: "88 (ru)"}
    assert meta.variable_value_labels["T1"][88.0] == "88 (ru)"
    assert {"lo": 88.0, "hi": 88.0} in meta.missing_ranges["T1"]
    assert list(frame["T1"]) == [7.0, 88.0]
    assert list(frame["sex"]) == ["female", "male"]
    # Without the user-missing values, "don't know" reads as missing, never as 88 points.
    plain, _meta = read_sav(exports.responses_sav(survey, "ru"))
    assert plain["T1"].isna().tolist() == [False, True]
    kk_frame, kk_meta = read_sav(exports.responses_sav(survey, "kk"))
    assert kk_meta.column_names_to_labels["Q1"] == "Favourite (kk)"
    assert "X1" not in kk_frame.columns


def test_a_trust_survey_exports_each_respondents_index(network):
    from .factories import trust_version

    survey = make_survey(trust_version(network.root), network.root, is_trust_index=True)
    answers = {"T1": 6, "T2": 8, "T3": "88", "T4": 7, "T5": 9}
    make_response(survey, answers, weight=1.0)
    rows = read_csv(exports.responses_csv(survey, "en"))
    assert float(rows[0]["TRUST_INDEX"]) == pytest.approx(trust_index.score(answers))
    frame, meta = read_sav(exports.responses_sav(survey, "en"))
    assert frame["TRUST_INDEX"][0] == pytest.approx(75.0)


def test_spss_names_are_valid_short_and_unique():
    names = exports.spss_names(["Q1.a", "q1_a", "1abc", "AND", "x" * 80, "x" * 80, "ұлт", "weight"])
    assert names[0] == "Q1_a"
    assert names[1].upper() != names[0].upper()
    assert names[2][0].isalpha()
    assert names[3] != "AND"
    assert all(len(n) <= 64 for n in names)
    assert len({n.upper() for n in names}) == len(names)
    assert all(n.replace("_", "").isalnum() and n.isascii() for n in names)


def test_the_codebook_lists_questions_in_three_languages_with_conditions(survey):
    book = load_workbook(io.BytesIO(exports.codebook_xlsx(survey.version)))
    questions, options = book.worksheets
    rows = list(questions.iter_rows(values_only=True))
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"D_SEX", "Q1", "T1", "M1", "G1", "X1"}
    assert by_code["Q1"][1:4] == ("Favourite (kk)", "Favourite (ru)", "Favourite")
    assert "1 = 1 (kk) / 1 (ru) / 1" in by_code["Q1"][8]
    from birlik.surveys.queries import condition_text

    assert by_code["X1"][9] == condition_text(
        {"q": "Q1", "op": "eq", "v": "1"}, {q.code: q for q in survey.version.questions.all()}
    )
    assert "Q1" in by_code["X1"][9]
    assert '"op": "eq"' in by_code["X1"][10]
    assert by_code["Q1"][12] == survey.version.number
    option_rows = list(options.iter_rows(values_only=True))[1:]
    assert ("G1", "r1") in {(row[0], row[1]) for row in option_rows}
