"""Similar ideas across Kazakh, Russian and English, with no language model: the index behind
"support an existing idea instead of repeating it".

An idea's title and text become *terms* (``IdeaTerm`` rows):

- the text is normalised (NFKC, case folded), cut into words, stop words (kk/ru/en) dropped;
- each word is stemmed lightly (Kazakh and Russian endings, English plurals) and spelled in
  Latin letters (``core.text.latin_key``: Kazakh letters folded, Cyrillic transliterated);
- a word or a phrase that names a known concept — the project glossary (``data/glossary.csv``)
  and a short hand list of words ideas are made of (sport, youth, language, library…) — becomes
  the concept's term ``c:<concept>``, the same in the three languages;
- any other word becomes ``w:<key>``: its Latin key, or for longer words a consonant skeleton
  of it (first letter and the next three consonants), so that loanwords meet across scripts
  ("футбол" / "football" → ``w:ftbl``, "фестиваль" / "festival" → ``w:fstv``);
- a term's weight is ``TITLE_WEIGHT`` if it is in the title, plus its count in the text
  (capped at ``TEXT_CAP``); an idea keeps its ``MAX_TERMS`` heaviest terms.

``similar_ideas`` finds candidates with one grouped look-up read from the ``IdeaTerm(term,
idea)`` index alone (the query's rarer terms; per idea the summed idf of the terms it shares,
top ``CANDIDATES`` in SQL), then re-ranks them
in Python: how much of the typed text the idea covers (idf-weighted, a match in the idea's
title counting fully) and how much of the idea's title the typed text covers. Ideas under
``MIN_SCORE`` are not suggested. Published ideas only; the same SQL on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Case, Count, FloatField, Sum, Value, When

from birlik.core.text import latin_key

from .models import Call, Idea, IdeaTerm

TITLE_WEIGHT = 4  # a term of the title weighs this much; text occurrences add 1 each…
TEXT_CAP = 3  # …up to this many
MAX_TERMS = 48  # terms kept per idea (the heaviest)
MAX_QUERY_TERMS = 32
MIN_QUERY_TERMS = 2  # fewer meaningful words typed: nothing to compare yet
QUERY_TITLE_CHARS = 200  # longer input is cut, never refused
QUERY_TEXT_CHARS = 2000
INDEX_TEXT_CHARS = 6000  # of an idea's problem + solution
CANDIDATES = 50  # re-ranked in Python
ROW_BUDGET = 20_000  # IdeaTerm rows the candidate look-up may read (rarest terms first)
CONCEPT_BOOST = 1.5  # a glossary concept says more than a word
TEXT_MATCH = 0.6  # a typed term found only in an idea's text, not its title
MIN_SCORE = 0.4
MIN_MATCHED = 2  # terms in common, at least

DATA = Path(__file__).resolve().parent / "data"
_KAZAKH_LETTERS = frozenset("әғқңөұүһі")
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouy")

# --- Stop words (as typed; their stems are dropped too) ----------------------------------------

STOP_WORDS: dict[str, str] = {
    "en": (
        "a an the and or of for to in on at by with from between among about into onto our your "
        "their this that these those is are be was were will would can could should must we you "
        "they it its as new more most all each every other than also not no so some any make "
        "making create creating organise organize organising organizing idea ideas project "
        "projects proposal propose suggest help hold holding there here which who where when "
        "how what do does let us my i have has had been being year years people city"
    ),
    "ru": (
        "и в во на с со к ко по за из от до для о об обо при без между среди через над под а но "
        "или же ли не ни что это этот эта эти этих как так также все всех всем всего наш наша "
        "наши наших ваш их его её ее мы вы они он она оно был была были будет быть может можно "
        "нужно надо который которая которые которых очень более год года году идея идеи идею "
        "предлагаю предложение проект проекта проекты проектов создание создать организация "
        "организовать проведение провести проводить хочу есть где когда чтобы их у нас город "
        "города городе"
    ),
    "kk": (
        "және мен бен пен да де та те үшін арасында арасындағы арналған туралы бойынша сияқты "
        "бұл осы сол ол олар біз сіз біздің сіздің олардың менің әр барлық көп жаңа бір жыл "
        "жылы жоба жобасы жобалар жобаны идея идеясы ұсыныс ұсынамын ұйымдастыру өткізу құру "
        "жасау қажет керек болады болу бар жоқ немесе не ме ма ба па ғана тек қала қаласы "
        "қалада арқылы кейін дейін көптеген"
    ),
}

# --- Concepts: the hand list of words ideas are made of -----------------------------------------
# (concept, kk forms, ru forms, en forms); "|" separates forms, a form may be a phrase. A concept
# named like a glossary key shares that key's glossary forms.

# fmt: off
HAND_CONCEPTS: tuple[tuple[str, str, str, str], ...] = (
    ("idea.sport", "спорт|спорттық", "спорт|спортивный", "sport|sports"),
    ("idea.football", "футбол|футболшы", "футбол|футбольный", "football|soccer"),
    ("idea.tournament", "турнир|жарыс|чемпионат", "турнир|соревнование|чемпионат",
     "tournament|competition|championship|cup"),
    ("idea.contest", "байқау|конкурс", "конкурс", "contest"),
    ("event.youth", "жастар|жас|жасөспірім", "молодежь|молодой|молодежный|подросток",
     "youth|young|teenager|teen"),
    ("idea.children", "бала|балалар|балаларға|мектеп оқушылары", "дети|детский|ребенок|школьники",
     "child|children|kids|pupils"),
    ("idea.student", "студент|студенттер", "студент|студенты|студенческий", "student|students"),
    ("idea.language", "тіл|тілі|тілдер|тілін", "язык|языковой", "language|languages"),
    ("lang.kazakh", "қазақ тілі|қазақша|мемлекеттік тіл", "казахский язык|государственный язык",
     "kazakh language|kazakh|state language"),
    ("idea.course", "курс|курстар|сабақ|оқыту", "курс|курсы|урок|занятия|обучение",
     "course|courses|lesson|lessons|class|classes|training"),
    ("idea.club", "клуб|үйірме", "клуб|кружок", "club|circle"),
    ("event.festival", "фестиваль|мереке", "фестиваль|праздник", "festival|fest|celebration"),
    ("idea.library", "кітапхана", "библиотека", "library"),
    ("idea.book", "кітап|кітаптар|оқырман", "книга|книги|чтение|читатель",
     "book|books|reading|reader"),
    ("idea.park", "саябақ|парк|бақ", "парк|сквер", "park|square"),
    ("idea.playground", "ойын алаңы|балалар алаңы", "детская площадка|игровая площадка",
     "playground"),
    ("idea.yard", "аула|ауласы", "двор|дворовый", "yard|courtyard"),
    ("idea.school", "мектеп|мектебі|мектептер", "школа|школьный", "school|schools"),
    ("idea.university", "университет|колледж|жоғары оқу орны", "университет|вуз|колледж",
     "university|college"),
    ("event.volunteer", "волонтер|ерікті|еріктілер", "волонтер|доброволец|волонтерский",
     "volunteer|volunteers|volunteering"),
    ("event.elderly", "қарттар|қария|ақсақал|ақсақалдар|зейнеткер|егде",
     "пожилые|пенсионер|пенсионеры|старшее поколение|аксакал",
     "elders|elderly|older people|pensioner|seniors"),
    ("idea.mentor", "тәлімгер|тәлімгерлік|ұстаз", "наставник|наставничество", "mentor|mentoring"),
    ("idea.music", "музыка|ән|әнші|домбыра", "музыка|песня|домбра", "music|song|songs|dombra"),
    ("idea.dance", "би|билер", "танец|танцы|танцевальный", "dance|dances|dancing"),
    ("idea.theatre", "театр|спектакль|қойылым", "театр|спектакль|постановка",
     "theatre|theater|performance|play"),
    ("idea.museum", "музей|мұражай", "музей", "museum"),
    ("idea.cinema", "кино|фильм", "кино|фильм|кинотеатр", "cinema|film|movie"),
    ("idea.exhibition", "көрме", "выставка", "exhibition|fair"),
    ("idea.concert", "концерт", "концерт", "concert"),
    ("idea.culture", "мәдениет|мәдени", "культура|культурный", "culture|cultural"),
    ("idea.tradition", "дәстүр|салт|ұлттық", "традиция|традиционный|национальный",
     "tradition|traditional|national"),
    ("idea.craft", "қолөнер|шебер|шеберлік", "ремесло|мастер-класс|рукоделие",
     "craft|crafts|handicraft|workshop"),
    ("idea.cuisine", "тағам|ас|асхана|ұлттық тағам", "кухня|блюдо|еда",
     "cuisine|food|dish|cooking"),
    ("idea.history", "тарих|тарихи", "история|исторический", "history|historical|heritage"),
    ("idea.friendship", "достық|татулық", "дружба|дружный", "friendship"),
    ("idea.unity", "бірлік|ынтымақ|келісім", "единство|согласие", "unity|accord|harmony"),
    ("idea.ethnic", "этнос|этностар|этникалық|ұлттар", "этнос|этнический|народы|национальности",
     "ethnic|ethnos|nationalities"),
    ("idea.ecology", "экология|экологиялық|қоршаған орта|табиғат",
     "экология|экологический|окружающая среда|природа",
     "ecology|ecological|environment|nature|green"),
    ("idea.tree", "ағаш|ағаштар|көшет|көгалдандыру", "дерево|деревья|саженцы|озеленение",
     "tree|trees|planting|greening"),
    ("idea.cleanup", "тазалау|сенбілік|тазалық", "уборка|субботник|чистота",
     "cleanup|cleaning|clean"),
    ("idea.waste", "қоқыс|қалдық|қайта өңдеу", "мусор|отходы|переработка",
     "waste|garbage|litter|recycling"),
    ("idea.digital", "цифрлық|цифрландыру", "цифровой|цифровизация|айти",
     "digital|digitalisation|tech|technology"),
    ("idea.app", "қосымша|мобильді қосымша", "приложение|мобильное приложение", "app|application"),
    ("idea.website", "сайт|портал|платформа", "сайт|портал|платформа",
     "website|site|portal|platform"),
    ("idea.programming", "бағдарламалау|код", "программирование|код", "programming|coding|code"),
    ("idea.robotics", "робот|робототехника", "робот|робототехника", "robot|robotics"),
    ("idea.chess", "шахмат|тоғызқұмалақ", "шахматы|тогызкумалак", "chess|togyzkumalak"),
    ("idea.disability", "мүгедек|мүгедектігі бар|инклюзив|инклюзивті",
     "инвалид|инвалидность|инклюзия|инклюзивный", "disability|disabled|inclusion|inclusive"),
    ("idea.women", "әйел|әйелдер|аналар", "женщины|женский|мамы", "women|woman|mothers"),
    ("idea.family", "отбасы|отбасылық|ата-ана", "семья|семейный|родители",
     "family|families|parents"),
    ("idea.health", "денсаулық|салауатты", "здоровье|здоровый|зож", "health|healthy"),
    ("idea.bicycle", "велосипед|велошеру", "велосипед|велопробег|велодорожка",
     "bicycle|bike|cycling"),
    ("idea.running", "жүгіру|марафон", "бег|марафон|забег", "running|run|marathon"),
    ("idea.street", "көше|көшелер|жаяу жүргінші", "улица|улицы|пешеходный", "street|streets"),
    ("idea.lighting", "жарық|жарықтандыру|шам", "освещение|фонари", "lighting|lights|lamps"),
    ("idea.transport", "көлік|автобус|аялдама", "транспорт|автобус|остановка",
     "transport|bus|stop"),
    ("idea.meeting", "кездесу|форум|жиын", "встреча|форум|собрание", "meeting|forum|gathering"),
    ("idea.job", "жұмыс|жұмыспен қамту|кәсіп", "работа|трудоустройство|профессия",
     "job|jobs|employment|career|profession"),
    ("idea.business", "бизнес|кәсіпкер|кәсіпкерлік|стартап", "бизнес|предприниматель|стартап",
     "business|entrepreneur|startup"),
    ("idea.media", "медиа|журналист|подкаст|блог", "медиа|журналист|подкаст|блог",
     "media|journalist|podcast|blog"),
    ("idea.photo", "фото|сурет", "фото|фотография", "photo|photography|picture"),
    ("idea.game", "ойын|ойындар|квест", "игра|игры|квест", "game|games|quest"),
    ("geo.district", "аудан|аудандық", "район|районный", "district|districts|raion"),
    ("geo.village", "ауыл|ауылдық", "село|сельский|деревня", "village|rural"),
)
# fmt: on


# --- Words to keys ------------------------------------------------------------------------------


# Endings stripped, longest first, from the end of a word; the stem keeps 3 letters at least.
def _longest_first(*groups: str) -> tuple[str, ...]:
    return tuple(sorted((ending for group in groups for ending in group.split()), key=len)[::-1])


_KK_ENDINGS = _longest_first(
    "лар лер дар дер тар тер",  # plural
    "ымыз іміз мыз міз ыңыз іңіз ңыз ңіз сы сі ы і ым ім м ың ің ң",  # possessive
    "ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н",  # cases
    "да де та те нда нде дан ден тан тен нан нен мен бен пен ша ше ғы гі қы кі",
)
_RU_ENDINGS = _longest_first(
    "ыми ими ого его ому ему ая яя ую юю ое ее ые ие ый ий ой ым им ом ем ых их",  # adjectives
    "ами ями ов ев ей ам ям ах ях ию ия ь а я о е ы и у ю й",  # nouns
    "ать ять ить еть ться тся ет ит ут ют ат ят",  # verbs
)


def _strip(word: str, endings: tuple[str, ...], *, rounds: int) -> str:
    for _ in range(rounds):
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        else:
            break
    return word


def _stem_en(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def stem(word: str, *, kazakh: bool) -> str:
    """A light stem: English plurals and -ing/-ed, Kazakh suffixes (up to three, agglutinated),
    Russian endings (one). ``word`` is normalised and lower case."""
    if word.isascii():
        return _stem_en(word)
    if kazakh:
        return _strip(word, _KK_ENDINGS, rounds=3)
    return _strip(word, _RU_ENDINGS, rounds=1)


def _skeleton(key: str) -> str:
    """The first letter and the next three distinct consonants of a Latin key: one spelling of
    a loanword in either script ("futbol"/"football" → "ftbl")."""
    for spelled, sound in (("sch", "sh"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("c", "k")):
        key = key.replace(spelled, sound)
    key = key.replace("x", "ks").replace("q", "k").replace("w", "v")
    out = key[0]
    for letter in key[1:]:
        if letter not in _VOWELS and letter != out[-1]:
            out += letter
            if len(out) == 4:
                break
    return out


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold().replace("ё", "е")


def _is_kazakh(text: str) -> bool:
    return any(letter in _KAZAKH_LETTERS for letter in text)


@functools.lru_cache(maxsize=50_000)
def word_key(word: str, kazakh: bool) -> str:
    """The Latin key of a normalised word's stem ("" for a stop word)."""
    if word in _stop_words():
        return ""
    key = latin_key(stem(word, kazakh=kazakh))
    if len(key) < 2 or key in _stop_keys(word.isascii()):
        return ""
    return key[:32]


