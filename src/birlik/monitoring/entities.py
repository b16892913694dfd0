"""Persons and organisations named in an item, as keys that join stories across languages.

Russian texts go through natasha (segmenter and news NER; its models ship in the wheel).
Kazakh and English texts return nothing for now: natasha reads only Russian and no cheap
method was honest enough (capitalised words in Kazakh are as often places and months).

A key is a Latin spelling (``core.text.latin_key``), so «Ахметов», «Ахметовой» and "Akhmetov"
meet: a person's key is the surname in its base form, an organisation's is its name with the
head word in the nominative («Дома дружбы» → «Дом дружбы»). natasha pulls pymorphy2 0.9.1,
written before Python 3.11; whatever fails inside is logged and the item gets no entities,
never a failed batch (docs/design/monitoring.md §1, caveats).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from birlik.core.text import latin_key

if TYPE_CHECKING:
    from natasha import MorphVocab, NewsNERTagger, Segmenter

__all__ = ["MAX_CHARS", "Entity", "entities", "person_key"]

log = logging.getLogger(__name__)

# The brief's cap. NER costs about 9 ms of CPU per 1,000 characters on this machine.
MAX_CHARS = 5000
KEY_LENGTH = 200

Kind = Literal["PER", "ORG"]


@dataclass(frozen=True, slots=True)
class Entity:
    kind: Kind
    key: str  # Latin key: «Ахметов» = «Akhmetov»
    shown: str  # as the text names it, in the nominative where that is known


@dataclass(frozen=True, slots=True)
class _Natasha:
    segmenter: Segmenter
    ner: NewsNERTagger
    morph: MorphVocab
    one_thread: Callable[[], AbstractContextManager[object]]


def _blas_one_thread() -> Callable[[], AbstractContextManager[object]]:
    """NER's small matrix products on one BLAS thread. OpenBLAS's threads spin while they
    wait: on this machine's two busy cores a 500-character text cost 49 ms of CPU with them
    and 4 ms without (threadpoolctl comes with scikit-learn)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        return contextlib.nullcontext
    controller = ThreadpoolController()
    return lambda: controller.limit(limits=1, user_api="blas")


@cache
def _natasha() -> _Natasha:
    """Built once per process on first use (0.6 s, about 100 MB)."""
    from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    return _Natasha(Segmenter(), NewsNERTagger(NewsEmbedding()), MorphVocab(), _blas_one_thread())


# --- Persons ------------------------------------------------------------------------------

_PATRONYMIC = re.compile(r"(?:вич|вна|ична|ұлы|улы|қызы|кызы)$")
_PATRONYMIC_WORDS = frozenset({"ұлы", "улы", "қызы", "кызы", "оглы", "кизи"})
# Russian and Kazakh surnames in -ов/-ев/-ин/-ын and -ский/-цкий, in any case and gender,
# and their base form (masculine nominative): the key must not depend on the sentence.
_SURNAME_OV = re.compile(r"^(.{2,}?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ом|е|ой|ою|ых|ыми)?$")
_SURNAME_SKY = re.compile(r"^(.{2,}?[сц]к)(?:ий|ая|ого|ой|ому|им|ом|ую|ие|их)$")


def _parses(morph: MorphVocab, word: str) -> list[Any]:
    return list(morph.parse(word)[:4])


def _has(parses: list[Any], gram: str) -> bool:
    return any(gram in parse.tag for parse in parses)


def _surname_base(word: str, morph: MorphVocab) -> str:
    lower = word.lower().replace("ё", "е")
    for pattern, tail in ((_SURNAME_OV, ""), (_SURNAME_SKY, "ий")):
        found = pattern.match(lower)
        if found:
            return found.group(1) + tail
    for parse in _parses(morph, word):
        if "Surn" in parse.tag:
            return str(parse.normal_form)
    return lower


def _is_patronymic(word: str, morph: MorphVocab) -> bool:
    lower = word.lower()
    return (
        lower in _PATRONYMIC_WORDS
        or bool(_PATRONYMIC.search(lower))
        or _has(_parses(morph, word), "Patr")
    )


