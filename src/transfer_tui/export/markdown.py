"""The handoff summary as CommonMark with GFM tables and task lists.

Three readers: the team's summary (this module, the default), the manager's one
page (:mod:`.manager`) and the customer's letter (:mod:`.customer`);
:func:`render_markdown` picks by ``options.audience``.

The team's document is the blocks of :data:`MARKDOWN_SECTIONS`, in order,
separated by a blank line, and names each task once: blocked, overdue and the
next due tasks under "Needs attention", every other task in the checklist. Each
renderer takes the snapshot and the options and returns its block (or ``""`` to
leave it out). Every piece of user text goes through :mod:`.escape`; times are
written in UTC and nothing reads the clock, so the same database gives the same
bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from transfer_tui.cleantext import clean
from transfer_tui.domain import Mode, Owner, Status
from transfer_tui.export import escape, records_md
from transfer_tui.export.snapshot import (
    Attention,
    ChangeSnapshot,
    ExportOptions,
    HandoffSnapshot,
    SectionSnapshot,
    TaskSnapshot,
)
from transfer_tui.timefmt import days_until

Renderer = Callable[[HandoffSnapshot, ExportOptions], str]

#: Open tasks with a due date listed under "Needs attention"; the rest are counted.
DUE_LIMIT = 8
_INDENT = "  "  # the content column of "- " list items


def utc(stamp: datetime) -> str:
    """A stored time as written in the export: UTC, whatever the reader's zone."""
    return f"{stamp.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _note(lines: list[str], indent: str = _INDENT) -> str:
    return "\n".join(indent + line if line else "" for line in lines)


def _item(first: str, note: str | None = None) -> str:
    """A list item whose note (several lines, several paragraphs) stays inside it."""
    body = escape.lines(note)
    if not body:
        return first
    return f"{first}\\\n{_note(body)}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def sign_off_line(snapshot: HandoffSnapshot) -> str:
    """Where the sign-off stands: the incoming CSM has the last word."""
    step = snapshot.sign_off
    if step.state == "accepted" and step.accepted_at:
        return (f"**Sign-off:** handed over by {escape.inline(step.handed_over_by or '')}"
                f" on {step.handed_over_at.astimezone(UTC):%Y-%m-%d}, accepted by "
                f"{escape.inline(step.accepted_by or '')} on "
                f"{step.accepted_at.astimezone(UTC):%Y-%m-%d}: done."
                if step.handed_over_at else
                f"**Sign-off:** accepted by {escape.inline(step.accepted_by or '')} on "
                f"{step.accepted_at.astimezone(UTC):%Y-%m-%d}: done.")
    if step.state == "handed_over" and step.handed_over_at:
        return (f"**Sign-off:** handed over by {escape.inline(step.handed_over_by or '')} on "
                f"{step.handed_over_at.astimezone(UTC):%Y-%m-%d}; waiting for "
                f"{escape.inline(snapshot.incoming)} to accept it.")
    if step.state == "rejected" and step.rejected_at:
        reason = escape.inline(" ".join((step.rejection_reason or "").split()))
        return (f"**Sign-off:** rejected by {escape.inline(step.rejected_by or '')} on "
                f"{step.rejected_at.astimezone(UTC):%Y-%m-%d}: {reason}")
    return "**Sign-off:** not handed over yet."


def readiness_line(snapshot: HandoffSnapshot) -> str:
    ready = snapshot.readiness
    if ready is None:
        return "**Readiness:** not checked: this playbook declares no readiness rules."
    if ready.ready:
        return f"**Readiness:** ready ({ready.met} of {ready.total} checks met)."
    missing = "; ".join(escape.inline(item) for item in ready.unmet)
    return f"**Readiness:** {ready.met} of {ready.total} checks met; missing: {missing}."


