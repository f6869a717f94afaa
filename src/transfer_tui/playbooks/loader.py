"""Read playbook TOML files into :class:`Playbook` objects, reporting every problem.

A playbook is data written by people, so loading never stops at the first
mistake: :mod:`.checker` collects each problem with its place (file, line where
it can be found, field) so ``transfer-tui playbook check`` can list them all.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from transfer_tui.playbooks.checker import RECORD_KINDS, Checker, Problem
from transfer_tui.playbooks.model import Playbook
from transfer_tui.textfiles import TextFileError, read_text_file

__all__ = ["DEFAULT_PLAYBOOK", "RECORD_KINDS", "PlaybookError", "Problem", "builtin_playbooks",
           "get_builtin", "load_playbook", "parse_playbook"]

DEFAULT_PLAYBOOK = "csm-account-transfer"
MAX_PLAYBOOK_BYTES = 1024 * 1024  # the built-in ones are 10-30 KB


class PlaybookError(Exception):
    """A playbook file could not be used; ``problems`` says why, each with its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid playbook")


def builtin_dir() -> Path:
    return Path(str(resources.files("transfer_tui.playbooks") / "builtin"))


def load_playbook(path: Path, *, builtin: bool = False) -> Playbook:
    """Load and validate one file; raise :class:`PlaybookError` listing every problem."""
    name = str(path)
    try:
        source = read_text_file(path, MAX_PLAYBOOK_BYTES, "a playbook")
    except TextFileError as exc:
        raise PlaybookError([Problem(name, None, "", str(exc))]) from None
    return parse_playbook(source, name, path=path, builtin=builtin)


def parse_playbook(
    source: str, name: str = "<playbook>", *, path: Path | None = None, builtin: bool = False
) -> Playbook:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = _line_of_decode_error(str(exc))
        raise PlaybookError([Problem(name, line, "", f"bad TOML: {exc}")]) from None
    except (RecursionError, MemoryError):  # tomllib recurses once per level of nesting
        raise PlaybookError([Problem(name, None, "", "bad TOML: tables or arrays nested too "
                                     "deeply for a playbook")]) from None
    checker = Checker(name, source)
    playbook = checker.build(data, path=path, builtin=builtin)
    if checker.problems or playbook is None:
        raise PlaybookError(checker.problems)
    return playbook


def _line_of_decode_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def builtin_playbooks() -> list[Playbook]:
    """The playbooks shipped in the package, in a stable order (the default first)."""
    files = sorted(builtin_dir().glob("*.toml"), key=_builtin_order)
    return [load_playbook(path, builtin=True) for path in files]


def _builtin_order(path: Path) -> tuple[int, str]:
    return (0 if path.stem == DEFAULT_PLAYBOOK else 1, path.stem)


def get_builtin(playbook_id: str) -> Playbook:
    path = builtin_dir() / f"{playbook_id}.toml"
    if not path.is_file():
        raise KeyError(playbook_id)
    return load_playbook(path, builtin=True)
