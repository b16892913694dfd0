"""``birlik backup`` / ``birlik restore``: the database, the uploads and the private files in one
``.tar.gz``, checked file by file, restored all or nothing.

The archive, in order:

* ``header.json`` — what a restore must check before it writes anything: format, Birlik's
  version, the database engine, the applied migrations, rows per table, the dump's sha256, and
  fingerprints of ``PERSONAL_DATA_KEY`` and ``SECRET_KEY`` (HMACs of a fixed label; the keys
  themselves are never written);
* ``database/…`` — a consistent copy of the database (see ``sqlite`` and ``postgres``);
* ``files/<section>/…`` — every regular file of the directories in ``files.SECTIONS``;
* ``manifest.json`` — the header again plus the sha256 and size of every file. It comes last
  so that each file is read once, streamed (memory stays flat), and a file deleted while the
  backup runs is simply not listed.

A restore reads the header, refuses (exit code 2) a backup made with another personal-data
key, of another engine, from newer code, or into a database that is not empty without
``force``; then streams the archive into staging places beside the targets (refusing a member
that would land outside them), checks every checksum and the rows, and only then replaces the
database (in one transaction) and the directories (by renames).
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import secrets
import shutil
import stat
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from . import postgres, sqlite
from .base import (
    ENGINES,
    IDENTIFIER,
    MIGRATION_NAME,
    BackupError,
    BackupRefused,
    Database,
    DatabaseDump,
    Hashed,
    HashingReader,
    copy_hashing,
    key_fingerprint,
    secret_fingerprint,
)
from .files import (
    SECTIONS,
    Locations,
    Staging,
    check_apart,
    has_files,
    make_dirs,
    member_parts,
    remove_empty,
    walk,
)

__all__ = [
    "BackupError",
    "BackupRefused",
    "BackupResult",
    "Database",
    "Locations",
    "RestoreResult",
    "backup_create",
    "backup_restore",
    "key_fingerprint",
]

KIND = "birlik-backup"
FORMAT = 1
HEADER = "header.json"
MANIFEST = "manifest.json"
HEADER_MAX_BYTES = 4 << 20
MANIFEST_MAX_BYTES = 512 << 20
MEMBERS = {"sqlite": sqlite.MEMBER, "postgresql": postgres.MEMBER}
README_SECTION = 'the README\'s "Backup and restore"'


# --- Results -------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    tables: int
    rows: int
    files: int
    files_size: int

    def summary(self) -> str:
        return (
            f"Birlik: backup written to {self.path} ({_megabytes(self.size)}): "
            f"{self.tables} tables, {self.rows:,} rows; "
            f"{self.files} files ({_megabytes(self.files_size)})."
        )


@dataclass
class RestoreResult:
    archive: Path
    created_at: str
    birlik_version: str
    engine: str
    tables: int
    rows: int
    files: dict[str, int]  # section -> files restored
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        sections = ", ".join(f"{name} {count}" for name, count in self.files.items())
        return [
            f"Birlik: restored {self.archive} (made {self.created_at} by Birlik "
            f"{self.birlik_version}, {self.engine}).",
            f"  Database: {self.tables} tables, {self.rows:,} rows, as in the manifest.",
            f"  Files: {sum(self.files.values())} ({sections}), checksums as in the manifest.",
            *(f"  Note: {note}" for note in self.notes),
        ]


# --- Backup --------------------------------------------------------------------------------


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("birlik")
    except PackageNotFoundError:
        return "unknown"


def _output_path(output: Path | None, now: datetime) -> Path:
    name = f"birlik-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    if output is None:
        return Path.cwd() / name
    output = output.expanduser()
    return (output / name if output.is_dir() else output).absolute()


def _json_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=True, indent=1, sort_keys=True).encode() + b"\n"


def _forget_members(tar: tarfile.TarFile) -> None:
    """Each member is written or read once, in order; tarfile would keep them all in a list
    (a million uploads: hundreds of MB), which nothing here needs."""
    tar.members.clear()  # type: ignore[attr-defined]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, _BytesReader(data))


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.offset + size
        chunk = bytes(self.data[self.offset : end])
        self.offset += len(chunk)
        return chunk


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> Hashed | None:
    """Adds one file, read once and hashed as it goes; None if it is gone or not a file."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None  # deleted since the directory was listed
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None  # replaced by a symbolic link since: links are not kept
        raise BackupError(f"{path} cannot be read ({error.strerror}).") from None
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None
        info = tarfile.TarInfo(name)
        info.size = status.st_size
        info.mtime = int(status.st_mtime)
        info.mode = status.st_mode & 0o666
        reader = HashingReader(handle)
        try:
            tar.addfile(info, reader)
        except OSError as error:
            if reader.size < info.size:
                raise BackupError(
                    f"{path} became shorter while it was read; run the backup again."
                ) from None
            raise BackupError(f"The archive could not be written: {error}.") from None
    return reader.hashed()


