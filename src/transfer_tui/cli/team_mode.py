"""Team mode commands: set up a server's database, copy a whole database across."""

from __future__ import annotations

from typing import Any

import click

from transfer_tui.cli.options import CONTEXT, common, database, settings_from
from transfer_tui.cli.team_sql import role_options, team_roles


@click.command("init-server", context_settings=CONTEXT)
@click.argument("url", metavar="URL")
@click.option("--team", "with_team", is_flag=True,
              help="Also give the server the team's roles, GRANTs and rules (the SQL "
              "transfer-tui team-sql prints), so it enforces who may do what.")
@role_options
@common
@click.pass_context
def init_server_command(ctx: click.Context, url: str, with_team: bool, csm_role: str,
                        lead_role: str, manager_role: str) -> None:
    """Create transfer-tui's tables in an empty server database at URL (postgresql://...),
    or upgrade older ones; says what it does first. The administrator runs it (a superuser
    or the database's owner): their role owns the tables, so the team's rules hold every
    CSM's login. A CSM's login opening an empty database is told to ask for it."""
    from transfer_tui.paths import current_user
    from transfer_tui.store import Store
    from transfer_tui.store.engines.postgres import connect, server_error
    from transfer_tui.store.engines.raw import ServerRaw
    from transfer_tui.store.engines.server_schema import check, version
    from transfer_tui.store.engines.url import is_server, redact
    from transfer_tui.store.migrations import LATEST
    from transfer_tui.store.people import me

    if not is_server(url):
        raise click.UsageError(f"{redact(url)} is not a server address: give "
                               "postgresql://user@host/database")
    roles = team_roles(csm_role, lead_role, manager_role)
    where = redact(url)
    conn = connect(url)
    try:
        current = version(conn)
        you = me(ServerRaw(conn))
    except Exception as exc:
        raise server_error(exc, url, "connecting to") from None
    finally:
        conn.close()
    check(current, where, True)
    if not you.admin:
        raise click.ClickException(
            f"your login ({you.login}) is not {where}'s administrator (a superuser or the "
            "database's owner): the tables must be owned by the administrator's role; ask "
            "them to run this")
    if current == LATEST:
        click.echo(f"{where} already holds the transfer-tui schema {LATEST}: nothing to do "
                   "for it.")
    else:
        if current == 0:
            click.echo(f"Creating the transfer-tui schema {LATEST} in {where} (handoffs, "
                       "tasks, records, history), in one transaction...")
        else:
            click.echo(f"Upgrading {where} from schema {current} to {LATEST}, in one "
                       "transaction...")
        Store(url, settings_from(ctx).user or current_user()).close()
    if with_team:
        _team_rules(url, where, roles)
    else:
        click.echo(f"To have the server enforce who may do what:  transfer-tui init-server "
                   f"--team {where}  (see README, Who you are)")
    click.echo(f"Done: people can now run  transfer-tui --db {where}")


def _team_rules(url: str, where: str, roles: Any) -> None:
    """The team's SQL (store/roles.py), in one transaction: all of it or none."""
    from transfer_tui.store.engines.postgres import connect, server_error
    from transfer_tui.store.roles import team_sql

    click.echo(f"Giving {where} the team's roles ({roles.csm}, {roles.lead}, {roles.manager}), "
               "GRANTs and rules...")
    conn = connect(url)
    try:
        with conn.transaction():
            conn.execute(team_sql(roles))
    except Exception as exc:
        raise server_error(exc, url, "setting up") from None
    finally:
        conn.close()
    click.echo("Add each person:  transfer-tui team-sql --person LOGIN --name \"Their Name\" "
               "[--role lead|manager] | psql URL")


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
    if report.untidy:
        click.echo(f"transfer-tui: warning: the copy is saved, but tidying the server's "
                   f"handoff table afterwards failed ({report.untidy}): lists may read "
                   "slowly until its next VACUUM", err=True)


COMMANDS = [init_server_command, copy_command]
