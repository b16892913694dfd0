"""Fixtures of the classifier's training: a generated multilingual corpus, labelled items, an
analyst holding the role on one region only, and model files in a directory of their own."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from birlik.access.models import Role, User
from birlik.monitoring import classifier
from birlik.monitoring.models import Item, KeywordRule, Label, Source
from birlik.monitoring.services import label_held_out

from ..factories import GrantFactory, UserFactory
from .conftest import make_item, make_source

PLACES = {
    "kk": ["Павлодар", "Екібастұз", "Ақсу", "Алматы", "Шымкент", "Тараз"],
    "ru": ["Павлодаре", "Экибастузе", "Аксу", "Алматы", "Шымкенте", "Таразе"],
    "en": ["Pavlodar", "Ekibastuz", "Aksu", "Almaty", "Shymkent", "Taraz"],
}
# Sentences about a clash between groups (yes) and about ordinary or friendly life (no).
CONFLICT = {
    "kk": [
        "{place} ауылында жастар арасында жаппай төбелес болды, {n} адам ұсталды",
        "{place} қаласында ұлтаралық қақтығыс: {n} адам жараланды",
        "{place} маңында екі топ арасында шиеленіс күшейді, полиция {n} адамды ұстады",
    ],
    "ru": [
        "В {place} произошла массовая драка между жителями, задержаны {n} человек",
        "В {place} межнациональный конфликт: пострадали {n} человек",
        "В {place} обострилась напряжённость между группами, полиция задержала {n} человек",
    ],
    "en": [
        "A mass brawl broke out in {place}; police detained {n} people",
        "Interethnic clash in {place} leaves {n} people injured",
        "Tension between groups grew in {place}, police detained {n} people",
    ],
}
CALM = {
    "kk": [
        "{place} қаласында ұлттық мәдениеттер фестивалі өтті, {n} қонақ келді",
        "{place} мектебінде {n} оқушыға жаңа кітапхана ашылды",
        "{place} ауылында {n} отбасы жаңа үйге көшті",
    ],
    "ru": [
        "В {place} прошёл фестиваль национальных культур, собрались {n} гостей",
        "В {place} открыли новую библиотеку для {n} школьников",
        "В {place} {n} семей получили ключи от новых квартир",
    ],
    "en": [
        "A festival of national cultures took place in {place}, with {n} guests",
        "A new library for {n} pupils opened in {place}",
        "In {place}, {n} families moved into new flats",
    ],
}


def sentence(rng: random.Random, language: str, *, conflict: bool) -> str:
    template = rng.choice((CONFLICT if conflict else CALM)[language])
    return template.format(place=rng.choice(PLACES[language]), n=rng.randint(2, 90))


def corpus(seed: int, size: int) -> tuple[list[str], list[str], list[bool]]:
    """``size`` sentences in kk, ru and en, half about a clash; the same for a seed."""
    rng = random.Random(seed)
    texts, languages, answers = [], [], []
    for number in range(size):
        language = ("kk", "ru", "en")[number % 3]
        conflict = number % 2 == 0
        texts.append(sentence(rng, language, conflict=conflict))
        languages.append(language)
        answers.append(conflict)
    return texts, languages, answers


@pytest.fixture(autouse=True)
def models_in_tmp(settings, tmp_path):
    """Model files of a test in its own directory; no scorer kept from another test."""
    settings.DATA_DIR = tmp_path
    classifier.forget_scorer()
    yield tmp_path / "monitoring" / "models"
    classifier.forget_scorer()


@pytest.fixture
def no_keyword_rules(db):
    """Start from no keyword rule, whatever the data migration loaded."""
    KeywordRule.objects.all().delete()


def regional_analyst(network, region_body=None) -> User:
    user = UserFactory(username="analyst_pavlodar")
    GrantFactory(user=user, role=Role.ANALYST, organisation=region_body or network.pavlodar)
    return user


@dataclass
class Labelled:
    source: Source
    items: list[Item]
    held_out: list[Item]


def labelled_items(
    analyst: User,
    *,
    per_language: int = 24,
    held_out_per_language: int = 4,
    topic: str = "conflict",
    seed: int = 7,
) -> Labelled:
    """Items in kk, ru and en placed in Pavlodar, each answered by ``analyst`` on ``topic``
    (yes for a clash, no otherwise), until every language has ``per_language`` items to train
    on and ``held_out_per_language`` held out, both answers in each."""
    rng = random.Random(seed)
    source = make_source()
    items: list[Item] = []
    held: list[Item] = []
    for language in ("kk", "ru", "en"):
        counts = {(False, True): 0, (False, False): 0, (True, True): 0, (True, False): 0}
        while (
            min(counts[(False, True)], counts[(False, False)]) < per_language // 2
            or min(counts[(True, True)], counts[(True, False)]) < held_out_per_language // 2
        ):
            conflict = rng.random() < 0.5
            text = sentence(rng, language, conflict=conflict)
            item = make_item(
                source, regions=("KZ-55",), title=text[:60], text=text, language=language
            )
            kept_out = label_held_out(item.pk)
            counts[(kept_out, conflict)] += 1
            Label.objects.create(
                item=item,
                topic=topic,
                value=Label.Value.YES if conflict else Label.Value.NO,
                analyst=analyst,
                held_out=kept_out,
            )
            (held if kept_out else items).append(item)
    return Labelled(source=source, items=items, held_out=held)
