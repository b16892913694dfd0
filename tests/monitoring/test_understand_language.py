"""The language of an item: kk, ru, en, "other" or "unknown", on short texts and on Kazakh
typed in Russian letters, with the source's declared language as a tie-breaker."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from birlik.monitoring.language import DECLARED_CONFIDENCE, PARALLEL_FROM, detect, detect_many

SAMPLES = Path(__file__).parent / "data" / "language_samples.tsv"


def samples() -> list[tuple[str, str, str]]:
    rows = []
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            expected, variety, text = line.split("\t")
            rows.append((expected, variety, text))
    return rows


def test_the_sample_set_is_read_at_least_95_percent_right():
    rows = samples()
    assert len(rows) >= 150
    wrong = [(e, v, t, detect(t)[0]) for e, v, t in rows if detect(t)[0] != e]
    assert 1 - len(wrong) / len(rows) >= 0.95, wrong
    per_language = Counter(expected for expected, *_ in rows)
    for language, total in per_language.items():
        missed = sum(1 for expected, *_ in wrong if expected == language)
        assert 1 - missed / total >= 0.9, (language, wrong)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Павлодарда достық үйінде мереке өтті", "kk"),
        ("В Павлодаре прошёл праздник дружбы", "ru"),
        ("A festival of friendship in Pavlodar", "en"),
        ("Достык уйинде балаларга арналган кеш отти", "kk"),  # Kazakh in Russian letters
        ("Бишкекте жаштар фестивалы өттү", "other"),  # Kyrgyz, read by lingua as Kazakh
        ("Свято у Києві відбулося вчора ввечері", "other"),  # Ukrainian
    ],
)
def test_short_texts(text, expected):
    language, confidence = detect(text)
    assert language == expected
    assert 0 < confidence <= 1


def test_two_words_are_not_known_unless_the_source_declares_a_language():
    assert detect("Павлодарда мереке") == ("unknown", 0.0)
    assert detect("Павлодарда мереке", declared="kk") == ("kk", DECLARED_CONFIDENCE)
    assert detect("", declared="ru") == ("ru", DECLARED_CONFIDENCE)
    assert detect("12 345 !!") == ("unknown", 0.0)
    # "unknown" is not a language a source can vouch for.
    assert detect("Павлодарда мереке", declared="unknown") == ("unknown", 0.0)


def test_the_declared_language_wins_a_near_tie():
    # Kazakh typed in Russian letters that lingua reads as Russian, 0.32 against 0.27.
    text = "Биз бирликте гана куштимиз деди аксакал жиналган журтка"
    assert detect(text)[0] == "ru"
    assert detect(text, declared="kk")[0] == "kk"


def test_the_declared_language_does_not_win_against_a_clear_reading():
    text = "Интернет в Казахстане стал доступнее"
    assert detect(text, declared="kk")[0] == "ru"
    assert detect("Павлодар облысында мереке өтті", declared="en")[0] == "kk"


def test_a_batch_reads_like_one_text_at_a_time_in_both_ways():
    rows = samples()[: PARALLEL_FROM + 8]  # long enough for lingua's parallel call
    texts = [text for _e, _v, text in rows] + ["Павлодарда мереке"]
    declared = ["kk"] * len(texts)
    assert detect_many(texts) == [detect(text) for text in texts]
    assert detect_many(texts, declared) == [detect(text, declared="kk") for text in texts]
    few = texts[:3]
    assert detect_many(few, "ru") == [detect(text, declared="ru") for text in few]
    with pytest.raises(ValueError):
        detect_many(texts, ["kk"])


def test_importing_the_module_does_not_load_the_detector():
    # Web processes import it through the app; only the worker may pay for lingua's 400 MB.
    code = (
        "import sys; import birlik.monitoring.language as l; "
        "print('lingua' in sys.modules, l._detector.cache_info().currsize)"
    )
    out = subprocess.run(  # noqa: S603 — our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "0"]
