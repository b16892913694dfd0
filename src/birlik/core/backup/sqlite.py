"""SQLite (the embedded default): a copy through SQLite's online backup API, restored the same
way.

The backup API copies a consistent snapshot while the web server and the worker keep writing
(WAL mode: readers never block writers), so the database needs no pause. A restore rebuilds the
database in a temporary file beside the target, checks it, then copies it into the target with
the same API in one write transaction: other connections see the old database or the new one,
never a mixture, and a stale ``-wal`` file can never be replayed onto the new pages (which
replacing the file under a running server could do).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from .base import IDENTIFIER, BackupError, BackupRefused, Database, DatabaseDump
from .files import make_dirs

MEMBER = "database/birlik.sqlite3"


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def inspect(path: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Rows per table and applied migrations of a SQLite file (one read transaction)."""
    with closing(_read_only(path)) as connection:
        connection.execute("BEGIN")
        tables = {
            name: connection.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchone()[0]  # noqa: S608 - a quoted table name
            for name in _tables(connection)
        }
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in tables:
            applied = connection.execute("SELECT app, name FROM django_migrations ORDER BY id")
            for app, name in applied:
                migrations.setdefault(app, []).append(name)
        connection.execute("COMMIT")
    return tables, migrations


def dump(workdir: Path) -> DatabaseDump:
    """The database Django uses, copied into ``workdir`` by the online backup API."""
    from django.db import connection

    path = workdir / "birlik.sqlite3"
    connection.ensure_connection()
    source = connection.connection
    with closing(sqlite3.connect(path)) as target:
        source.backup(target)  # one step: a single consistent snapshot
        # One self-contained file (no -wal beside it); the target's own mode is kept on restore.
        target.execute("PRAGMA journal_mode=DELETE")
    tables, migrations = inspect(path)
    return DatabaseDump(
        engine="sqlite",
        path=path,
        member=MEMBER,
        tables=tables,
        migrations=migrations,
        extra={"sqlite_version": sqlite3.sqlite_version},
    )


def holds_rows(database: Database) -> str:
    """What makes the target not empty ("" when it is): tables with rows."""
    path = _path(database)
    if not path.exists():
        return ""
    try:
        with closing(_read_only(path)) as connection:
            full = [
                name
                for name in _tables(connection)
                if connection.execute(f"SELECT 1 FROM {_quoted(name)} LIMIT 1").fetchone()  # noqa: S608 - a quoted table name
            ]
    except sqlite3.DatabaseError as error:
        return f"{path} cannot be read as a database ({error})"
    if not full:
        return ""
    return f"{len(full)} tables with rows in {path}"


def _path(database: Database) -> Path:
    if database.path is None:
        raise BackupError("The SQLite database has no file name.")
    return database.path


def staging_file(database: Database, token: str) -> tuple[Path, list[Path]]:
    """Where the database is rebuilt (beside the target: one file system, one rename), and the
    directories made for it."""
    path = _path(database)
    created = make_dirs(path.parent)
    return path.parent / f".birlik-restore-{path.name}-{token}", created


def check(staged: Path, tables: dict[str, int]) -> None:
    """The staged copy is a sound database with the rows of the manifest."""
    try:
        with closing(_read_only(staged)) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"The archive's database is damaged ({error}).") from None
    if result != "ok":
        raise BackupRefused(f"The archive's database is damaged (quick_check: {result}).")
    found, _migrations = inspect(staged)
    compare_rows(found, tables)


def compare_rows(found: dict[str, int], expected: dict[str, int]) -> None:
    if found == expected:
        return
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    differ = sorted(name for name in set(found) & set(expected) if found[name] != expected[name])
    details = []
    if missing:
        details.append("missing tables: " + ", ".join(missing[:5]))
    if extra:
        details.append("tables not in the manifest: " + ", ".join(extra[:5]))
    for name in differ[:5]:
        details.append(f"{name}: {found[name]} rows, the manifest says {expected[name]}")
    raise BackupRefused("The restored rows do not match the manifest (" + "; ".join(details) + ").")


def restore(staged: Path, database: Database, tables: dict[str, int]) -> dict[str, int]:
    """Copies the checked file into the target database in one write transaction; the rows
    found there afterwards."""
    path = _path(database)
    for name in tables:
        if not IDENTIFIER.match(name):
            raise BackupRefused(f"The manifest names an unexpected table: {name!r}.")
    if path.exists():
        try:
            with (
                closing(sqlite3.connect(staged)) as source,
                closing(sqlite3.connect(path, timeout=60)) as target,
            ):
                source.backup(target)
        except sqlite3.DatabaseError as error:
            raise BackupError(
                f"The database could not be written into {path} ({error}); nothing was changed "
                "in it. Stop Birlik (web server and worker) and try again; if the file is "
                "damaged, move it away first."
            ) from None
        staged.unlink()
    else:
        # No database yet: the checked file becomes it. A journal left by an earlier database
        # of that name would be replayed onto it, so it goes first.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        staged.replace(path)
    found, _migrations = inspect(path)
    return found
