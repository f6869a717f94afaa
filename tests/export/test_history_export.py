"""export --history: every change appended, oldest first, in Markdown and JSON; without the
flag the export is the same bytes as before."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.export.helpers import CHECKBOX, CREATED, inline_text, make_snapshot, parse, walk
from tests.export.test_escape import CASES, flat, note_text
from transfer_tui.cli import main
from transfer_tui.demo import demo_id
from transfer_tui.export import ExportOptions, render_json, render_markdown
from transfer_tui.export.snapshot import ChangeSnapshot
from transfer_tui.store import Store

GLOBEX = demo_id("Globex Logistics")
HISTORY = ExportOptions(history=True)


def change(field: str, old: str | None, new: str | None, *, minutes: int = 0, actor="Dana",
           subject="Plain task", change_id="c1", entity="task", undo=False) -> ChangeSnapshot:
    return ChangeSnapshot(id=f"e{minutes}{field}", change_id=change_id,
                          at=CREATED + timedelta(minutes=minutes), actor=actor, entity=entity,
                          entity_id="id-nasty", subject=subject, field=field, old=old, new=new,
                          undo=undo)


def history_items(text: str) -> list[str]:
    tree = parse(text)
    nodes = list(walk(tree))
    start = next(i for i, n in enumerate(nodes) if n.type == "heading"
                 and inline_text(n.children[0]) == "History")
    lists = [n for n in nodes[start:] if n.type == "bullet_list"]
    return ["\n".join(inline_text(p.children[0]) for p in item.children)
            for item in lists[0].children]


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_what_people_typed_stays_inside_its_line(text: str) -> None:
    snapshot = replace(make_snapshot(), history=(
        change("created", None, '{"id": "x"}', minutes=0, subject=text, change_id="c0"),
        change("status", "todo", "blocked", minutes=1, actor=text, subject=text),
        change("note", "", text, minutes=2, actor=text, subject=text),
        change("note", text, "short", minutes=3, subject=text, undo=True, change_id="c3"),
    ))
    items = history_items(render_markdown(snapshot, HISTORY))
    assert len(items) == 4  # nothing leaked out of its item, nothing merged into another
    assert items[0].endswith(f"created the task {flat(text)}")
    assert items[1] == f"2026-11-01 09:31 UTC · {flat(text)} · {flat(text)}: status todo → blocked"
    head, _, body = items[2].partition("\n")
    if body:  # a long or multi-line note is given in full below its line
        assert head.endswith(", was (empty), now:")
        assert body == note_text(text).replace("\n\n", "\n")
    assert items[3].startswith("2026-11-01 09:33 UTC · Dana · undid a change: ")
    assert items[3].endswith("→ short")
    for node in walk(parse(render_markdown(snapshot, HISTORY))):
        assert node.type != "html_block"
        assert node.type != "html_inline" or node.content.startswith(CHECKBOX)


def test_rows_created_together_make_one_line() -> None:
    snapshot = replace(make_snapshot(), history=(
        change("created", None, "{}", entity="handoff", subject="Acme"),
        *(change("created", None, "{}", subject=f"Task {n}") for n in range(34)),
        change("status", "todo", "done", minutes=5, change_id="c2"),
    ))
    items = history_items(render_markdown(snapshot, HISTORY))
    assert [item.split(" · ", 2)[2] for item in items] == [
        "created the handoff Acme", "created 34 tasks", "Plain task: status todo → done"]


def test_without_history_nothing_changes() -> None:
    snapshot = replace(make_snapshot(), history=(change("status", "todo", "done"),))
    assert render_markdown(snapshot) == render_markdown(make_snapshot())
    assert render_json(snapshot) == render_json(make_snapshot())
    assert "## History" not in render_markdown(snapshot)


def test_a_real_handoff_history_in_markdown_and_json(demo_store: Store) -> None:
    task = demo_store.checklist(GLOBEX).tasks[-1]
    demo_store.update_task(task.id, status="blocked", note="Waiting on\nlegal")
    demo_store.undo_last(GLOBEX)
    snapshot = demo_store.snapshot(GLOBEX, history=True)
    events = demo_store.query("SELECT count(*) FROM event WHERE handoff_id = ?", (GLOBEX,))
    assert len(snapshot.history) == events[0][0]
    assert [c.at for c in snapshot.history] == sorted(c.at for c in snapshot.history)
    text = render_markdown(snapshot, HISTORY)
    items = history_items(text)
    assert items[0].endswith("created the handoff Globex Logistics")
    assert items[1].endswith("created 38 tasks")
    assert items[-1].startswith("2026-11-25 09:00 UTC · Sam Okafor · undid a change: ")
    data = json.loads(render_json(snapshot, HISTORY))
    assert len(data["history"]) == len(snapshot.history)
    first = data["history"][0]
    assert (first["field"], first["entity"], first["by"]) == ("created", "handoff",
                                                              "Marco Bellini")
    assert first["new"]["account"] == "Globex Logistics"  # the row, as an object
    last = data["history"][-1]
    assert last["undo"] is True and last["at"] == "2026-11-25T09:00:00+00:00"
    assert {"id", "change_id", "at", "by", "entity", "entity_id", "subject", "field", "old",
            "new", "undo"} == last.keys()


def test_export_history_from_the_shell(capsys, demo_store: Store, db_path: Path) -> None:
    for args, fmt in (([], "md"), (["--format", "json"], "json")):
        code = main(["--db", str(db_path), "export", "Globex", "--history", *args])
        out, _ = capsys.readouterr()
        assert code == 0
        if fmt == "md":
            assert "\n## History\n" in out
        else:
            assert json.loads(out)["history"]
    main(["--db", str(db_path), "export", "Globex"])
    assert "## History" not in capsys.readouterr()[0]
