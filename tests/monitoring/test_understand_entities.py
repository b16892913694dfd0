"""Persons and organisations in Russian texts, keyed in Latin letters so that a Russian form
and an English spelling meet; other languages give none, and natasha failing stops nothing."""

from __future__ import annotations

import logging

from birlik.core.text import latin_key
from birlik.monitoring import entities as entities_module
from birlik.monitoring.entities import MAX_CHARS, Entity, entities

SENTENCE = (
    "В Павлодаре аким области Асаин Байханов встретился с представителями Ассамблеи народа "
    "Казахстана. Министр Ахметова заявила, что ТОО «КазМунайГаз» выделит средства."
)


def test_a_russian_sentence_gives_its_persons_and_organisations():
    found = entities(SENTENCE, "ru")
    persons = {e.key: e.shown for e in found if e.kind == "PER"}
    organisations = {e.key: e.shown for e in found if e.kind == "ORG"}
    assert persons == {"baihanov": "Асаин Байханов", "ahmetov": "Ахметова"}
    assert "too kazmunaigaz" in organisations
    assert organisations["too kazmunaigaz"] == "ТОО «КазМунайГаз»"
    assert all(e.kind in ("PER", "ORG") for e in found)  # places are left to geo


def test_a_person_has_one_key_in_every_case_and_in_english():
    texts = [
        "Депутат Марат Ахметов обратился к жителям села.",
        "Жители села обратились к депутату Ахметову с жалобой.",
        "Встреча с Маратом Ахметовым прошла в акимате.",
    ]
    keys = {e.key for text in texts for e in entities(text, "ru") if e.kind == "PER"}
    assert keys == {latin_key("Akhmetov")}


def test_an_organisation_is_named_in_the_nominative():
    found = entities("Жители обратились в Министерство внутренних дел и в Дом дружбы.", "ru")
    assert Entity("ORG", "ministerstvo vnutrennih del", "Министерство внутренних дел") in found


def test_each_entity_is_given_once():
    text = "Токаев посетил Павлодар. Вместе с Касым-Жомартом Токаевым был аким. Токаев уехал."
    persons = [e for e in entities(text, "ru") if e.kind == "PER"]
    assert [e.key for e in persons] == ["tokaev"]


def test_kazakh_and_english_texts_give_none():
    assert entities("Министр Ахметов Павлодар облысының Достық үйіне барды.", "kk") == []
    assert entities("Minister Akhmetov visited the House of Friendship.", "en") == []
    assert entities("", "ru") == []


def test_only_the_first_5000_characters_are_read():
    filler = "Жители села собрались на площади. " * (MAX_CHARS // 34 + 5)
    assert len(filler) > MAX_CHARS
    late = filler + "Министр Ахметова выступила."
    assert [e for e in entities(late, "ru") if e.kind == "PER"] == []
    early = "Министр Ахметова выступила. " + filler
    assert [e.key for e in entities(early, "ru") if e.kind == "PER"] == ["ahmetov"]


def test_a_natasha_failure_gives_no_entities_and_is_logged(monkeypatch, caplog):
    def broken():
        raise AttributeError("module 'inspect' has no attribute 'getargspec'")

    monkeypatch.setattr(entities_module, "_natasha", broken)
    with caplog.at_level(logging.ERROR, logger="birlik.monitoring.entities"):
        assert entities(SENTENCE, "ru") == []
    assert "natasha failed" in caplog.text
    assert "getargspec" in caplog.text
