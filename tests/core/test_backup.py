"""`birlik backup` / `birlik restore`: a small demo goes into one archive and comes back into a
fresh database and data directory with the same rows in every table and the same bytes in
every file; what a restore refuses, it refuses before writing anything.

The demo is seeded once for the module, committed (pg_dump sees only committed rows), backed
up, and the suite's database emptied again at once (as a transactional test does). Restores go
into a SQLite file under tmp_path, or on PostgreSQL into a scratch database of this process
(``birlik_backup_test_<pid>``), created and dropped here; the suite's own is only read.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import sqlite3
import stat
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from birlik.cli import main
from birlik.core.backup import (
    BackupError,
    BackupRefused,
    Database,
    Locations,
    backup_create,
    backup_restore,
    key_fingerprint,
)
from birlik.demo.services import demo_seed

SCALE = 0.005
SEED = 2025
ON_POSTGRES = connection.vendor == "postgresql"
SECTIONS = ("media", "private", "documents", "monitoring-models")


@dataclass(frozen=True)
class Source:
    archive: Path
    rows: dict[str, int]  # rows per table when the backup was made
    files: dict[str, str]  # "section/relative path" -> sha256
    root: Path


@dataclass(frozen=True)
class Target:
    database: Database
    locations: Locations


# --- What the test reads itself (not through the code under test) -----------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _checksums(locations: Locations) -> dict[str, str]:
    """Every regular file of the four directories, by section, with its sha256."""
    found = {}
    for section, root in locations.sections().items():
        for directory, _dirs, names in os.walk(root):
            for name in names:
                path = Path(directory) / name
                if stat.S_ISREG(path.lstat().st_mode):
                    found[f"{section}/{path.relative_to(root).as_posix()}"] = _sha256(path)
    return found


def _rows_of_the_suite_database() -> dict[str, int]:
    with connection.cursor() as cursor:
        names = [
            name
            for name in connection.introspection.table_names(cursor)
            if not name.startswith("sqlite_")
        ]
        rows = {}
        for name in names:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            rows[name] = cursor.fetchone()[0]
    return rows


def _postgres_params(**changes: str) -> dict[str, str]:
    return {**Database.from_settings().params, **changes}


def _postgres(dbname: str) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    return psycopg.connect(make_conninfo(**_postgres_params(dbname=dbname)), autocommit=True)


def _rows_in(database: Database) -> dict[str, int]:
    if database.engine == "sqlite":
        assert database.path is not None
        if not database.path.exists():
            return {}
        with sqlite3.connect(database.path) as handle:
            names = [
                name
                for (name,) in handle.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                    " AND name NOT LIKE 'sqlite%'"
                )
            ]
            return {
                name: handle.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
                for name in names
            }
    with _postgres(database.params["dbname"]) as handle:
        names = [
            name
            for (name,) in handle.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        ]
        return {
            name: handle.execute(f'SELECT count(*) FROM public."{name}"').fetchone()[0]  # noqa: S608
            for name in names
        }


def _load_catalogues() -> None:
    """The migrated catalogues, as after a transactional test's flush (tests/conftest.py)."""
    from birlik.appeals.loader import load_state_bodies
    from birlik.appeals.models import StateBody
    from birlik.events.loader import load_catalogues
    from birlik.events.models import Audience, Programme
    from birlik.geo.loader import load_territory
    from birlik.geo.models import District, Region
    from birlik.registry.loader import load_ethnic_groups, load_kinds
    from birlik.registry.models import EthnicGroup, OrganisationKind

    if not District.objects.exists():
        load_territory(Region, District)
    if not OrganisationKind.objects.exists():
        load_kinds(OrganisationKind)
    if not EthnicGroup.objects.exists():
        load_ethnic_groups(EthnicGroup)
    if not Programme.objects.exists():
        load_catalogues(Programme, Audience)
    if not StateBody.objects.exists():
        load_state_bodies(StateBody, Region, District)


def _files_beside_the_demo(root: Path) -> None:
    """A file in each directory the demo leaves empty, a Cyrillic name, and the embedded
    default's key files with a link to one of them from the uploads."""
    (root / "documents" / "reports" / "1").mkdir(parents=True)
    (root / "documents" / "reports" / "1" / "annual-2025.pdf").write_bytes(b"%PDF-1.7 annual")
    (root / "monitoring" / "models").mkdir(parents=True)
    (root / "monitoring" / "models" / "v1.npz").write_bytes(os.urandom(4096))
    (root / "media" / "events" / "2025").mkdir(parents=True, exist_ok=True)
    (root / "media" / "events" / "2025" / "Есеп-қаңтар.pdf").write_bytes(b"%PDF-1.4 report")
    (root / "private" / "charity" / "2025").mkdir(parents=True, exist_ok=True)
    (root / "private" / "charity" / "2025" / "proof.pdf").write_bytes(b"%PDF-1.4 proof")
    (root / "personal_data_key").write_text(settings.PERSONAL_DATA_KEY)
    (root / "secret_key").write_text(settings.SECRET_KEY)
    (root / "media" / "key-link").symlink_to(root / "personal_data_key")