@functools.cache
def _stop_words() -> frozenset[str]:
    return frozenset(word for words in STOP_WORDS.values() for word in normalise(words).split())


@functools.cache
def _stop_keys(latin: bool) -> frozenset[str]:
    """The stems of the stop words of one script (Latin: English; else Kazakh and Russian),
    so that a Kazakh stop word's key never drops an English word spelled alike."""
    keys = set()
    for language, words in STOP_WORDS.items():
        if (language == "en") == latin:
            for word in normalise(words).split():
                keys.add(latin_key(stem(word, kazakh=language == "kk")))
    return frozenset(key for key in keys if len(key) >= 3)


# --- The concept lexicon ------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, str]  # key → concept
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first key → [(keys, concept)]


def _forms(cell: str) -> Iterator[str]:
    """The forms a glossary cell names: the text without its brackets, each bracketed
    alternative, each side of " / "."""
    cell = cell.replace("«", " ").replace("»", " ").replace("'", " ").replace('"', " ")
    inner = re.findall(r"\(([^)]*)\)", cell)
    outer = re.sub(r"\([^)]*\)", " ", cell)
    for part in [outer, *inner]:
        for form in part.split(" / "):
            if form.strip():
                yield form


def _keys(form: str, *, kazakh: bool) -> tuple[str, ...]:
    keys = (word_key(word, kazakh) for word in _WORD.findall(normalise(form)))
    return tuple(key for key in keys if key)


