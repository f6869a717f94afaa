"""The sign-off line: where the two-sided sign-off stands, with people's text kept as text."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.export.helpers import inline_text, make_snapshot, parse, walk
from tests.export.test_escape import CASES, flat
from transfer_tui.export import render_json, render_markdown
from transfer_tui.export.snapshot import SignOff

HANDED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
REJECTED = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def sign_off_paragraph(markdown: str) -> str:
    tree = parse(markdown)
    texts = [inline_text(node.children[0]) for node in walk(tree) if node.type == "paragraph"]
    (line,) = [t for t in texts if t.startswith("Sign-off:")]
    return line


def test_each_state_reads_plainly() -> None:
    snapshot = make_snapshot()
    assert sign_off_paragraph(render_markdown(snapshot)) == "Sign-off: not handed over yet."
    waiting = replace(snapshot, sign_off=SignOff("handed_over", HANDED, "Dana Whitfield"))
    assert sign_off_paragraph(render_markdown(waiting)) == (
        "Sign-off: handed over by Dana Whitfield on 2026-11-20; waiting for Sam Okafor to "
        "accept it.")
    done = replace(snapshot, sign_off=SignOff("accepted", HANDED, "Dana Whitfield", REJECTED,
                                              "Sam Okafor"))
    assert sign_off_paragraph(render_markdown(done)) == (
        "Sign-off: handed over by Dana Whitfield on 2026-11-20, accepted by Sam Okafor on "
        "2026-11-22: done.")
    data = json.loads(render_json(done))["handoff"]["sign_off"]
    assert data["state"] == "accepted" and data["accepted_by"] == "Sam Okafor"


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_rejection_reason_stays_one_plain_line(text: str) -> None:
    snapshot = replace(make_snapshot(), sign_off=SignOff(
        "rejected", HANDED, "Dana", rejected_at=REJECTED, rejected_by=text,
        rejection_reason=text))
    markdown = render_markdown(snapshot)
    baseline = render_markdown(replace(snapshot, sign_off=replace(
        snapshot.sign_off, rejected_by="plain", rejection_reason="plain")))
    assert len(list(walk(parse(markdown)))) == len(list(walk(parse(baseline))))
    assert all(n.type not in ("html_inline", "html_block") or n.content.startswith("<input")
               for n in walk(parse(markdown)))
    expected_reason = " ".join(flat(text).split())
    assert sign_off_paragraph(markdown) == (
        f"Sign-off: rejected by {flat(text)} on 2026-11-22: {expected_reason}")
    data = json.loads(render_json(snapshot))["handoff"]["sign_off"]
    assert data["state"] == "rejected"
