"""Sign-off from the shell: hand over, accept, reject (who you are comes from --as)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from transfer_tui.cleantext import visible
from transfer_tui.cli.options import CONTEXT, common, settings_from
from transfer_tui.cli.pick import find_one

if TYPE_CHECKING:
    pass


@click.command("handover", context_settings=CONTEXT)
@click.argument("handoff")
@common
@click.pass_context
def handover_command(ctx: click.Context, handoff: str) -> None:
    """As the outgoing CSM, hand HANDOFF over: every task done or n/a (n/a with a note)."""
    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        store.signoff.hand_over(summary.id)
    finally:
        store.close()
    click.echo(f"Handed over {summary.account} to {summary.incoming}: waiting for them to "
               "accept it.")


@click.command("accept", context_settings=CONTEXT)
@click.argument("handoff")
@common
@click.pass_context
def accept_command(ctx: click.Context, handoff: str) -> None:
    """As the incoming CSM, accept HANDOFF once it is handed over: the handoff is done."""
    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        moves = store.signoff.moves_on_accept(summary.id)
        store.signoff.accept(summary.id)
    finally:
        store.close()
    click.echo(f"Accepted {summary.account} from {summary.outgoing}: the handoff is done.")
    for move in moves:  # what the outgoing CSM owned is now yours (undo takes it back)
        click.echo(f"  now yours: {visible(move.line)}")


@click.command("reject", context_settings=CONTEXT)
@click.argument("handoff")
@click.option("--reason", required=True, metavar="TEXT", help="Why: kept and shown.")
@common
@click.pass_context
def reject_command(ctx: click.Context, handoff: str, reason: str) -> None:
    """As the incoming CSM, send HANDOFF back to the outgoing CSM, saying why."""
    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        store.signoff.reject(summary.id, reason)
    finally:
        store.close()
    click.echo(f"Rejected {summary.account}: {summary.outgoing} sees your reason and can hand "
               "it over again.")


@click.command("dates", context_settings=CONTEXT)
@click.argument("handoff")
@click.option("--target", default=None, metavar="YYYY-MM-DD", help="New target date ('' clears).")
@click.option("--renewal", default=None, metavar="YYYY-MM-DD",
              help="New renewal date ('' clears).")
@common
@click.pass_context
def dates_command(ctx: click.Context, handoff: str, target: str | None,
                  renewal: str | None) -> None:
    """Change HANDOFF's target or renewal date; due dates written as rules follow."""
    if target is None and renewal is None:
        raise click.UsageError("give --target, --renewal or both")
    changes = {k: v for k, v in (("target_date", target), ("renewal_date", renewal))
               if v is not None}
    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        saved, moved = store.schedule.change_dates(summary.id, **changes)
    finally:
        store.close()
    target = saved.target_date.isoformat() if saved.target_date else "none"
    renewal = saved.renewal_date.isoformat() if saved.renewal_date else "none"
    click.echo(f"{summary.account}: target {target}, renewal {renewal}; {moved} due "
               f"date{'s' if moved != 1 else ''} moved.")


COMMANDS = [handover_command, accept_command, reject_command, dates_command]
