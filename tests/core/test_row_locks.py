"""Every row lock names its own table: ``select_for_update(of=("self",))``.

PostgreSQL refuses ``FOR UPDATE`` on the nullable side of an outer join, which a lock joined
with ``select_related`` over a nullable foreign key becomes; SQLite ignores locks, so only the
PostgreSQL stage of CI would see it. Locking only the row's own table is what every service
means, so the rule holds for every call, joined or not."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "birlik"


def _bare_locks(path: Path, root: Path = SRC.parent) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "select_for_update"
            and not any(keyword.arg == "of" for keyword in node.keywords)
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_row_lock_names_its_own_table() -> None:
    bare = [hit for path in sorted(SRC.rglob("*.py")) for hit in _bare_locks(path)]
    assert bare == []


def test_the_check_sees_a_bare_lock(tmp_path: Path) -> None:
    sample = tmp_path / "services.py"
    sample.write_text(
        "Model.objects.select_for_update().get(pk=1)\n"
        "Model.objects.select_for_update(of=('self',)).get(pk=1)\n",
        encoding="utf-8",
    )
    assert _bare_locks(sample, tmp_path) == ["services.py:1"]
