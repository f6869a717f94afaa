"""Read a realignment CSV into checked new handoffs, noting every bad row with its line.

No SQL here: the rows are checked first (names, dates, people, playbook,
duplicates in the file), and the store writes them all in one transaction only
when no row is bad.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from transfer_tui.cleantext import one_line
from transfer_tui.playbooks import PlaybookError, Registry
from transfer_tui.playbooks.model import Playbook
from transfer_tui.store.bulk import NewHandoff
from transfer_tui.store.handoffs import check_new_handoff
from transfer_tui.textfiles import TextFileError, read_text_file

# header as written (lowercase, spaces) -> field
COLUMNS = {
    "account": "account",
    "from": "outgoing",
    "outgoing": "outgoing",
    "to": "incoming",
    "incoming": "incoming",
    "target date": "target_date",
    "target": "target_date",
    "playbook": "playbook",
    "renewal date": "renewal_date",
    "renewal": "renewal_date",
    "mode": "mode",
}
REQUIRED = ("account", "outgoing", "incoming")
EXPECTED = ("account, from, to, target date, playbook (any order; target date, playbook, "
            "renewal date and mode may be left out)")
_NAMES = {"account": "account", "outgoing": "from", "incoming": "to",
          "target_date": "target date", "playbook": "playbook", "renewal_date": "renewal date",
          "mode": "mode"}


MAX_CSV_BYTES = 64 * 1024 * 1024  # 20,000 rows are about 2 MB


class ImportFileError(Exception):
    """The file as a whole cannot be imported: one line that says why."""


@dataclass(frozen=True)
class RowProblem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _header_name(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _read_text(path: Path) -> str:
    try:
        return read_text_file(path, MAX_CSV_BYTES, "a CSV file")
    except TextFileError as exc:
        if "UTF-8" in str(exc):
            raise ImportFileError(f"{path} is not UTF-8 text: save it as \"CSV UTF-8\" and "
                                  "try again") from None
        raise ImportFileError(f"{path}: {exc}") from None


def _delimiter(header_line: str) -> str:
    """Comma, or the semicolon or tab some spreadsheets write instead."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


@dataclass(frozen=True)
class CsvLayout:
    """What a CSV must hold: header names (as written, loosely) -> field, the required
    fields, each field's name for messages, and the expected header in words."""

    columns: dict[str, str]
    required: tuple[str, ...]
    names: dict[str, str]
    expected: str


IMPORT_LAYOUT = CsvLayout(COLUMNS, REQUIRED, _NAMES, EXPECTED)


def _columns(header: list[str], name: str, layout: CsvLayout) -> list[str]:
    fields: list[str] = []
    for cell in header:
        key = _header_name(cell)
        field = layout.columns.get(key)
        if field is None:
            raise ImportFileError(f"{name}: unknown column {cell.strip()!r} in the header row; "
                                  f"expected {layout.expected}")
        if field in fields:
            raise ImportFileError(f"{name}: the {layout.names[field]!r} column appears twice "
                                  "in the header row")
        fields.append(field)
    missing = [layout.names[f] for f in layout.required if f not in fields]
    if missing:
        raise ImportFileError(f"{name}: the header row has no {', '.join(map(repr, missing))} "
                              f"column; expected {layout.expected}")
    return fields


def csv_rows(path: Path, layout: CsvLayout) -> Iterator[tuple[int, list[str], list[str]]]:
    """Each non-empty row under the header: (line, the header's fields, the row's cells).
    ImportFileError for a file that cannot be read at all (one line saying why)."""
    name = str(path)
    text = _read_text(path)
    if not text.strip():
        raise ImportFileError(f"{name} is empty: expected a header row ({layout.expected}) "
                              "and one row per handoff")
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header: list[str] = []
        while not any(cell.strip() for cell in header):
            header = next(reader)
        fields = _columns(header, name, layout)
        end = reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield line, fields, cells
    except csv.Error as exc:
        raise ImportFileError(f"{name}:{reader.line_num}: not readable as CSV: {exc}") from None
    except StopIteration:
        raise ImportFileError(f"{name} is empty: expected a header row "
                              f"({layout.expected})") from None


def read_import(path: Path, registry: Registry) -> tuple[list[NewHandoff], list[RowProblem]]:
    """Every row as a NewHandoff, or the problems of every bad row (then import nothing)."""
    name = str(path)
    rows: list[NewHandoff] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    playbooks: dict[str, Playbook | str] = {}
    for line, fields, cells in csv_rows(path, IMPORT_LAYOUT):
        row, why = _row(cells, fields, registry, playbooks)
        if row is not None:
            key = (_header_name(row["account"]), _header_name(row["incoming"]))
            if key in seen:
                why.append(f"same account and incoming CSM as line {seen[key]}")
            else:
                seen[key] = line
        if why:
            problems.append(RowProblem(name, line, "; ".join(why)))
        elif row is not None:
            rows.append(NewHandoff(line, row, row.pop("_playbook")))
    return rows, problems


def _row(cells: list[str], fields: list[str], registry: Registry,
         playbooks: dict[str, Playbook | str]) -> tuple[dict | None, list[str]]:
    """The row's clean values, or why it is bad (every reason at once)."""
    if len(cells) > len(fields) and any(c.strip() for c in cells[len(fields):]):
        return None, [f"{len(cells)} values but the header has {len(fields)} columns"]
    raw = {f: (cells[i].strip() if i < len(cells) else "") for i, f in enumerate(fields)}
    why = [f"{_NAMES[f]} is empty" for f in REQUIRED if not raw.get(f)]
    values, errors = check_new_handoff(raw.get("account", ""), raw.get("outgoing", ""),
                                       raw.get("incoming", ""), raw.get("target_date"),
                                       (raw.get("mode") or "direct").lower(),
                                       raw.get("renewal_date"))
    why += [message for field, message in errors.items() if raw.get(field) or field not in
            REQUIRED]
    playbook = _playbook(raw.get("playbook", ""), registry, playbooks)
    if isinstance(playbook, str):
        why.append(playbook)
        playbook = None
    values["_playbook"] = playbook
    return (None if why else values), why


def _playbook(ref: str, registry: Registry,
              cache: dict[str, Playbook | str]) -> Playbook | str | None:
    """The playbook a row names by its id, or why not. Never a file path: a CSV comes from
    anyone, and a path there would make the import read any file on the machine (a
    playbook of your own goes in the playbooks folder, then its id works here)."""
    if not ref:
        return None
    if ref not in cache:
        try:
            cache[ref] = registry.find_id(ref)
        except PlaybookError as exc:
            known = ", ".join(p.id for p in registry.playbooks)
            first = exc.problems[0].message if exc.problems else "not usable"
            cache[ref] = (f"unknown playbook {one_line(ref, 60)!r} (known: {known}; a CSV "
                          "names playbooks by id)" if "no playbook with this id" in first
                          else f"playbook {ref!r} cannot be used: {exc}")
    return cache[ref]