def _surname(words: list[str], morph: MorphVocab) -> str:
    """The surname among a person's words: first names and patronymics left out; of several
    surname-like words the last, as news write «Асаин Байханов»."""
    rest = [word for word in words if not _is_patronymic(word, morph)] or words
    candidates = []
    for word in rest:
        parses = _parses(morph, word)
        first_name_only = _has(parses, "Name") and not _has(parses, "Surn")
        lower = word.lower()
        if not first_name_only and (_SURNAME_OV.match(lower) or _SURNAME_SKY.match(lower)):
            candidates.append(word)
    if candidates:
        return candidates[-1]
    named = [word for word in rest if not (_has(_parses(morph, word), "Name"))]
    return (named or rest)[-1]


def person_key(words: list[str], morph: MorphVocab | None = None) -> str:
    """The key of a person named by ``words``: the surname's base form in Latin letters."""
    morph = morph or _natasha().morph
    return latin_key(_surname_base(_surname(words, morph), morph))[:KEY_LENGTH]


def _looks_nominative(words: list[str], key: str) -> bool:
    return any(latin_key(word) == key for word in words)


# --- Organisations ------------------------------------------------------------------------


def _nominative(word: str, parse: Any) -> str:
    try:
        form = parse.inflect({"Nom"})
    except (KeyError, ValueError):
        form = None
    if form is None:
        return word
    shaped = str(form.word)
    if word.isupper():
        return shaped.upper()
    return shaped.capitalize() if word[:1].isupper() else shaped


def _organisation_shown(tokens: list[str], morph: MorphVocab) -> str:
    """The name with its leading adjectives and head noun in the nominative: «Областного дома
    дружбы» → «Областной дом дружбы»; the rest (genitives, quoted names) stays as written."""
    shown: list[str] = []
    head_done = False
    for token in tokens:
        if head_done or not token.isalpha():
            shown.append(token)
            continue
        parse = _parses(morph, token)[0]
        if parse.tag.POS in ("ADJF", "NOUN") and parse.tag.case not in (None, "nomn"):
            shown.append(_nominative(token, parse))
        else:
            shown.append(token)
        head_done = parse.tag.POS != "ADJF"
    text = " ".join(shown)
    return re.sub(r"([«\"(]) ", r"\1", re.sub(r" ([»\").,])", r"\1", text))


# --- Reading a text -----------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _read(text: str, tools: _Natasha) -> list[Entity]:
    from natasha import Doc

    doc = Doc(text)
    doc.segment(tools.segmenter)
    with tools.one_thread():
        doc.tag_ner(tools.ner)
    persons: dict[str, list[str]] = {}  # key → the words of its best-named mention
    organisations: dict[str, str] = {}
    for span in doc.spans:
        if span.type == "PER":
            words = _WORD.findall(span.text)
            if not words:
                continue
            key = person_key(words, tools.morph)
            known = persons.get(key)
            if key and (
                known is None
                or (_looks_nominative(words, key) and not _looks_nominative(known, key))
                or (len(words) > len(known) and _looks_nominative(words, key))
            ):
                persons[key] = words
        elif span.type == "ORG":
            shown = _organisation_shown([token.text for token in span.tokens], tools.morph)
            key = latin_key(shown)[:KEY_LENGTH]
            if key:
                organisations.setdefault(key, shown)
    found = [Entity("PER", key, " ".join(words)[:KEY_LENGTH]) for key, words in persons.items()]
    found += [Entity("ORG", key, shown[:KEY_LENGTH]) for key, shown in organisations.items()]
    return found


def entities(text: str, language: str) -> list[Entity]:
    """The persons and organisations a Russian text names, each once; [] for other
    languages, for an empty text, and when natasha fails (logged)."""
    if language != "ru" or not text or not text.strip():
        return []
    try:
        return _read(text[:MAX_CHARS], _natasha())
    except Exception:  # noqa: BLE001 — a third-party model must never stop the batch
        log.exception("natasha failed on a text of %d characters", len(text))
        return []
