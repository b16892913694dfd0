"""One meaning per msgid: a short English word that means two things gets a pgettext context.

"Number" over a registration number and over a count, "Received" over a date and over the way an
appeal arrived, "closed" as a status and as an audit action, "Name" of a person and of a body: a
catalogue holds one translation per (context, msgid), so without a context one screen is wrong.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import birlik

SOURCE_DIR = Path(birlik.__file__).resolve().parent
SKIPPED_PARTS = {"migrations", "locale", "static", "__pycache__"}

# Short msgids known to serve two meanings: each use must say which one, with a context.
AMBIGUOUS = frozenset(
    {
        "Number",  # registration number / count
        "Received",  # date received / how received / money received
        "received",  # channel of an appeal / status of a help request
        "closed",  # status of an appeal, a case, a body... / audit action
        "Closed",
        "Name",  # of a person / of a body / "name a caseworker"
        "People",  # the register of people / a count of people
        "Register",  # verb / "registration details" heading / sign up
        "Record",  # noun / verb
        "Receipt",  # appeal talon / donation receipt
        "active",  # body / mediator
    }
)

# Short context-less msgids used by several apps, reviewed to mean the same everywhere (one
# translation fits every screen). A new word used by a second app must be reviewed and added
# here, or given a context.
REVIEWED_UNIVERSAL = frozenset(
    {
        # issue 19: the pager of every long list (keyset pages and numbered ones)
        "First page",
        "Next page",
        "Previous page",
        # issue 18: the Assembly's line of work, named alike in its app and the site's footer
        "People's diplomacy",
        # issue 17 (ideas, youth, volunteers, programmes): the same meaning on every screen
        "Answered on",
        "Applicant",
        "Author",
        "Charity project",
        "Check in",
        "Dates",
        "Decision",
        "Description",
        "Ends at",
        "Ends on",
        "Hours",
        "Ideas",
        "No",
        "Yes",
        "Note",
        "Order",
        "Participant",
        "Programmes",
        "Public page",
        "Publish",
        "Question",
        "Remove",
        "Result",
        "Sent",
        "Starts at",
        "Starts on",
        "Topic",
        "Total",
        "Volunteering",
        "Weight",
        "When",
        "Withdraw",
        "Youth projects",
        "account",
        "akimat",
        "answered",
        "answers",
        "bodies",
        "channel",
        "charity project",
        "comment",
        "decided at",
        "decision",
        "districts",
        "ends at",
        "ends on",
        "event",
        "first name",
        "image",
        "last name",
        "late",
        "ministry",
        "options",
        "organisation",
        "patronymic",
        "people",
        "places",
        "project",
        "question",
        "reason",
        "sent at",
        "starts at",
        "starts on",
        "state body",
        "submitted at",
        "topic",
        "user",
        "volunteer",
        "website",
        "weight",
        "youth project",
        # names of channels and products, the same in every sentence
        "SMS",
        "Telegram",
        # actions, buttons, menus and headings
        "Action",
        "Actions",
        "All",
        "Approve",
        "Assign",
        "Close",
        "Continue",
        "Edit",
        "Filter",
        "Print",
        "Revoke",
        "Save",
        "Search",
        "Sign in",
        "Sign out",
        "Menu",
        "Home",
        "My account",
        "Workspace",
        "Workspace home",
        "Appeals",
        "Bodies",
        "Charity",
        "Events",
        "Imports",
        "Mediation",
        "Mediators",
        "Integration tokens",
        "Audit log",
        "Annual report",
        "Open data",
        "Report",
        "History",
        "Documents",
        "Attached files",
        "Changes",
        "By region",
        "About you",
        # surveys and the expert council: the same word as elsewhere
        "(required)",
        "ethnic group",
        "female",
        "male",
        "regions",
        "expert",
        "completed on",
        "answered on",
        "answer due",
        "answer",
        # people and contacts
        "Address",
        "BIN",
        "E-mail",
        "First name",
        "Full name",
        "IIN",
        "Last name",
        "Password",
        "Patronymic",
        "Person",
        "Phone",
        "Position",
        "Role",
        "Who",
        "Organiser",
        "Members",
        "Participants",
        "address",
        "applicant",
        "e-mail",
        "full name",
        "mediator",
        "name",
        "person",
        "phone",
        "role",
        # bodies, places and filters
        "All kinds",
        "All programmes",
        "All regions",
        "Any kind",
        "Any status",
        "Body",
        "Body number",
        "Centre",
        "District",
        "Ethnic groups",
        "Founded on",
        "Place",
        "Places",
        "Region",
        "Territory",
        "Website",
        "Where",
        "Whole country",
        "body",
        "district",
        "region",
        # fields of records
        "%",
        "Accessibility",
        "Answer",
        "Answer due",
        "Closed on",
        "Co-organisers",
        "Date",
        "Event",
        "Events held",
        "Field",
        "From",
        "Kind",
        "Language",
        "Languages",
        "No.",
        "Outcome",
        "Outcomes",
        "Programme",
        "Reason",
        "Received on",
        "Registration number",
        "Status",
        "Subject",
        "Ticket code",
        "Time",
        "Title",
        "To",
        "Year",
        "English",
        "Kazakh",
        "Russian",
        "action",
        "appeal",
        "approved by",
        "audience",
        "closed at",
        "closed on",
        "code",
        "description",
        "in use",
        "kind",
        "language",
        "languages",
        "note",
        "outcome",
        "programme",
        "purpose",
        "received at",
        "received on",
        "sort order",
        "status",
        "subject",
        "text",
        "title",
        "training",
        "year",
        # values (statuses, yes/no); the ru form agrees with the noun on each screen
        "Cancelled",
        "already recorded",
        "approved",
        "cancelled",
        "confirmed",
        "draft",
        "no",
        "other",
        "refused",
        "rejected",
        "required",
        "sent",
        "to add",
        "to change",
        "yes",
    }
)

PY_PLAIN = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
PY_CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
STRING = r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')"""
TEMPLATE_TRANSLATE = re.compile(
    r"{%\s*(?:translate|trans)\s+" + STRING + r"(?P<rest>[^%]*)%}", re.S
)
TEMPLATE_CONTEXT = re.compile(r"\bcontext\s+" + STRING)
TEMPLATE_UNDERSCORE = re.compile(r"\b_\(" + STRING + r"\)")


