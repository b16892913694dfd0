"""Word forms of place and group names: Kazakh case endings by rule, Russian ones through
pymorphy2 (shipped with natasha) with rules for the names its dictionary does not know.

    kk_inflect("Ақтөбе", "loc")                  -> "Ақтөбеде"
    kk_inflect("облысы", "gen")                  -> "облысының"  (a possessive form)
    kk_plural("қазақ")                           -> "қазақтар"
    ru_inflect("Актюбинская область", "gent")    -> "Актюбинской области"
    ru_inflect("Шымкент", "loct")                -> "Шымкенте"
    ru_inflect("Актобе", "loct")                 -> "Актобе"  (indeclinable)

Forms are generated forward, once per process, by the mention indexes; running text is never
stemmed. Both geo and registry use this module (geo is the lower layer).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

__all__ = [
    "KK_CASES",
    "RU_CASES",
    "kk_demonym",
    "kk_forms",
    "kk_inflect",
    "kk_plural",
    "morph_analyzer",
    "ru_inflect",
    "ru_lexeme",
]

# ---------------------------------------------------------------------------------------------
# Kazakh

KK_CASES = ("nom", "gen", "dat", "acc", "loc", "abl", "ins")

_KK_BACK = frozenset("аоұыяёю")
_KK_FRONT = frozenset("әеөүіиэ")
_KK_VOWELS = _KK_BACK | _KK_FRONT
# How a stem ends decides the first consonant of an ending.
_VOWEL, _SONORANT, _NASAL, _VOICED, _VOICELESS, _POSSESSIVE = (
    "vowel", "sonorant", "nasal", "voiced", "voiceless", "possessive",
)  # fmt: skip
# (back, front) endings by the class of the last sound.
_KK_ENDINGS: dict[str, dict[str, tuple[str, str]]] = {
    _VOWEL: {
        "gen": ("ның", "нің"), "acc": ("ны", "ні"), "dat": ("ға", "ге"), "loc": ("да", "де"),
        "abl": ("дан", "ден"), "ins": ("мен", "мен"),
    },
    _SONORANT: {
        "gen": ("дың", "дің"), "acc": ("ды", "ді"), "dat": ("ға", "ге"), "loc": ("да", "де"),
        "abl": ("дан", "ден"), "ins": ("мен", "мен"),
    },
    _NASAL: {
        "gen": ("ның", "нің"), "acc": ("ды", "ді"), "dat": ("ға", "ге"), "loc": ("да", "де"),
        "abl": ("нан", "нен"), "ins": ("бен", "бен"),
    },
    _VOICED: {
        "gen": ("дың", "дің"), "acc": ("ды", "ді"), "dat": ("ға", "ге"), "loc": ("да", "де"),
        "abl": ("дан", "ден"), "ins": ("бен", "бен"),
    },
    _VOICELESS: {
        "gen": ("тың", "тің"), "acc": ("ты", "ті"), "dat": ("қа", "ке"), "loc": ("та", "те"),
        "abl": ("тан", "тен"), "ins": ("пен", "пен"),
    },
    # After the 3rd-person possessive («облысы», «ауданы»): the «n» of the pronoun comes back.
    _POSSESSIVE: {
        "gen": ("ның", "нің"), "acc": ("н", "н"), "dat": ("на", "не"), "loc": ("нда", "нде"),
        "abl": ("нан", "нен"), "ins": ("мен", "мен"),
    },
}  # fmt: skip
# Plural (-лар) and «of the place» (-лық) share their first consonant.
_KK_SUFFIX_CONSONANT = {
    _VOWEL: "л", _SONORANT: "л", _NASAL: "д", _VOICED: "д", _VOICELESS: "т", _POSSESSIVE: "л",
}  # fmt: skip
# Words that are already in the 3rd-person possessive: the markers of a unit's kind and the
# «ордасы» of «Бөкей ордасы».
_KK_POSSESSIVE_WORDS = frozenset(
    {"облысы", "ауданы", "қаласы", "ордасы", "кенті", "ауылы", "елді", "мекені"}
)


def _last_word(phrase: str) -> tuple[str, str]:
    """(everything before the last word, the last word); a hyphen also splits («Әл-Фараби»)."""
    cut = max(phrase.rfind(" "), phrase.rfind("-"))
    return phrase[: cut + 1], phrase[cut + 1 :]


def _is_back(word: str) -> bool:
    """Vowel harmony: the last vowel decides. «у» and «и» after a vowel are glides (Атырау,
    Украин: «а»); «у» after a consonant is the back «ұw» of «су» (Ақсу, Жетісу → Жетісуда)."""
    letters = word.lower()
    for index in range(len(letters) - 1, -1, -1):
        letter = letters[index]
        after_vowel = index > 0 and letters[index - 1] in _KK_VOWELS
        if letter == "у":
            if not after_vowel:
                return True
            continue
        if letter == "и" and after_vowel:  # «Украин»: «ай», a glide
            continue
        if letter in _KK_BACK:
            return True
        if letter in _KK_FRONT:
            return False
    return True


def _sound_class(word: str, possessive: bool) -> str:
    letters = word.lower().rstrip("ьъ")
    last = letters[-1:] or "а"
    if possessive:
        return _POSSESSIVE
    if last in "уйи":
        return _SONORANT
    if last in _KK_VOWELS:
        return _VOWEL
    if last in "рл":
        return _SONORANT
    if last in "мнң":
        return _NASAL
    if last in "жз":
        return _VOICED
    return _VOICELESS


def _ending_class(word: str, possessive: bool | None) -> tuple[str, bool]:
    if possessive is None:
        possessive = word.lower() in _KK_POSSESSIVE_WORDS
    return _sound_class(word, possessive), _is_back(word)


@lru_cache(maxsize=20_000)
def kk_inflect(word: str, case: str, *, possessive: bool | None = None) -> str:
    """The Kazakh case form of a word or name (the last word takes the ending): «Ақтөбе» →
    «Ақтөбеде» (loc), «Алматы» → «Алматының» (gen), «облысы» → «облысында» (loc).
    ``possessive`` says the word ends in the 3rd-person possessive; by default only the
    markers «облысы / ауданы / қаласы / ордасы…» are."""
    if case not in KK_CASES:
        raise ValueError(f"Unknown Kazakh case {case!r}; use one of {', '.join(KK_CASES)}.")
    head, last = _last_word(word)
    if case == "nom" or not last:
        return word
    kind, back = _ending_class(last, possessive)
    ending = _KK_ENDINGS[kind][case][0 if back else 1]
    if kind == _VOICELESS and case == "dat":
        # «к» takes «-ке», «қ» takes «-қа» whatever the vowels say; others follow harmony.
        tail = last.lower()[-1]
        ending = "ке" if tail == "к" else "қа" if tail == "қ" else ending
    return head + last + ending


def _with_suffix(word: str, back_suffix: str, front_suffix: str) -> str:
    head, last = _last_word(word)
    if not last:
        return word
    kind, back = _ending_class(last, None)
    # «л» itself takes «д»: «Орал» → «Оралдық», «моңғол» → «моңғолдар».
    consonant = "д" if last.lower().endswith("л") else _KK_SUFFIX_CONSONANT[kind]
    return head + last + consonant + (back_suffix if back else front_suffix)


@lru_cache(maxsize=20_000)
def kk_plural(word: str) -> str:
    """The Kazakh plural: «қазақ» → «қазақтар», «ұйғыр» → «ұйғырлар», «неміс» → «немістер»,
    «моңғол» → «моңғолдар»."""
    return _with_suffix(word, "ар", "ер")


@lru_cache(maxsize=20_000)
def kk_demonym(word: str) -> str:
    """«Of the place», also a person from it: «Ақтөбе» → «Ақтөбелік», «Шымкент» →
    «Шымкенттік», «Алматы» → «Алматылық»."""
    return _with_suffix(word, "ық", "ік")


# ---------------------------------------------------------------------------------------------
# Russian

RU_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_RU_INDECLINABLE = re.compile(r"[еёоуюиыэіәөүұ]$")
_RU_ADJECTIVE = re.compile(r"(?:ый|ий|ой|ая|яя|ое|ее|ые|ие)$")
_HUSHING = frozenset("жшчщц")
_VELAR_OR_HUSHING = frozenset("гкхжшчщ")
_PROPER = ("Name", "Surn", "Patr", "Orgn", "Trad")


def _patch_pymorphy2() -> None:
    """pymorphy2 0.9.1 introspects its units with ``inspect.getargspec``, removed in Python
    3.11: building an analyser fails. Its units take keyword arguments only, so
    ``getfullargspec`` gives the same names."""
    if hasattr(inspect, "getargspec"):
        return
    from pymorphy2.units.base import BaseAnalyzerUnit

    def _param_names(cls: type) -> list[str]:
        init = inspect.getattr_static(cls, "__init__")
        if init is object.__init__:
            return []
        return sorted(inspect.getfullargspec(init).args[1:])

    BaseAnalyzerUnit._get_param_names = classmethod(_param_names)


@cache
def morph_analyzer() -> Any:
    """One pymorphy2 analyser per process (its dictionaries take ~15 MB and 0.1 s to load)."""
    _patch_pymorphy2()
    import pymorphy2

    return pymorphy2.MorphAnalyzer()


def _from_dictionary(parse: Any) -> bool:
    return type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"


def _noun_parse(word: str) -> Any | None:
    """The dictionary parse of a singular place noun in the nominative («Караганда», «область»),
    or None when the dictionary only guesses (then the rules below decline it)."""
    lower = word.lower()
    best = None
    for parse in morph_analyzer().parse(lower):
        tag = parse.tag
        if (
            tag.POS != "NOUN"
            or "nomn" not in tag
            or "plur" in tag
            or parse.normal_form.replace("ё", "е") != lower.replace("ё", "е")
            or not _from_dictionary(parse)
        ):
            continue
        if "Geox" in tag:
            return parse
        if best is None and not any(mark in tag for mark in _PROPER):
            best = parse
    return best


@dataclass(frozen=True)
class _Adjective:
    """An adjective's parse; for one the dictionary reads otherwise («Глубоковский» is a
    surname there) the parse of a model adjective with the same ending, whose stem is swapped."""

    parse: Any
    model_stem: str = ""
    stem: str = ""

    def form(self, grammemes: set[str]) -> str | None:
        try:
            inflected = self.parse.inflect(grammemes)
        except ValueError:
            return None
        if inflected is None:
            return None
        word = str(inflected.word)
        if self.model_stem and word.startswith(self.model_stem):
            return self.stem + word[len(self.model_stem) :]
        return word


_MODEL_ADJECTIVE = re.compile(r"^(.*)(ск|цк)(ий|ая|ое|ие)$")


def _adjective_parse(word: str) -> _Adjective | None:
    lower = word.lower()
    if not _RU_ADJECTIVE.search(lower):
        return None
    for parse in morph_analyzer().parse(lower):
        if parse.tag.POS == "ADJF" and "nomn" in parse.tag:
            return _Adjective(parse)
    model = _MODEL_ADJECTIVE.match(lower)
    if model is None:
        return None
    model_stem = "русск" if model.group(2) == "ск" else "немецк"
    for parse in morph_analyzer().parse(model_stem + model.group(3)):
        if parse.tag.POS == "ADJF" and "nomn" in parse.tag:
            return _Adjective(parse, model_stem, model.group(1) + model.group(2))
    return None


def _noun_by_rule(word: str, case: str) -> str:
    """Declension of a name the dictionary does not know, by its ending: «Шымкент» → «Шымкенте»,
    «Семей» → «Семее», «Кызылорда» → «Кызылорды», «Сарань» → «Сарани»; names ending in
    another vowel (Актобе, Алматы, Шу) do not decline."""
    lower = word.lower()
    if case in ("nomn",) or _RU_INDECLINABLE.search(lower):
        return word
    if lower.endswith("ия"):
        endings = {"gent": "ии", "datv": "ии", "accs": "ию", "ablt": "ией", "loct": "ии"}
        return word[:-2] + endings[case]
    if lower.endswith("а"):
        stem = word[:-1]
        before = stem.lower()[-1:]
        endings = {
            "gent": "и" if before in _VELAR_OR_HUSHING else "ы",
            "datv": "е",
            "accs": "у",
            "ablt": "ей" if before in _HUSHING else "ой",
            "loct": "е",
        }
        return stem + endings[case]
    if lower.endswith("я"):
        endings = {"gent": "и", "datv": "е", "accs": "ю", "ablt": "ей", "loct": "е"}
        return word[:-1] + endings[case]
    if lower.endswith("ь"):
        if case == "accs":
            return word
        return word[:-1] + ("ью" if case == "ablt" else "и")
    if lower.endswith("й"):
        endings = {"gent": "я", "datv": "ю", "accs": "й", "ablt": "ем", "loct": "е"}
        return word[:-1] + endings[case]
    endings = {
        "gent": "а",
        "datv": "у",
        "accs": "",
        "ablt": "ем" if lower[-1] in _HUSHING else "ом",
        "loct": "е",
    }
    return word + endings[case]


def _restore_case(original: str, form: str) -> str:
    """The form with the capitals of the original, part by part: «Западно-Казахстанской»."""
    if original.isupper() and len(original) > 1:
        return form.upper()
    parts = form.split("-")
    originals = original.split("-")
    if len(parts) != len(originals):
        return form[:1].upper() + form[1:] if original[:1].isupper() else form
    return "-".join(
        part[:1].upper() + part[1:] if source[:1].isupper() else part
        for part, source in zip(parts, originals, strict=True)
    )


def _ru_noun(word: str, case: str) -> tuple[str, str]:
    """(the case form, the noun's gender for agreement: masc, femn, neut or plur)."""
    parse = _noun_parse(word)
    if parse is not None:
        gender = "plur" if "Pltm" in parse.tag else str(parse.tag.gender or "masc")
        if "Fixd" in parse.tag:
            return word, gender
        wanted = {case, "sing"} if "Pltm" not in parse.tag else {case}
        inflected = parse.inflect(wanted)
        if inflected is not None:
            return _restore_case(word, inflected.word), gender
    head, last = _last_word(word)
    gender = "femn" if last.lower().endswith(("а", "я", "ь")) else "masc"
    if not last:
        return word, gender
    return head + _noun_by_rule(last, case), gender


def _ru_adjective(word: str, adjective: _Adjective, case: str, gender: str) -> str:
    wanted = {case, gender} if gender != "plur" else {case, "plur"}
    options = [wanted | {"inan"}, wanted] if case == "accs" else [wanted]
    for grammemes in options:
        form = adjective.form(grammemes)
        if form is not None:
            return _restore_case(word, form)
    return word


@lru_cache(maxsize=20_000)
def ru_inflect(phrase: str, case: str) -> str:
    """The Russian case form of a place name: adjectives agree with the noun they stand before
    («Актюбинская область» → «Актюбинской области»), the words after that noun stay
    («район Турара Рыскулова» → «району Турара Рыскулова»), names the dictionary lacks decline by
    their ending, indeclinable ones (Актобе, Алматы, Шу) stay. Cases are pymorphy2's tags."""
    if case not in RU_CASES:
        raise ValueError(f"Unknown Russian case {case!r}; use one of {', '.join(RU_CASES)}.")
    words = phrase.split()
    if case == "nomn" or not words:
        return phrase
    adjectives = [_adjective_parse(word) for word in words]
    head = next((index for index, found in enumerate(adjectives) if found is None), len(words))
    # Adjectives only («Павлодарский», «русские») keep their own gender and number.
    noun, gender = _ru_noun(words[head], case) if head < len(words) else ("", "")
    before = []
    for word, adjective in zip(words[:head], adjectives[:head], strict=True):
        if adjective is None:  # not reached: the head is the first word that is not one
            before.append(word)
            continue
        tag = adjective.parse.tag
        own = "plur" if "plur" in tag else str(tag.gender or "masc")
        before.append(_ru_adjective(word, adjective, case, gender or own))
    return " ".join([*before, *([noun] if noun else []), *words[head + 1 :]])


@lru_cache(maxsize=5_000)
def ru_lexeme(word: str, *, pos: str = "NOUN") -> tuple[str, ...]:
    """Every form of the dictionary word (``NOUN`` or ``ADJF``) of which ``word`` is a
    nominative, singular or plural: «уйгур» or «уйгуры» → уйгур, уйгура, …, уйгуров, уйгурам…;
    empty when the dictionary lacks it."""
    for parse in morph_analyzer().parse(word.lower()):
        if str(parse.tag.POS) == pos and "nomn" in parse.tag and _from_dictionary(parse):
            return tuple(dict.fromkeys(form.word for form in parse.lexeme))
    return ()


def kk_forms(word: str, *, cases: Iterable[str] = KK_CASES) -> list[str]:
    """The word in each Kazakh case (nominative included)."""
    return [kk_inflect(word, case) for case in cases]
