"""Markdown escaping for what people typed, so it stays text wherever it is pasted.

Every character that could start a CommonMark or GFM construct is escaped with a
backslash (the one escape CommonMark defines for all ASCII punctuation), and
only those, so the raw text stays readable in an email:

* anywhere: ``\\ ` * [ ] < | ~``, ``_`` unless inside a word, ``&`` before an
  entity name, so no emphasis, code, link, HTML, table cell or strike-through;
* at the start of a line: ``# > - + =`` and ``1.``/``1)``, so no heading, quote,
  list item, setext underline or thematic break; leading spaces are dropped, so
  no indented code block;
* control characters and bidi overrides go (:func:`transfer_tui.cleantext.clean`).

Three shapes: :func:`inline` (one line: titles, names, list items),
:func:`cell` (a GFM table cell) and :func:`lines` (a multi-line note, each line
kept with a hard line break, ready to indent under a list item).
"""

from __future__ import annotations

import re

from transfer_tui.cleantext import clean

_ALWAYS = frozenset("\\`*[]<|~")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = frozenset("#>-+=")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")
# Any character _escape_chars may touch; most titles and names hold none of them.
_SPECIAL = re.compile(r"[\\`*\[\]<|~_&]")
_SPECIAL_OR_HASH = re.compile(r"[\\`*\[\]<|~_&#]")


def _is_alnum(char: str) -> bool:
    return char.isalnum()


def _escape_chars(text: str, *, hashes: bool = False) -> str:
    if not (_SPECIAL_OR_HASH if hashes else _SPECIAL).search(text):
        return text  # nothing to escape: exporting 10,000 handoffs is mostly this
    out: list[str] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        if char in _ALWAYS or (hashes and char == "#"):
            out.append("\\")
        elif char == "_":
            inside_word = (
                0 < index < last and _is_alnum(text[index - 1]) and _is_alnum(text[index + 1])
            )
            if not inside_word:
                out.append("\\")
        out.append(char)
    return _ENTITY.sub(r"\\&", "".join(out))


def _escape_line(line: str, *, hashes: bool = False) -> str:
    """One line of user text, safe at the start of a Markdown line."""
    escaped = _escape_chars(line.strip(), hashes=hashes)
    if escaped[:1] in _LINE_START:
        return "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped)


def inline(text: str | None, *, heading: bool = False) -> str:
    """One line of user text: newlines and tabs become spaces.

    Safe mid-line and at the start of a list item; with ``heading=True`` every
    ``#`` is escaped too, so no closing sequence eats the end of a heading.
    """
    flat = clean(text).replace("\n", " ").replace("\t", " ")
    return _escape_line(flat, hashes=heading)


def cell(text: str | None) -> str:
    """A GFM table cell: one line, with ``|`` escaped so it never splits the row."""
    return inline(text)


def lines(text: str | None) -> list[str]:
    """A multi-line note as Markdown lines, without indentation.

    Lines of one paragraph end with a backslash (a hard line break), so the
    note keeps its lines when rendered; a blank line (runs of them become one)
    separates paragraphs and is returned as ``""``. Indent every non-empty line
    to the content column of a list item and the note stays part of the item.
    """
    paragraphs: list[list[str]] = [[]]
    for raw in clean(text).split("\n"):
        line = raw.strip()
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        paragraphs[-1].append(_escape_line(line))
    out: list[str] = []
    for paragraph in paragraphs:
        if not paragraph:
            continue
        if out:
            out.append("")
        out.extend(line + "\\" for line in paragraph[:-1])
        out.append(paragraph[-1])
    return out
