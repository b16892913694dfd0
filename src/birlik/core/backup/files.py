"""The file directories a backup holds, walked for the archive and put back in place.

Sections (their names in the archive, under ``files/``):

* ``media`` — ``MEDIA_ROOT``: uploads (event attachments, appeal files, idea images, studies);
* ``private`` — ``<data dir>/private``: mediation case documents and charity proofs
  (confidential; no URL reaches them);
* ``documents`` — ``BIRLIK_DOCUMENTS_DIR`` or ``<data dir>/documents``: generated annual reports
  and open data releases their rows point to;
* ``monitoring-models`` — ``<data dir>/monitoring/models``: the early-warning classifier's
  weights, checked against the sha256 on their row.

Not kept: the keys (``secret_key``, ``personal_data_key``: they belong in the secret store),
static files (``collectstatic`` makes them), the e-mail/SMS logs of the embedded gateways and
import files (deleted after a day anyway).

A restore writes each section into a fresh staging directory beside its target (inside it when
the target is a mount point), checks every file, and only then swaps it in.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from .base import BackupError, BackupRefused, Hashed, copy_hashing

SECTIONS = ("media", "private", "documents", "monitoring-models")
# Our own staging and leftovers: never walked into, whatever section they are found in.
OWN_PREFIXES = (".birlik-restore-", ".birlik-old-", ".birlik-backup-")
KEY_FILES = ("secret_key", "personal_data_key")


@dataclass(frozen=True)
class Locations:
    """Where this environment keeps its files."""

    data_dir: Path
    media: Path
    private: Path
    documents: Path
    monitoring_models: Path

    @classmethod
    def from_settings(cls) -> Locations:
        from django.conf import settings

        data_dir = Path(settings.DATA_DIR).resolve()
        documents = getattr(settings, "BIRLIK_DOCUMENTS_DIR", "") or data_dir / "documents"
        return cls(
            data_dir=data_dir,
            media=Path(settings.MEDIA_ROOT).resolve(),
            private=data_dir / "private",
            documents=Path(documents).resolve(),
            monitoring_models=data_dir / "monitoring" / "models",
        )

    @classmethod
    def under(cls, data_dir: Path) -> Locations:
        """The embedded default's layout under one data directory."""
        data_dir = data_dir.resolve()
        return cls(
            data_dir=data_dir,
            media=data_dir / "media",
            private=data_dir / "private",
            documents=data_dir / "documents",
            monitoring_models=data_dir / "monitoring" / "models",
        )

    def sections(self) -> dict[str, Path]:
        return {
            "media": self.media,
            "private": self.private,
            "documents": self.documents,
            "monitoring-models": self.monitoring_models,
        }

    def key_files(self) -> list[Path]:
        return [self.data_dir / name for name in KEY_FILES]


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def check_apart(locations: Locations, protected: list[Path]) -> None:
    """Refuses a layout where replacing one section would replace another section, the
    database or a key (e.g. ``MEDIA_ROOT`` set to the data directory)."""
    sections = locations.sections()
    for name, root in sections.items():
        for other, other_root in sections.items():
            if other != name and _inside(other_root, root):
                raise BackupRefused(
                    f"The {name} directory ({root}) contains the {other} directory "
                    f"({other_root}); a restore replaces each one whole. Set them apart "
                    "(MEDIA_ROOT, BIRLIK_DOCUMENTS_DIR, BIRLIK_DATA_DIR) before restoring."
                )
        for path in protected:
            if _inside(path.resolve(), root):
                raise BackupRefused(
                    f"The {name} directory ({root}) contains {path}; a restore replaces the "
                    "directory whole. Set MEDIA_ROOT / BIRLIK_DOCUMENTS_DIR apart from the data "
                    "directory's database and keys before restoring."
                )


def walk(root: Path, *, skip: set[Path]) -> Iterator[tuple[Path, str]]:
    """The regular files under ``root`` (path, POSIX path relative to it), sorted; symbolic
    links, sockets and the paths in ``skip`` (other sections, the archive being written, the
    database and the keys) are left out."""
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        here = Path(directory)
        dirnames[:] = sorted(
            name
            for name in dirnames
            if not name.startswith(OWN_PREFIXES) and (here / name) not in skip
        )
        for name in sorted(filenames):
            path = here / name
            if path in skip:
                continue
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                continue  # deleted meanwhile
            if stat.S_ISREG(mode):
                yield path, path.relative_to(root).as_posix()


