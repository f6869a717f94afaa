"""Where an export is written: file names from account names, and writing without
overwriting by surprise. Plain files only: no Textual, no SQL."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from transfer_tui.cleantext import clean

SLUG_LIMIT = 60
_NOT_WORD = re.compile(r"[^0-9a-z]+")


class ExportFileError(Exception):
    """The export could not be written there; ``str()`` is one line for a person."""


class ExportFileExists(ExportFileError):
    """The file is already there and overwriting was not allowed."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path} already exists")


def slug(account: str) -> str:
    """A file-name-safe form of an account name: ASCII letters, digits and dashes.

    Accents are folded ("Café" -> "cafe"); what has no ASCII form (other scripts,
    emoji) is dropped, and a name left empty becomes "account".
    """
    folded = unicodedata.normalize("NFKD", clean(account)).encode("ascii", "ignore").decode()
    text = _NOT_WORD.sub("-", folded.lower()).strip("-")
    return text[:SLUG_LIMIT].rstrip("-") or "account"


def file_name(account: str, day: date, extension: str = "md") -> str:
    """``<account-slug>-handoff-<YYYY-MM-DD>.md``."""
    return f"{slug(account)}-handoff-{day.isoformat()}.{extension}"


def file_names(handoffs: Iterable[tuple[str, str]], day: date,
               extension: str = "md") -> dict[str, str]:
    """One distinct file name per handoff, given (id, account) pairs.

    Accounts whose slugs collide ("Acme", "ACME!", the same account twice) all
    get the handoff's short id added, so no export overwrites another.
    """
    pairs = list(handoffs)
    counts: dict[str, int] = {}
    for _, account in pairs:
        counts[slug(account)] = counts.get(slug(account), 0) + 1
    names = {}
    for handoff_id, account in pairs:
        base = slug(account)
        if counts[base] > 1:
            base = f"{base}-{handoff_id[:8]}"
        names[handoff_id] = f"{base}-handoff-{day.isoformat()}.{extension}"
    return names


def check_target(path: Path, *, overwrite: bool = False) -> Path:
    """Refuse a path we cannot or should not write, before writing anything."""
    path = path.expanduser()
    if path.is_dir():
        raise ExportFileError(f"{path} is a folder: give a file name")
    parent = path.parent
    if not parent.exists():
        raise ExportFileError(f"the folder {parent} does not exist")
    if not parent.is_dir():
        raise ExportFileError(f"{parent} is a file, not a folder")
    if path.exists() and not overwrite:
        raise ExportFileExists(path)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportFileError(f"cannot write in {parent}: permission denied")
    return path


def write_text(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write the whole text or nothing: a temporary file in the same folder, then a
    rename. Without ``overwrite`` an existing file is never replaced."""
    path = check_target(path, overwrite=overwrite)
    data = text.encode("utf-8")
    try:
        if not overwrite:
            with path.open("xb") as created:
                try:
                    created.write(data)
                except BaseException:
                    path.unlink(missing_ok=True)  # no half-written file left behind
                    raise
            return path
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except FileExistsError:
        raise ExportFileExists(path) from None
    except PermissionError:
        raise ExportFileError(f"cannot write {path}: permission denied") from None
    except OSError as exc:
        raise ExportFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
