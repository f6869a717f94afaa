"""`transfer-tui team-sql`: the SQL an administrator runs once on a team server so the
server itself enforces who may do what (see store/roles.py and README "Who you are")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from transfer_tui.cli.options import CONTEXT


def role_options(f: Callable) -> Callable:
    """--csm-role, --lead-role, --manager-role: other group roles for a second team on the
    same server (roles are shared by all its databases)."""
    from transfer_tui.store.roles import TeamRoles

    default = TeamRoles()
    for name, value, what in (("manager", default.manager, "may also delete handoffs"),
                              ("lead", default.lead, "changes any handoff, names people"),
                              ("csm", default.csm, "every login on the team")):
        f = click.option(f"--{name}-role", default=value, show_default=True, metavar="ROLE",
                         help=f"The group role: {what}.")(f)
    return f


def team_roles(csm_role: str, lead_role: str, manager_role: str) -> Any:
    from transfer_tui.store.roles import RoleNameError, TeamRoles

    try:
        return TeamRoles(csm=csm_role, lead=lead_role, manager=manager_role)
    except RoleNameError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("team-sql", context_settings=CONTEXT)
@click.option("--person", "login", default=None, metavar="LOGIN",
              help="Instead: the SQL adding one person's login to the team.")
@click.option("--name", default=None, metavar="NAME",
              help="With --person: the name handoffs and the history show.")
@click.option("--role", type=click.Choice(["csm", "lead", "manager"]), default="csm",
              show_default=True, help="With --person: what they may do.")
@role_options
def team_sql_command(login: str | None, name: str | None, role: str, csm_role: str,
                     lead_role: str, manager_role: str) -> None:
    """Print the SQL giving a team server its roles, GRANTs and rules; run it with psql as
    the administrator who owns the tables:  transfer-tui team-sql | psql URL"""
    from transfer_tui.config import ConfigError, check_name
    from transfer_tui.store.roles import RoleNameError, person_sql, team_sql

    roles = team_roles(csm_role, lead_role, manager_role)
    try:
        if login is None:
            if name is not None:
                raise click.UsageError("--name goes with --person LOGIN")
            click.echo(team_sql(roles), nl=False)
            return
        shown = check_name(name) if name is not None else None
        click.echo(person_sql(login, roles, name=shown, role=None if role == "csm" else role),
                   nl=False)
    except (RoleNameError, ConfigError) as exc:
        raise click.ClickException(str(exc)) from None


COMMANDS = [team_sql_command]