def _dump(workdir: Path) -> DatabaseDump:
    from django.db import connection

    if connection.vendor == "sqlite":
        return sqlite.dump(workdir)
    if connection.vendor == "postgresql":
        return postgres.dump(workdir)
    raise BackupError(
        f"Backups support SQLite and PostgreSQL; this database is {connection.vendor}."
    )


def _skipped(locations: Locations, *extra: Path) -> set[Path]:
    """Paths no section may carry: the keys, the SQLite files, our own files in progress."""
    from django.db import connection

    skip = {path.resolve() for path in (*locations.key_files(), *extra)}
    skip.update(locations.sections().values())  # a section nested in another is its own
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"])).resolve()
        skip.update(Path(f"{name}{suffix}") for suffix in ("", "-wal", "-shm", "-journal"))
    return skip


def backup_create(
    *,
    output: Path | None = None,
    locations: Locations | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Writes one archive of the database and the file directories; never the keys. The
    archive appears under its name only once complete (mode 600: it holds personal data)."""
    from django.conf import settings

    locations = locations or Locations.from_settings()
    now = now or datetime.now(UTC)
    target = _output_path(output, now)
    if target.exists():
        raise BackupRefused(f"{target} exists already; choose another --output.")
    target.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=".birlik-backup-", dir=target.parent))
    partial = workdir / "archive.partial"
    try:
        dump = _dump(workdir)
        if not dump.migrations:
            raise BackupRefused(
                "The database has no applied migrations: nothing to back up (run `birlik migrate`)."
            )
        with dump.path.open("rb") as handle:
            dumped = copy_hashing(handle, None)
        header = {
            "kind": KIND,
            "format": FORMAT,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "birlik_version": _version(),
            "engine": dump.engine,
            "personal_data_key_fingerprint": key_fingerprint(settings.PERSONAL_DATA_KEY),
            "secret_key_fingerprint": secret_fingerprint(settings.SECRET_KEY),
            "migrations": {app: names[-1] for app, names in sorted(dump.migrations.items())},
            "migrations_applied": dump.migrations,
            "database": {
                "member": dump.member,
                **dumped.as_json(),
                "tables": dump.tables,
                "rows": sum(dump.tables.values()),
                **dump.extra,
            },
            "sections": list(SECTIONS),
        }
        skip = _skipped(locations, workdir, target)
        files: dict[str, dict[str, Any]] = {}
        stamp = now.timestamp()
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(
                fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT
            ) as tar,
        ):
            _add_bytes(tar, HEADER, _json_bytes(header), stamp)
            added = _add_file(tar, dump.member, dump.path)
            if added != dumped:
                raise BackupError("The database copy changed while it was archived.")
            for section, root in locations.sections().items():
                for path, relative in walk(root, skip=skip):
                    name = f"files/{section}/{relative}"
                    hashed = _add_file(tar, name, path)
                    if hashed is not None:
                        files[name] = hashed.as_json()
                    _forget_members(tar)
            _add_bytes(tar, MANIFEST, _json_bytes({**header, "files": files}), stamp)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        partial.replace(target)
    except OSError as error:
        raise BackupError(f"The backup could not be written: {error}.") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return BackupResult(
        path=target,
        size=target.stat().st_size,
        tables=len(dump.tables),
        rows=sum(dump.tables.values()),
        files=len(files),
        files_size=sum(int(entry["size"]) for entry in files.values()),
    )


# --- Restore -------------------------------------------------------------------------------


def _damaged(reason: str) -> BackupRefused:
    return BackupRefused(f"The archive is not a usable Birlik backup: {reason}.")


def _read_json(source: IO[bytes] | None, size: int, limit: int, name: str) -> dict[str, Any]:
    if source is None or size > limit:
        raise _damaged(f"{name} is missing or too large")
    try:
        document = json.loads(source.read(size))
    except ValueError:
        raise _damaged(f"{name} is not valid JSON") from None
    if not isinstance(document, dict):
        raise _damaged(f"{name} is not a JSON object")
    return document


def _check_header(header: dict[str, Any]) -> None:
    """The header's shape: refused unless every field a restore relies on is what it should."""
    if header.get("kind") != KIND:
        raise _damaged("its header is not a Birlik backup's")
    if header.get("format") != FORMAT:
        raise BackupRefused(
            f"The archive has format {header.get('format')!r}; this Birlik reads format "
            f"{FORMAT}. Restore it with the Birlik version that made it "
            f"({header.get('birlik_version', 'unknown')})."
        )
    database = header.get("database")
    applied = header.get("migrations_applied")
    ok = (
        header.get("engine") in ENGINES
        and isinstance(header.get("personal_data_key_fingerprint"), str)
        and isinstance(header.get("secret_key_fingerprint"), str)
        and isinstance(header.get("created_at"), str)
        and isinstance(applied, dict)
        and all(
            isinstance(app, str)
            and IDENTIFIER.match(app)
            and isinstance(names, list)
            and all(isinstance(n, str) and MIGRATION_NAME.match(n) for n in names)
            for app, names in applied.items()
        )
        and isinstance(database, dict)
        and database.get("member") == MEMBERS.get(str(header.get("engine")))
        and isinstance(database.get("sha256"), str)
        and isinstance(database.get("size"), int)
        and isinstance(database.get("tables"), dict)
        and all(
            isinstance(name, str) and IDENTIFIER.match(name) and isinstance(rows, int)
            for name, rows in database["tables"].items()
        )
        and isinstance(header.get("sections"), list)
        and all(section in SECTIONS for section in header["sections"])
    )
    if not ok:
        raise _damaged("its header is incomplete")


def _check_key(header: dict[str, Any]) -> None:
    from django.conf import settings

    ours = key_fingerprint(settings.PERSONAL_DATA_KEY)
    theirs = header["personal_data_key_fingerprint"]
    if ours != theirs:
        where = (
            ""
            if os.environ.get("PERSONAL_DATA_KEY", "").strip()
            else f" (without it in the environment, Birlik reads the key from "
            f"{Path(settings.DATA_DIR) / 'personal_data_key'}: put the old key there)"
        )
        raise BackupRefused(
            f"The backup was made with another PERSONAL_DATA_KEY (fingerprint {theirs}; this "
            f"environment's is {ours}): restoring would leave the IINs unmatchable: set "
            f"PERSONAL_DATA_KEY to the key the backup was made with{where}, then restore again."
        )


def _check_engine(header: dict[str, Any], database: Database) -> None:
    if header["engine"] == database.engine:
        return
    if header["engine"] == "sqlite":
        raise BackupRefused(
            "This backup holds a SQLite database (the embedded default) and this environment "
            "uses PostgreSQL (DATABASE_URL). Restore it into an embedded data directory first "
            "(DATABASE_URL unset, BIRLIK_DATA_DIR set), then move the data with `birlik "
            f"dumpdata` and `birlik loaddata` as {README_SECTION} describes."
        )
    raise BackupRefused(
        "This backup holds a PostgreSQL database and this environment uses the embedded "
        "SQLite database. Set DATABASE_URL to an empty PostgreSQL database and restore there "
        f"(to move to SQLite, see {README_SECTION})."
    )


def _migration_state(applied: dict[str, list[str]]) -> tuple[list[str], int]:
    """Migrations of the backup this code does not know (a newer release made it), and how
    many of this code's migrations the backup has not applied."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known: set[tuple[str, str]] = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((str(app), str(name)) for app, name in migration.replaces)
    done = {(app, name) for app, names in applied.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in done - known)
    pending = 0
    for key in loader.graph.nodes:
        node = loader.disk_migrations.get(key)
        replaces = {(str(app), str(name)) for app, name in (node.replaces if node else [])}
        if key not in done and not (replaces and replaces <= done):
            pending += 1
    return unknown, pending


def _check_migrations(header: dict[str, Any]) -> int:
    unknown, pending = _migration_state(header["migrations_applied"])
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupRefused(
            f"The backup comes from newer code: its migrations {shown} are not in this Birlik "
            f"({_version()}). Install the release the backup was made with "
            f"({header.get('birlik_version', 'unknown')}) or a newer one, then restore."
        )
    return pending


def _check_empty(header: dict[str, Any], database: Database, locations: Locations) -> None:
    if database.engine == "sqlite":
        found = [sqlite.holds_rows(database)]
    else:
        schema = str(header["database"].get("schema") or "public")
        found = [postgres.holds_rows(database, schema)]
    sections = locations.sections()
    found.extend(
        f"files in {sections[name]}" for name in header["sections"] if has_files(sections[name])
    )
    found = [item for item in found if item]
    if found:
        raise BackupRefused(
            f"The target is not empty ({'; '.join(found)}). A restore replaces all of it: back "
            "it up first if it may be needed, then run the restore again with --force."
        )


class _Restore:
    """One restore: the staging places, filled from the archive in one pass."""

    def __init__(self, database: Database, header: dict[str, Any]) -> None:
        self.database = database
        self.header = header
        self.token = secrets.token_hex(4)
        self.stagings: dict[str, Staging] = {}
        self.dump_dir: Path | None = None
        self.dump_path: Path | None = None
        self.dump_hashed: Hashed | None = None
        self.created: list[Path] = []  # directories made here, removed again if still empty
        self.notes: list[str] = []

    def prepare(self, locations: Locations) -> None:
        """The staging places (discard() removes them, also when this stops half-way)."""
        sections = locations.sections()
        if self.database.engine == "sqlite":
            self.dump_path, self.created = sqlite.staging_file(self.database, self.token)
        else:
            self.created = make_dirs(locations.data_dir)
            self.dump_dir = Path(
                tempfile.mkdtemp(prefix=".birlik-restore-", dir=locations.data_dir)
            )
            self.dump_path = self.dump_dir / "birlik.pgdump"
        for name in self.header["sections"]:
            self.stagings[name] = Staging(name, sections[name])
            self.created.extend(self.stagings[name].created)

    def take(self, member: tarfile.TarInfo, source: IO[bytes] | None) -> None:
        parts = member_parts(member.name)
        if member.isdir():
            return
        if not member.isreg() or source is None:
            raise BackupRefused(
                f"The archive holds {member.name!r}, which is not a regular file (a link or a "
                "device); a restore writes regular files only."
            )
        if member.name == self.header["database"]["member"] and self.dump_path is not None:
            if self.dump_hashed is not None:
                raise _damaged("it holds the database twice")
            descriptor = os.open(self.dump_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                self.dump_hashed = copy_hashing(source, handle, size=member.size)
            if self.dump_hashed.size != member.size:
                raise _damaged("it ends in the middle of the database")
            return
        if len(parts) >= 3 and parts[0] == "files" and parts[1] in self.stagings:
            self.stagings[parts[1]].write(parts[2:], source, member.size, member.mode)
            return
        raise BackupRefused(f"The archive holds an unexpected member: {member.name!r}.")

    def check(self, manifest: dict[str, Any]) -> None:
        """Everything staged is what the manifest lists, byte for byte."""
        listed = manifest.get("files")
        if {k: v for k, v in manifest.items() if k != "files"} != self.header or not isinstance(
            listed, dict
        ):
            raise _damaged("its manifest does not match its header")
        database = self.header["database"]
        if self.dump_hashed is None:
            raise _damaged("the database is missing")
        if self.dump_hashed.as_json() != {"sha256": database["sha256"], "size": database["size"]}:
            raise BackupRefused(
                f"The checksum of {database['member']} does not match the manifest: the archive "
                "is damaged."
            )
        staged = {
            f"files/{section}/{relative}": hashed.as_json()
            for section, staging in self.stagings.items()
            for relative, hashed in staging.files.items()
        }
        wrong = sorted(name for name in staged if listed.get(name) != staged[name])
        missing = sorted(set(listed) - set(staged))
        if wrong:
            shown = ", ".join(wrong[:5]) + (" …" if len(wrong) > 5 else "")
            raise BackupRefused(
                f"The checksum of {shown} does not match the manifest: the archive is damaged."
            )
        if missing:
            shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
            raise BackupRefused(f"The archive lacks {shown}, which its manifest lists.")

    def commit(self) -> dict[str, int]:
        """The database, then the directories. The rows are counted before the switch."""
        tables: dict[str, int] = self.header["database"]["tables"]
        if self.dump_path is None:
            raise _damaged("the database is missing")
        if self.database.engine == "sqlite":
            sqlite.check(self.dump_path, tables)
            found = sqlite.restore(self.dump_path, self.database, tables)
            if found != tables:  # the checked copy went in whole; someone wrote since
                changed = sorted(name for name in tables if found.get(name) != tables[name])
                self.notes.append(
                    f"rows changed right after the restore ({', '.join(changed[:5])}): "
                    "Birlik seems to be running; stop it before restoring."
                )
                found = dict(tables)
        else:
            found = postgres.restore(self.dump_path, self.database, self.header)
        try:
            for staging in self.stagings.values():
                staging.swap()
        except OSError as error:
            raise BackupError(
                f"The database was restored, but the files could not all be put in place "
                f"({error}). Run the restore again with --force once the cause is fixed."
            ) from None
        for staging in self.stagings.values():
            staging.check_in_place()
        return found

    def discard(self) -> None:
        for staging in self.stagings.values():
            staging.discard()
        if self.dump_dir is not None:
            shutil.rmtree(self.dump_dir, ignore_errors=True)
        elif self.dump_path is not None:
            self.dump_path.unlink(missing_ok=True)
        remove_empty(self.created)


def _protected(database: Database, locations: Locations) -> list[Path]:
    paths = locations.key_files()
    if database.path is not None:
        paths.append(database.path)
    return paths


def backup_restore(
    *,
    archive: Path,
    force: bool = False,
    database: Database | None = None,
    locations: Locations | None = None,
) -> RestoreResult:
    """Restores an archive of ``backup_create`` into this environment's database and
    directories (or the given ones); all of it or, on any refusal or failure, nothing."""
    from django.conf import settings

    configured = database is None
    database = database or Database.from_settings()
    locations = locations or Locations.from_settings()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupRefused(f"{archive} is not a file.")
    check_apart(locations, _protected(database, locations))
    restore: _Restore | None = None
    try:
        with tarfile.open(archive, mode="r|gz") as tar:
            first = tar.next()
            if first is None or first.name != HEADER or not first.isreg():
                raise _damaged(f"it does not start with {HEADER}")
            header = _read_json(tar.extractfile(first), first.size, HEADER_MAX_BYTES, HEADER)
            _check_header(header)
            _check_key(header)
            _check_engine(header, database)
            pending = _check_migrations(header)
            if database.engine == "postgresql":
                postgres.check_tools(int(header["database"].get("pg_dump_version") or 0))
            if not force:
                _check_empty(header, database, locations)
            restore = _Restore(database, header)
            restore.prepare(locations)
            manifest: dict[str, Any] | None = None
            while (member := tar.next()) is not None:
                _forget_members(tar)
                if manifest is not None:
                    raise _damaged(f"{member.name!r} follows the manifest")
                if member.name == MANIFEST:
                    source = tar.extractfile(member)
                    manifest = _read_json(source, member.size, MANIFEST_MAX_BYTES, MANIFEST)
                    continue
                restore.take(member, tar.extractfile(member) if member.isreg() else None)
        if manifest is None:
            raise _damaged(f"{MANIFEST} is missing at its end (an interrupted copy?)")
        restore.check(manifest)
        found = restore.commit()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise _damaged(f"it is damaged or truncated ({error})") from None
    except OSError as error:
        raise BackupError(f"The restore could not be completed: {error}.") from None
    finally:
        if restore is not None:
            restore.discard()
    notes = list(restore.notes)
    if pending:
        notes.append(
            f"{pending} migrations of this Birlik are newer than the backup: run `birlik migrate`."
        )
    if header["secret_key_fingerprint"] != secret_fingerprint(settings.SECRET_KEY):
        notes.append(
            "SECRET_KEY differs from the backup's: users sign in again, and links signed before "
            "(e.g. in e-mails) no longer open."
        )
    if configured:
        notes.extend(_after_restore())
    return RestoreResult(
        archive=archive,
        created_at=str(header["created_at"]),
        birlik_version=str(header.get("birlik_version", "unknown")),
        engine=str(header["engine"]),
        tables=len(found),
        rows=sum(found.values()),
        files={name: len(staging.files) for name, staging in restore.stagings.items()},
        notes=notes,
    )


def _after_restore() -> list[str]:
    """Figures cached from the database before the restore (e.g. in Redis) are recomputed."""
    from django.db import connections

    from birlik.core import kpi

    connections.close_all()
    try:
        kpi.invalidate()
    except Exception as error:  # noqa: BLE001 - the restore is done; a cache outage must not undo that report
        return [f"cached figures could not be reset ({error}); they refresh within minutes."]
    return []
