"""`transfer-tui config`: who you are and your default database, remembered in the
settings file so nobody types --as or --db at every start."""

from __future__ import annotations

import os

import click

from transfer_tui.cli.options import CONTEXT, FROM_DEFAULT, FROM_FILE, common, settings_from
from transfer_tui.config import SETTINGS


def _source(where: str | None) -> str:
    if where == FROM_DEFAULT:
        return "default"
    if where == FROM_FILE:
        return "from the settings file"
    if where in (None, "option"):
        return "from the option"
    return f"from {where}"  # the environment variable


@click.group("config", context_settings=CONTEXT, invoke_without_command=True)
@common
@click.pass_context
def config_command(ctx: click.Context) -> None:
    """Show or change who you are and your default database (the settings file).

    \b
      transfer-tui config                       what is used now, and from where
      transfer-tui config set name "Priya Raman"
      transfer-tui config set db ~/team/handoffs.db
      transfer-tui config set db postgresql://priya@db.example.com/handoffs
      transfer-tui config unset name
    """
    if ctx.invoked_subcommand is None:
        _show(ctx)


@config_command.command("show", context_settings=CONTEXT)
@common
@click.pass_context
def show_command(ctx: click.Context) -> None:
    """What is used now, and where each setting comes from."""
    _show(ctx)


def _show(ctx: click.Context) -> None:
    from transfer_tui.cleantext import visible
    from transfer_tui.config import config_path
    from transfer_tui.store.engines.url import is_server

    settings = settings_from(ctx)
    path = config_path()
    made = "" if os.path.lexists(path) else " (not made yet: config set makes it)"
    click.echo(f"Settings file: {visible(str(path))}{made}")
    hint = ("  (your login name: set yours with  transfer-tui config set name \"Your Name\")"
            if settings.name_unknown else "")
    if is_server(settings.db):
        hint = "  (not used there: on a server you are your login, see transfer-tui people)"
    click.echo(f"Name:          {visible(str(settings.user))}  ({_source(settings.user_from)})"
               f"{hint}")
    click.echo(f"Database:      {visible(_shown(settings.db))}  "
               f"({_source(settings.db_from)})")


def _shown(db: object) -> str:
    """A database as shown: a server's URL without its password."""
    from transfer_tui.store.engines.url import looks_like_url, redact

    return redact(str(db)) if looks_like_url(db) else str(db)


@config_command.command("set", context_settings=CONTEXT)
@click.argument("key", type=click.Choice(list(SETTINGS)), metavar="name|db")
@click.argument("value")
def set_command(key: str, value: str) -> None:
    """Remember your name or your default database in the settings file."""
    from transfer_tui.cleantext import visible
    from transfer_tui.config import ConfigError, check_setting, save_setting

    try:
        clean = check_setting(key, value)
        path = save_setting(key, clean)
    except ConfigError as exc:
        raise click.ClickException(f"not saved: {exc}") from None
    click.echo(f"Saved {SETTINGS[key]} ({visible(_shown(clean))}) in {visible(str(path))}")


@config_command.command("unset", context_settings=CONTEXT)
@click.argument("key", type=click.Choice(list(SETTINGS)), metavar="name|db")
def unset_command(key: str) -> None:
    """Forget your name or default database: the login name or the data folder's is used."""
    from transfer_tui.cleantext import visible
    from transfer_tui.config import ConfigError, save_setting

    try:
        path = save_setting(key, None)
    except ConfigError as exc:
        raise click.ClickException(f"not forgotten: {exc}") from None
    click.echo(f"Forgot {SETTINGS[key]} in {visible(str(path))}")


COMMANDS = [config_command]
