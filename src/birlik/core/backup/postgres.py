"""PostgreSQL (``DATABASE_URL``): ``pg_dump --format=custom`` in an exported snapshot, restored
by ``pg_restore`` through ``psql`` in one transaction.

Backup. A read-only REPEATABLE READ transaction exports its snapshot; ``pg_dump --snapshot``
dumps exactly that state while the same transaction counts the rows and reads the applied
migrations, so the manifest describes the dump even while the platform keeps writing.

Restore. ``pg_restore`` turns the archive into SQL that ``psql --single-transaction`` runs
after emptying the schema (``DROP SCHEMA … CASCADE``, so tables, functions or extensions of a
newer release cannot stay behind) and before a check of every table's rows against the
manifest. Any error, a wrong count, or ``pg_restore`` stopping early rolls the whole
transaction back: the database is either the backup's or what it was before.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

from .base import (
    CHUNK,
    IDENTIFIER,
    LIBPQ_ENV,
    BackupError,
    BackupRefused,
    Database,
    DatabaseDump,
)

MEMBER = "database/birlik.pgdump"
_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")

_TABLES_SQL = (
    "SELECT c.relname FROM pg_catalog.pg_class c "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
    "ORDER BY c.relname"
)


def tool(name: str) -> tuple[str, tuple[int, int]]:
    """The path and (major, minor) version of a PostgreSQL client program on PATH."""
    path = shutil.which(name)
    if path is None:
        raise BackupRefused(
            f"{name} was not found on PATH. Install the PostgreSQL client of the server's "
            "version (e.g. `apt-get install postgresql-client-15`) and put its bin directory "
            "on PATH."
        )
    try:
        output = subprocess.run(  # noqa: S603 - a program found on PATH, no shell
            [path, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise BackupError(f"{path} --version did not answer ({error}).") from None
    match = _VERSION.search(output)
    if match is None:
        raise BackupError(f"Cannot read the version of {path} from {output.strip()!r}.")
    return path, (int(match.group(1)), int(match.group(2) or 0))


def environment(database: Database) -> dict[str, str]:
    """The tools' environment: this process's, with the connection given as PG* variables."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, value in database.params.items():
        env[LIBPQ_ENV[key]] = value
    return env


def _connect(database: Database) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    try:
        return psycopg.connect(make_conninfo(**database.params), autocommit=True)
    except psycopg.OperationalError as error:
        reason = " ".join(str(error).split())
        raise BackupError(
            f"Cannot connect to {database.describe()}: {reason}. Create it first "
            "(e.g. `createdb NAME`) and check DATABASE_URL."
        ) from None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def dump(workdir: Path) -> DatabaseDump:
    """The database Django uses, dumped into ``workdir`` from one snapshot."""
    from django.db import connection, transaction

    pg_dump, (tool_major, _minor) = tool("pg_dump")
    database = Database.from_settings()
    path = workdir / "birlik.pgdump"
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute(
            "SELECT pg_catalog.pg_export_snapshot(), "
            "current_setting('server_version_num')::int, current_schema()"
        )
        snapshot, server_number, schema = cursor.fetchone()
        server_major = server_number // 10000
        if tool_major < server_major:
            raise BackupRefused(
                f"{pg_dump} is version {tool_major}, older than the PostgreSQL {server_major} "
                f"server: it cannot dump it. Install the PostgreSQL {server_major} client "
                f"(e.g. postgresql-client-{server_major}) and put it first on PATH."
            )
        if not IDENTIFIER.match(schema or ""):
            raise BackupError(f"Unexpected schema name {schema!r}.")
        with tempfile.TemporaryFile() as errors:
            result = subprocess.run(  # noqa: S603 - pg_dump found on PATH, no shell
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={path}",
                    "--no-password",
                ],
                env=environment(database),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {_tail(errors)}")
        cursor.execute(_TABLES_SQL, [schema])
        names = [name for (name,) in cursor.fetchall()]
        tables = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {_quoted(schema)}.{_quoted(name)}")  # noqa: S608 - quoted names from the catalogue
            tables[name] = cursor.fetchone()[0]
        migrations: dict[str, list[str]] = {}
        if "django_migrations" in tables:
            cursor.execute(f"SELECT app, name FROM {_quoted(schema)}.django_migrations ORDER BY id")  # noqa: S608 - a quoted schema name
            for app, name in cursor.fetchall():
                migrations.setdefault(app, []).append(name)
    return DatabaseDump(
        engine="postgresql",
        path=path,
        member=MEMBER,
        tables=tables,
        migrations=migrations,
        extra={
            "schema": schema,
            "server_version": server_major,
            "pg_dump_version": tool_major,
        },
    )


def _tail(handle: IO[bytes], limit: int = 2000) -> str:
    handle.seek(0)
    text = handle.read().decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return " ".join(lines[-6:])[-limit:] or "no message"


def holds_rows(database: Database, schema: str) -> str:
    """What makes the target not empty ("" when it is): tables of the schema with rows."""
    with _connect(database) as connection:
        names = [name for (name,) in connection.execute(_TABLES_SQL, [schema]).fetchall()]
        full = [
            name
            for name in names
            if connection.execute(
                f"SELECT 1 FROM {_quoted(schema)}.{_quoted(name)} LIMIT 1"  # noqa: S608 - quoted catalogue names
            ).fetchone()
        ]
    if not full:
        return ""
    return f"{len(full)} tables with rows in {database.describe()}"


