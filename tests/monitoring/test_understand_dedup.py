"""Exact copies share a content hash; edited reprints are found through their 512-byte MinHash
signatures, stored on the item and read back; different texts are not."""

from __future__ import annotations

import pytest

from birlik.monitoring.dedup import (
    SIGNATURE_BYTES,
    NearIndex,
    content_hash,
    near_index,
    signature,
)
from birlik.monitoring.models import Item

from .conftest import make_item

TITLE = "Павлодарда этномәдени орталықтардың форумы басталды"
TEXT = (
    "Павлодар облысында этномәдени орталықтардың дәстүрлі форумы басталды. Форумға облыстың "
    "барлық аудандарынан 300-ден астам өкіл қатысады. Олар ұлтаралық келісімді нығайту, "
    "мемлекеттік тілді оқыту және жастар арасындағы достықты дамыту жолдарын талқылайды. "
    "Ассамблея төрағасының орынбасары форумның ашылуында сөз сөйлеп, бірлік пен келісімнің "
    "маңызына тоқталды. Форум екі күнге созылады."
)
# Another agency's copy: a new headline ending, two edits, a credit line.
REPRINT_TITLE = TITLE + ": 300 өкіл жиналды"
REPRINT = (
    TEXT.replace("300-ден астам", "үш жүзден астам").replace("екі күнге", "екі күн бойы")
    + " Дереккөз: облыстық ақпарат агенттігі."
)
OTHER = (
    "Алматыда корей театрының жаңа маусымы басталды. Театр ұжымы көрермендерге үш жаңа "
    "қойылым ұсынады, олардың бірі балаларға арналған. Билеттер театр кассасында сатылады."
)


def test_the_same_text_typed_differently_is_an_exact_copy():
    assert content_hash(TITLE, TEXT) == content_hash(
        f"  {TITLE.upper()} ", TEXT.replace(". ", ".  ").replace("ә", "а")
    )


def test_a_different_number_makes_a_different_text():
    assert content_hash(TITLE, TEXT) != content_hash(TITLE, TEXT.replace("300", "400"))


def test_an_edited_reprint_is_found_and_a_different_text_is_not():
    index = near_index([(1, signature(TITLE, TEXT)), (2, signature("Театр", OTHER))])
    assert len(index) == 2
    assert index.query(signature(REPRINT_TITLE, REPRINT)) == [1]
    assert index.query(signature("Корей театры", OTHER + " Келіңіздер!")) == [2]
    unrelated = "Жамбыл облысында ауыл шаруашылығы жәрмеңкесі ашылды, фермерлер өнім сатты."
    assert index.query(signature("Жәрмеңке", unrelated)) == []


def test_the_most_similar_comes_first():
    index = NearIndex()
    index.add(5, signature(REPRINT_TITLE, REPRINT))
    index.add(9, signature(TITLE, TEXT))
    assert index.query(signature(TITLE, TEXT)) == [9, 5]


@pytest.mark.django_db
def test_a_signature_is_512_bytes_and_survives_the_database():
    sig = signature(TITLE, TEXT)
    assert isinstance(sig, bytes)
    assert len(sig) == SIGNATURE_BYTES == 512
    assert signature(TITLE, TEXT) == sig  # the seed is fixed: the same in every process
    item = make_item(title=TITLE, text=TEXT, minhash=sig)
    stored = Item.objects.values_list("pk", "minhash").get(pk=item.pk)
    index = near_index([(stored[0], bytes(stored[1]))])
    assert bytes(stored[1]) == sig
    assert index.query(signature(REPRINT_TITLE, REPRINT)) == [item.pk]


def test_an_empty_text_matches_nothing():
    empty = signature("", "  ")
    index = NearIndex()
    index.add(1, empty)
    index.add(2, signature("", "!"))
    assert len(index) == 0
    assert index.query(empty) == []


def test_a_signature_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError):
        NearIndex().add(1, b"\x00" * 100)
