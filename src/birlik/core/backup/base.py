"""What the parts of a backup share: errors, the database to read or restore, hashing copies."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

CHUNK = 1 << 20  # files are streamed a MiB at a time: memory stays flat whatever their size

Engine = Literal["sqlite", "postgresql"]
ENGINES: dict[str, Engine] = {"sqlite": "sqlite", "postgresql": "postgresql"}

# Table, schema and migration names the archive may name. Anything else is refused: the names
# end up in SQL (row counts) and in messages.
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
MIGRATION_NAME = re.compile(r"^[A-Za-z0-9_]{1,200}$")

_FINGERPRINT_LABEL = b"birlik-backup/personal-data-key/v1"
_SECRET_LABEL = b"birlik-backup/secret-key/v1"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says what to do. Exit code 1."""

    exit_code = 1


class BackupRefused(BackupError):
    """Refused before anything was changed (wrong key, other engine, damaged archive…).
    Exit code 2."""

    exit_code = 2


def key_fingerprint(key: str, *, label: bytes = _FINGERPRINT_LABEL) -> str:
    """Tells whether two environments hold the same key without storing it: an HMAC of a fixed
    label under the key, 16 hex digits."""
    return hmac.new(key.encode(), label, hashlib.sha256).hexdigest()[:16]


def secret_fingerprint(key: str) -> str:
    return key_fingerprint(key, label=_SECRET_LABEL)


def copy_hashing(source: IO[bytes], target: IO[bytes] | None, *, size: int | None = None) -> Hashed:
    """Copies ``source`` to ``target`` (or only reads it) in chunks; its sha256 and size."""
    digest = hashlib.sha256()
    total = 0
    while size is None or total < size:
        chunk = source.read(CHUNK if size is None else min(CHUNK, size - total))
        if not chunk:
            break
        digest.update(chunk)
        if target is not None:
            target.write(chunk)
        total += len(chunk)
    return Hashed(sha256=digest.hexdigest(), size=total)


@dataclass(frozen=True)
class Hashed:
    sha256: str
    size: int

    def as_json(self) -> dict[str, Any]:
        return {"sha256": self.sha256, "size": self.size}


class HashingReader:
    """A file handle that hashes what ``tarfile`` reads from it (one read per file)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk

    def hashed(self) -> Hashed:
        return Hashed(sha256=self.digest.hexdigest(), size=self.size)


@dataclass(frozen=True)
class Database:
    """A database to back up or restore into: a SQLite file, or a PostgreSQL database named by
    libpq parameters (``dbname``, ``host``, ``port``, ``user``, ``password``, ``sslmode``…)."""

    engine: Engine
    path: Path | None = None
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def sqlite(cls, path: Path | str) -> Database:
        return cls(engine="sqlite", path=Path(path).resolve())

    @classmethod
    def postgresql(cls, **params: str) -> Database:
        return cls(engine="postgresql", params={k: v for k, v in params.items() if v})

    @classmethod
    def from_settings(cls, alias: str = "default") -> Database:
        """The database Django uses (``DATABASE_URL``, else the SQLite file in the data dir)."""
        from django.db import connections

        connection = connections[alias]
        options = connection.settings_dict
        if connection.vendor == "sqlite":
            name = str(options["NAME"])
            if name == ":memory:" or "mode=memory" in name:
                raise BackupRefused(
                    "The database is in memory; a backup can only be restored into a file."
                )
            return cls.sqlite(name)
        if connection.vendor == "postgresql":
            params = {
                "dbname": str(options.get("NAME") or ""),
                "host": str(options.get("HOST") or ""),
                "port": str(options.get("PORT") or ""),
                "user": str(options.get("USER") or ""),
                "password": str(options.get("PASSWORD") or ""),
            }
            for key, value in (options.get("OPTIONS") or {}).items():
                if key in LIBPQ_ENV and value not in (None, ""):
                    params[key] = str(value)
            return cls.postgresql(**params)
        raise BackupError(
            f"Backups support SQLite and PostgreSQL; this database is {connection.vendor}."
        )

    def describe(self) -> str:
        if self.engine == "sqlite":
            return f"the SQLite database {self.path}"
        where = self.params.get("host") or "the local server"
        return f"the PostgreSQL database {self.params.get('dbname', '?')!r} on {where}"


# libpq connection parameters and the environment variables the PostgreSQL tools read them
# from: the password goes through the environment, never the command line (`ps` shows that).
LIBPQ_ENV = {
    "dbname": "PGDATABASE",
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslpassword": "PGSSLPASSWORD",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


@dataclass(frozen=True)
class DatabaseDump:
    """A consistent copy of the database in a local file, with what it holds."""

    engine: Engine
    path: Path
    member: str  # its name in the archive
    tables: dict[str, int]  # rows per table, counted in the copy's own snapshot
    migrations: dict[str, list[str]]  # app -> applied migrations, in the order applied
    extra: dict[str, Any] = field(default_factory=dict)  # engine details (schema, versions)
