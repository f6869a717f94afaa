"""Read playbook TOML files into :class:`Playbook` objects, reporting every problem.

A playbook is data written by people, so loading never stops at the first
mistake: it collects each problem with its place (file, line where it can be
found, field) so ``transfer-tui playbook check`` can list them all at once.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from transfer_tui.domain import Owner
from transfer_tui.playbooks.model import Playbook, RelativeDate, Section, TaskTemplate

FORMAT = 1
RECORD_KINDS = (
    "license",
    "channel",
    "health",
    "objective",
    "ticket",
    "cadence",
    "stakeholder",
    "promise",
    "risk",
    "key_date",
)
RACI_LETTERS = ("R", "A", "C", "I")
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a playbook file, and where."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        where = f" {self.field}:" if self.field else ""
        return f"{place}:{where} {self.message}"


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
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlaybookError([Problem(name, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise PlaybookError([Problem(name, None, "", "is a folder, not a TOML file")]) from None
    except UnicodeDecodeError:
        raise PlaybookError([Problem(name, None, "", "is not UTF-8 text")]) from None
    except OSError as exc:
        raise PlaybookError([Problem(name, None, "", exc.strerror or str(exc))]) from None
    return parse_playbook(source, name, path=path, builtin=builtin)


def parse_playbook(
    source: str, name: str = "<playbook>", *, path: Path | None = None, builtin: bool = False
) -> Playbook:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = _line_of_decode_error(str(exc))
        raise PlaybookError([Problem(name, line, "", f"bad TOML: {exc}")]) from None
    checker = _Checker(name, source)
    playbook = checker.build(data, path=path, builtin=builtin)
    if checker.problems or playbook is None:
        raise PlaybookError(checker.problems)
    return playbook


def _line_of_decode_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _Checker:
    """Turns parsed TOML into a Playbook while noting each problem with its line."""

    def __init__(self, name: str, source: str):
        self.name = name
        self.lines = source.splitlines()
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, *, near: str | None = None, key: str = "") -> None:
        self.problems.append(Problem(self.name, self._find_line(near, key), field, message))

    def _find_line(self, anchor_value: str | None, key: str) -> int | None:
        """Best-effort line: the ``key = ...`` line after the line holding ``anchor_value``."""
        start = 0
        if anchor_value is not None:
            pattern = re.compile(r"^\s*key\s*=\s*[\"']" + re.escape(anchor_value) + r"[\"']")
            for number, text in enumerate(self.lines):
                if pattern.search(text):
                    start = number
                    break
            else:
                return None
        if not key:
            return start + 1 if anchor_value is not None else None
        field_pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for number in range(start, len(self.lines)):
            text = self.lines[number]
            if number > start and text.strip().startswith("[") and anchor_value is not None:
                break
            if field_pattern.search(text):
                return number + 1
        return None

    def text(self, data: dict[str, Any], key: str, field: str, *, near: str | None = None,
             required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(field, f"missing {key}", near=near)
            return ""
        if not isinstance(value, str):
            self.problem(field, f"{key} must be text", near=near, key=key)
            return ""
        if required and not value.strip():
            self.problem(field, f"{key} is empty", near=near, key=key)
        return value.strip()

    def build(self, data: dict[str, Any], *, path: Path | None, builtin: bool) -> Playbook | None:
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            self.problem("format", f"format {fmt!r} is not supported (this version reads {FORMAT})",
                         key="format")
        pid = self.text(data, "id", "id", required=True)
        if pid and not _KEY.match(pid):
            self.problem("id", f"id {pid!r} must be lowercase letters, digits and dashes", key="id")
        title = self.text(data, "name", "name", required=True)
        if not title and "title" in data:
            title = self.text(data, "title", "title")
        version = data.get("version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            self.problem("version", "version must be a whole number from 1", key="version")
            version = 1
        roles = data.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            self.problem("roles", "roles must be a list of names", key="roles")
            roles = []
        sections = self.sections(data.get("sections"), set(roles))
        if self.problems:
            return None
        return Playbook(
            id=pid,
            name=title,
            version=version,
            sections=tuple(sections),
            summary=self.text(data, "summary", "summary"),
            source=self.text(data, "source", "source"),
            outgoing_label=self.text(data, "outgoing_label", "outgoing_label") or "Outgoing",
            incoming_label=self.text(data, "incoming_label", "incoming_label") or "Incoming",
            roles=tuple(roles),
            path=path,
            builtin=builtin,
        )

    def sections(self, raw: Any, roles: set[str]) -> list[Section]:
        if not isinstance(raw, list) or not raw:
            self.problem("sections", "a playbook needs at least one [[sections]] table")
            return []
        seen_sections: set[str] = set()
        seen_tasks: set[str] = set()
        result = []
        for index, item in enumerate(raw, start=1):
            field = f"sections[{index}]"
            if not isinstance(item, dict):
                self.problem(field, "must be a table")
                continue
            key = self.text(item, "key", f"{field}.key", required=True)
            near = key or None
            if key and not _KEY.match(key):
                self.problem(f"{field}.key", f"key {key!r} must be lowercase letters, digits and "
                             "dashes", near=near)
            if key in seen_sections:
                self.problem(f"{field}.key", f"duplicate section key {key!r}", near=near)
            seen_sections.add(key)
            title = self.text(item, "title", f"{field}.title", near=near, required=True)
            record = self.record(item, f"{field}.record", near)
            tasks = self.tasks(item.get("tasks"), field, near, seen_tasks, roles)
            result.append(Section(key=key, title=title, tasks=tuple(tasks), record=record))
        return result

    def record(self, item: dict[str, Any], field: str, near: str | None) -> str | None:
        record = item.get("record")
        if record is None:
            return None
        if record not in RECORD_KINDS:
            self.problem(field, f"unknown record kind {record!r} (one of: "
                         f"{', '.join(RECORD_KINDS)})", near=near, key="record")
            return None
        return record

    def tasks(self, raw: Any, parent: str, near_section: str | None, seen: set[str],
              roles: set[str]) -> list[TaskTemplate]:
        if not isinstance(raw, list) or not raw:
            self.problem(f"{parent}.tasks", "a section needs at least one [[sections.tasks]] "
                         "table", near=near_section)
            return []
        result = []
        for index, item in enumerate(raw, start=1):
            field = f"{parent}.tasks[{index}]"
            if not isinstance(item, dict):
                self.problem(field, "must be a table", near=near_section)
                continue
            key = self.text(item, "key", f"{field}.key", near=near_section, required=True)
            near = key or near_section
            if key and not _KEY.match(key):
                self.problem(f"{field}.key", f"key {key!r} must be lowercase letters, digits and "
                             "dashes", near=near)
            if key and key in seen:
                self.problem(f"{field}.key", f"duplicate task key {key!r}", near=near)
            seen.add(key)
            title = self.text(item, "title", f"{field}.title", near=near, required=True)
            owner_text = item.get("owner", "both")
            try:
                owner = Owner(owner_text)
            except ValueError:
                self.problem(f"{field}.owner", f"unknown owner {owner_text!r} (one of: outgoing, "
                             "incoming, both)", near=near, key="owner")
                owner = Owner.BOTH
            due = None
            if "due" in item:
                try:
                    due = RelativeDate.parse(str(item["due"]))
                except ValueError as exc:
                    self.problem(f"{field}.due", str(exc), near=near, key="due")
            raci = self.raci(item.get("raci"), f"{field}.raci", near, roles)
            result.append(TaskTemplate(
                key=key,
                title=title,
                guidance=self.text(item, "guidance", f"{field}.guidance", near=near),
                owner=owner,
                due=due,
                record=self.record(item, f"{field}.record", near),
                raci=raci,
            ))
        return result

    def raci(self, raw: Any, field: str, near: str | None,
             roles: set[str]) -> dict[str, tuple[str, ...]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(field, "raci must be a table like { R = [\"CSM\"] }", near=near,
                         key="raci")
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for letter, names in raw.items():
            if letter not in RACI_LETTERS:
                self.problem(f"{field}.{letter}", f"unknown RACI letter {letter!r} (one of: R, A, "
                             "C, I)", near=near, key="raci")
                continue
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                self.problem(f"{field}.{letter}", "must be a list of role names", near=near,
                             key="raci")
                continue
            for role in names:
                if roles and role not in roles:
                    self.problem(f"{field}.{letter}", f"unknown role {role!r} (the playbook's "
                                 f"roles are: {', '.join(sorted(roles))})", near=near, key="raci")
            result[letter] = tuple(names)
        return result


def builtin_playbooks() -> list[Playbook]:
    """The playbooks shipped in the package, in a stable order (the default first)."""
    files = sorted(builtin_dir().glob("*.toml"), key=_builtin_order)
    return [load_playbook(path, builtin=True) for path in files]


def _builtin_order(path: Path) -> tuple[int, str]:
    return (0 if path.stem == DEFAULT_PLAYBOOK else 1, path.stem)


DEFAULT_PLAYBOOK = "csm-account-transfer"


def get_builtin(playbook_id: str) -> Playbook:
    path = builtin_dir() / f"{playbook_id}.toml"
    if not path.is_file():
        raise KeyError(playbook_id)
    return load_playbook(path, builtin=True)


def iter_problems(paths: Iterable[Path]) -> list[Problem]:
    problems: list[Problem] = []
    for path in paths:
        try:
            load_playbook(path)
        except PlaybookError as exc:
            problems.extend(exc.problems)
    return problems
