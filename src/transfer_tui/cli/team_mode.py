"""Team mode commands: set up a server's database, copy a whole database across."""

from __future__ import annotations

import click

from transfer_tui.cli.options import CONTEXT, common, database, settings_from


@click.command("init-server", context_settings=CONTEXT)
@click.argument("url", metavar="URL")
@common
@click.pass_context
def init_server_command(ctx: click.Context, url: str) -> None:
    """Create transfer-tui's tables in an empty server database at URL (postgresql://...),
    or upgrade older ones; says what it does first. Opening the app on an empty database
    does the same."""
    from transfer_tui.paths import current_user
    from transfer_tui.store import Store
    from transfer_tui.store.engines.postgres import connect
    from transfer_tui.store.engines.server_schema import check, version
    from transfer_tui.store.engines.url import is_server, redact
    from transfer_tui.store.migrations import LATEST

    if not is_server(url):
        raise click.UsageError(f"{redact(url)} is not a server address: give "
                               "postgresql://user@host/database")
    where = redact(url)
    conn = connect(url)
    try:
        current = version(conn)
    finally:
        conn.close()
    check(current, where, True)
    if current == LATEST:
        click.echo(f"{where} already holds the transfer-tui schema {LATEST}: nothing to do.")
        return
    if current == 0:
        click.echo(f"Creating the transfer-tui schema {LATEST} in {where} (handoffs, tasks, "
                   "records, history), in one transaction...")
    else:
        click.echo(f"Upgrading {where} from schema {current} to {LATEST}, in one "
                   "transaction...")
    Store(url, settings_from(ctx).user or current_user()).close()
    click.echo(f"Done: people can now run  transfer-tui --db {where}")


@click.command("copy", context_settings=CONTEXT)
@click.argument("source", metavar="SOURCE")
@click.argument("target", metavar="TARGET")
@common
@click.pass_context
def copy_command(ctx: click.Context, source: str, target: str) -> None:
    """Copy every handoff, record and history row from SOURCE into TARGET: a file into a
    server (postgresql://...) or a server into a file. Rows TARGET has already are left
    as they are, so copying again adds nothing; the counts are checked on both sides."""
    from transfer_tui.paths import current_user
    from transfer_tui.store import Store
    from transfer_tui.store.copying import copy_database

    user = settings_from(ctx).user or current_user()
    origin = Store(database(source), user, readonly=True, create=False)
    try:
        destination = Store(database(target), user)
        try:
            report = copy_database(origin, destination)
        finally:
            destination.close()
    finally:
        origin.close()
    for table, count in report.source.items():
        click.echo(f"  {table:<12} {count:>8,} in {origin.where}: {report.added[table]:,} "
                   f"copied, {report.present[table]:,} there already")
    click.echo(f"Copied {report.total_added:,} rows into {destination.where}; every row of "
               f"{origin.where} is there (checked).")


COMMANDS = [init_server_command, copy_command]
