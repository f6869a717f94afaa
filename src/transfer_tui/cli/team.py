"""The lead's commands: ``report`` (the Team view's figures and every handoff) and
``reassign`` (a different incoming CSM, one handoff or a CSV of them)."""

from __future__ import annotations

from pathlib import Path

import click

from transfer_tui.cli.bulk import refuse_bad_rows
from transfer_tui.cli.export import ExportFailed, _as_of, _write
from transfer_tui.cli.options import CONTEXT, common, settings_from


@click.command("report", context_settings=CONTEXT)
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md",
              show_default=True, help="Markdown, CSV (UTF-8 with BOM, for spreadsheets) or JSON.")
@click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD", callback=_as_of,
              help="Count late, overdue and waiting as of this day (default: today).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@common
@click.pass_context
def report_command(ctx: click.Context, fmt: str, as_of: object, output: Path | None,
                   force: bool) -> None:
    """The whole realignment: per CSM (open handoffs in and out, late, overdue tasks,
    awaiting their acceptance and the longest wait, renewals inside an open transition,
    open promises they own), per week of target date, and one row per handoff."""
    from transfer_tui.export.team_report import RENDERERS

    store = settings_from(ctx).open_store(create=False)
    try:
        today = as_of or store.now().astimezone().date()
        figures = store.team.figures(today)
        lines = store.team.lines(today)
    finally:
        store.close()
    text = RENDERERS[fmt](figures, lines)
    if output is None:
        click.echo(text, nl=False)
        return
    written = _write(output, text, force)
    click.echo(f"Wrote the report ({len(lines)} handoffs, {len(figures.people)} CSMs) to "
               f"{written}", err=True)


@click.command("reassign", context_settings=CONTEXT)
@click.argument("handoff", required=False)
@click.option("--to", "incoming", default=None, metavar="NAME", help="The new incoming CSM.")
@click.option("--csv", "csv_file", type=click.Path(path_type=Path), default=None,
              metavar="FILE", help="Many at once: a CSV with the columns handoff, to.")
@common
@click.pass_context
def reassign_command(ctx: click.Context, handoff: str | None, incoming: str | None,
                     csv_file: Path | None) -> None:
    """Give HANDOFF (id, start of id, or account) to a different incoming CSM, before it is
    accepted. Tasks of the incoming side follow the new CSM; history keeps the change,
    and `u` on the checklist undoes it.

    With --csv FILE: one row per handoff (handoff: account or id; to: new incoming CSM),
    every row checked first, then all moved in one go or none.
    """
    if csv_file is not None:
        if handoff is not None or incoming is not None:
            raise click.UsageError("give either HANDOFF --to NAME or --csv FILE, not both")
        _reassign_file(ctx, csv_file)
        return
    if handoff is None or incoming is None:
        raise click.UsageError("give HANDOFF --to NAME (or --csv FILE for many)")
    from transfer_tui.cleantext import one_line
    from transfer_tui.reassign_file import pick
    from transfer_tui.store import StoreError

    store = settings_from(ctx).open_store(create=False)
    try:
        found = pick(store.handoffs.find, handoff)
        if isinstance(found, str):
            raise ExportFailed(found)
        try:
            moved, before = store.reassign.one(found.id, incoming)
        except StoreError as exc:
            raise ExportFailed(str(exc)) from None
    finally:
        store.close()
    account = one_line(moved.account, 40)
    if before == moved.incoming:
        click.echo(f"{one_line(before, 40)} is already the incoming CSM of {account}: "
                   "nothing changed.")
        return
    click.echo(f"{account} ({moved.short_id}): incoming CSM {one_line(before, 40)} -> "
               f"{one_line(moved.incoming, 40)}")


def _reassign_file(ctx: click.Context, file: Path) -> None:
    from transfer_tui.cleantext import one_line
    from transfer_tui.importer import ImportFileError
    from transfer_tui.reassign_file import read_reassignments

    store = settings_from(ctx).open_store(create=False)
    try:
        try:
            moves, problems = read_reassignments(file, store.handoffs.find)
        except ImportFileError as exc:
            raise click.ClickException(str(exc)) from None
        refuse_bad_rows(problems, file, "Nothing moved", "run it again")
        changed = store.reassign.many(moves)
        names = {s.id: s for s in store.handoffs.summaries_of([i for i, _ in changed])}
    finally:
        store.close()
    incoming = {move.handoff_id: move.incoming for move in moves}
    click.echo(f"Moved {len(changed)} handoff{'s' if len(changed) != 1 else ''} from {file}"
               + (f"; {len(moves) - len(changed)} already had their new incoming CSM."
                  if len(moves) > len(changed) else "."))
    for handoff_id, before in changed:
        summary = names[handoff_id]
        click.echo(f"  {summary.short_id}  {one_line(summary.account, 40)}: "
                   f"{one_line(before, 24)} -> {one_line(incoming[handoff_id], 24)}")


COMMANDS = [report_command, reassign_command]
