"""Kinds of body, ethnic groups, roles and bodies found by the names staff write in spreadsheets
(kk, ru or en, any case and spacing, Latin look-alikes, the abbreviations in everyday use).

Each index reads its table once (bodies: only those the user may see under one body) and then
answers every row from memory with a ``Found``: a value, or an error saying what to write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import Model
from django.utils import translation
from django.utils.translation import gettext as _

from birlik.access.policies import scoped
from birlik.core.cleaning import clean_text
from birlik.geo.names import Found, loose_key, name_key

from .models import EthnicGroup, Membership, Organisation, OrganisationKind

__all__ = ["BodyIndex", "EthnicGroupIndex", "KindIndex", "RoleIndex"]

V = TypeVar("V")


class _Keys(Generic[V]):
    """Keys to values; a key two different values share is ambiguous and answers both."""

    def __init__(self) -> None:
        self._values: dict[str, list[V]] = {}

    def add(self, key: str, value: V) -> None:
        if key and value not in self._values.setdefault(key, []):
            self._values[key].append(value)

    def get(self, key: str) -> list[V]:
        return self._values.get(key, []) if key else []


def _without(key: str, words: Iterable[str]) -> str:
    """The key with the given words (and phrases) removed."""
    padded = f" {key} "
    for word in words:
        padded = padded.replace(f" {word} ", " ")
    return " ".join(padded.split())


def _shown(text: str) -> str:
    return clean_text(text)[:80]


# ---------------------------------------------------------------------------------------------
# Kinds of body

# What staff write for a kind besides its names: abbreviations and older or shorter names.
# «ЭКО», «ЭМБ», «НКЦ» (национально-культурный центр, the name of ethnocultural associations in
# the 1990s and 2000s) are the ethnocultural associations.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "secretariat": ("Секретариат", "Хатшылық", "Secretariat"),
    "regional_assembly": (
        "областная ассамблея", "ассамблея области", "облыстық ассамблея",
        "облыс ассамблеясы", "regional assembly",
    ),
    "city_assembly": (
        "городская ассамблея", "ассамблея города", "қалалық ассамблея", "қала ассамблеясы",
        "city assembly",
    ),
    "district_assembly": (
        "районная ассамблея", "ассамблея района", "аудандық ассамблея", "аудан ассамблеясы",
        "district assembly",
    ),
    "public_accord_institution": ("Қоғамдық келісім", "Общественное согласие", "Public Accord"),
    "house_of_friendship": ("Дом дружбы", "Достық үйі", "House of Friendship"),
    "ethnocultural_association": (
        "ЭКО", "ЭМБ", "НКЦ", "этнокультурное объединение", "этнокультурный центр",
        "этнокультурное общественное объединение", "национально-культурный центр",
        "этномәдени бірлестік", "этномәдени орталық", "ethnocultural centre",
        "ethnocultural center",
    ),
    "elders_council": (
        "Совет старейшин", "Совет аксакалов", "Ақсақалдар кеңесі", "Council of elders",
        "Elders council",
    ),
    "mothers_council": ("Совет матерей", "Аналар кеңесі", "Council of mothers"),
    # «Ассамблея жастары» alone may be the movement or one of its branches: both answer.
    "youth_movement": ("Ассамблея жастары",),
    "youth_branch": ("Ассамблея жастары", "филиал Ассамблеи жастары", "филиал Ассамблея жастары"),
    "charity_centre": ("Жомарт жан",),
    "creative_collective": ("творческий коллектив", "шығармашылық ұжым", "ансамбль", "ensemble"),
    "deputy_group": ("Бір ел – бір мүдде", "депутатская группа", "депутаттық топ"),
}  # fmt: skip
# Words that name the Assembly or a legal form and not the kind: «Секретариат АНК».
_KIND_NOISE = tuple(name_key(w) for w in ("АНК", "ҚХА", "APK", "ANK", "КГУ", "КММ", "РОО"))


class KindIndex:
    """Every kind of body in memory (one query), found by code, name or plural in kk/ru/en,
    or by the abbreviations staff use."""

    def __init__(self) -> None:
        self.kinds = list(OrganisationKind.objects.all())
        self._exact: _Keys[OrganisationKind] = _Keys()
        self._loose: _Keys[OrganisationKind] = _Keys()
        for kind in self.kinds:
            names = [kind.code, *_translations(kind, "name"), *_translations(kind, "name_plural")]
            names += _KIND_WORDS.get(kind.code, ())
            for name in names:
                key = name_key(name)
                for each in {key, _without(key, _KIND_NOISE)}:
                    self._exact.add(each, kind)
                    self._loose.add(loose_key(each), kind)

    def find(self, text: str) -> Found[OrganisationKind]:
        """The kind a text names; an error when none or several kinds match."""
        key = name_key(text)
        if not key:
            return Found(None)
        for kinds in (
            self._exact.get(key),
            self._exact.get(_without(key, _KIND_NOISE)),
            self._loose.get(loose_key(_without(key, _KIND_NOISE))),
        ):
            if kinds:
                return _one(kinds, text, lambda k: str(k.name))
        examples = [k for k in self.kinds if k.code in {"ethnocultural_association"}] or self.kinds
        return Found(
            None,
            error=_("Unknown kind of body «%(value)s»: write its name, e.g. %(example)s.")
            % {"value": _shown(text), "example": examples[0].name if examples else "—"},
        )


def _one(values: list[V], text: str, label: Any) -> Found[V]:
    active = [v for v in values if getattr(v, "is_active", True)]
    values = active if len(active) == 1 else values
    if len(values) == 1:
        return Found(values[0])
    return Found(
        None,
        error=_("«%(value)s» may be %(names)s: write the full name.")
        % {"value": _shown(text), "names": ", ".join(sorted(label(v) for v in values))},
    )


def _translations(obj: Model, field: str) -> list[str]:
    values = [getattr(obj, f"{field}_{code}", "") or "" for code, _name in settings.LANGUAGES]
    return [value for value in dict.fromkeys([*values, getattr(obj, field, "") or ""]) if value]


# ---------------------------------------------------------------------------------------------
# Ethnic groups

# Russian singular nouns (masculine, feminine) and the stem of the adjective, by code. Each
# form is matched whole: no prefix matching, so «кореец» never meets «корейцы» of another group
# and «турок» never meets «туркмен».
_RU_FORMS: dict[str, tuple[str, ...]] = {
    "kazakh": ("казах", "казашка", "казахск"),
    "russian": ("русский", "русская", "русск"),
    "uzbek": ("узбек", "узбечка", "узбекск"),
    "ukrainian": ("украинец", "украинка", "украинск"),
    "uyghur": ("уйгур", "уйгурка", "уйгурск"),
    "german": ("немец", "немка", "немецк"),
    "tatar": ("татарин", "татарка", "татарск"),
    "azerbaijani": ("азербайджанец", "азербайджанка", "азербайджанск"),
    "korean": ("кореец", "кореянка", "корейск"),
    "turk": ("турок", "турчанка", "турецк"),
    "dungan": ("дунганин", "дунганка", "дунганск"),
    "belarusian": ("белорус", "белоруска", "белорусск"),
    "tajik": ("таджик", "таджичка", "таджикск"),
    "kurd": ("курд", "курдянка", "курдск"),
    "pole": ("поляк", "полька", "польск"),
    "kyrgyz": ("кыргыз", "кыргызка", "кыргызск", "киргиз", "киргизы", "киргизка", "киргизск"),
    "chechen": ("чеченец", "чеченка", "чеченск"),
    "bashkir": ("башкир", "башкирка", "башкирск"),
    "ingush": ("ингуш", "ингушка", "ингушск"),
    "moldovan": ("молдаванин", "молдаванка", "молдавск"),
    "armenian": ("армянин", "армянка", "армянск"),
    "greek": ("грек", "гречанка", "греческ"),
    "mordvin": ("мордвин", "мордвинка", "мордовск"),
    "chuvash": ("чуваш", "чувашка", "чувашск"),
    "udmurt": ("удмурт", "удмуртка", "удмуртск"),
    "georgian": ("грузин", "грузинка", "грузинск"),
    "lithuanian": ("литовец", "литовка", "литовск"),
    "persian": ("перс", "персиянка", "персидск"),
    "bulgarian": ("болгарин", "болгарка", "болгарск"),
    "lezgin": ("лезгин", "лезгинка", "лезгинск"),
    "turkmen": ("туркмен", "туркменка", "туркменск"),
    "karakalpak": ("каракалпак", "каракалпачка", "каракалпакск"),
    "jewish": ("еврей", "еврейка", "еврейск"),
    "ossetian": ("осетин", "осетинка", "осетинск"),
    "mari": ("мариец", "марийка", "марийск"),
    "latvian": ("латыш", "латышка", "латышск"),
    "estonian": ("эстонец", "эстонка", "эстонск"),
    "avar": ("аварец", "аварка", "аварск"),
    "roma": ("цыган", "цыганка", "цыганск"),
    "chinese": ("китаец", "китаянка", "китайск"),
    "balkar": ("балкарец", "балкарка", "балкарск"),
    "karachay": ("карачаевец", "карачаевка", "карачаевск"),
    "kumyk": ("кумык", "кумычка", "кумыкск"),
    "kalmyk": ("калмык", "калмычка", "калмыцк"),
    "gagauz": ("гагауз", "гагаузка", "гагаузск"),
    "nogai": ("ногаец", "ногайка", "ногайск"),
    "mongol": ("монгол", "монголка", "монгольск"),
    "other": ("другие", "прочие", "басқалар", "others"),
}
_RU_ADJECTIVE = ("ий", "ая", "ое", "ие", "ого", "ой", "ую", "их", "ому", "им")
# English adjectives that are not the singular of the plural name.
_EN_FORMS: dict[str, tuple[str, ...]] = {
    "turk": ("Turkish",),
    "kurd": ("Kurdish",),
    "pole": ("Polish",),
    "jewish": ("Jew",),
    "uyghur": ("Uighur", "Uighurs"),
    "azerbaijani": ("Azeri", "Azeris"),
    "kyrgyz": ("Kirghiz",),
    "roma": ("Romani", "Gypsy", "Gypsies"),
}
# Kazakh plural endings: «Қазақтар» is the plural of «қазақ», «Немістер» of «неміс».
_KK_PLURAL = re.compile(r"(лар|лер|дар|дер|тар|тер)$")
_GROUP_NOISE = tuple(
    name_key(w)
    for w in (
        "диаспора", "диаспорасы", "национальность", "национальности", "ұлты", "ұлт", "этнос",
        "этносы", "народ", "народа", "халқы", "people", "community",
    )
)  # fmt: skip
_LIST_SEPARATORS = re.compile(r"[,;/|\r\n]+|\s+(?:и|және|and)\s+", re.IGNORECASE)


def _adjective_stem(form: str) -> bool:
    return form.endswith(("ск", "цк"))


class EthnicGroupIndex:
    """Every ethnic group in memory (one query), found by code, name (plural) in kk/ru/en, or
    singular and adjective: «казах», «казахская», «қазақ», «Uyghur», «немецкий»."""

    def __init__(self) -> None:
        self.groups = list(EthnicGroup.objects.all())
        self._keys: _Keys[EthnicGroup] = _Keys()
        for group in self.groups:
            for form in self._forms(group):
                key = name_key(form)
                self._keys.add(key, group)
                self._keys.add(_without(key, _GROUP_NOISE), group)

    @staticmethod
    def _forms(group: EthnicGroup) -> list[str]:
        forms = [group.code, *_translations(group, "name")]
        name_kk = getattr(group, "name_kk", "") or ""
        if _KK_PLURAL.search(name_kk.strip()):
            forms.append(_KK_PLURAL.sub("", name_kk.strip()))
        name_en = getattr(group, "name_en", "") or ""
        if name_en.endswith("s"):
            forms.append(name_en[:-1])
        forms += _EN_FORMS.get(group.code, ())
        for form in _RU_FORMS.get(group.code, ()):
            if _adjective_stem(form):
                forms += [form + ending for ending in _RU_ADJECTIVE]
            else:
                forms.append(form)
        return forms

    def find(self, text: str) -> Found[EthnicGroup]:
        """The ethnic group a text names; an error when none or several match."""
        key = name_key(text)
        if not key:
            return Found(None)
        groups = self._keys.get(key) or self._keys.get(_without(key, _GROUP_NOISE))
        if groups:
            return _one(groups, text, lambda g: str(g.name))
        examples = ", ".join(
            str(g.name) for g in self.groups if g.code in {"kazakh", "uyghur"}
        ) or (str(self.groups[0].name) if self.groups else "—")
        return Found(
            None,
            error=_("Unknown ethnic group «%(value)s»: write its name, e.g. %(example)s.")
            % {"value": _shown(text), "example": examples},
        )

    def find_many(self, text: str) -> tuple[list[EthnicGroup], list[str]]:
        """The groups a list names («казахи, русские; уйгуры»), each once, and the errors."""
        groups: list[EthnicGroup] = []
        errors: list[str] = []
        for part in _LIST_SEPARATORS.split(text or ""):
            found = self.find(part)
            if found.error:
                errors.append(found.error)
            elif found.value is not None and found.value not in groups:
                groups.append(found.value)
        return groups, errors


# ---------------------------------------------------------------------------------------------
# Roles

# What staff write for a role besides its labels (kk, ru, en, as translated).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    Membership.Role.CHAIR: (
        "председатель", "төраға", "chair", "chairman", "chairwoman", "chairperson",
    ),
    Membership.Role.DEPUTY_CHAIR: (
        "зам. председателя", "заместитель председателя", "зампред", "төрағаның орынбасары",
        "төраға орынбасары", "deputy chairman", "deputy chairperson", "vice chair",
    ),
    Membership.Role.SECRETARY: (
        "секретарь", "ответственный секретарь", "хатшы", "жауапты хатшы", "secretary",
    ),
    Membership.Role.HEAD: ("руководитель", "директор", "басшы", "head", "director"),
    Membership.Role.STAFF: (
        "сотрудник", "работник", "қызметкер", "staff", "employee", "staff member",
    ),
    Membership.Role.MEMBER: ("член", "мүше", "member"),
    Membership.Role.ACTIVIST: ("активист", "белсенді", "activist"),
    Membership.Role.MEDIATOR: ("медиатор", "mediator"),
    Membership.Role.EXPERT: ("эксперт", "сарапшы", "expert"),
    Membership.Role.VOLUNTEER: ("волонтер", "доброволец", "ерікті", "volunteer"),
}  # fmt: skip


class RoleIndex:
    """Roles in a body (``Membership.Role``) by code or label in kk/ru/en and common synonyms;
    reads no table."""

    def __init__(self) -> None:
        self._keys: _Keys[str] = _Keys()
        for code, _label in Membership.Role.choices:
            self._keys.add(name_key(code), code)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for code, label in Membership.Role.choices:
                    self._keys.add(name_key(str(label)), code)
        for code, words in _ROLE_WORDS.items():
            for word in words:
                self._keys.add(name_key(word), str(code))

    def find(self, text: str) -> Found[str]:
        """The code of the role a text names."""
        key = name_key(text)
        if not key:
            return Found(None)
        codes = self._keys.get(key)
        if len(codes) == 1:
            return Found(codes[0])
        labels = dict(Membership.Role.choices)
        if codes:
            names = ", ".join(sorted(str(labels[c]) for c in codes))
            return Found(
                None,
                error=_("«%(value)s» may be %(names)s: write the full name.")
                % {"value": _shown(text), "names": names},
            )
        return Found(
            None,
            error=_("Unknown role «%(value)s»: write one of %(roles)s.")
            % {"value": _shown(text), "roles": ", ".join(str(label) for label in labels.values())},
        )


# ---------------------------------------------------------------------------------------------
# Bodies

# Legal forms written before or after a body's name: «ОО «Корейский центр»», «... ҚБ».
_LEGAL_FORMS = tuple(
    name_key(w)
    for w in (
        "республиканское общественное объединение", "общественное объединение",
        "общественный фонд", "қоғамдық бірлестігі", "қоғамдық бірлестік", "қоғамдық қоры",
        "қоғамдық қор", "ОО", "РОО", "ОФ", "ҚБ", "РҚБ", "ҚҚ", "КГУ", "КММ", "ГУ", "ММ",
        "ТОО", "ЖШС", "ЧУ", "ЖМ", "NGO",
    )
)  # fmt: skip
_NUMBER = re.compile(r"^(?:№|#|N|No\.?)?\s*(\d+)(?:[.,]0+)?$", re.IGNORECASE)


class BodyIndex:
    """The bodies a user may see in ``under``'s subtree (one query), found by their Birlik
    number or their name in any language; never creates anything."""

    def __init__(self, *, user: Any, under: Organisation) -> None:
        self.under = under
        bodies = scoped(
            Organisation.objects.filter(path__startswith=under.path).select_related(
                "kind", "region", "district"
            ),
            user,
        )
        self.bodies: dict[int, Organisation] = {body.pk: body for body in bodies}
        self._exact: _Keys[Organisation] = _Keys()
        self._bare: _Keys[Organisation] = _Keys()
        for body in self.bodies.values():
            for name in _translations(body, "name"):
                key = name_key(name)
                self._exact.add(key, body)
                self._bare.add(_without(key, _LEGAL_FORMS), body)

    def find(self, text: str) -> Found[Organisation]:
        """The body a text names or numbers; an error when it is not in the index or the name
        is shared by several bodies."""
        cleaned = clean_text(text)
        if not cleaned:
            return Found(None)
        number = _NUMBER.match(cleaned)
        if number:
            body = self.bodies.get(int(number.group(1)))
            if body is not None:
                return Found(body)
            return Found(
                None,
                error=_("There is no body number %(id)s under the body chosen for the import.")
                % {"id": number.group(1)[:20]},
            )
        key = name_key(cleaned)
        bodies = self._exact.get(key) or self._bare.get(_without(key, _LEGAL_FORMS))
        active = [b for b in bodies if b.status == Organisation.Status.ACTIVE]
        bodies = active if len(active) == 1 else bodies
        if len(bodies) == 1:
            return Found(bodies[0])
        if bodies:
            numbers = ", ".join(str(b.pk) for b in sorted(bodies, key=lambda b: b.pk))
            return Found(
                None,
                error=_(
                    "Several bodies are named «%(value)s» (Birlik numbers %(numbers)s): write "
                    "the number instead."
                )
                % {"value": _shown(cleaned), "numbers": numbers},
            )
        return Found(
            None,
            error=_(
                "No body named «%(value)s» in your scope under «%(under)s»; add it first or use "
                "its Birlik number."
            )
            % {"value": _shown(cleaned), "under": self.under.name},
        )