def make_dirs(path: Path) -> list[Path]:
    """``mkdir -p``; the directories it made, so that a refused restore can remove them."""
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    path.mkdir(parents=True, exist_ok=True)
    return missing


def remove_empty(directories: list[Path]) -> None:
    """Removes the directories that are still empty, deepest first."""
    for directory in sorted(directories, key=lambda path: len(path.parts), reverse=True):
        try:
            directory.rmdir()
        except OSError:
            continue  # not empty (the restore put something there) or already gone


def has_files(root: Path) -> bool:
    return next(walk(root, skip=set()), None) is not None


def member_parts(name: str) -> tuple[str, ...]:
    """The parts of an archive member's name, or a refusal for a name that could land outside
    its directory (absolute, ``..``, empty parts): the tar slip."""
    if not name or "\x00" in name or name.startswith(("/", "\\")) or ":" in name.split("/")[0]:
        raise BackupRefused(f"The archive holds a member with an unsafe name: {name!r}.")
    parts = PurePosixPath(name).parts
    if any(part in ("", ".", "..") for part in name.rstrip("/").split("/")) or not parts:
        raise BackupRefused(f"The archive holds a member with an unsafe name: {name!r}.")
    return parts


class Staging:
    """A section's new content, written beside its target and swapped in at the end."""

    def __init__(self, section: str, target: Path) -> None:
        self.section = section
        self.target = target
        self.files: dict[str, Hashed] = {}
        self.token = secrets.token_hex(4)
        # A mount point cannot be renamed: stage inside it and swap its content instead.
        self.in_place = target.is_dir() and os.path.ismount(target)
        parent = target if self.in_place else target.parent
        self.created = make_dirs(parent)
        self.root = parent / f".birlik-restore-{section}-{self.token}"
        self.root.mkdir(mode=0o700)

    def write(self, relative: tuple[str, ...], source: IO[bytes], size: int, mode: int) -> Hashed:
        path = self.root.joinpath(*relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Belt and braces after member_parts: the file must land inside the staging directory.
        if not path.parent.resolve().is_relative_to(self.root.resolve()):
            raise BackupRefused(f"The archive member {'/'.join(relative)!r} leaves its directory.")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(path, flags, (mode & 0o666) or 0o600)
        except FileExistsError:
            raise BackupRefused(
                f"The archive holds {self.section}/{'/'.join(relative)} twice."
            ) from None
        with os.fdopen(descriptor, "wb") as handle:
            hashed = copy_hashing(source, handle, size=size)
        if hashed.size != size:
            raise BackupRefused("The archive ends in the middle of a file: it is truncated.")
        self.files["/".join(relative)] = hashed
        return hashed

    def swap(self) -> None:
        """Puts the staged content in place of the target's (renames, so each file appears
        whole), then removes the old content."""
        if self.in_place:
            old = self.target / f".birlik-old-{self.section}-{self.token}"
            old.mkdir(mode=0o700)
            for child in list(self.target.iterdir()):
                if child not in (old, self.root):
                    child.rename(old / child.name)
            for child in list(self.root.iterdir()):
                child.rename(self.target / child.name)
            self.root.rmdir()
            shutil.rmtree(old)
            return
        mode = self.target.stat().st_mode & 0o777 if self.target.exists() else None
        old = self.target.parent / f".birlik-old-{self.section}-{self.token}"
        if self.target.exists():
            self.target.rename(old)
        self.root.rename(self.target)
        if mode is None:
            mode = 0o755 if self.section == "media" else 0o700  # media may be served by a proxy
        self.target.chmod(mode)
        if old.exists():
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def check_in_place(self) -> None:
        """After the swap: the target holds exactly the staged files, at their sizes."""
        found = {relative: path.stat().st_size for path, relative in walk(self.target, skip=set())}
        expected = {relative: hashed.size for relative, hashed in self.files.items()}
        if found != expected:
            raise BackupError(
                f"After the restore, {self.target} does not hold the files of the backup "
                f"({len(found)} found, {len(expected)} expected): was something writing to it?"
            )
