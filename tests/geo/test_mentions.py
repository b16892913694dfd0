"""Regions and districts found in running text in kk, ru, en and Kazakh typed in Russian letters."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from birlik.geo.mentions import (
    PlaceMention,
    PlaceMentions,
    kk_inflect,
    place_mentions,
    reset,
    ru_inflect,
)
from birlik.geo.models import District, Region

SENTENCES = Path(__file__).parent / "data" / "place_sentences.tsv"


@pytest.fixture
def places(db) -> PlaceMentions:
    """The process-wide index: the territory comes from migrations, the same in every test."""
    return place_mentions()


def named(found: list[PlaceMention]) -> set[str]:
    """Each place as «ISO» for a region or «ISO/KATO» for a district, as the data file writes."""
    regions = {region.pk: region.iso for region in Region.objects.all()}
    districts = {district.pk: district.kato for district in District.objects.all()}
    return {
        regions[m.region_id] + (f"/{districts[m.district_id]}" if m.district_id else "")
        for m in found
    }


# -- word forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "case", "form"),
    [
        ("Ақтөбе", "loc", "Ақтөбеде"),
        ("Ақтөбе", "dat", "Ақтөбеге"),
        ("Ақтөбе", "gen", "Ақтөбенің"),
        ("Ақтөбе", "abl", "Ақтөбеден"),
        ("Ақтөбе", "ins", "Ақтөбемен"),
        ("Ақтөбе", "acc", "Ақтөбені"),
        ("Алматы", "loc", "Алматыда"),
        ("Алматы", "dat", "Алматыға"),
        ("Алматы", "gen", "Алматының"),
        ("Шымкент", "loc", "Шымкентте"),
        ("Шымкент", "dat", "Шымкентке"),
        ("Шымкент", "gen", "Шымкенттің"),
        ("Шымкент", "ins", "Шымкентпен"),
        ("Жезқазған", "abl", "Жезқазғаннан"),
        ("Тараз", "ins", "Таразбен"),
        ("Атырау", "gen", "Атыраудың"),
        ("Ақсу", "loc", "Ақсуда"),
        ("Жетісу", "dat", "Жетісуға"),
        ("Ақжайық", "dat", "Ақжайыққа"),
        ("облысы", "loc", "облысында"),
        ("облысы", "gen", "облысының"),
        ("облысы", "dat", "облысына"),
        ("ауданы", "loc", "ауданында"),
        ("Батыс Қазақстан", "loc", "Батыс Қазақстанда"),
        ("Ақтөбе", "nom", "Ақтөбе"),
    ],
)
def test_kazakh_case_endings_follow_vowel_harmony_and_the_last_sound(word, case, form):
    assert kk_inflect(word, case) == form


def test_an_unknown_kazakh_case_is_refused():
    with pytest.raises(ValueError, match="Unknown Kazakh case"):
        kk_inflect("Ақтөбе", "locative")


@pytest.mark.parametrize(
    ("phrase", "case", "form"),
    [
        ("Актюбинская область", "gent", "Актюбинской области"),
        ("Актюбинская область", "accs", "Актюбинскую область"),
        ("Павлодарский район", "datv", "Павлодарскому району"),
        ("Глубоковский район", "loct", "Глубоковском районе"),
        ("Западно-Казахстанская область", "ablt", "Западно-Казахстанской областью"),
        ("район Турара Рыскулова", "loct", "районе Турара Рыскулова"),
        ("Шымкент", "loct", "Шымкенте"),
        ("Караганда", "gent", "Караганды"),
        ("Семей", "loct", "Семее"),
        ("Усть-Каменогорск", "gent", "Усть-Каменогорска"),
        ("Актобе", "loct", "Актобе"),
        ("Алматы", "gent", "Алматы"),
        ("Шу", "datv", "Шу"),
    ],
)
def test_russian_names_decline_with_adjectives_agreeing_and_indeclinable_ones_staying(
    phrase, case, form
):
    assert ru_inflect(phrase, case) == form


def test_an_unknown_russian_case_is_refused():
    with pytest.raises(ValueError, match="Unknown Russian case"):
        ru_inflect("Шымкент", "loc")


# -- the index --------------------------------------------------------------------------------


def test_the_index_reads_two_tables_once_and_finding_reads_none(db, django_assert_num_queries):
    reset()
    with django_assert_num_queries(2):
        index = place_mentions()
    with django_assert_num_queries(0):
        assert place_mentions() is index
        assert index.find("Ақтөбеде жиын өтті.")
    reset()
    assert place_mentions() is not index
    reset()


@pytest.mark.parametrize("text", ["Ақтөбеде", "Актобе", "в Актобе", "Aktobe's", "Актобеде"])
def test_the_issue_examples_name_the_city_of_aktobe(places, text):
    assert named(places.find(text)) == {"KZ-15/151000000"}


def test_each_place_is_counted_and_shown_as_first_written(places):
    found = places.find("Ақтөбеде форум өтті. Келесі жылы Ақтөбеге қонақтар келеді. В Актобе…")
    assert len(found) == 1
    assert (found[0].count, found[0].surface) == (3, "Ақтөбеде")


def test_a_region_and_its_city_are_two_places(places):
    text = "Павлодар облысының Ақсу қаласында мәдени орталық ашылды."
    assert named(places.find(text)) == {"KZ-55", "KZ-55/551600000"}
    assert [m.surface for m in places.find(text)] == ["Павлодар облысының", "Ақсу қаласында"]


def test_a_city_of_republican_significance_is_the_region_itself(places):
    assert named(places.find("Алматыда қар жауды.")) == {"KZ-75"}
    assert named(places.find("Алматы облысында қар жауды.")) == {"KZ-19"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Абайдың өлеңдері барлық мектептерде оқылады.", set()),
        ("Семейдегі Абай мұражайына туристер келеді.", {"KZ-10/101000000"}),  # the poet
        ("Жамбыл Жабаевтың шығармашылығына арналған кеш өтті.", set()),
        ("Стихи Абая читали на площади.", set()),
        ("Бірлік – біздің басты құндылығымыз.", set()),
        ("Дом дружбы «Достык» провёл конкурс.", set()),
        ("Көшеде шу шығарған жастарды полиция тоқтатты.", set()),
        ("Многодетных семей стало больше.", set()),
        ("Балқаш көлінің экологиясы алаңдатады.", set()),
        ("На озере Балхаш начался сезон.", set()),
        ("The May holidays will last four days.", set()),
    ],
)
def test_people_and_words_that_share_a_name_with_a_unit_are_not_places(places, text, expected):
    assert named(places.find(text)) == expected


def test_a_person_s_name_is_a_place_with_its_marker(places):
    assert named(places.find("Абай облысында жиын өтті.")) == {"KZ-10"}
    assert named(places.find("В Абайской области открыли школу.")) == {"KZ-10"}


def test_a_word_written_with_a_capital_inside_a_sentence_is_the_place(places):
    assert named(places.find("Вчера Семей отметил день города.")) == {"KZ-10/101000000"}
    assert named(places.find("Семей, в которых трое детей, стало больше.")) == set()
    assert named(places.find("Вчера Шу ауданы тойлады, ал шу басылмады.")) == {"KZ-31/316600000"}


def test_a_district_name_shared_by_regions_needs_its_region(places):
    assert named(places.find("Жамбыл ауданында егін орағы басталды.")) == set()
    text = "Алматы облысының Жамбыл ауданында егін орағы басталды."
    assert named(places.find(text)) == {"KZ-19", "KZ-19/194200000"}
    text = "Солтүстік Қазақстан облысы, Жамбыл ауданы."
    assert named(places.find(text)) == {"KZ-59", "KZ-59/594600000"}


def test_an_ambiguous_name_is_settled_by_the_region_the_caller_knows(places):
    pavlodar = Region.objects.get(iso="KZ-55")
    zhetysu = Region.objects.get(iso="KZ-33")
    assert named(places.find("Ақсуда мерекелік концерт өтті.")) == set()
    found = places.find("Ақсуда мерекелік концерт өтті.", near=[pavlodar.pk])
    assert named(found) == {"KZ-55/551600000"}
    found = places.find("Ақсуда мерекелік концерт өтті.", near=[zhetysu.pk])
    assert named(found) == {"KZ-33/333200000"}


def test_old_names_and_abbreviations_are_today_s_units(places):
    assert named(places.find("В Семипалатинске открыли мемориал.")) == {"KZ-10/101000000"}
    assert named(places.find("ВКО және ШҚО-да")) == {"KZ-63"}
    assert named(places.find("В Нур-Султане прошла конференция.")) == {"KZ-71"}


def _read_sentences() -> list[dict[str, str]]:
    with SENTENCES.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_the_hand_written_sentences_cover_every_language_and_the_traps():
    rows = _read_sentences()
    languages = Counter(row["language"] for row in rows)
    assert len(rows) >= 150
    assert set(languages) == {"kk", "ru", "en", "kk-ru"}
    assert min(languages.values()) >= 25
    assert sum(1 for row in rows if not row["places"].strip()) >= 25


def test_precision_and_recall_on_the_hand_written_sentences(places):
    hits = Counter[str]()
    for row in _read_sentences():
        expected = set(row["places"].split())
        found = named(places.find(row["sentence"]))
        for language in (row["language"], "all"):
            hits[f"{language} tp"] += len(expected & found)
            hits[f"{language} fp"] += len(found - expected)
            hits[f"{language} fn"] += len(expected - found)
    scores = {}
    for language in ("kk", "ru", "en", "kk-ru", "all"):
        tp, fp, fn = (hits[f"{language} {kind}"] for kind in ("tp", "fp", "fn"))
        scores[language] = (tp / (tp + fp), tp / (tp + fn))
        print(  # noqa: T201 - the figures the README quotes
            f"places {language}: precision {scores[language][0]:.3f}, "
            f"recall {scores[language][1]:.3f}"
        )
    precision, recall = scores["all"]
    assert precision >= 0.95
    assert recall >= 0.9
