"""Every playbook a person can use: the built-in ones, their own folder, or a file by path.

Ids are unique: a user file that reuses an id is reported as a problem, never
silently put in place of another playbook. A broken file never stops the app:
it is listed as broken, with its first problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from transfer_tui.cleantext import one_line
from transfer_tui.paths import shorten
from transfer_tui.playbooks.checker import Problem
from transfer_tui.playbooks.loader import (
    DEFAULT_PLAYBOOK,
    MAX_PLAYBOOK_BYTES,
    PlaybookError,
    builtin_dir,
    load_playbook,
)
from transfer_tui.playbooks.model import Playbook
from transfer_tui.textfiles import TextFileError, read_text_file

_ID_LINE = re.compile(r"^\s*[\"']?id[\"']?\s*=")


@dataclass(frozen=True)
class Entry:
    """One playbook file: loaded, or broken with the problems that say why."""

    path: Path
    builtin: bool
    playbook: Playbook | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def broken(self) -> bool:
        return self.playbook is None

    @property
    def id(self) -> str:
        return self.playbook.id if self.playbook else self.path.stem

    @property
    def where(self) -> str:
        return "built-in" if self.builtin else shorten(self.path)


def _same(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except (OSError, RuntimeError):
        return False


class Registry:
    """The playbooks found, in order: built-in ones (the default first), then the user's."""

    def __init__(self, entries: Iterable[Entry], user_dir: Path | None = None):
        self.entries = list(entries)
        self.user_dir = user_dir

    @property
    def playbooks(self) -> list[Playbook]:
        return [e.playbook for e in self.entries if e.playbook is not None]

    @property
    def broken(self) -> list[Entry]:
        return [e for e in self.entries if e.broken]

    def clash(self, playbook: Playbook, path: Path | None) -> Problem | None:
        """A problem when another playbook already uses this one's id."""
        for entry in self.entries:
            if entry.playbook is None or entry.playbook.id != playbook.id:
                continue
            if path is not None and _same(entry.path, path):
                continue
            owner = (f"the built-in playbook {entry.playbook.name!r}" if entry.builtin
                     else entry.where)
            return Problem(str(path or playbook.id), _id_line(path), "id",
                           f"id {playbook.id!r} is already used by {owner}: give this "
                           "playbook an id of its own")
        return None

    def check_file(self, path: Path) -> tuple[Playbook | None, list[Problem]]:
        """Everything wrong with one file, including an id another playbook uses."""
        try:
            playbook = load_playbook(path)
        except PlaybookError as exc:
            return None, exc.problems
        problem = self.clash(playbook, path)
        return (None, [problem]) if problem else (playbook, [])

    def find_id(self, ref: str) -> Playbook:
        """By id only (a CSV names playbooks this way: a file path there could read any
        file on the machine); PlaybookError says what is wrong."""
        ref = ref.strip()
        for entry in self.entries:
            if entry.playbook is not None and entry.playbook.id == ref:
                return entry.playbook
        for entry in self.entries:
            if entry.broken and entry.id == ref:
                raise PlaybookError(list(entry.problems))
        known = ", ".join(p.id for p in self.playbooks)
        raise PlaybookError([Problem(ref, None, "", f"no playbook with this id (known: "
                                     f"{known})")])

    def find(self, ref: str) -> Playbook:
        """By id, or by the path of a TOML file; PlaybookError says what is wrong."""
        ref = ref.strip()
        try:
            return self.find_id(ref)
        except PlaybookError as exc:
            if any(entry.id == ref for entry in self.broken):
                raise exc from None
        path = Path(ref).expanduser()
        if path.suffix.lower() == ".toml" or path.exists() or "/" in ref:
            playbook, problems = self.check_file(path)
            if playbook is None:
                raise PlaybookError(problems)
            return playbook
        known = ", ".join(p.id for p in self.playbooks)
        raise PlaybookError([Problem(ref, None, "", f"no playbook with this id (known: {known}) "
                                     "and no such file")])


def _id_line(path: Path | None) -> int | None:
    if path is None:
        return None
    try:
        lines = read_text_file(path, MAX_PLAYBOOK_BYTES, "a playbook").splitlines()
    except TextFileError:
        return None
    return next((n for n, text in enumerate(lines, start=1) if _ID_LINE.match(text)), None)


def _load(path: Path, builtin: bool) -> Entry:
    """One file as an entry: loaded, or broken with why. Never an exception: a file in the
    playbooks folder is anyone's, and a broken playbook must never stop the app."""
    try:
        return Entry(path, builtin, load_playbook(path, builtin=builtin))
    except PlaybookError as exc:
        return Entry(path, builtin, None, tuple(exc.problems))
    except Exception as exc:  # listed as broken, whatever went wrong
        problem = Problem(str(path), None, "", f"cannot be read: {one_line(str(exc), 120)}")
        return Entry(path, builtin, None, (problem,))


def load_registry(user_dir: Path | None = None, *, include_user: bool = True) -> Registry:
    """Built-in playbooks, then ``*.toml`` in the user's playbooks folder (sorted by name)."""
    if include_user and user_dir is None:
        from transfer_tui.paths import user_playbooks_dir

        user_dir = user_playbooks_dir()
    builtin = sorted(builtin_dir().glob("*.toml"),
                     key=lambda p: (p.stem != DEFAULT_PLAYBOOK, p.stem))
    registry = Registry([_load(path, True) for path in builtin], user_dir)
    if not include_user or user_dir is None or not user_dir.is_dir():
        return registry
    try:
        files = sorted(user_dir.glob("*.toml"), key=lambda p: p.name.casefold())
    except OSError:  # an unreadable folder hides the user's playbooks, never the app
        files = []
    for path in files:
        entry = _load(path, False)
        if entry.playbook is not None and (problem := registry.clash(entry.playbook, path)):
            entry = Entry(path, False, None, (problem,))
        registry.entries.append(entry)
    return registry