def _glossary_rows() -> Iterator[tuple[str, str, str, str]]:
    with (DATA / "glossary.csv").open(encoding="utf-8") as source:
        rows = csv.DictReader(line for line in source if not line.startswith("#"))
        for row in rows:
            yield row["key"], row["kk"], row["ru"], row["en"]


@functools.cache
def lexicon() -> Lexicon:
    """Concept look-ups built from the hand list and the glossary (the hand list wins a key
    claimed by both)."""
    words: dict[str, str] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    sources = [
        (concept, [(kk, True), (ru, False), (en, False)])
        for concept, kk, ru, en in (*HAND_CONCEPTS, *_glossary_rows())
    ]
    for concept, cells in sources:
        for cell, kazakh in cells:
            for raw in cell.split("|"):
                for form in _forms(raw):
                    keys = _keys(form, kazakh=kazakh)
                    if len(keys) == 1:
                        words.setdefault(keys[0], concept)
                    elif 2 <= len(keys) <= 3:
                        bucket = phrases.setdefault(keys[0], [])
                        if (keys, concept) not in bucket:
                            bucket.append((keys, concept))
    for bucket in phrases.values():
        bucket.sort(key=lambda item: -len(item[0]))
    return Lexicon(words=words, phrases=phrases)


def _lookup(table: Mapping[str, object], key: str) -> str | None:
    """The entry of ``key``, or of its longest prefix of 4+ letters (a stem the lexicon knows)."""
    if key in table:
        return key
    for size in range(len(key) - 1, 3, -1):
        if key[:size] in table:
            return key[:size]
    return None


