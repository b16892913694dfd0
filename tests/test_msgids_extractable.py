"""Every translatable text reaches the catalogues: a gettext call whose message is a variable
hides it from `makemessages` (the workspace menu once showed English that way), so the test of
the catalogues could not see it missing. Only re-translating a lazy constant, `gettext(str(X))`
(its text was written, and extracted, where X was defined), is allowed."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "birlik"
GETTEXT = {
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "_",
}


def _message_arguments(call: ast.Call, name: str) -> list[ast.expr]:
    arguments = list(call.args)
    if name.startswith(("p", "np")):
        arguments = arguments[1:]  # the context comes first
    # Singular and plural, then the number; or the one message.
    return arguments[:2] if name.startswith(("n", "np")) else arguments[:1]


def _allowed(argument: ast.expr) -> bool:
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return True
    # gettext(str(LAZY_CONSTANT)): the text itself was extracted where it was written.
    return (
        isinstance(argument, ast.Call)
        and isinstance(argument.func, ast.Name)
        and argument.func.id == "str"
        and len(argument.args) == 1
        and isinstance(argument.args[0], (ast.Name, ast.Attribute, ast.Subscript))
    )


def hidden_messages(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in GETTEXT:
                continue
            for argument in _message_arguments(node, name):
                if not _allowed(argument):
                    where = path.relative_to(root.parent)
                    found.append(f"{where}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_every_translated_text_is_written_where_it_is_translated():
    assert hidden_messages(SOURCE) == []


def test_the_check_finds_a_message_hidden_in_a_variable(tmp_path):
    package = tmp_path / "birlik"
    package.mkdir()
    (package / "menu.py").write_text(
        "from django.utils.translation import pgettext\n"
        "def menu(label):\n"
        "    return pgettext('workspace menu', label)\n"
        "OK = pgettext('workspace menu', 'Bodies')\n",
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in hidden_messages(package)] == ["3"]