# --- Fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def source(request, django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Source]:
    """The demo committed (pg_dump reads only committed rows), backed up, and the suite's
    database emptied again, as a transactional test leaves it: the tests using this fixture
    touch no database of Django's, so pytest-django runs them after every test that does, and
    the next transactional test loads the catalogues again (tests/conftest.py)."""
    if not any(item.get_closest_marker("django_db") for item in request.session.items):
        pytest.fail(
            "pytest-django creates the test database only when a selected test uses it: "
            "select the command test of this module too (it is marked django_db)."
        )
    root = tmp_path_factory.mktemp("source-data")
    archives = tmp_path_factory.mktemp("archives")
    with django_db_blocker.unblock():
        try:
            _load_catalogues()
            with override_settings(
                DATA_DIR=root,
                MEDIA_ROOT=root / "media",
                BIRLIK_DOCUMENTS_DIR="",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ):
                with transaction.atomic():
                    assert demo_seed(scale=SCALE, seed=SEED) is True
                _files_beside_the_demo(root)
                rows = _rows_of_the_suite_database()
                files = _checksums(Locations.from_settings())
                result = backup_create(output=archives)
        finally:
            call_command("flush", verbosity=0, interactive=False)
    yield Source(archive=result.path, rows=rows, files=files, root=root)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Callable[[], str]]:
    """On PostgreSQL, new scratch databases of this process (never the suite's), all dropped
    at the end of the module (dropping one waits for a checkpoint: once, not per test)."""
    made: list[str] = []

    def make() -> str:
        name = f"birlik_backup_test_{os.getpid()}_{len(made)}"
        with _postgres("postgres") as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return name

    yield make
    if made:
        with _postgres("postgres") as admin:
            for name in made:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def target(tmp_path, scratch) -> Target:
    """An empty database and data directory to restore into."""
    locations = Locations.under(tmp_path / "data")
    if not ON_POSTGRES:
        return Target(Database.sqlite(locations.data_dir / "birlik.sqlite3"), locations)
    return Target(Database.postgresql(**_postgres_params(dbname=scratch())), locations)


def _untouched(target: Target) -> None:
    """Nothing of a refused restore is left: no database written, no directory, no staging."""
    assert _rows_in(target.database) == {}
    data_dir = target.locations.data_dir
    assert not data_dir.exists() or sorted(p.name for p in data_dir.iterdir()) == []


