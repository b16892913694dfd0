"""What each import reads: the fields of bodies, members, events, past figures and sign-in
sheets, with the header texts (kk/ru/en and the synonyms staff really write) that mean them.

A header matches a field when its ``header_key`` equals one of the field's synonyms' keys
(case, Kazakh letters, punctuation and spacing are ignored), so «Т.А.Ә.», «ТАӘ» and «т. а. ә»
are one synonym. The first synonym of each field is the header of its template.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.spreadsheets import FieldSpec
from birlik.events.sheets import SIGNIN_FIELDS as SHEET_FIELDS

BODIES = "bodies"
MEMBERS = "members"
EVENTS = "events"
HISTORY = "history"
SIGNIN = "signin"

KIND_LABELS = {
    BODIES: _("Bodies"),
    MEMBERS: _("Members"),
    EVENTS: _("Events held"),
    HISTORY: _("Past figures (events per year)"),
}

_BODY_NUMBER = ("body_id", "№ в Birlik", "Birlik №", "Birlik number", "номер органа", "код органа")
_BODY_NAME = (
    "body",
    "Организация",
    "Ұйым",
    "Ұйым атауы",
    "Наименование организации",
    "Название организации",
    "Орган",
    "Место работы",
    "Структура",
    "Organisation",
    "Organization",
    "Body",
    "Объединение",
    "Этнокультурное объединение",
    "ЭКО",
    "Бірлестік",
    "Этномәдени бірлестік",
)
_REGION = ("region", "Область", "Облыс", "Регион", "Өңір", "Region", "Область/город", "Облыс/қала")
_DISTRICT = (
    "district",
    "Район",
    "Аудан",
    "Район/город",
    "Аудан/қала",
    "Город/район",
    "Қала/аудан",
    "District",
    "Населенный пункт",
    "Елді мекен",
)
# People's names, phones and e-mails are read as the paper sign-in sheet reads them (one list).
_PEOPLE = {spec.key: spec for spec in SHEET_FIELDS}
_PHONE = _PEOPLE["phone"].synonyms
_EMAIL = _PEOPLE["email"].synonyms
_PROGRAMME = ("programme", "Программа", "Бағдарлама", "Проект", "Жоба", "Programme", "Program")

MEMBER_FIELDS: tuple[FieldSpec, ...] = (
    _PEOPLE["full_name"],
    _PEOPLE["last_name"],
    _PEOPLE["first_name"],
    _PEOPLE["patronymic"],
    FieldSpec("iin", _("IIN"), ("iin", "ИИН", "ЖСН", "IIN", "ИИН/ЖСН", "ЖСН/ИИН"), kind="iin"),
    FieldSpec(
        "birth_date",
        _("Date of birth"),
        (
            "birth_date",
            "Дата рождения",
            "Туған күні",
            "Туған күні айы жылы",
            "Туған жылы",
            "Год рождения",
            "Date of birth",
            "Birth date",
        ),
        kind="date",
    ),
    FieldSpec(
        "role",
        _("Role"),
        ("role", "Роль", "Рөлі", "Рөл", "Статус в организации", "Role", "Статус"),
    ),
    FieldSpec(
        "position",
        _("Position"),
        ("position", "Должность", "Лауазымы", "Лауазым", "Position", "Қызметі"),
    ),
    FieldSpec(
        "start_date",
        _("Start of term"),
        (
            "start_date",
            "Дата вступления",
            "Дата начала",
            "Член с",
            "Мүшелікке кірген күні",
            "Басталған күні",
            "Start date",
            "Member since",
        ),
        kind="date",
    ),
    FieldSpec(
        "end_date",
        _("End of term"),
        ("end_date", "Дата выхода", "Дата окончания", "Аяқталған күні", "End date"),
        kind="date",
    ),
    FieldSpec("body", _("Body (name)"), _BODY_NAME),
    FieldSpec("body_id", _("Body (Birlik number)"), _BODY_NUMBER, kind="number"),
    FieldSpec("phone", _("Phone"), _PHONE, kind="phone"),
    FieldSpec("email", _("E-mail"), _EMAIL, kind="email"),
    FieldSpec(
        "consent_date",
        _("Consent to data processing given on"),
        (
            "consent_date",
            "Дата согласия",
            "Согласие на обработку персональных данных",
            "Келісім берген күні",
            "Дербес деректерді өңдеуге келісім",
            "Consent date",
        ),
        kind="date",
    ),
)

BODY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", _("Birlik number"), ("id", *_BODY_NUMBER[1:]), kind="number"),
    FieldSpec(
        "kind",
        _("Kind of body"),
        ("kind", "Вид", "Тип", "Вид органа", "Тип организации", "Түрі", "Ұйым түрі", "Kind"),
    ),
    FieldSpec(
        "name",
        pgettext_lazy("name of a thing", "Name"),
        (
            "name",
            "Наименование",
            "Название",
            "Атауы",
            "Атауы (толық)",
            "Полное наименование",
            "Наименование организации",
            "Ұйымның атауы",
            "Name",
        ),
    ),
    FieldSpec(
        "name_kk",
        _("Name in Kazakh"),
        ("name_kk", "Атауы (қазақша)", "Наименование на казахском", "Name (Kazakh)"),
    ),
    FieldSpec(
        "name_ru",
        _("Name in Russian"),
        ("name_ru", "Атауы (орысша)", "Наименование на русском", "Name (Russian)"),
    ),
    FieldSpec(
        "name_en",
        _("Name in English"),
        ("name_en", "Атауы (ағылшынша)", "Наименование на английском", "Name (English)"),
    ),
    FieldSpec(
        "parent",
        _("Parent body (name)"),
        ("parent", "Вышестоящая организация", "Жоғары тұрған ұйым", "Parent body"),
    ),
    FieldSpec("parent_id", _("Parent body (Birlik number)"), ("parent_id",), kind="number"),
    FieldSpec("region", _("Region"), _REGION),
    FieldSpec("district", _("District"), _DISTRICT),
    FieldSpec(
        "address",
        _("Address"),
        ("address", "Адрес", "Мекенжай", "Юридический адрес", "Заңды мекенжайы", "Address"),
    ),
    FieldSpec("phone", _("Phone"), _PHONE, kind="phone"),
    FieldSpec("email", _("E-mail"), _EMAIL, kind="email"),
    FieldSpec(
        "website", _("Website"), ("website", "Сайт", "Веб-сайт", "Интернет-ресурс", "Website")
    ),
    FieldSpec(
        "founded_on",
        _("Founded on"),
        (
            "founded_on",
            "Дата создания",
            "Дата регистрации",
            "Год создания",
            "Құрылған күні",
            "Құрылған жылы",
            "Тіркелген күні",
            "Founded",
        ),
        kind="date",
    ),
    FieldSpec("status", _("Status"), ("status", "Статус", "Состояние", "Мәртебесі", "Status")),
    FieldSpec(
        "ethnic_groups",
        _("Ethnic groups"),
        (
            "ethnic_groups",
            "Этнос",
            "Этносы",
            "Этническая группа",
            "Национальность",
            "Ұлты",
            "Этностар",
            "Ethnic group",
            "Ethnic groups",
        ),
    ),
)

EVENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        _("Title"),
        (
            "title",
            "Наименование мероприятия",
            "Название мероприятия",
            "Мероприятие",
            "Іс-шара",
            "Іс-шараның атауы",
            "Атауы",
            "Тема",
            "Title",
            "Event",
        ),
        required=True,
    ),
    FieldSpec(
        "date",
        _("Date"),
        ("date", "Дата", "Күні", "Дата проведения", "Өткізілген күні", "Өтетін күні", "Date"),
        kind="date",
        required=True,
    ),
    FieldSpec(
        "body",
        _("Organiser (name)"),
        ("organiser", "Организатор", "Ұйымдастырушы", *_BODY_NAME[1:]),
    ),
    FieldSpec("body_id", _("Organiser (Birlik number)"), _BODY_NUMBER, kind="number"),
    FieldSpec(
        "kind",
        _("Kind of event"),
        ("kind", "Вид мероприятия", "Формат мероприятия", "Іс-шара түрі", "Түрі", "Kind"),
    ),
    FieldSpec("programme", _("Programme"), _PROGRAMME),
    FieldSpec(
        "participants",
        _("Participants"),
        (
            "participants",
            "Количество участников",
            "Кол-во участников",
            "Охват",
            "Охват участников",
            "Участники",
            "Қатысушылар саны",
            "Қатысушылар",
            "Қамту",
            "Participants",
        ),
        kind="number",
    ),
    FieldSpec(
        "place",
        _("Place"),
        ("place", "Место проведения", "Өткізілетін орны", "Өткен орны", "Орны", "Место", "Place"),
    ),
)

HISTORY_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("year", _("Year"), ("year", "Год", "Жыл", "Year"), kind="year", required=True),
    FieldSpec("body", _("Body (name)"), _BODY_NAME),
    FieldSpec("body_id", _("Body (Birlik number)"), _BODY_NUMBER, kind="number"),
    FieldSpec("programme", _("Programme"), _PROGRAMME),
    FieldSpec(
        "events",
        _("Events held"),
        (
            "events",
            "Количество мероприятий",
            "Кол-во мероприятий",
            "Проведено мероприятий",
            "Мероприятий",
            "Іс-шаралар саны",
            "Өткізілген іс-шаралар",
            "Events",
        ),
        kind="number",
        required=True,
    ),
    FieldSpec("participants", _("Participants"), EVENT_FIELDS[6].synonyms, kind="number"),
)

# The paper sign-in sheet is read by the events app (the columns it knows are its own).
SIGNIN_FIELDS: tuple[FieldSpec, ...] = SHEET_FIELDS

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    BODIES: BODY_FIELDS,
    MEMBERS: MEMBER_FIELDS,
    EVENTS: EVENT_FIELDS,
    HISTORY: HISTORY_FIELDS,
    SIGNIN: SIGNIN_FIELDS,
}


def field(kind: str, key: str) -> FieldSpec:
    return next(spec for spec in FIELDS[kind] if spec.key == key)


def with_labels(fields: tuple[FieldSpec, ...]) -> tuple[FieldSpec, ...]:
    """The fields with their own names in kk, ru and en added to their synonyms, so that a
    template's header (written in the user's language) is recognised in any language."""
    from dataclasses import replace

    from django.conf import settings
    from django.utils import translation

    result = []
    for spec in fields:
        labels = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                labels.append(str(spec.label))
        result.append(replace(spec, synonyms=(*spec.synonyms, *labels)))
    return tuple(result)
