"""Commands about handoffs themselves: new, list, demo."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from

if TYPE_CHECKING:
    from transfer_tui.store import HandoffSummary


@click.command("new", context_settings=CONTEXT)
@click.argument("account")
@click.option("--from", "outgoing", required=True, metavar="NAME", help="Outgoing CSM.")
@click.option("--to", "incoming", required=True, metavar="NAME", help="Incoming CSM.")
@click.option("--target", default=None, metavar="YYYY-MM-DD", help="Target date.")
@click.option("--renewal", default=None, metavar="YYYY-MM-DD",
              help="Renewal date: tasks like renewal outreach count back from it.")
@click.option("--mode", type=click.Choice(["direct", "shadowing"]), default="direct",
              show_default=True, help="Shadowing: the outgoing CSM leads calls for 1-2 months.")
@click.option("--playbook", "playbook_ref", default=None, metavar="ID|FILE",
              help="Playbook id (see transfer-tui playbooks) or a TOML file; default: "
                   "csm-account-transfer.")
@click.option("--account-id", default=None, metavar="ID",
              help="The account's stable id (e.g. its CRM id): tells two accounts of one "
                   "name apart; a new handoff of an account starts with its records.")
@common
@click.pass_context
def new_command(ctx: click.Context, account: str, outgoing: str, incoming: str,
                target: str | None, renewal: str | None, mode: str,
                playbook_ref: str | None, account_id: str | None) -> None:
    """Start a handoff of ACCOUNT and print its id."""
    playbook = None
    if playbook_ref is not None:
        from transfer_tui.playbooks import load_registry

        playbook = load_registry().find(playbook_ref)
    store = settings_from(ctx).open_store()
    try:
        handoff = store.create_handoff(account, outgoing, incoming, target_date=target,
                                       renewal_date=renewal, mode=mode, playbook=playbook,
                                       account_id=account_id)
    finally:
        store.close()
    click.echo(handoff.id)


@click.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@common
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every handoff: id, account, outgoing -> incoming, done/total, blocked, target, state.

    Done/total counts tasks and promises: a pending or at-risk promise is open work. A
    handoff past its target date, not accepted and not complete is late: its state says
    so ("active, late 3 days").
    """
    store = settings_from(ctx).open_store(create=False)
    try:
        summaries = store.summaries()
        today = store.now().astimezone().date()
    finally:
        store.close()
    if as_json:
        rows = [
            {
                "id": s.id,
                "account": s.account,
                "outgoing": s.outgoing,
                "incoming": s.incoming,
                "done": s.done,
                "total": s.total,
                "blocked": s.blocked,
                "promises_open": s.promises_open,
                "target_date": s.target_date.isoformat() if s.target_date else None,
                "mode": s.mode,
                "playbook": s.playbook,
                "state": s.state,
                "renewal_date": s.renewal_date.isoformat() if s.renewal_date else None,
                "created_at": s.created_at.isoformat(),
                "license_renewal": (s.license_renewal.isoformat() if s.license_renewal
                                    else None),
                "outreach_missed": s.outreach_missed(today),
                "late": s.overdue(today),
                "late_days": s.late_by(today),
            }
            for s in summaries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not summaries:
        click.echo("No handoffs yet: start one with  transfer-tui new ACCOUNT --from A --to B")
        return
    from transfer_tui.cleantext import one_line

    header = ("ID", "ACCOUNT", "OUTGOING -> INCOMING", "DONE", "BLOCKED", "TARGET", "STATE")
    lines: list[tuple[str, ...]] = [
        (s.short_id, one_line(s.account, 40), f"{one_line(s.outgoing, 20)} -> "
         f"{one_line(s.incoming, 20)}", f"{s.done}/{s.total}", str(s.blocked),
         s.target_date.isoformat() if s.target_date else "-", _state(s, today))
        for s in summaries
    ]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    for row in [header, *lines]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                       strict=True)).rstrip())


def _state(summary: HandoffSummary, today: date) -> str:
    """The sign-off state in words, and how late when it is (transfer_tui.lateness)."""
    days = summary.late_by(today)
    if not days:
        return summary.sign_off.label
    return f"{summary.sign_off.label}, late {days} day{'s' if days != 1 else ''}"


@click.command("demo", context_settings=CONTEXT)
@common
@click.pass_context
def demo_command(ctx: click.Context) -> None:
    """Add a handful of sample handoffs in varied states (running it twice adds nothing twice)."""
    from transfer_tui.demo import load_demo

    store = settings_from(ctx).open_store()
    try:
        added = load_demo(store)
    finally:
        store.close()
    if added:
        click.echo(f"Added {len(added)} sample handoffs to {store.where}: "
                   + ", ".join(added))
    else:
        click.echo(f"The sample handoffs are already in {store.where}: nothing added.")


COMMANDS = [new_command, list_command, demo_command]
