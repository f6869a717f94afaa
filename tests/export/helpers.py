"""Snapshots built by hand (no database) and the Markdown parser the tests read exports with."""

from __future__ import annotations

from datetime import UTC, date, datetime

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.tasklists import tasklists_plugin

from transfer_tui.domain import Mode, Owner, Status
from transfer_tui.export.snapshot import HandoffSnapshot, SectionSnapshot, TaskSnapshot

CREATED = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
CHECKBOX = '<input class="task-list-item-checkbox"'


def parser() -> MarkdownIt:
    """CommonMark (raw HTML allowed, so any leak shows) with GFM tables, strike-through and
    task lists."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(tasklists_plugin)


def parse(text: str) -> SyntaxTreeNode:
    return SyntaxTreeNode(parser().parse(text))


def make_task(key: str, title: str = "Plain task", **fields) -> TaskSnapshot:
    values = dict(id=f"id-{key}", key=key, section_key="main", title=title, guidance="",
                  status=Status.TODO, owner=Owner.BOTH, note="", due_date=date(2026, 11, 20),
                  roles=(), changed_at=CREATED, changed_by="Dana Whitfield", version=2)
    values.update(fields)
    return TaskSnapshot(**values)


def make_snapshot(*, account: str = "Acme", outgoing: str = "Dana Whitfield",
                  incoming: str = "Sam Okafor", section_title: str = "Main section",
                  task: TaskSnapshot | None = None) -> HandoffSnapshot:
    """Two sections; the first holds ``task`` between two plain ones, so a task that
    leaks into its neighbours shows. Make ``task`` blocked to see it under "Needs
    attention" too."""
    first = task or make_task("nasty", status=Status.BLOCKED)
    main = SectionSnapshot("main", section_title, (
        make_task("before", "Before", status=Status.DONE), first, make_task("after", "After")))
    other = SectionSnapshot("other", "Other section", (
        make_task("last", "Last", section_key="other", owner=Owner.INCOMING),))
    return HandoffSnapshot(
        id="0123456789abcdef0123456789abcdef", account=account, outgoing=outgoing,
        incoming=incoming, target_date=date(2026, 12, 31), mode=Mode.DIRECT,
        playbook_id="test", playbook_name="Test playbook", playbook_version=1,
        created_at=CREATED, created_by=incoming, updated_at=CREATED, updated_by=incoming,
        sections=(main, other))


def inline_text(node: SyntaxTreeNode) -> str:
    """The text an inline node shows: breaks as newlines, the task checkbox left out."""
    out = []
    for child in node.children:
        if child.type == "html_inline" and child.content.startswith(CHECKBOX):
            continue
        if child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type in ("text", "code_inline"):
            out.append(child.content)
        else:
            out.append(inline_text(child))
    return "".join(out)


def walk(node: SyntaxTreeNode):
    yield node
    for child in node.children:
        yield from walk(child)
