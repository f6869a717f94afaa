"""`transfer-tui people`: the team's logins on a server and the names handoffs and the
history show for them (see store/people.py and README "Who you are")."""

from __future__ import annotations

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from


@click.group("people", context_settings=CONTEXT, invoke_without_command=True)
@common
@click.pass_context
def people_command(ctx: click.Context) -> None:
    """The team's logins on a server and their display names. Everybody on the team lists
    them; a lead or manager adds and renames them.

    \b
      transfer-tui people                              every login, its name and role
      transfer-tui people add priya "Priya Raman"      name a login
      transfer-tui people rename priya "Priya R. Raman"
    """
    if ctx.invoked_subcommand is None:
        _list(ctx)


@people_command.command("list", context_settings=CONTEXT)
@common
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """Every login on the team: its display name (or the login, with how to name it) and
    what it may do (csm, lead or manager)."""
    _list(ctx)


def _list(ctx: click.Context) -> None:
    from transfer_tui.cleantext import one_line
    from transfer_tui.store.people import team_of

    store = settings_from(ctx).open_store(create=False, readonly=True)
    try:
        people = team_of(store)
        me = store.server.me.login
    finally:
        store.close()
    if not people:
        click.echo("Nobody on the team yet: an admin adds logins with  transfer-tui team-sql "
                   "--person LOGIN --name \"Their Name\" | psql")
        return
    width = max(len(p.login) for p in people)
    for person in people:
        you = "  (you)" if person.login == me else ""
        click.echo(f"{person.login:<{width}}  {person.role:<7}  "
                   f"{one_line(person.shown, 60)}{you}")
        if person.hint:
            click.echo(f"{'':<{width}}  {'':<7}  {person.hint}")


def _name(ctx: click.Context, login: str, name: str, *, rename: bool) -> None:
    from transfer_tui.cleantext import one_line
    from transfer_tui.store.people import name_person

    store = settings_from(ctx).open_store(create=False)
    try:
        person = name_person(store, login, name, rename=rename)
    finally:
        store.close()
    click.echo(f"{person.login} is now shown as {one_line(person.shown, 60)}")


@people_command.command("add", context_settings=CONTEXT)
@click.argument("login")
@click.argument("name")
@common
@click.pass_context
def add_command(ctx: click.Context, login: str, name: str) -> None:
    """Give LOGIN (a server login on the team) the display NAME handoffs and the history
    show for it. A lead's or manager's job: the server refuses anyone else."""
    _name(ctx, login, name, rename=False)


@people_command.command("rename", context_settings=CONTEXT)
@click.argument("login")
@click.argument("name")
@common
@click.pass_context
def rename_command(ctx: click.Context, login: str, name: str) -> None:
    """Change LOGIN's display name. The history keeps the names it recorded, and handoffs
    keep the names they were given: LOGIN is no side of those naming the old name."""
    _name(ctx, login, name, rename=True)


COMMANDS = [people_command]
