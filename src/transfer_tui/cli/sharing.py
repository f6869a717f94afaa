"""Offline sharing: send one handoff as a small file (share), bring one in (merge)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from
from transfer_tui.cli.pick import find_one


@click.command("share", context_settings=CONTEXT)
@click.argument("handoff")
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), required=True,
              metavar="FILE", help="The file to write (send it; the other side merges it).")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@common
@click.pass_context
def share_command(ctx: click.Context, handoff: str, output: Path, force: bool) -> None:
    """Write HANDOFF (id, id prefix or account) with its history to a small file."""
    from transfer_tui.cleantext import one_line

    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        report = store.sharing.share(summary.id, output, replace=force)
    finally:
        store.close()
    click.echo(f"Shared {one_line(report.account, 60)} ({report.rows} rows, {report.events} "
               f"changes of history) to {report.path}. The other side runs: "
               f"transfer-tui merge {report.path.name}")


def _when(stamp: datetime | None) -> str:
    return f"{stamp.astimezone():%Y-%m-%d %H:%M}" if stamp else "?"


@click.command("merge", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@common
@click.pass_context
def merge_command(ctx: click.Context, file: Path) -> None:
    """Bring a shared handoff FILE into your database; list what changed on both sides."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.store import show_value

    store = settings_from(ctx).open_store()
    try:
        report = store.sharing.merge(file)
    finally:
        store.close()
    for note in report.skipped:
        click.echo(f"Skipped {one_line(note, 200)}")
    if not report.accounts:
        return
    accounts = ", ".join(one_line(a, 40) for a in report.accounts)
    if not report.changed:
        click.echo(f"Nothing new in {file} for {accounts}: it is all here already.")
        return
    click.echo(f"Merged {accounts} from {file}: {report.added} rows added, {report.updated} "
               f"changed, {report.removed} removed, {report.events} changes of history.")
    if not report.conflicts:
        return
    click.echo(f"{len(report.conflicts)} changed on both sides; the later change was kept:")
    for c in report.conflicts:
        mine = f"{show_value(c.field, c.mine)} ({one_line(c.my_by, 30)}, {_when(c.my_at)})"
        theirs = (f"{show_value(c.field, c.theirs)} ({one_line(c.their_by, 30)}, "
                  f"{_when(c.their_at)})")
        click.echo(f"  {c.table} {one_line(c.subject, 50)!r} {c.field}: mine {mine}, "
                   f"theirs {theirs} -> kept {c.kept}")


COMMANDS = [share_command, merge_command]
