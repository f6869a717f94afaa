"""Whatever people type stays text: the export parses into the same structure as one
made of plain words, and the text reads back as typed (parsed with markdown-it-py,
CommonMark + GFM tables and task lists, raw HTML on so any leak would show)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from markdown_it.tree import SyntaxTreeNode

from tests.export.helpers import CHECKBOX, inline_text, make_snapshot, make_task, parse, walk
from transfer_tui.cleantext import clean
from transfer_tui.domain import Status
from transfer_tui.export import escape, render_markdown

LONG_NOTE = ("Renewal | seats `250` <b>bold</b> # not a heading\n> quote [bold]x[/] 🚀 עברית\n"
             * 400)[:20_000]

CASES = {
    "pipe": "Plan | seats | term",
    "newlines": "first line\nsecond line\n\n\nnew paragraph\r\nwindows line\rold mac line",
    "backticks": "run `rm -rf` or ```\ncode fence\n```",
    "tildes": "~~not struck~~ about ~200 seats\n~~~\ntilde fence\n~~~",
    "hash at line start": "# Not a heading\n## nor this\nClosing #",
    "quote at line start": "> not a quote\n>> nor this",
    "task at line start": "- [x] not a task\n- [ ] nor this\n* star item\n+ plus item",
    "ordered list at line start": "1. not a list\n2) nor this\n2026. a year",
    "bold html": "<b>not bold</b> and <i>not italic</i>",
    "script": "<script>alert('x')</script>\n<div>block html</div>\n<!-- comment -->",
    "rich markup": "[bold]not bold[/] [red]x[/red] [link=http://x]y[/link] [/]",
    "wide characters": "🚀 renewal 🎉 顧客の更新 ｆｕｌｌｗｉｄｔｈ 👩🏽‍💻",
    "right to left": "עברית: החידוש בחודש הבא\nالعربية: التجديد \u202ereversed\u202c",
    "long note": LONG_NOTE,
    "emphasis": "*not em* **not strong** _not em_ __not strong__ snake_case_name ~~no strike~~",
    "links": "[a link](http://example.com) ![an image](x.png) <http://auto.link> [ref]\n"
             "[ref]: http://example.com",
    "setext and rules": "Looks like a heading\n===\nor this\n---\n***\n___",
    "setext underline last": "A heading?\n===",
    "dash underline last": "A heading?\n---",
    "indented code": "text\n\n    indented four\n\ttabbed",
    "entities": "&amp; &lt;b&gt; &#60; &copy; AT&T;",
    "table row": "a | b\n--|--\n:-|-:\n| c | d |",
    "backslashes": "C:\\Users\\dana\\ and a trailing backslash \\\nescaped \\| pipe \\*",
    "control characters": "\x1b[31mred\x1b[0m \x07bell\x00nul \x1b]8;;http://x\x1b\\link",
}


def flat(text: str) -> str:
    return clean(text).replace("\n", " ").replace("\t", " ").strip()


def note_text(text: str) -> str:
    """A note as it should read back: lines trimmed, blank runs as one paragraph break."""
    paragraphs, current = [], []
    for line in clean(text).split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)


def shape(text: str) -> str:
    """Plain words with the same lines and blank lines: the structure ``text`` must give."""
    return re.sub(r"[^\n]+", "plain", note_text(text))


def render(text: str, *, note: str | None = None) -> str:
    task = make_task("nasty", title=text, note=text if note is None else note,
                     status=Status.IN_PROGRESS, due_date=None, changed_by=text,
                     roles=(("R", (text, "CSM")),))
    snapshot = make_snapshot(account=text, outgoing=text, incoming=text + " 2",
                             section_title=text, task=task)
    return render_markdown(snapshot)


def structure(tree: SyntaxTreeNode) -> Iterator[tuple]:
    """Every node but the text itself: type, tag, attributes, and its place."""
    for node in walk(tree):
        if node.is_root or node.type == "text":
            continue
        attrs = {k: v for k, v in node.attrs.items() if k != "checked"}
        yield node.type, node.tag, tuple(sorted(attrs.items())), len(node.children)


def merged(tree: SyntaxTreeNode) -> SyntaxTreeNode:
    """Consecutive text tokens read as one, however the parser split them."""
    for node in walk(tree):
        if node.type != "inline":
            continue
        kept: list = []
        for child in node.children:
            if child.type == "text" and kept and kept[-1].type == "text":
                kept[-1].token.content += child.content
            else:
                kept.append(child)
        node.children = kept
    return tree


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_user_text_never_changes_the_structure(text: str) -> None:
    nasty = merged(parse(render(text)))
    baseline = merged(parse(render("plain", note=shape(text))))
    assert list(structure(nasty)) == list(structure(baseline))
    for node in walk(nasty):
        assert node.type != "html_block"
        assert node.type != "html_inline" or node.content.startswith(CHECKBOX)
        assert node.type not in ("link", "image", "em", "s", "code_inline", "code_block",
                                 "fence") or node.content.isalnum()


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_user_text_reads_back_as_typed(text: str) -> None:
    tree = parse(render(text))
    headings = [n for n in walk(tree) if n.type == "heading"]
    assert inline_text(headings[0].children[0]) == f"Account handoff: {flat(text)}"
    assert any(inline_text(h.children[0]) == f"{flat(text)} (1 of 3 done)"
               for h in headings if h.tag == "h3")
    paragraphs = [inline_text(n.children[0]) for n in walk(tree) if n.type == "paragraph"]
    assert any(p.startswith(f"Left: {flat(text)} (Outgoing CSM) ") for p in paragraphs)

    lists = [n for n in walk(tree) if n.type == "bullet_list"
             and n.attrs.get("class") == "contains-task-list"]
    items = lists[0].children
    assert len(items) == 2  # done "Before", then the nasty task ("After" is due: above)
    assert all(item.attrs.get("class") == "task-list-item" for item in items)
    paragraphs = [inline_text(p.children[0]) for p in items[1].children]
    first, _, note = paragraphs[0].partition("\n")
    assert first.startswith(f" {flat(text)} · in progress · ")
    assert "\n\n".join([note, *paragraphs[1:]]) == note_text(text)

    cells = [[inline_text(cell.children[0]) for cell in row.children]
             for row in walk(tree) if row.type == "tr"]
    assert [flat(text), "1/3", "2", "0"] in cells  # progress by section
    assert [flat(text), "1", "2026-11-01 09:30 UTC"] in cells  # last changes, by person


def test_inline_escapes_only_what_could_start_markup() -> None:
    assert escape.inline("Plain words, 250 seats (231 used). Done!") == (
        "Plain words, 250 seats (231 used). Done!")
    assert escape.inline("snake_case and #channel") == "snake_case and #channel"
    assert escape.inline("# C# team #", heading=True) == "\\# C\\# team \\#"
    assert escape.cell("a | b") == "a \\| b"


def test_note_lines_keep_hard_breaks_and_paragraphs() -> None:
    assert escape.lines(" one \n two\n\n\n three\n") == ["one\\", "two", "", "three"]
    assert escape.lines("") == []
    assert escape.lines("- [x] item") == ["\\- \\[x\\] item"]
