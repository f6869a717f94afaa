"""Command line: parse arguments, open the store, run one command or the TUI.

Every failure a person can cause ends as one line on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from transfer_tui import __version__
from transfer_tui.paths import DB_ENV, USER_ENV, current_user, default_db_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@dataclass
class Settings:
    """Where the database is and who is making changes; filled from options or environment."""

    db: Path | None = None
    user: str | None = None

    def open_store(self, *, create: bool = True) -> Any:
        from transfer_tui.store import Store

        return Store(self.db or default_db_path(), self.user or current_user(), create=create)


def _db_option(f: Callable) -> Callable:
    return click.option(
        "--db", "db", type=click.Path(path_type=Path), default=None,
        help=f"Database file to use (env {DB_ENV}; default: your data folder).",
        callback=_remember("db"), expose_value=False, is_eager=True,
    )(f)


def _as_option(f: Callable) -> Callable:
    return click.option(
        "--as", "user", default=None, metavar="NAME",
        help=f"Who is making the changes (env {USER_ENV}; default: your login name).",
        callback=_remember("user"), expose_value=False, is_eager=True,
    )(f)


def _remember(name: str) -> Callable:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            settings = ctx.ensure_object(Settings)
            setattr(settings, name, value)
    return callback


def common(f: Callable) -> Callable:
    """--db and --as on every command, before or after its name."""
    return _db_option(_as_option(f))


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@common
@click.version_option(__version__, "--version", prog_name="transfer-tui")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Hand a customer account from one CSM to another without losing a thing.

    With no command, opens the handoffs in the terminal UI.
    """
    ctx.ensure_object(Settings)
    if ctx.invoked_subcommand is None:
        run_tui(settings_from(ctx))


def settings_from(ctx: click.Context) -> Settings:
    """Options given to the group and to the command merge; the environment fills the rest."""
    import os

    settings = ctx.find_object(Settings) or Settings()
    if settings.db is None and os.environ.get(DB_ENV):
        settings.db = Path(os.environ[DB_ENV])
    if settings.user is None and os.environ.get(USER_ENV):
        settings.user = os.environ[USER_ENV]
    return settings


def run_tui(settings: Settings) -> None:
    store = settings.open_store()
    from transfer_tui.app import TransferApp

    try:
        TransferApp(store).run()
    finally:
        store.close()


@cli.command("new", context_settings=CONTEXT)
@click.argument("account")
@click.option("--from", "outgoing", required=True, metavar="NAME", help="Outgoing CSM.")
@click.option("--to", "incoming", required=True, metavar="NAME", help="Incoming CSM.")
@click.option("--target", default=None, metavar="YYYY-MM-DD", help="Target date.")
@click.option("--mode", type=click.Choice(["direct", "shadowing"]), default="direct",
              show_default=True, help="Shadowing: the outgoing CSM leads calls for 1-2 months.")
@common
@click.pass_context
def new_command(ctx: click.Context, account: str, outgoing: str, incoming: str,
                target: str | None, mode: str) -> None:
    """Start a handoff of ACCOUNT and print its id."""
    store = settings_from(ctx).open_store()
    try:
        handoff = store.create_handoff(account, outgoing, incoming, target_date=target,
                                       mode=mode)
    finally:
        store.close()
    click.echo(handoff.id)


@cli.command("list", context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="One JSON array, for scripts.")
@common
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Every handoff: id, account, outgoing -> incoming, done/total, blocked, target date."""
    store = settings_from(ctx).open_store(create=False)
    try:
        summaries = store.summaries()
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
                "target_date": s.target_date.isoformat() if s.target_date else None,
                "mode": s.mode,
                "playbook": s.playbook,
                "created_at": s.created_at.isoformat(),
            }
            for s in summaries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not summaries:
        click.echo("No handoffs yet: start one with  transfer-tui new ACCOUNT --from A --to B")
        return
    from transfer_tui.cleantext import one_line

    header = ("ID", "ACCOUNT", "OUTGOING -> INCOMING", "DONE", "BLOCKED", "TARGET")
    rows = [
        (s.short_id, one_line(s.account, 40), f"{one_line(s.outgoing, 20)} -> "
         f"{one_line(s.incoming, 20)}", f"{s.done}/{s.total}", str(s.blocked),
         s.target_date.isoformat() if s.target_date else "-")
        for s in summaries
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                       strict=True)).rstrip())


@cli.command("demo", context_settings=CONTEXT)
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
        click.echo(f"Added {len(added)} sample handoffs to {store.path}: "
                   + ", ".join(added))
    else:
        click.echo(f"The sample handoffs are already in {store.path}: nothing added.")


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every expected failure into one line."""
    from transfer_tui.playbooks.loader import PlaybookError
    from transfer_tui.store.errors import StoreError

    try:
        cli.main(args=argv, prog_name="transfer-tui", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        hint = " (see transfer-tui --help)" if isinstance(exc, click.UsageError) else ""
        click.echo(f"transfer-tui: error: {exc.format_message()}{hint}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("transfer-tui: aborted", err=True)
        return 130
    except (StoreError, PlaybookError) as exc:
        from transfer_tui.cleantext import one_line

        click.echo(f"transfer-tui: error: {one_line(str(exc))}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
