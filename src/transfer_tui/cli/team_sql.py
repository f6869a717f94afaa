"""`transfer-tui team-sql`: the SQL an administrator runs once on a team server so the
server itself enforces who may do what (see store/roles.py and README "Who you are")."""

from __future__ import annotations

import click

from transfer_tui.cli.options import CONTEXT


@click.command("team-sql", context_settings=CONTEXT)
@click.option("--person", "login", default=None, metavar="LOGIN",
              help="Instead: the SQL adding one person's login to the team.")
@click.option("--name", default=None, metavar="NAME",
              help="With --person: the name handoffs and the history show.")
@click.option("--role", type=click.Choice(["csm", "lead", "manager"]), default="csm",
              show_default=True, help="With --person: what they may do.")
def team_sql_command(login: str | None, name: str | None, role: str) -> None:
    """Print the SQL giving a team server its roles, GRANTs and rules; run it with psql as
    the administrator who owns the tables:  transfer-tui team-sql | psql URL"""
    from transfer_tui.config import ConfigError, check_name
    from transfer_tui.store.roles import RoleNameError, person_sql, team_sql

    try:
        if login is None:
            if name is not None:
                raise click.UsageError("--name goes with --person LOGIN")
            click.echo(team_sql(), nl=False)
            return
        shown = check_name(name) if name is not None else None
        click.echo(person_sql(login, name=shown, role=None if role == "csm" else role),
                   nl=False)
    except (RoleNameError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = [team_sql_command]
