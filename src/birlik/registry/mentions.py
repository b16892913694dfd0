"""Ethnic groups mentioned in running text in kk, ru and en.

    group_mentions().find("Қазақтар мен ұйғырлардың арасында… уйгуров и корейцев…")
    # [GroupMention(group_id=<Kazakhs>, count=1, surface="Қазақтар"), …]

Forms are generated once per process from the registry's groups and the aliases
``EthnicGroupIndex`` knows: Kazakh singular and plural in every case («қазақтарға»,
«ұйғырлардың», «орыстармен»), Russian lexemes through pymorphy2 («уйгур», «уйгуров»,
«казахами», «корейцев», «татар»), English plurals («Uyghurs»).

What counts as a mention of a group (decided here, and tested):
- a noun naming its people, singular or plural, in any case: «уйгуров», «қазақтың», "Kazakhs";
- an adjective or a word used as one — the Russian adjective («уйгурский», «казахского»), the
  Kazakh nominative singular («қазақ», as in «қазақ ауылы»), the English singular ("Kazakh",
  "Uyghur") — only right before a noun for the people, their language or their community:
  «язык / община / диаспора / народ / культура / центр…», «тілі / халқы / диаспорасы…»,
  "community / language / people…". So «казахского языка», «ұйғыр диаспорасы» and
  "Uyghur community" count; «казахстанские власти», "Kazakh authorities", «Ұйғыр ауданы» (a
  place) and «қазақ елі» do not;
- never the Kazakh singular of a group whose singular is its country («Қытай» China,
  «Әзербайжан»), nor the catch-all group "other".
Keys ignore case and Kazakh letters typed as Russian ones, but not х/к: «казахи» never meets
«казаки» (Cossacks).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from birlik.geo.mentions import first_keys, longest_matches, prepared, text_keys, tokens
from birlik.geo.morph import KK_CASES, RU_CASES, kk_inflect, kk_plural, ru_inflect, ru_lexeme

from .lookup import _EN_FORMS, _GROUP_NOISE, _KK_PLURAL, _RU_FORMS
from .models import EthnicGroup

__all__ = ["GroupMention", "GroupMentions", "group_mentions", "kk_plural", "reset"]


@dataclass(frozen=True)
class GroupMention:
    """An ethnic group named in a text: how many times, and the words of its first mention."""

    group_id: int
    count: int
    surface: str


# Groups never looked for: the catch-all, and the Kazakh singular of those named like a country.
_SKIPPED = frozenset({"other"})
_KK_SINGULAR_IS_A_COUNTRY = frozenset({"chinese", "azerbaijani"})
# Nouns after which an adjective (or a Kazakh / English singular) names the group.
_RU_GROUP_NOUNS = (
    "язык", "община", "диаспора", "народ", "народность", "этнос", "культура", "население",
    "молодёжь", "национальность", "общество", "объединение", "центр", "семья", "меньшинство",
    "школа", "традиция", "праздник", "землячество",
)  # fmt: skip
_KK_GROUP_NOUNS = (
    "тілі", "халқы", "диаспорасы", "қауымдастығы", "қауымы", "этносы", "жастары", "мәдениеті",
    "ұлты", "отбасы", "мектебі", "дәстүрі", "мерекесі",
)  # fmt: skip
_KK_GROUP_WORDS = ("этномәдени", "мәдени", "ұлттық", "тілінде", "тілді", "тілдегі")
_EN_GROUP_NOUNS = (
    "community", "communities", "people", "peoples", "diaspora", "diasporas", "minority",
    "minorities", "population", "language", "culture", "centre", "center", "association",
    "associations", "youth", "families", "ethnocultural", "cultural", "school", "schools",
)  # fmt: skip


def _group_nouns() -> frozenset[str]:
    words: list[str] = [*_EN_GROUP_NOUNS, *_KK_GROUP_WORDS]
    for noun in _RU_GROUP_NOUNS:
        words += ru_lexeme(noun) or (noun,)
    for noun in _KK_GROUP_NOUNS:
        words += [kk_inflect(noun, case, possessive=True) for case in KK_CASES]
    keys = {key for word in words for key in text_keys(word, loose=False)}
    return frozenset(keys | set(_GROUP_NOISE))


@dataclass(frozen=True)
class _Forms:
    alone: list[str]  # count wherever they stand
    before_noun: list[str]  # count only before a group noun


def _forms(group: EthnicGroup) -> _Forms:
    forms = _Forms([], [])
    for language in (_kazakh_forms, _russian_forms, _english_forms):
        language(group, forms)
    return forms


def _name(group: EthnicGroup, language: str) -> str:
    return (getattr(group, f"name_{language}", "") or "").strip()


def _kazakh_forms(group: EthnicGroup, forms: _Forms) -> None:
    """The plural (the registry's name) in every case; the singular in the oblique cases, and
    in the nominative before a group noun («қазақ тілі»)."""
    plural = _name(group, "kk")
    if not plural:
        return
    singular = _KK_PLURAL.sub("", plural) if _KK_PLURAL.search(plural) else ""
    plurals = dict.fromkeys([plural, *([kk_plural(singular)] if singular else [])])
    forms.alone.extend(kk_inflect(each, case) for each in plurals for case in KK_CASES)
    if singular and group.code not in _KK_SINGULAR_IS_A_COUNTRY:
        forms.alone.extend(kk_inflect(singular, case) for case in KK_CASES[1:])
        forms.before_noun.append(singular)


def _russian_forms(group: EthnicGroup, forms: _Forms) -> None:
    """Every form of the nouns (plural name, masculine and feminine singular); the adjectives
    only before a group noun."""
    name = _name(group, "ru")
    if name:
        # «Русские» is an adjective used as a noun: its plural cases.
        lexeme = ru_lexeme(name) or tuple(ru_inflect(name, case) for case in RU_CASES)
        forms.alone.extend(lexeme)
    for form in _RU_FORMS.get(group.code, ()):
        if form.endswith(("ск", "цк")):  # the stem of the adjective
            forms.before_noun.extend(ru_lexeme(form + "ий", pos="ADJF"))
        elif form.endswith(("ский", "ская")):  # «русский», «русская»
            forms.before_noun.extend(ru_lexeme(form, pos="ADJF"))
        else:
            forms.alone.extend(ru_lexeme(form) or (form,))


def _english_forms(group: EthnicGroup, forms: _Forms) -> None:
    """Plurals alone ("Uyghurs"); singulars and adjectives ("Uyghur", "Kyrgyz", "Turkish")
    before a group noun."""
    name = _name(group, "en")
    english = [name, *_EN_FORMS.get(group.code, ())]
    if name.endswith("s"):
        english.append(name[:-1])
    for form in filter(None, english):
        if (form.endswith("s") and form.lower() != "ingush") or form == "Jew":
            forms.alone.append(form)
        else:
            forms.before_noun.append(form)


@dataclass(frozen=True)
class _Target:
    group_ids: tuple[int, ...]
    needs_noun: bool


class GroupMentions:
    """Every form of every ethnic group, each to the group it names."""

    def __init__(self, groups: Iterable[EthnicGroup]) -> None:
        alone: dict[str, set[int]] = {}
        before_noun: dict[str, set[int]] = {}
        for group in groups:
            if group.code in _SKIPPED:
                continue
            forms = _forms(group)
            for table, words in ((alone, forms.alone), (before_noun, forms.before_noun)):
                for word in words:
                    key = " ".join(text_keys(word, loose=False))
                    if key:
                        table.setdefault(key, set()).add(group.pk)
        self._targets: dict[str, _Target] = {
            key: _Target(tuple(sorted(ids)), needs_noun=True) for key, ids in before_noun.items()
        }
        # A form that is a noun of one group wins over the same form used as an adjective.
        for key, ids in alone.items():
            self._targets[key] = _Target(tuple(sorted(ids)), needs_noun=False)
        self._nouns = _group_nouns()
        self.longest = max((key.count(" ") + 1 for key in self._targets), default=1)
        self._starts = first_keys(self._targets)

    @classmethod
    def from_database(cls) -> GroupMentions:
        """Reads the ethnic groups (one query) and generates their forms."""
        return cls(EthnicGroup.objects.all())

    def find(self, text: str) -> list[GroupMention]:
        """The groups a text names, in the order of their first mention."""
        text = prepared(text)
        words = tokens(text, loose=False)
        keys = [key for key, _start, _end in words]
        counts: dict[int, int] = {}
        surfaces: dict[int, str] = {}
        matches = longest_matches(keys, self._targets, self.longest, self._starts)
        for target, first, last in matches:
            if len(target.group_ids) != 1:
                continue  # a form two groups share names neither
            if target.needs_noun and (last >= len(keys) or keys[last] not in self._nouns):
                continue
            group_id = target.group_ids[0]
            counts[group_id] = counts.get(group_id, 0) + 1
            end = words[last][2] if target.needs_noun else words[last - 1][2]
            surfaces.setdefault(group_id, text[words[first][1] : end])
        return [
            GroupMention(group_id, count, surfaces[group_id]) for group_id, count in counts.items()
        ]


@cache
def group_mentions() -> GroupMentions:
    """The index, built once per process from the database."""
    return GroupMentions.from_database()


def reset() -> None:
    """Forget the index (tests, or after the groups change)."""
    group_mentions.cache_clear()