@dataclass(frozen=True)
class Use:
    msgid: str
    context: str | None
    path: str
    line: int

    @property
    def app(self) -> str:
        return self.path.split("/")[0]

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _first(match: re.Match[str], offset: int = 1) -> str:
    return match.group(offset) if match.group(offset) is not None else match.group(offset + 1)


def _files(root: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.suffix in suffixes and not SKIPPED_PARTS & set(path.relative_to(root).parts):
            yield path


def python_uses(root: Path) -> Iterator[Use]:
    for path in _files(root, (".py",)):
        relative = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if node.func.id in PY_PLAIN and texts and isinstance(texts[0], str):
                yield Use(texts[0], None, relative, node.lineno)
            elif (
                node.func.id in PY_CONTEXT
                and len(texts) > 1
                and isinstance(texts[0], str)
                and isinstance(texts[1], str)
            ):
                yield Use(texts[1], texts[0], relative, node.lineno)


def template_uses(root: Path) -> Iterator[Use]:
    for path in _files(root, (".html", ".txt", ".xml", ".svg")):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        for match in TEMPLATE_TRANSLATE.finditer(text):
            context = TEMPLATE_CONTEXT.search(match.group("rest"))
            line = text.count("\n", 0, match.start()) + 1
            yield Use(_first(match), _first(context) if context else None, relative, line)
        for match in TEMPLATE_UNDERSCORE.finditer(text):
            yield Use(_first(match), None, relative, text.count("\n", 0, match.start()) + 1)


def all_uses(root: Path = SOURCE_DIR) -> list[Use]:
    return [*python_uses(root), *template_uses(root)]


def ambiguous_without_context(uses: list[Use]) -> list[str]:
    return sorted(
        f"{use.where()}: {use.msgid!r}"
        for use in uses
        if use.context is None and use.msgid in AMBIGUOUS
    )


def short_msgids_shared_by_apps(uses: list[Use], reviewed: frozenset[str]) -> list[str]:
    """Context-less msgids of one or two words used by several apps and not reviewed."""
    apps: dict[str, set[str]] = defaultdict(set)
    places: dict[str, list[str]] = defaultdict(list)
    for use in uses:
        if use.context is None and len(use.msgid.split()) <= 2:
            apps[use.msgid].add(use.app)
            places[use.msgid].append(use.where())
    return sorted(
        f"{msgid!r} in {', '.join(sorted(found))}: {', '.join(sorted(places[msgid])[:4])}"
        for msgid, found in apps.items()
        if len(found) > 1 and msgid not in reviewed
    )


def test_the_scanner_reads_the_source_and_sees_contexts():
    uses = all_uses()
    assert len(uses) > 1000, "the scanner found almost no translatable strings"
    found = {(use.context, use.msgid) for use in uses}
    assert ("count", "Number") in found
    assert ("registration number", "Number") in found
    assert ("person", "Name") in found
    assert (None, "Status") in found


def test_ambiguous_short_msgids_always_carry_a_context():
    problems = ambiguous_without_context(all_uses())
    assert not problems, (
        "These msgids mean different things on different screens; say which meaning with "
        "pgettext(_lazy)(context, msgid) or {% translate msgid context '…' %}:\n  "
        + "\n  ".join(problems)
    )


def test_a_short_msgid_without_context_is_used_by_one_app_or_reviewed():
    problems = short_msgids_shared_by_apps(all_uses(), REVIEWED_UNIVERSAL)
    assert not problems, (
        "Short msgids without a context used by several apps. If the word means the same "
        "everywhere, add it to REVIEWED_UNIVERSAL; if not, give each meaning a context:\n  "
        + "\n  ".join(problems)
    )


def test_the_checks_fail_on_a_word_used_with_two_meanings(tmp_path):
    (tmp_path / "appeals").mkdir()
    (tmp_path / "appeals" / "list.html").write_text(
        '{% load i18n %}<th>{% translate "Number" %}</th><th>{% translate "Due" %}</th>',
        encoding="utf-8",
    )
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "views.py").write_text(
        "from django.utils.translation import gettext as _, pgettext\n"
        'HEADERS = [_("Due"), pgettext("count", "Number")]\n',
        encoding="utf-8",
    )
    uses = all_uses(tmp_path)
    assert ambiguous_without_context(uses) == ["appeals/list.html:1: 'Number'"]
    assert short_msgids_shared_by_apps(uses, frozenset()) == [
        "'Due' in appeals, events: appeals/list.html:1, events/views.py:2"
    ]
    assert short_msgids_shared_by_apps(uses, frozenset({"Due"})) == []