def check_tools(dump_version: int) -> tuple[str, str]:
    """pg_restore and psql, able to read an archive of ``pg_dump`` ``dump_version``."""
    pg_restore, restore_version = tool("pg_restore")
    psql, psql_version = tool("psql")
    if restore_version[0] < dump_version:
        raise BackupRefused(
            f"The backup was made by pg_dump {dump_version}; {pg_restore} is version "
            f"{restore_version[0]} and cannot read it. Install the PostgreSQL {dump_version} "
            "client (or newer) and put it first on PATH."
        )
    if psql_version < restore_version:
        raise BackupRefused(
            f"{psql} ({'.'.join(map(str, psql_version))}) is older than {pg_restore} "
            f"({'.'.join(map(str, restore_version))}): use the psql of the same client package."
        )
    return pg_restore, psql


def _before(schema: str) -> str:
    return (
        "SET client_min_messages = warning;\n"
        f"DROP SCHEMA IF EXISTS {_quoted(schema)} CASCADE;\n"
        f"CREATE SCHEMA {_quoted(schema)};\n"
        # PostgreSQL 15's public schema belongs to the database's owner; keep it so when we
        # may (the restoring role owns the database), else it stays the restoring role's.
        + (
            "DO $birlik$ BEGIN ALTER SCHEMA public OWNER TO pg_database_owner; "
            "EXCEPTION WHEN others THEN NULL; END $birlik$;\n"
            "GRANT USAGE ON SCHEMA public TO PUBLIC;\n"
            if schema == "public"
            else ""
        )
    )


def _after(schema: str, tables: dict[str, int]) -> str:
    """A check that rolls the transaction back unless every table holds the manifest's rows
    (and no other table is there)."""
    lines = [
        "SET client_min_messages = warning;",
        "DO $birlik$ DECLARE counted bigint; strays text; BEGIN",
    ]
    for name, rows in sorted(tables.items()):
        lines.append(
            f"  SELECT count(*) INTO counted FROM {_quoted(schema)}.{_quoted(name)};\n"  # noqa: S608 - checked identifiers
            f"  IF counted <> {int(rows)} THEN RAISE EXCEPTION 'birlik-restore: table {name} "
            f"holds % rows, the manifest says {int(rows)}', counted; END IF;"
        )
    names = ", ".join(f"'{name}'" for name in sorted(tables)) or "''"
    lines.append(
        "  SELECT string_agg(c.relname, ', ') INTO strays FROM pg_catalog.pg_class c "  # noqa: S608 - checked identifiers
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname = '{schema}' AND c.relkind IN ('r', 'p') AND NOT c.relispartition "
        f"AND c.relname NOT IN ({names});\n"
        "  IF strays IS NOT NULL THEN RAISE EXCEPTION "
        "'birlik-restore: tables not in the manifest: %', strays; END IF;"
    )
    lines.append("END $birlik$;")
    return "\n".join(lines) + "\n"


def restore(staged: Path, database: Database, header: dict[str, Any]) -> dict[str, int]:
    """Restores the checked dump into ``database`` in one transaction; the rows counted in it
    before the commit (they are the manifest's, or nothing was committed)."""
    details = header["database"]
    schema = str(details.get("schema") or "public")
    tables: dict[str, int] = details["tables"]
    if not IDENTIFIER.match(schema) or not all(IDENTIFIER.match(name) for name in tables):
        raise BackupRefused("The manifest names an unexpected schema or table.")
    pg_restore, psql = check_tools(int(details.get("pg_dump_version") or 0))
    env = environment(database)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_errors:
        reader = subprocess.Popen(  # noqa: S603 - pg_restore found on PATH, no shell
            [pg_restore, "--no-owner", "--file=-", str(staged)],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        writer = subprocess.Popen(  # noqa: S603 - psql found on PATH, no shell
            [
                psql,
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--single-transaction",
                "--set=ON_ERROR_STOP=1",
                "--file=-",
            ],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_errors,
        )
        assert reader.stdout is not None and writer.stdin is not None  # noqa: S101 - PIPE given
        # psql commits when its input ends. Its input is closed only once all of it was given;
        # on any other way out (pg_restore failing, an interrupt) psql is killed first: the
        # session ends without COMMIT and PostgreSQL rolls the transaction back.
        given = False
        try:
            writer.stdin.write(_before(schema).encode())
            while chunk := reader.stdout.read(CHUNK):
                writer.stdin.write(chunk)
            if reader.wait() != 0:
                raise BackupError(
                    f"pg_restore failed; nothing was changed: {_tail(restore_errors)}"
                )
            writer.stdin.write(_after(schema, tables).encode())
            given = True
        except BrokenPipeError:
            pass  # psql stopped on an error (and rolled back): its message is read below
        finally:
            if not given and writer.poll() is None:
                writer.kill()
                writer.wait()
            if reader.poll() is None:
                reader.kill()
                reader.wait()
            reader.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                writer.stdin.close()
        if writer.wait() != 0:
            message = _tail(psql_errors)
            if "birlik-restore:" in message:
                message = message[message.index("birlik-restore:") + len("birlik-restore:") :]
                raise BackupRefused(f"The restored database does not match the manifest:{message}")
            raise BackupError(f"psql failed; nothing was changed: {message}")
    with _connect(database) as connection:
        connection.execute("ANALYZE")  # fresh planner statistics (pg_restore leaves none)
    return dict(tables)
