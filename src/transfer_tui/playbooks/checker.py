"""Check parsed playbook TOML and build a :class:`Playbook`, noting every problem with its place.

People write these files by hand, so the checker never stops at the first
mistake, and each problem names its line (found from the ``[[sections]]`` and
``[[sections.tasks]]`` headers of the source) and its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transfer_tui.domain import Owner
from transfer_tui.limits import MAX_KEY, MAX_LONG_TEXT, MAX_NAME, MAX_TEXT, MAX_VERSION
from transfer_tui.playbooks.lines import SourceLines
from transfer_tui.playbooks.model import Playbook, RelativeDate, Section, TaskTemplate
from transfer_tui.records.fields import FieldType
from transfer_tui.records.kinds import KIND_BY_KEY
from transfer_tui.rules.readiness import NEEDS, STEPS, ReadyRule

FORMAT = 1
RECORD_KINDS = tuple(KIND_BY_KEY)  # a task or section names one by its key
RACI_LETTERS = ("R", "A", "C", "I")
TOP_FIELDS = ("format", "id", "name", "title", "version", "summary", "source", "outgoing_label",
              "incoming_label", "roles", "sections", "ready")
READY_FIELDS = ("key", "title", "record", "need", "where", "filled", "not_outgoing",
                "date_field", "within_days", "least", "at")
MAX_READY = 100  # rules in one playbook: the built-in ones have up to ten
MAX_LABEL = 60  # what a playbook calls a side: it heads columns and fits in one line
SECTION_FIELDS = ("key", "title", "record", "tasks")
TASK_FIELDS = ("key", "title", "guidance", "owner", "due", "record", "raci")
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


class Checker:
    """Turns parsed TOML into a Playbook while noting each problem with its line."""

    def __init__(self, name: str, source: str):
        self.name = name
        self.where = SourceLines(source)
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, *, section: int | None = None,
                task: int | None = None, key: str = "", ready: int | None = None) -> None:
        line = self.where.find(section, task, key, ready)
        self.problems.append(Problem(self.name, line, field, message))

    def unknown_fields(self, data: dict[str, Any], allowed: tuple[str, ...], prefix: str,
                       **place: Any) -> None:
        for name in data:
            if name in allowed:
                continue
            import difflib  # only for a misspelt name

            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else (
                f" (known fields: {', '.join(allowed)})")
            self.problem(f"{prefix}{name}", f"unknown field {name!r}{hint}", key=name, **place)

    def text(self, data: dict[str, Any], key: str, field: str, *, required: bool = False,
             one_line: bool = False, limit: int = MAX_TEXT, **place: Any) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(field, f"missing {key}", **place)
            return ""
        if not isinstance(value, str):
            self.problem(field, f"{key} must be text in quotes", key=key, **place)
            return ""
        if required and not value.strip():
            self.problem(field, f"{key} is empty", key=key, **place)
        if one_line and "\n" in value.strip():
            self.problem(field, f"{key} must fit on one line", key=key, **place)
        if len(value.strip()) > limit:
            self.problem(field, f"{key} is too long (at most {limit:,} characters)", key=key,
                         **place)
        return value.strip()

    def build(self, data: dict[str, Any], *, path: Path | None, builtin: bool) -> Playbook | None:
        fmt = data.get("format", FORMAT)
        if fmt != FORMAT:
            self.problem("format", f"format {fmt!r} is not supported (this version reads "
                         f"{FORMAT})", key="format")
        self.unknown_fields(data, TOP_FIELDS, "")
        pid = self.text(data, "id", "id", required=True, one_line=True, limit=MAX_KEY)
        if pid and not _KEY.match(pid):
            self.problem("id", f"id {pid!r} must be lowercase letters, digits and dashes",
                         key="id")
        if "name" not in data and "title" in data:
            title = self.text(data, "title", "title", required=True, one_line=True,
                              limit=MAX_NAME)
        elif "name" not in data:
            self.problem("name", 'missing name: the playbook\'s title, e.g. name = "My handoff"')
            title = ""
        else:
            title = self.text(data, "name", "name", required=True, one_line=True,
                              limit=MAX_NAME)
        version = data.get("version", 1)
        if (not isinstance(version, int) or isinstance(version, bool)
                or not 1 <= version <= MAX_VERSION):
            self.problem("version", f"version must be a whole number from 1 to "
                         f"{MAX_VERSION:,}", key="version")
            version = 1
        roles = data.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) and r.strip()
                                                  for r in roles):
            self.problem("roles", 'roles must be a list of names, e.g. roles = ["CSM"]',
                         key="roles")
            roles = []
        sections = self.sections(data.get("sections"), tuple(r.strip() for r in roles))
        ready = self.ready_rules(data.get("ready", []))
        if self.problems:
            return None
        return Playbook(
            id=pid,
            name=title,
            version=version,
            sections=tuple(sections),
            summary=self.text(data, "summary", "summary", limit=MAX_LONG_TEXT),
            source=self.text(data, "source", "source", limit=MAX_LONG_TEXT),
            outgoing_label=self.text(data, "outgoing_label", "outgoing_label", one_line=True,
                                     limit=MAX_LABEL) or "Outgoing",
            incoming_label=self.text(data, "incoming_label", "incoming_label", one_line=True,
                                     limit=MAX_LABEL) or "Incoming",
            roles=tuple(r.strip() for r in roles),
            ready=tuple(ready),
            path=path,
            builtin=builtin,
        )

    def sections(self, raw: Any, roles: tuple[str, ...]) -> list[Section]:
        if not isinstance(raw, list) or not raw:
            self.problem("sections", "a playbook needs at least one [[sections]] table",
                         key="sections")
            return []
        seen_sections: dict[str, str] = {}
        seen_tasks: dict[str, str] = {}
        result = []
        for index, item in enumerate(raw, start=1):
            field = f"sections[{index}]"
            if not isinstance(item, dict):
                self.problem(field, "must be a table", section=index)
                continue
            self.unknown_fields(item, SECTION_FIELDS, f"{field}.", section=index)
            key = self.key(item, field, seen_sections, "section", section=index)
            title = self.text(item, "title", f"{field}.title", required=True, one_line=True,
                              section=index)
            record = self.record(item, f"{field}.record", section=index)
            tasks = self.tasks(item.get("tasks"), index, seen_tasks, roles)
            result.append(Section(key=key, title=title, tasks=tuple(tasks), record=record))
        return result

    def key(self, item: dict[str, Any], field: str, seen: dict[str, str], kind: str,
            **place: Any) -> str:
        """A section's or task's key: its id, unique in the playbook."""
        key = self.text(item, "key", f"{field}.key", required=True, one_line=True,
                        limit=MAX_KEY, **place)
        if key and not _KEY.match(key):
            self.problem(f"{field}.key", f"key {key!r} must be lowercase letters, digits and "
                         "dashes", key="key", **place)
        elif key in seen:
            self.problem(f"{field}.key", f"duplicate {kind} key {key!r}: {seen[key]} already "
                         f"uses it ({kind} keys must be unique in a playbook)", key="key",
                         **place)
        elif key:
            seen[key] = field
        return key

    def record(self, item: dict[str, Any], field: str, **place: Any) -> str | None:
        record = item.get("record")
        if record is None:
            return None
        if record not in RECORD_KINDS:
            self.problem(field, f"unknown record kind {record!r} (one of: "
                         f"{', '.join(RECORD_KINDS)})", key="record", **place)
            return None
        return record

    def tasks(self, raw: Any, section: int, seen: dict[str, str],
              roles: tuple[str, ...]) -> list[TaskTemplate]:
        parent = f"sections[{section}]"
        if not isinstance(raw, list) or not raw:
            self.problem(f"{parent}.tasks", "a section needs at least one [[sections.tasks]] "
                         "table", section=section)
            return []
        result = []
        for index, item in enumerate(raw, start=1):
            field = f"{parent}.tasks[{index}]"
            place: dict[str, Any] = {"section": section, "task": index}
            if not isinstance(item, dict):
                self.problem(field, "must be a table", **place)
                continue
            self.unknown_fields(item, TASK_FIELDS, f"{field}.", **place)
            key = self.key(item, field, seen, "task", **place)
            title = self.text(item, "title", f"{field}.title", required=True, one_line=True,
                              **place)
            owner_text = item.get("owner", "both")
            try:
                owner = Owner(owner_text)
            except ValueError:
                self.problem(f"{field}.owner", f"unknown owner {owner_text!r} (one of: "
                             "outgoing, incoming, both)", key="owner", **place)
                owner = Owner.BOTH
            due = None
            if "due" in item:
                try:
                    due = RelativeDate.parse(str(item["due"]))
                except ValueError as exc:
                    self.problem(f"{field}.due", str(exc), key="due", **place)
            result.append(TaskTemplate(
                key=key,
                title=title,
                guidance=self.text(item, "guidance", f"{field}.guidance", limit=MAX_LONG_TEXT,
                                   **place),
                owner=owner,
                due=due,
                record=self.record(item, f"{field}.record", **place),
                raci=self.raci(item.get("raci"), f"{field}.raci", roles, place),
            ))
        return result

    def raci(self, raw: Any, field: str, roles: tuple[str, ...],
             place: dict[str, Any]) -> dict[str, tuple[str, ...]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(field, 'raci must be a table like { R = ["CSM"], A = ["CS Lead"] }',
                         key="raci", **place)
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for letter, names in raw.items():
            if letter not in RACI_LETTERS:
                self.problem(f"{field}.{letter}", f"unknown RACI letter {letter!r} (one of: R, "
                             "A, C, I)", key="raci", **place)
                continue
            if isinstance(names, str):
                names = [names]
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                self.problem(f"{field}.{letter}", "must be a list of role names", key="raci",
                             **place)
                continue
            for role in names:
                if role in roles:
                    continue
                known = (f"the playbook's roles are: {', '.join(roles)}" if roles else
                         "the playbook lists no roles: add them to roles = [...] at the top")
                self.problem(f"{field}.{letter}", f"unknown role {role!r} ({known})",
                             key="raci", **place)
            result[letter] = tuple(names)
        return result

    # -- readiness rules ---------------------------------------------------------------

    def ready_rules(self, raw: Any) -> list[ReadyRule]:
        """The ``[[ready]]`` tables: what must be recorded before hand-over (or acceptance)."""
        if not isinstance(raw, list):
            self.problem("ready", "ready must be a list of [[ready]] tables", key="ready")
            return []
        if len(raw) > MAX_READY:
            self.problem("ready", f"at most {MAX_READY} [[ready]] rules", key="ready")
            return []
        seen: dict[str, str] = {}
        return [rule for index, item in enumerate(raw, start=1)
                if (rule := self.ready_rule(item, index, seen)) is not None]

    def ready_rule(self, item: Any, index: int, seen: dict[str, str]) -> ReadyRule | None:
        field = f"ready[{index}]"
        place: dict[str, Any] = {"ready": index}
        if not isinstance(item, dict):
            self.problem(field, "must be a table", **place)
            return None
        before = len(self.problems)
        self.unknown_fields(item, READY_FIELDS, f"{field}.", **place)
        key = self.key(item, field, seen, "ready rule", **place)
        title = self.text(item, "title", f"{field}.title", required=True, one_line=True,
                          **place)
        need = item.get("need", "some")
        if need not in NEEDS:
            self.problem(f"{field}.need", f"unknown need {need!r} (one of: {', '.join(NEEDS)})",
                         key="need", **place)
        at = item.get("at", "hand_over")
        if at not in STEPS:
            self.problem(f"{field}.at", f"unknown step {at!r} (one of: {', '.join(STEPS)})",
                         key="at", **place)
        record = item.get("record", "")
        kind = KIND_BY_KEY.get(record) if isinstance(record, str) else None
        if kind is None and (record or need != "verified"):
            self.problem(f"{field}.record", f"unknown record kind {record!r} (one of: "
                         f"{', '.join(RECORD_KINDS)})" if record else
                         "missing record: the kind of record the rule reads", key="record",
                         **place)
        names = kind.names if kind else ()

        def field_name(value: Any, what: str, types: tuple[FieldType, ...] = ()) -> str:
            if not isinstance(value, str) or value not in names:
                if kind is not None:
                    self.problem(f"{field}.{what}", f"{kind.noun} has no field {value!r} "
                                 f"(its fields: {', '.join(names)})", key=what, **place)
                return ""
            if types and kind is not None and kind.field(value).type not in types:
                self.problem(f"{field}.{what}", f"{value!r} is not a date field", key=what,
                             **place)
            return value

        where = []
        raw_where = item.get("where", {})
        if not isinstance(raw_where, dict):
            self.problem(f"{field}.where", 'where must be a table like { severity = "high" }',
                         key="where", **place)
            raw_where = {}
        for name, wanted in raw_where.items():
            if not field_name(name, "where") or kind is None:
                continue
            values = wanted if isinstance(wanted, list) else [wanted]
            spec = kind.field(name)
            for value in values:
                if spec.type is FieldType.BOOL and not isinstance(value, bool):
                    self.problem(f"{field}.where.{name}", "must be true or false", key="where",
                                 **place)
                elif spec.type is FieldType.CHOICE and value not in spec.values:
                    self.problem(f"{field}.where.{name}", f"{value!r} is not one of: "
                                 f"{', '.join(spec.values)}", key="where", **place)
                elif spec.type not in (FieldType.BOOL, FieldType.CHOICE) and not isinstance(
                        value, str):
                    self.problem(f"{field}.where.{name}", "must be text in quotes",
                                 key="where", **place)
            where.append((name, tuple(values)))
        filled = item.get("filled", [])
        if not isinstance(filled, list):
            self.problem(f"{field}.filled", 'filled must be a list of fields, e.g. ["email"]',
                         key="filled", **place)
            filled = []
        filled = [name for name in filled if field_name(name, "filled")]
        not_outgoing = item.get("not_outgoing", "")
        if not_outgoing:
            not_outgoing = field_name(not_outgoing, "not_outgoing")
        date_field, days = item.get("date_field", ""), item.get("within_days", 0)
        if date_field:
            date_field = field_name(date_field, "date_field", (FieldType.DATE,))
        if not _whole(days, 0, 3650):
            self.problem(f"{field}.within_days", "within_days must be a whole number of days "
                         "from 0 to 3650", key="within_days", **place)
            days = 0
        elif days and not date_field:
            self.problem(f"{field}.within_days", "within_days needs a date_field to count "
                         "from", key="within_days", **place)
        least = item.get("least", 1)
        if not _whole(least, 1, 1000):
            self.problem(f"{field}.least", "least must be a whole number from 1 to 1000",
                         key="least", **place)
            least = 1
        if len(self.problems) > before:
            return None
        return ReadyRule(key=key, title=title, record=record or "", need=need,
                         where=tuple(where), filled=tuple(filled), not_outgoing=not_outgoing,
                         date_field=date_field, within_days=days, least=least, at=at)


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def read_ready_rules(text: str) -> tuple[list[ReadyRule], list[Problem]]:
    """Rules kept on a handoff as JSON (see :meth:`ReadyRule.as_data`), checked exactly as
    a playbook's ``[[ready]]`` tables are: stored values are as untrusted as files."""
    import json

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return [], [Problem("stored readiness rules", None, "", "not JSON")]
    checker = Checker("stored readiness rules", "")
    rules = checker.ready_rules(data)
    return rules, checker.problems


def dump_ready_rules(rules: tuple[ReadyRule, ...] | list[ReadyRule]) -> str:
    """The rules as a handoff keeps them: JSON that :func:`read_ready_rules` reads back."""
    import json

    return json.dumps([rule.as_data() for rule in rules], ensure_ascii=False)
