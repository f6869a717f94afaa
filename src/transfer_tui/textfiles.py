"""Reading a text file a person names (a playbook, a CSV), safely: only a regular file,
only up to a size, only UTF-8. ``/dev/zero``, a FIFO or a 5 GB file is refused in one
line instead of reading until memory runs out or waiting forever."""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class TextFileError(Exception):
    """The file cannot be read as text: ``str()`` says why, in a few words."""


def _open_regular(path: Path, what: str) -> BinaryIO:
    try:
        # O_NONBLOCK: opening a FIFO for reading must not wait for a writer
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise TextFileError(_why(exc)) from None
    file = os.fdopen(handle, "rb")
    mode = os.fstat(file.fileno()).st_mode
    if stat.S_ISDIR(mode):
        file.close()
        raise TextFileError(f"is a folder, not {what}")
    if not stat.S_ISREG(mode):
        file.close()
        raise TextFileError(f"is not a regular file (a device, a pipe...), not {what}")
    return file


def text_lines(path: Path, limit: int, what: str) -> Iterator[str]:
    """The lines of ``path`` one at a time (UTF-8, a BOM allowed; line ends kept, as
    ``csv`` wants them), so a big file is never all in memory; TextFileError as soon as
    the file turns out too big (also one that grows while read) or not UTF-8."""
    with _open_regular(path, what) as file:
        if os.fstat(file.fileno()).st_size > limit:
            raise TextFileError(f"is too big for {what} (more than {limit // 1024:,} KB)")
        text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        read = 0
        try:
            for line in text:
                read += len(line)
                if read > limit:
                    raise TextFileError(f"is too big for {what} (more than "
                                        f"{limit // 1024:,} KB)")
                yield line
        except UnicodeDecodeError:
            raise TextFileError("is not UTF-8 text") from None
        except OSError as exc:
            raise TextFileError(_why(exc)) from None


def read_text_file(path: Path, limit: int, what: str) -> str:
    """The whole text of ``path`` (UTF-8, a BOM allowed), or TextFileError."""
    with _open_regular(path, what) as file:
        try:
            data = file.read(limit + 1)
        except OSError as exc:
            raise TextFileError(_why(exc)) from None
    if len(data) > limit:
        raise TextFileError(f"is too big for {what} (more than {limit // 1024:,} KB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TextFileError("is not UTF-8 text") from None


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR:
        return "is a folder"
    if exc.errno == errno.ELOOP:
        return "is a symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