def _matches(key: str, wanted: str) -> bool:
    return key == wanted or (len(wanted) >= 4 and key.startswith(wanted))


# --- Terms --------------------------------------------------------------------------------------


def _word_keys(word: str, kazakh: bool) -> tuple[str, ...]:
    """The keys a word may go by: its stem in the text's language, then — for a Cyrillic word
    with no letter only Kazakh has ("жастар", "аудандар") — its stem in the other language."""
    key = word_key(word, kazakh)
    if not key:
        return ()
    if word.isascii() or any(letter in _KAZAKH_LETTERS for letter in word):
        return (key,)
    other = word_key(word, not kazakh)
    return (key, other) if other and other != key else (key,)


def _concept(table: Mapping[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        found = _lookup(table, key)
        if found is not None:
            return table[found]
    return None


def terms(text: str, *, kazakh: bool | None = None) -> list[str]:
    """The terms of a text, in order: concepts (``c:``, a phrase's concept too) and words
    (``w:``)."""
    text = normalise(text)
    if kazakh is None:
        kazakh = _is_kazakh(text)
    words = [keys for keys in (_word_keys(word, kazakh) for word in _WORD.findall(text)) if keys]
    table = lexicon()
    out: list[str] = []
    for index, keys in enumerate(words):
        for first in {found for key in keys if (found := _lookup(table.phrases, key))}:
            matched = next(
                (
                    concept
                    for phrase, concept in table.phrases[first]
                    if len(words[index : index + len(phrase)]) == len(phrase)
                    and all(
                        any(_matches(have, want) for have in alternatives)
                        for alternatives, want in zip(
                            words[index : index + len(phrase)], phrase, strict=True
                        )
                    )
                ),
                None,
            )
            if matched is not None:
                out.append(f"c:{matched}")
                break
        concept = _concept(table.words, keys)
        if concept is not None:
            out.append(f"c:{concept}")
        else:
            key = keys[0]
            out.append(f"w:{key if len(key) < 6 else _skeleton(key)}")
    return out


def weighted_terms(
    title: str, text: str, *, kazakh: bool | None = None, limit: int = MAX_TERMS
) -> dict[str, int]:
    """Term → weight: ``TITLE_WEIGHT`` if in the title, plus its count in the text (capped);
    the ``limit`` heaviest (ties: the first met)."""
    if kazakh is None:
        kazakh = _is_kazakh(normalise(title)) or _is_kazakh(normalise(text))
    weights: dict[str, int] = {}
    for term in terms(title, kazakh=kazakh):
        weights[term] = TITLE_WEIGHT
    counts: dict[str, int] = {}
    for term in terms(text, kazakh=kazakh):
        counts[term] = counts.get(term, 0) + 1
    for term, count in counts.items():
        weights[term] = weights.get(term, 0) + min(count, TEXT_CAP)
    if len(weights) > limit:
        order = {term: position for position, term in enumerate(weights)}
        kept = sorted(weights, key=lambda term: (-weights[term], order[term]))[:limit]
        weights = {term: weights[term] for term in kept}
    return weights


def idea_terms(idea: Idea) -> dict[str, int]:
    body = f"{idea.problem or ''}\n{idea.solution or ''}"[:INDEX_TEXT_CHARS]
    kazakh = idea.language == "kk" or None
    return weighted_terms(idea.title or "", body, kazakh=kazakh)


# --- The index ----------------------------------------------------------------------------------


def index_idea(idea: Idea) -> None:
    """Rewrite the idea's ``IdeaTerm`` rows: its terms while it is published, none otherwise
    (call it in the transaction that publishes, merges or withdraws the idea)."""
    with transaction.atomic():
        IdeaTerm.objects.filter(idea_id=idea.pk).delete()
        if idea.status == Idea.Status.PUBLISHED:
            IdeaTerm.objects.bulk_create(
                IdeaTerm(idea_id=idea.pk, term=term, weight=weight)
                for term, weight in idea_terms(idea).items()
            )


def index_ideas_bulk(ideas: Iterable[Idea], *, batch: int = 2000) -> int:
    """Index many ideas at once (the demo, ``ideas_reindex``): their rows rewritten in batches;
    the number of ``IdeaTerm`` rows written."""
    written = 0
    chunk: list[Idea] = []

    def flush() -> int:
        rows = [
            IdeaTerm(idea_id=idea.pk, term=term, weight=weight)
            for idea in chunk
            if idea.status == Idea.Status.PUBLISHED
            for term, weight in idea_terms(idea).items()
        ]
        with transaction.atomic():
            IdeaTerm.objects.filter(idea_id__in=[idea.pk for idea in chunk]).delete()
            IdeaTerm.objects.bulk_create(rows, batch_size=5000)
        chunk.clear()
        return len(rows)

    for idea in ideas:
        chunk.append(idea)
        if len(chunk) >= batch:
            written += flush()
    if chunk:
        written += flush()
    return written


# --- Similar ideas ------------------------------------------------------------------------------


def _boost(term: str) -> float:
    return CONCEPT_BOOST if term.startswith("c:") else 1.0


def score(query: dict[str, float], idea_terms: dict[str, int]) -> tuple[float, int]:
    """How alike a query (term → idf-weighted weight) and an indexed idea (term → weight) are,
    0–1, and the number of terms they share: 0.6 × the share of the query the idea covers (a
    match in the idea's title fully, in its text at ``TEXT_MATCH``) + 0.4 × the share of the
    idea's title the query covers."""
    total = sum(query.values())
    matched = [term for term in query if term in idea_terms]
    if not total or not matched:
        return 0.0, 0
    covered = sum(
        query[term] * (1.0 if idea_terms[term] >= TITLE_WEIGHT else TEXT_MATCH) for term in matched
    )
    title = [term for term, weight in idea_terms.items() if weight >= TITLE_WEIGHT]
    title_total = sum(_boost(term) for term in title)
    title_covered = sum(_boost(term) for term in title if term in query)
    title_share = title_covered / title_total if title_total else 0.0
    return 0.6 * covered / total + 0.4 * title_share, len(matched)


def similar_ideas(
    *,
    text: str,
    title: str = "",
    limit: int = 5,
    exclude_pk: int | None = None,
    call: Call | None = None,
) -> list[tuple[Idea, float]]:
    """Published ideas like the typed title and text (any of kk/ru/en), best first, with their
    score; nothing under ``MIN_SCORE``. ``call``: only that call's ideas."""
    query_terms = weighted_terms(
        (title or "")[:QUERY_TITLE_CHARS], (text or "")[:QUERY_TEXT_CHARS], limit=MAX_QUERY_TERMS
    )
    if len(query_terms) < MIN_QUERY_TERMS or limit < 1:
        return []
    frequency = dict(
        IdeaTerm.objects.filter(term__in=list(query_terms))
        .values("term")
        .annotate(n=Count("id"))
        .values_list("term", "n")
    )
    if len([term for term in query_terms if frequency.get(term)]) < MIN_MATCHED:
        return []
    published = Idea.objects.filter(status=Idea.Status.PUBLISHED)
    total = max(published.count(), 1)
    query = {
        term: weight * _boost(term) * math.log(1 + total / (1 + frequency.get(term, 0)))
        for term, weight in query_terms.items()
    }
    # The candidates come from the rarer terms the index holds, within a budget of rows: the
    # commonest words ("youth") count in the ranking but do not widen the look-up.
    chosen: list[str] = []
    rows = 0
    for term in sorted((t for t in query if frequency.get(t)), key=lambda t: frequency[t]):
        if chosen and len(chosen) >= MIN_MATCHED and rows + frequency[term] > ROW_BUDGET:
            break
        chosen.append(term)
        rows += frequency[term]
    # Σ idf of the terms an idea shares, read from the (term, idea) index alone (no table row,
    # no join: weights and status wait for the re-ranking of the few candidates).
    shared_idf = Case(
        *[When(term=term, then=Value(query[term] / query_terms[term])) for term in chosen],
        default=Value(0.0),
        output_field=FloatField(),
    )
    lookup = IdeaTerm.objects.filter(term__in=chosen)
    if call is not None:
        lookup = lookup.filter(idea__call=call)
    if exclude_pk is not None:
        lookup = lookup.exclude(idea_id=exclude_pk)
    candidates = list(
        lookup.values("idea_id")
        .annotate(rank=Sum(shared_idf))
        .order_by("-rank", "-idea_id")
        .values_list("idea_id", flat=True)[:CANDIDATES]
    )
    if not candidates:
        return []
    indexed: dict[int, dict[str, int]] = {pk: {} for pk in candidates}
    for idea_id, term, weight in IdeaTerm.objects.filter(idea_id__in=candidates).values_list(
        "idea_id", "term", "weight"
    ):
        indexed[idea_id][term] = weight
    ranked: list[tuple[float, int]] = []
    for pk, found in indexed.items():
        value, shared = score(query, found)
        if value >= MIN_SCORE and shared >= MIN_MATCHED:
            ranked.append((value, pk))
    ranked.sort(key=lambda item: (-item[0], -item[1]))
    ranked = ranked[:limit]
    if not ranked:
        return []
    ideas = published.order_by().in_bulk([pk for _value, pk in ranked])
    return [(ideas[pk], round(value, 3)) for value, pk in ranked if pk in ideas]
