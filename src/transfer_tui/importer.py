"""Read a realignment CSV into checked new handoffs, noting every bad row with its line.

No SQL here: the rows are checked first (names, dates, people, playbook,
duplicates in the file), and the store writes them all in one transaction only
when no row is bad.
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

from transfer_tui.cleantext import one_line
from transfer_tui.playbooks import PlaybookError, Registry
from transfer_tui.playbooks.model import Playbook
from transfer_tui.store.bulk import NewHandoff
from transfer_tui.store.handoffs import check_new_handoff
from transfer_tui.textfiles import TextFileError, text_lines

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
    "account id": "account_id",
}
REQUIRED = ("account", "outgoing", "incoming")
EXPECTED = ("account, from, to, target date, playbook (any order; target date, playbook, "
            "renewal date, mode and account id may be left out)")
_NAMES = {"account": "account", "outgoing": "from", "incoming": "to",
          "target_date": "target date", "playbook": "playbook", "renewal_date": "renewal date",
          "mode": "mode", "account_id": "account id"}


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


def _lines(path: Path) -> Generator[str, None, None]:
    try:
        yield from text_lines(path, MAX_CSV_BYTES, "a CSV file")
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
    lines = _lines(path)
    for first_line in lines:  # the first line that is not blank
        if first_line.strip("\r\n"):
            break
    else:
        raise ImportFileError(f"{name} is empty: expected a header row ({layout.expected}) "
                              "and one row per handoff")
    if not first_line.strip() and not any(line.strip() for line in lines):
        raise ImportFileError(f"{name} is empty: expected a header row ({layout.expected}) "
                              "and one row per handoff")
    lines.close()
    lines = _lines(path)  # from the top again, so csv counts the lines as they are
    reader = csv.reader(lines, delimiter=_delimiter(first_line.rstrip("\r\n")))
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


def read_import(path: Path, registry: Registry) -> tuple[ImportRows, list[RowProblem]]:
    """The problems of every bad row (then import nothing), and the good rows: read from
    the file again as they are written, so a big import never holds them all."""
    problems: list[RowProblem] = []
    good = 0
    for _line, row, problem in _checked(path, registry):
        if problem is not None:
            problems.append(problem)
        elif row is not None:
            good += 1
    return ImportRows(path, registry, good), problems


class ImportRows:
    """The rows of a CSV checked once by :func:`read_import`, walked again from the file
    (each row checked again) as the store writes them: 50,000 rows are one at a time in
    memory, not all at once. A file that changed in between so that a row is now bad, or
    there are more or fewer rows, raises ImportFileError while the store's transaction
    is still open: it rolls back and nothing is imported."""

    def __init__(self, path: Path, registry: Registry, count: int):
        self.path, self.registry, self.count = path, registry, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[NewHandoff]:
        walked = 0
        for line, row, problem in _checked(self.path, self.registry):
            if problem is not None:
                raise ImportFileError(f"{problem} (the file changed while it was imported: "
                                      "nothing imported)")
            if row is not None:
                walked += 1
                yield NewHandoff(line, row, row.pop("_playbook"))
        if walked != self.count:
            raise ImportFileError(f"{self.path} changed while it was imported ({walked} rows "
                                  f"instead of {self.count}): nothing imported")


def _checked(path: Path, registry: Registry
             ) -> Iterator[tuple[int, dict | None, RowProblem | None]]:
    """Each row with its clean values, or what is wrong with it (duplicates in the file
    included): (line, values or None, problem or None)."""
    name = str(path)
    seen: dict[str, int] = {}  # one string a row, not a pair: 50,000 rows, 5 MB less
    playbooks: dict[str, Playbook | str] = {}
    for line, fields, cells in csv_rows(path, IMPORT_LAYOUT):
        row, why = _row(cells, fields, registry, playbooks)
        if row is not None:  # _header_name leaves no line break: it keeps the two apart
            key = f"{_header_name(row['account'])}\n{_header_name(row['incoming'])}"
            if key in seen:
                why.append(f"same account and incoming CSM as line {seen[key]}")
            else:
                seen[key] = line
        if why:
            yield line, None, RowProblem(name, line, "; ".join(why))
        else:
            yield line, row, None


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
                                       raw.get("renewal_date"), raw.get("account_id"))
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