def title(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """The account, then one line: who to whom, created, target, mode, progress."""
    target = "no target date"
    if snapshot.target_date is not None:
        target = f"target date {snapshot.target_date.isoformat()}"
        if options.as_of is not None and snapshot.open and snapshot.target_date < options.as_of:
            target += f" ({days_until(snapshot.target_date, options.as_of)})"
    mode = (f"shadowing (the {escape.inline(snapshot.outgoing_label)} leads calls, the "
            f"{escape.inline(snapshot.incoming_label)} shadows)"
            if snapshot.mode is Mode.SHADOWING else "direct")
    work = "tasks and promises" if snapshot.promises else ("task" if snapshot.total == 1
                                                            else "tasks")
    progress = f"{snapshot.done} of {snapshot.total} {work} done ({snapshot.percent}%)"
    if snapshot.blocked:
        progress += f", {snapshot.blocked} blocked"
    line = (
        f"{escape.inline(snapshot.outgoing)} ({escape.inline(snapshot.outgoing_label)}) → "
        f"{escape.inline(snapshot.incoming)} ({escape.inline(snapshot.incoming_label)}) · "
        f"created {snapshot.created_at.astimezone(UTC):%Y-%m-%d} · {target} · "
        f"transition: {mode} · {progress}"
    )
    about = (f"Playbook: {escape.inline(snapshot.playbook_name)} (version "
             f"{snapshot.playbook_version}) · handoff id {escape.inline(snapshot.id)}")
    blocks = [f"# Account handoff: {escape.inline(snapshot.account, heading=True)}"]
    if stamp := as_of_line(options, "open tasks due before that day are marked overdue"):
        blocks.append(stamp)
    ready = "\\\n" + readiness_line(snapshot) if snapshot.readiness is not None else ""
    account = (f" · account id {escape.inline(snapshot.account_id)}" if snapshot.account_id
               else "")
    blocks += [line, sign_off_line(snapshot) + ready, about + account]
    if snapshot.handed_off_before:
        blocks.append(account_history_block(snapshot))
    return "\n\n".join(blocks)


def account_history_block(snapshot: HandoffSnapshot) -> str:
    """Who held the account before, when, and accepted when: shown once the account has
    had more than one handoff."""
    lines = [f"- {turn.describe(escape.inline)}" for turn in snapshot.account_history]
    return "**Account history** (every handoff of this account, oldest first):\n\n" + (
        "\n".join(lines))


def as_of_line(options: ExportOptions, what: str) -> str:
    """``As of today, 2026-11-25: ...`` (or ``As of 2026-11-25`` for a day asked for), and
    the generated-at line; the first lines of every export, so a reader knows when."""
    stamp = []
    if options.as_of is not None:
        day = options.as_of.isoformat()
        stamp.append(f"As of {'today, ' if options.as_of_today else ''}{day}"
                     f"{': ' + what if what else ''}.")
    if options.generated_at is not None:
        by = f" by {escape.inline(options.generated_by)}" if options.generated_by else ""
        stamp.append(f"Generated {utc(options.generated_at)}{by}.")
    return " ".join(stamp)


def owner_name(snapshot: HandoffSnapshot, owner: Owner) -> str:
    """Who does a task: the person's name, or "both"."""
    return "both" if owner is Owner.BOTH else escape.inline(snapshot.person(owner))


def _where(snapshot: HandoffSnapshot, entry: Attention) -> str:
    """Title (section) · status where it says more than todo · owner."""
    task = entry.task
    status = "" if task.status in (Status.TODO, Status.BLOCKED) else f"**{task.status.label}** · "
    return (f"{escape.inline(task.title)} ({escape.inline(entry.section.title)}) · {status}"
            f"owner: {owner_name(snapshot, task.owner)}")


def attention_shown(snapshot: HandoffSnapshot, options: ExportOptions) -> list[Attention]:
    """The tasks "Needs attention" lists: blocked, overdue and the next DUE_LIMIT due."""
    entries = snapshot.attention(options.as_of)
    due = [e for e in entries if e.reason == "due"]
    return [e for e in entries if e.reason != "due"] + due[:DUE_LIMIT]


def needs_attention(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """Blocked first (with their note: why), then overdue, then records someone must act
    on (open promises, unhandled high risks...), then the next due dates."""
    entries = snapshot.attention(options.as_of)
    record_items = records_md.attention_items(snapshot, options)
    out = ["## Needs attention"]
    if not entries and not record_items:
        out.append("Nothing: every task is done or n/a." if not snapshot.open else
                   "Nothing: no task is blocked and no open task has a due date.")
        return "\n\n".join(out)
    items = []
    due_shown = 0
    for entry in entries:
        task = entry.task
        if entry.reason == "blocked":
            due = f" · due {task.due_date.isoformat()}" if task.due_date else ""
            items.append(_item(f"- **Blocked:** {_where(snapshot, entry)}{due}", task.note))
        elif entry.reason == "overdue":
            assert task.due_date is not None and options.as_of is not None
            late = days_until(task.due_date, options.as_of)
            items.append(f"- **Overdue**, due {task.due_date.isoformat()} ({late}): "
                         f"{_where(snapshot, entry)}")
        elif due_shown < DUE_LIMIT:
            if due_shown == 0:
                items.extend(record_items)
                record_items = []
            due_shown += 1
            assert task.due_date is not None
            items.append(f"- Due {task.due_date.isoformat()}: {_where(snapshot, entry)}")
    items.extend(record_items)  # when no task is merely due, they come last
    out.append("\n".join(items))
    rest = [e for e in entries if e.reason == "due"][DUE_LIMIT:]
    if rest:
        last = max(e.task.due_date for e in rest if e.task.due_date is not None)
        out.append(f"{plural(len(rest), 'more open task')} due by {last.isoformat()}: "
                   "in the checklist below.")
    return "\n\n".join(out)


def progress_table(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """One row per section: done of total, open, blocked; promises; then the whole handoff."""
    rows = ["| Section | Done | Open | Blocked |", "| --- | ---: | ---: | ---: |"]
    for section in snapshot.sections:
        rows.append(f"| {escape.cell(section.title)} | {section.done}/{section.total} | "
                    f"{section.open} | {section.blocked} |")
    if snapshot.promises:
        rows.append(f"| Promises (fulfilled of made) | {snapshot.promises_fulfilled}/"
                    f"{len(snapshot.promises)} | {snapshot.promises_open} | 0 |")
    total = "**All sections and promises**" if snapshot.promises else "**All sections**"
    rows.append(f"| {total} | **{snapshot.done}/{snapshot.total}** | "
                f"**{snapshot.open}** | **{snapshot.blocked}** |")
    return "## Progress by section\n\n" + "\n".join(rows) + "\n\n" + left_line(
        snapshot, options)


def left_line(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """Open tasks per person, in one line: ``Left: Alex Chen (Outgoing CSM) 9 tasks, 9
    overdue · Jordan Rivera (Incoming CSM) 18 tasks, 18 overdue; 9 of them are shared.``
    Each side as its playbook calls it."""
    parts = []
    for side in (Owner.OUTGOING, Owner.INCOMING):
        left = [task for task, _ in snapshot.left_for(side)]
        late = sum(1 for task in left if task.overdue(options.as_of))
        text = (f"{escape.inline(snapshot.person(side))} "
                f"({escape.inline(snapshot.label(side))}) ")
        text += plural(len(left), "open task") if left else "nothing"
        if late:
            text += f", {late} overdue"
        parts.append(text)
    shared = sum(1 for task in snapshot.tasks if task.is_open and task.owner is Owner.BOTH)
    tail = f"; {shared} of them shared by both" if shared else ""
    return f"Left: {' · '.join(parts)}{tail}."


def _facts(snapshot: HandoffSnapshot, task: TaskSnapshot, as_of: date | None) -> str:
    if task.status is Status.DONE:
        return (f"done by {escape.inline(task.changed_by)} on "
                f"{task.changed_at.astimezone(UTC):%Y-%m-%d}")
    facts = []
    if task.status is not Status.TODO:
        facts.append(f"**{task.status.label}**")
    if task.status is not Status.NA:
        facts.append(f"owner: {owner_name(snapshot, task.owner)}")
        if task.due_date is not None:
            due = f"due {task.due_date.isoformat()}"
            if task.overdue(as_of):
                due += " (**overdue**)"
            facts.append(due)
    for letter, names in task.roles:
        people = ", ".join(escape.inline(name) for name in names)
        facts.append(f"{escape.inline(letter)}: {people}")
    return " · ".join(facts)


def task_item(snapshot: HandoffSnapshot, task: TaskSnapshot, as_of: date | None) -> str:
    box = "[x]" if task.status is Status.DONE else "[ ]"
    first = f"- {box} {escape.inline(task.title)} · {_facts(snapshot, task, as_of)}"
    return _item(first, task.note)


def checklist(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """Each section as a GFM task list, in playbook order, without the tasks already
    under "Needs attention" (each task is named once)."""
    shown = {entry.task.id for entry in attention_shown(snapshot, options)}
    out = ["## Checklist"]
    for section in snapshot.sections:
        out.append(_section(snapshot, section, shown, options.as_of))
    return "\n\n".join(out)


def _section(snapshot: HandoffSnapshot, section: SectionSnapshot, shown: set[str],
             as_of: date | None) -> str:
    head = (f"### {escape.inline(section.title, heading=True)} "
            f"({section.done} of {section.total} done)")
    items = "\n".join(task_item(snapshot, task, as_of) for task in section.tasks
                      if task.id not in shown)
    above = sum(1 for task in section.tasks if task.id in shown)
    elsewhere = (f"{'And ' if items else ''}{plural(above, 'task')} under Needs attention."
                 if above else "")
    return "\n\n".join(part for part in (head, items, elsewhere) if part)


def last_changes(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """Who changed tasks since the handoff started, one row per person (the tasks
    themselves are in the lists above); untouched tasks are summed up in one sentence."""
    changed = [task for task in snapshot.tasks if task.version > 1]
    untouched = len(snapshot.tasks) - len(changed)
    out = ["## Last changes"]
    if changed:
        people: dict[str, list[TaskSnapshot]] = {}
        for task in changed:
            people.setdefault(task.changed_by, []).append(task)
        rows = ["| Who | Tasks last changed | Latest |", "| --- | ---: | --- |"]
        for person, tasks in sorted(people.items(),
                                    key=lambda item: max(t.changed_at for t in item[1]),
                                    reverse=True):
            rows.append(f"| {escape.cell(person)} | {len(tasks)} | "
                        f"{utc(max(t.changed_at for t in tasks))} |")
        out.append("\n".join(rows))
    if untouched:
        some = "No task has" if not changed else (
            "The other task has not" if untouched == 1
            else f"The other {untouched} tasks have not")
        out.append(f"{some} changed since {escape.inline(snapshot.created_by)} started the "
                   f"handoff on {utc(snapshot.created_at)}.")
    return "\n\n".join(out)


_SHORT = 60  # longer or multi-line values show their start inline, then in full below


def _value(field: str, text: str | None) -> str:
    """An old or new value inline: status labels, (none), (empty), at most one line."""
    if text is None:
        return "(none)"
    if field == "status":
        try:
            return Status(text).label
        except ValueError:
            pass
    first = clean(text).strip().split("\n", 1)[0]
    if not first:
        return "(empty)"
    cut = first if len(first) <= _SHORT else first[: _SHORT - 1].rstrip() + "…"
    return escape.inline(cut + ("…" if "\n" in text.strip() and cut == first else ""))


def _change(change: ChangeSnapshot, count: int) -> str:
    when = f"- {utc(change.at)} · {escape.inline(change.actor)} · "
    undid = "undid a change: " if change.undo else ""
    kind = change.entity.replace("_", " ")
    if change.field in ("created", "deleted"):
        what = (f"the {kind} {escape.inline(change.subject)}" if count == 1
                else f"{count} {kind}s")
        return f"{when}{undid}{change.field} {what}"
    head = f"{when}{undid}{escape.inline(change.subject)}: {change.field.replace('_', ' ')}"
    new = change.new or ""
    if change.field != "status" and ("\n" in new.strip() or len(new) > _SHORT):
        return _item(f"{head}, was {_value(change.field, change.old)}, now:", new)
    return f"{head} {_value(change.field, change.old)} → {_value(change.field, change.new)}"


def history(snapshot: HandoffSnapshot, options: ExportOptions) -> str:
    """With ``--history``: every change, oldest first; whole rows an action created or
    deleted together make one line."""
    if not options.history:
        return ""
    out = ["## History", "Every change to this handoff, oldest first (times in UTC)."]
    lines: list[tuple[ChangeSnapshot, int]] = []
    for change in snapshot.history:
        last = lines[-1][0] if lines else None
        if (last is not None and change.field in ("created", "deleted")
                and (last.change_id, last.field, last.entity)
                == (change.change_id, change.field, change.entity)):
            lines[-1] = (last, lines[-1][1] + 1)
            continue
        lines.append((change, 1))
    if not lines:
        out.append("No changes are kept for this handoff.")
    else:
        out.append("\n".join(_change(change, count) for change, count in lines))
    return "\n\n".join(out)


MARKDOWN_SECTIONS: tuple[Renderer, ...] = (
    title,
    needs_attention,
    progress_table,
    records_md.account_context,
    checklist,
    last_changes,
    history,
)


def render_markdown(snapshot: HandoffSnapshot, options: ExportOptions | None = None) -> str:
    """The summary for ``options.audience``, ending with a newline: the team's is the
    blocks of :data:`MARKDOWN_SECTIONS`."""
    options = options or ExportOptions()
    if options.audience == "manager":
        from transfer_tui.export.manager import render_manager_markdown

        return render_manager_markdown(snapshot, options)
    if options.audience == "customer":
        from transfer_tui.export.customer import render_customer_markdown

        return render_customer_markdown(snapshot, options)
    blocks = [block for render in MARKDOWN_SECTIONS if (block := render(snapshot, options))]
    return "\n\n".join(blocks) + "\n"
