"""The project's catalogue is complete, clean and compiled: every UI string has kk and ru text.

`make messages` extracts strings into src/birlik/locale/{kk,ru,en}/LC_MESSAGES/django.po and
`make compilemessages` compiles them; the .mo files are committed so `make demo` needs no gettext.
"""

from __future__ import annotations

import ast
import gettext
import io
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import django
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.management import call_command

import birlik

SOURCE_DIR = Path(birlik.__file__).resolve().parent
LOCALE_DIR = SOURCE_DIR / "locale"
LANGUAGES = ("kk", "ru", "en")
TRANSLATED = ("kk", "ru")  # en msgstrs may stay empty: the msgids are English
IN_CI = os.environ.get("CI", "").lower() == "true"

# Look-alikes found in real Kazakh sources (glossary.md, "Common pitfalls" 1).
FORBIDDEN_CODE_POINTS = {
    "\u0259": "Latin schwa ə (use Cyrillic ә U+04D9)",
    "\u04ca": "ӊ U+04CA (use ң U+04A3)",
    "\u04a1": "Bashkir ҡ U+04A1 (use қ U+049B)",
    "\u0472": "Fita Ѳ U+0472 (use Ө U+04E8)",
}
CYRILLIC = "\u0400-\u04ff\u0500-\u052f"
WORD = re.compile(rf"[A-Za-z{CYRILLIC}0-9]+")
MIXED_DIGIT = re.compile(rf"[{CYRILLIC}]1[{CYRILLIC}]")
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make messages`.")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def entries(cat: Catalog) -> Iterator[Message]:
    return (message for message in cat if message.id)


def key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return (message.context, message.id)


def label(message: Message) -> str:
    text = message.id if isinstance(message.id, str) else message.id[0]
    return repr(text if len(text) <= 90 else text[:87] + "...")


def forms(message: Message) -> tuple[str, ...]:
    return (message.string,) if isinstance(message.string, str) else tuple(message.string)


def report(title: str, problems: list[str], limit: int = 40) -> str:
    shown = "\n  ".join(problems[:limit])
    more = f"\n  … and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{title} ({len(problems)}):\n  {shown}{more}"


def require_gettext() -> None:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return
    message = "GNU gettext (xgettext, msgmerge) is missing: run scripts/setup-system."
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def test_every_string_in_the_source_is_in_the_kk_ru_and_en_catalogues(tmp_path, settings):
    """Extract afresh from a copy of the sources, as `make messages` does, and compare."""
    require_gettext()
    source = tmp_path / "birlik"
    shutil.copytree(
        SOURCE_DIR,
        source,
        ignore=shutil.ignore_patterns("locale", "static", "migrations", "__pycache__"),
    )
    fresh_locale = tmp_path / "locale"
    fresh_locale.mkdir()
    settings.LOCALE_PATHS = [fresh_locale]
    cwd = Path.cwd()
    os.chdir(source)  # makemessages reads the current directory
    try:
        call_command(
            "makemessages", locale=["en"], no_location=True, verbosity=0, ignore_patterns=[]
        )
    finally:
        os.chdir(cwd)
    with (fresh_locale / "en" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        extracted = {key(message): message for message in entries(read_po(handle))}
    assert extracted, "makemessages extracted nothing: the test would prove nothing"
    problems = []
    for language in LANGUAGES:
        known = {key(message) for message in entries(catalogue(language))}
        problems += [
            f"{language}: {label(message)}"
            for found, message in extracted.items()
            if found not in known
        ]
    assert not problems, report(
        "Strings in the source but not in the catalogues; run `make messages`", problems
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_kk_and_ru_string_is_translated_and_not_fuzzy(language):
    cat = catalogue(language)
    problems = []
    for message in entries(cat):
        if message.fuzzy:
            problems.append(f"fuzzy: {label(message)}")
        elif not all(form.strip() for form in forms(message)):
            problems.append(f"empty: {label(message)}")
        elif message.pluralizable and len(forms(message)) != cat.num_plurals:
            problems.append(f"{len(forms(message))} of {cat.num_plurals} forms: {label(message)}")
    assert not problems, report(f"Untranslated strings in {po_path(language)}", problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_kk_and_ru_translations_use_only_the_right_letters_in_nfc(language):
    problems = []
    for message in entries(catalogue(language)):
        for form in forms(message):
            if not unicodedata.is_normalized("NFC", form):
                problems.append(f"not NFC: {label(message)}")
            for char, why in FORBIDDEN_CODE_POINTS.items():
                if char in form:
                    problems.append(f"{why}: {form!r}")
            for word in WORD.findall(POSITIONAL.sub(" ", PLACEHOLDER.sub(" ", form))):
                if re.search(rf"[{CYRILLIC}]", word) and re.search(r"[A-Za-z]", word):
                    problems.append(f"Latin letters inside the Cyrillic word {word!r}: {form!r}")
            if MIXED_DIGIT.search(form):
                problems.append(f"digit 1 inside a Cyrillic word: {form!r}")
    assert not problems, report(f"Look-alike letters in {po_path(language)}", problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_msgid(language):
    problems = []
    for message in entries(catalogue(language)):
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        expected = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        # "%%" is a literal per cent sign, not a placeholder ("%(rate)s%% of" is not "% o").
        positional = max(len(POSITIONAL.findall(text.replace("%%", ""))) for text in ids)
        for form in forms(message):
            if not form:
                continue  # reported by the completeness test
            if set(PLACEHOLDER.findall(form)) != expected:
                problems.append(
                    f"{label(message)}: expects {sorted(expected)}, "
                    f"has {sorted(set(PLACEHOLDER.findall(form)))} in {form!r}"
                )
            if len(POSITIONAL.findall(form.replace("%%", ""))) != positional:
                problems.append(f"{label(message)}: %-placeholders differ in {form!r}")
    assert not problems, report(f"Placeholders changed in {po_path(language)}", problems)


def comparable(translations: gettext.GNUTranslations) -> dict[object, str]:
    """Messages of a compiled catalogue, without the header and untranslated entries."""
    catalog: dict[object, str] = dict(translations._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    empty_plurals = {k[0] for k, v in catalog.items() if isinstance(k, tuple) and not v}
    return {
        k: v
        for k, v in catalog.items()
        if v and not (isinstance(k, tuple) and k[0] in empty_plurals)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_files_match_their_po_files(language):
    mo_path = po_path(language).with_suffix(".mo")
    hint = "run `make compilemessages` and commit the .mo files"
    assert mo_path.exists(), f"{mo_path} is missing: {hint}"
    source = catalogue(language)
    translated = Catalog(locale=language)
    translated.mime_headers = source.mime_headers
    for message in entries(source):
        if not message.fuzzy and all(forms(message)):
            translated[message.id] = message  # babel would fill untranslated forms with msgids
    compiled = io.BytesIO()
    write_mo(compiled, translated)
    compiled.seek(0)
    expected = comparable(gettext.GNUTranslations(compiled))
    with mo_path.open("rb") as handle:
        committed = comparable(gettext.GNUTranslations(handle))
    assert committed == expected, f"{mo_path} is older than its .po: {hint}"


def django_catalogue_ids() -> set[str | tuple[str, str]]:
    root = Path(django.__file__).resolve().parent
    ids: set[str | tuple[str, str]] = set()
    for part in ("conf", "contrib/auth"):
        with (root / part / "locale/en/LC_MESSAGES/django.po").open("rb") as handle:
            ids |= {message.id for message in read_po(handle) if message.id}
    return ids


def test_the_django_messages_we_override_exist_in_django_with_the_same_msgid():
    """birlik/core/django_strings.py copies Django's msgids; a typo would never be used."""
    tree = ast.parse((SOURCE_DIR / "core" / "django_strings.py").read_text(encoding="utf-8"))
    ours: list[str | tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if node.func.id == "gettext_noop":
                ours.append(texts[0])
            elif node.func.id == "ngettext_lazy":
                ours.append((texts[0], texts[1]))
    assert len(ours) > 20
    missing = sorted(map(str, set(ours) - django_catalogue_ids()))
    assert not missing, report("Not Django msgids", missing)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_declare_the_language_they_are_shown_in(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()


# Names xgettext (makemessages) extracts from; an alias such as `gettext_lazy as _lazy` would
# hide its strings from the catalogue, and the page would show English.
EXTRACTED_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    wrong = []
    for path in sorted(SOURCE_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                for alias in node.names:
                    name = alias.asname or alias.name
                    if alias.name in EXTRACTED_NAMES and name not in EXTRACTED_NAMES:
                        wrong.append(f"{path.relative_to(SOURCE_DIR)}: {alias.name} as {name}")
    assert not wrong, "\n".join(wrong)
