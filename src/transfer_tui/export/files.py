"""Where an export is written: file names from account names, and writing without
overwriting by surprise. Plain files only: no Textual, no SQL."""

from __future__ import annotations

import errno
import os
import unicodedata
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from transfer_tui.cleantext import clean

SLUG_LIMIT = 60  # characters of the account kept in a file name
SLUG_BYTES = 120  # and at most this many bytes of UTF-8 (file systems count bytes, to 255)


class ExportFileError(Exception):
    """The export could not be written there; ``str()`` is one line for a person."""


class ExportFileExists(ExportFileError):
    """The file is already there and overwriting was not allowed."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{path} already exists")


def slug(account: str) -> str:
    """A file-name-safe form of an account name: its letters and digits, in any script
    ("Café Zürich" -> "café-zürich", "日本" stays "日本"), lowercased, with a dash for
    each run of anything else.

    That drops all a file system forbids or treats specially (``/ \\ : * ? " < > |``,
    control characters, a leading dot, trailing dots and spaces), and the
    ``-handoff-<date>`` that follows means a reserved device name (``CON``, ``NUL``)
    is never the whole name. Composed as NFC (one form on every system), cut to
    SLUG_LIMIT characters and SLUG_BYTES bytes; a name left empty (only emoji, say)
    becomes "account".
    """
    text = unicodedata.normalize("NFC", clean(account)).lower()
    words = "".join(ch if _kept(ch) else " " for ch in text).split()
    result = "-".join(words)[:SLUG_LIMIT]
    while len(result.encode("utf-8")) > SLUG_BYTES:
        result = result[:-1]
    return result.strip("-") or "account"


def _kept(ch: str) -> bool:
    """Letters, digits and the marks that go with letters (the accents of Hindi, Thai)."""
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc")


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
    for _, account in pairs:  # folded: on a case-insensitive disk "Straße" meets "STRASSE"
        key = slug(account).casefold()
        counts[key] = counts.get(key, 0) + 1
    names = {}
    for handoff_id, account in pairs:
        base = slug(account)
        if counts[base.casefold()] > 1:
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
    if (path.exists() or path.is_symlink()) and not overwrite:  # a dangling link is there too
        raise ExportFileExists(path)
    if path.exists() and not path.is_file():  # a device: replacing it would remove it
        raise ExportFileError(f"{path} is not a regular file (a device, a pipe...): give the "
                              "name of a file, or leave -o out to print it")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportFileError(f"cannot write in {parent}: permission denied")
    return path


def write_text(path: Path, text: str, *, overwrite: bool = False) -> Path:
    """Write the whole text or nothing: a temporary file in the same folder, then put in
    place. Without ``overwrite`` an existing file is never replaced."""
    path = check_target(path, overwrite=overwrite)
    staged = stage_text(path, text)
    try:
        place([(staged, path)], overwrite=overwrite)
    finally:
        staged.unlink(missing_ok=True)
    return path


def stage_text(path: Path, text: str) -> Path:
    """The text in a hidden file beside ``path``, with the mode a new file gets (0666 less
    the umask, as any editor's), ready for :func:`place`."""
    data = text.encode("utf-8")
    for _attempt in range(100):
        staged = path.with_name(f".{path.name}.{os.urandom(4).hex()}.partial")
        try:
            handle = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _failed(path, exc) from None
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise _failed(path, exc) from None
        return staged
    raise ExportFileError(f"cannot write {path}: no free temporary name beside it")


def place(staged: list[tuple[Path, Path]], *, overwrite: bool = False) -> None:
    """Give each staged file its name, all or none: if one cannot take its place, the
    ones already placed are taken back (without ``overwrite`` they were new) and every
    staged file is removed."""
    placed: list[Path] = []
    try:
        for temporary, path in staged:
            if overwrite:
                os.replace(temporary, path)
            else:
                _link_new(temporary, path)
            placed.append(path)
    except OSError as exc:
        if not overwrite:
            for path in placed:
                path.unlink(missing_ok=True)
        discard([temporary for temporary, _ in staged])
        if isinstance(exc, FileExistsError):
            raise ExportFileExists(Path(exc.filename or "")) from None
        raise _failed(Path(exc.filename or ""), exc) from None
    discard([temporary for temporary, _ in staged])


def discard(staged: list[Path]) -> None:
    for temporary in staged:
        temporary.unlink(missing_ok=True)


def _link_new(temporary: Path, path: Path) -> None:
    """``path`` becomes the staged file only if nothing (not even a dangling link) is
    there: a hard link fails if the name is taken; filesystems without hard links get a
    rename after a last look."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK):
            raise
        if path.exists() or path.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.rename(temporary, path)


def _failed(path: Path, exc: OSError) -> ExportFileError:
    if isinstance(exc, PermissionError):
        return ExportFileError(f"cannot write {path}: permission denied")
    return ExportFileError(f"cannot write {path}: {exc.strerror or exc}")