def _rewrite(
    archive: Path, out: Path, change: Callable[[list[tuple[tarfile.TarInfo, bytes]]], None]
) -> Path:
    """A copy of a (small) archive with its members changed by ``change``."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [
            (member, tar.extractfile(member).read() if member.isreg() else b"")  # type: ignore[union-attr]
            for member in tar.getmembers()
        ]
    change(members)
    with tarfile.open(out, "w:gz", compresslevel=1, format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            member.size = len(data) if member.isreg() else 0
            tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    return out


def _edit_header(archive: Path, out: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    def change(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        for index, (member, data) in enumerate(members):
            if member.name in ("header.json", "manifest.json"):
                document = json.loads(data)
                edit(document)
                members[index] = (member, json.dumps(document).encode())

    return _rewrite(archive, out, change)


# --- Round trip --------------------------------------------------------------------------------


def test_a_restored_backup_has_every_table_s_rows_and_every_file_s_bytes(source, target):
    assert {key.split("/")[0] for key in source.files} == set(SECTIONS)
    assert sum(source.rows.values()) > 1000

    result = backup_restore(
        archive=source.archive, database=target.database, locations=target.locations
    )

    assert _rows_in(target.database) == source.rows
    assert _checksums(target.locations) == source.files
    assert result.tables == len(source.rows)
    assert result.rows == sum(source.rows.values())
    assert sum(result.files.values()) == len(source.files)
    assert "as in the manifest" in "\n".join(result.lines())
    leftovers = [p.name for p in target.locations.data_dir.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_the_manifest_lists_rows_and_checksums_and_the_archive_never_holds_the_keys(source):
    with tarfile.open(source.archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]

    assert names[0] == "header.json" and names[-1] == "manifest.json"
    assert manifest["format"] == 1
    assert manifest["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert manifest["birlik_version"]
    assert manifest["created_at"].endswith("Z")
    assert manifest["migrations"]["appeals"] == manifest["migrations_applied"]["appeals"][-1]
    assert manifest["database"]["tables"] == source.rows
    listed = {
        name.removeprefix("files/"): entry["sha256"] for name, entry in manifest["files"].items()
    }
    assert listed == source.files
    assert manifest["personal_data_key_fingerprint"] == key_fingerprint(settings.PERSONAL_DATA_KEY)
    assert len(manifest["personal_data_key_fingerprint"]) == 16
    assert "files/media/key-link" not in names  # links are not followed, not kept

    packed = source.archive.read_bytes()
    unpacked = gzip.decompress(packed)
    for key in (settings.PERSONAL_DATA_KEY, settings.SECRET_KEY):
        assert key.encode() not in unpacked
        assert key.encode() not in packed
    assert stat.S_IMODE(source.archive.stat().st_mode) == 0o600


def test_a_database_with_rows_is_replaced_only_with_force(source, target, monkeypatch):
    if ON_POSTGRES:
        with _postgres(target.database.params["dbname"]) as handle:
            handle.execute("CREATE TABLE leftover (id int)")
            handle.execute("INSERT INTO leftover VALUES (1)")
    else:
        assert target.database.path is not None
        target.database.path.parent.mkdir(parents=True)
        with sqlite3.connect(target.database.path) as handle:
            handle.execute("CREATE TABLE leftover (id int)")
            handle.execute("INSERT INTO leftover VALUES (1)")
    target.locations.media.mkdir(parents=True)
    (target.locations.media / "old.txt").write_text("kept until --force")

    with pytest.raises(BackupRefused, match="not empty .*--force") as refused:
        backup_restore(archive=source.archive, database=target.database, locations=target.locations)
    assert refused.value.exit_code == 2
    assert _rows_in(target.database) == {"leftover": 1}
    assert (target.locations.media / "old.txt").exists()

    # Compose mounts a volume on each directory: a mount point cannot be renamed away, so its
    # content is swapped inside it.
    media = target.locations.media
    ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == media or ismount(path))
    backup_restore(
        archive=source.archive, database=target.database, locations=target.locations, force=True
    )
    assert _rows_in(target.database) == source.rows
    assert _checksums(target.locations) == source.files
    assert not (media / "old.txt").exists()
    assert [p.name for p in media.iterdir() if p.name.startswith(".")] == []


# --- Refusals ---------------------------------------------------------------------------------


def _with_member(member: tarfile.TarInfo, data: bytes = b"") -> Callable[[list[Any]], None]:
    def change(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        members.insert(2, (member, data))  # after the header and the database

    return change


def _link(name: str, to: str) -> tarfile.TarInfo:
    member = tarfile.TarInfo(name)
    member.type = tarfile.SYMTYPE
    member.linkname = to
    return member


def _damage(name: str) -> Callable[[list[Any]], None]:
    def change(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
        for index, (member, data) in enumerate(members):
            if member.name == name:
                members[index] = (member, bytes([data[0] ^ 0xFF]) + data[1:])

    return change


def _future(document: dict[str, Any]) -> None:
    document["migrations_applied"]["appeals"].append("9999_from_a_later_release")
    document["migrations"]["appeals"] = "9999_from_a_later_release"


def _other_engine(document: dict[str, Any]) -> None:
    other = "sqlite" if ON_POSTGRES else "postgresql"
    document["engine"] = other
    document["database"]["member"] = {
        "sqlite": "database/birlik.sqlite3",
        "postgresql": "database/birlik.pgdump",
    }[other]


def test_what_a_restore_refuses_it_refuses_before_writing_anything(source, target, tmp_path):
    damaged = next(name for name in source.files if name.startswith("private/"))
    archives: dict[str, Callable[[Path], Path]] = {
        "made with another key": lambda out: source.archive,
        "a member climbing out": lambda out: _rewrite(
            source.archive, out, _with_member(tarfile.TarInfo("files/media/../../../x.txt"))
        ),
        "a member named ..": lambda out: _rewrite(
            source.archive, out, _with_member(tarfile.TarInfo("../x.txt"))
        ),
        "an absolute member": lambda out: _rewrite(
            source.archive, out, _with_member(tarfile.TarInfo(f"{tmp_path}/absolute.txt"))
        ),
        "a symbolic link": lambda out: _rewrite(
            source.archive, out, _with_member(_link("files/media/passwd", "/etc/passwd"))
        ),
        "a damaged file": lambda out: _rewrite(source.archive, out, _damage(f"files/{damaged}")),
        "a truncated archive": lambda out: _truncated(source.archive, out),
        "newer code": lambda out: _edit_header(source.archive, out, _future),
        "the other engine": lambda out: _edit_header(source.archive, out, _other_engine),
    }
    expected = {
        "made with another key": "IINs unmatchable: set PERSONAL_DATA_KEY to the key the backup",
        "a member climbing out": "unsafe name: 'files/media/../../../x.txt'",
        "a member named ..": "unsafe name: '../x.txt'",
        "an absolute member": "unsafe name",
        "a symbolic link": "'files/media/passwd', which is not a regular file",
        "a damaged file": f"checksum of files/{damaged} does not match the manifest",
        "a truncated archive": "damaged or truncated",
        "newer code": "newer code: its migrations appeals.9999_from_a_later_release",
        "the other engine": (
            "SQLite database .* move the data with `birlik dumpdata`"
            if ON_POSTGRES
            else "Set DATABASE_URL to an empty PostgreSQL database"
        ),
    }
    for case, make in archives.items():
        archive = make(tmp_path / f"{case.replace(' ', '-')}.tar.gz")
        key = "another key" if case == "made with another key" else settings.PERSONAL_DATA_KEY
        with (
            override_settings(PERSONAL_DATA_KEY=key),
            pytest.raises(BackupRefused, match=expected[case]) as refused,
        ):
            backup_restore(
                archive=archive, database=target.database, locations=target.locations, force=True
            )
        assert refused.value.exit_code == 2, case
        _untouched(target)
    assert not (tmp_path / "x.txt").exists()
    assert not (tmp_path / "absolute.txt").exists()


def _truncated(archive: Path, out: Path) -> Path:
    out.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return out


def _cut_database_short(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """The database member cut to 60 %, its checksum rewritten to match: an archive whose
    checks pass but whose database cannot be read to its end."""
    (index, (member, data)) = next(
        (i, item) for i, item in enumerate(members) if item[0].name.startswith("database/")
    )
    cut = data[: len(data) * 6 // 10]
    members[index] = (member, cut)
    for position, (json_member, document_bytes) in enumerate(members):
        if json_member.name in ("header.json", "manifest.json"):
            document = json.loads(document_bytes)
            document["database"].update(sha256=hashlib.sha256(cut).hexdigest(), size=len(cut))
            members[position] = (json_member, json.dumps(document).encode())


def test_a_database_that_cannot_be_read_to_its_end_leaves_the_target_as_it_was(
    source, target, tmp_path
):
    archive = _rewrite(source.archive, tmp_path / "cut.tar.gz", _cut_database_short)
    if ON_POSTGRES:
        with _postgres(target.database.params["dbname"]) as handle:
            handle.execute("CREATE TABLE leftover (id int)")
            handle.execute("INSERT INTO leftover VALUES (1)")
    else:
        assert target.database.path is not None
        target.database.path.parent.mkdir(parents=True)
        with sqlite3.connect(target.database.path) as handle:
            handle.execute("CREATE TABLE leftover (id int)")
            handle.execute("INSERT INTO leftover VALUES (1)")
    target.locations.media.mkdir(parents=True)
    (target.locations.media / "old.txt").write_text("kept")

    # PostgreSQL: pg_restore stops half-way, after psql emptied the schema in its transaction.
    expected = "pg_restore failed; nothing was changed" if ON_POSTGRES else "database is damaged"
    with pytest.raises(BackupError, match=expected):
        backup_restore(
            archive=archive, database=target.database, locations=target.locations, force=True
        )

    assert _rows_in(target.database) == {"leftover": 1}
    assert sorted(p.name for p in target.locations.media.iterdir()) == ["old.txt"]
    assert sorted(p.name for p in target.locations.data_dir.iterdir()) == (
        ["media"] if ON_POSTGRES else ["birlik.sqlite3", "media"]
    )


def test_a_section_that_holds_the_database_or_the_keys_is_refused(source, tmp_path):
    data_dir = (tmp_path / "data").resolve()
    locations = Locations(
        data_dir=data_dir,
        media=data_dir,  # MEDIA_ROOT set to the data directory itself
        private=data_dir / "private",
        documents=data_dir / "documents",
        monitoring_models=data_dir / "monitoring" / "models",
    )
    database = Database.sqlite(data_dir / "birlik.sqlite3")

    with pytest.raises(BackupRefused, match="contains"):
        backup_restore(archive=source.archive, database=database, locations=locations)
    assert not data_dir.exists()


# --- The commands ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_birlik_backup_prints_one_line_and_restore_refuses_with_exit_code_2(
    tmp_path, capsys, settings
):
    assert main(["backup", "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    (archive,) = tmp_path.glob("birlik-backup-*.tar.gz")
    assert len(out) == 1
    assert out[0].startswith(f"Birlik: backup written to {archive} (")
    assert " tables, " in out[0] and " files (" in out[0]

    assert main(["backup", "--output", str(archive)]) == 2  # never overwrites
    assert "exists already" in capsys.readouterr().err

    settings.PERSONAL_DATA_KEY = "another key"
    assert main(["restore", str(archive)]) == 2
    assert "Birlik: nothing restored." in capsys.readouterr().err
