"""Options every command shares (--db, --as) and the settings they fill."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from transfer_tui.paths import DB_ENV, USER_ENV, current_user, default_db_path

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


#: Where a setting came from, as `transfer-tui config` says it.
FROM_OPTION, FROM_FILE, FROM_DEFAULT = "option", "settings file", "default"


@dataclass
class Settings:
    """Where the database is and who is making changes: the option, else the environment,
    else the settings file ([me] in config.toml), else the default (see settings_from)."""

    db: Path | str | None = None  # a file, or a server's postgresql:// URL
    user: str | None = None
    db_from: str | None = None  # FROM_* or the environment variable's name
    user_from: str | None = None
    config: Any = None  # the settings file, read at most once per command

    @property
    def name_unknown(self) -> bool:
        """Nobody said who you are: the login name stands in (the TUI asks once)."""
        return self.user_from == FROM_DEFAULT

    def open_store(self, *, create: bool = True, readonly: bool = False) -> Any:
        from transfer_tui.store import Store

        store = Store(self.db or default_db_path(), self.user or current_user(),
                      create=create, readonly=readonly)
        self.refuse_claim(store)
        return store

    def refuse_claim(self, store: Any) -> None:
        """On a team server you are your login: ``--as`` (or the environment) naming anyone
        else is refused, in one line (exit 2); the settings file's name and the login name
        are only defaults there, and give way quietly."""
        if self.user_from not in (FROM_OPTION, USER_ENV) or self.user is None:
            return
        if store.claims_someone_else(self.user):
            from transfer_tui.cleantext import one_line

            login = store.server.me.login
            store.close()
            named = "--as" if self.user_from == FROM_OPTION else USER_ENV
            raise Refused(f"on this server you are {one_line(store.user, 60)} (login {login}): "
                          f"{named} cannot name {one_line(self.user, 60)}; nothing was done")


class Refused(click.ClickException):
    """Not yours to claim: one line, exit 2 (as a wrong argument)."""

    exit_code = 2


def _db_option(f: Callable) -> Callable:
    return click.option(
        "--db", "db", default=None, metavar="FILE|URL",
        help=f"Database file, or a PostgreSQL server as postgresql://user@host/database "
        f"(env {DB_ENV}; default: the settings file's, else a file in your data folder).",
        callback=_remember("db", database), expose_value=False, is_eager=True,
    )(f)


def _as_option(f: Callable) -> Callable:
    return click.option(
        "--as", "user", default=None, metavar="NAME",
        help=f"Who is making the changes (env {USER_ENV}; default: the settings file's name, "
        "else your login name).",
        callback=_remember("user"), expose_value=False, is_eager=True,
    )(f)


def database(value: str) -> Path | str:
    """``--db``: a server's URL stays text (a path would fold its ``//``); else a path."""
    from transfer_tui.store.engines.url import looks_like_url

    return value if looks_like_url(value) else Path(value)


def _remember(name: str, convert: Callable[[Any], Any] | None = None) -> Callable:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is not None:
            settings = ctx.ensure_object(Settings)
            setattr(settings, name, convert(value) if convert else value)
    return callback


def common(f: Callable) -> Callable:
    """--db and --as on every command, before or after its name."""
    return _db_option(_as_option(f))


def read_config() -> Any:
    """The settings file, read once per command; a broken one is one warning line on
    stderr and the defaults."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.config import load_config

    ctx = click.get_current_context(silent=True)
    settings = ctx.find_object(Settings) if ctx is not None else None
    if settings is not None and settings.config is not None:
        return settings.config
    config = load_config()
    if config.warning:
        click.echo(f"transfer-tui: warning: {one_line(config.warning, 300)}", err=True)
    if settings is not None:
        settings.config = config
    return config


def settings_from(ctx: click.Context) -> Settings:
    """Options given to the group and to the command merge; then, for what they leave
    open, the environment, the settings file and the defaults, in that order."""
    settings = ctx.find_object(Settings) or Settings()
    if settings.db_from is not None:
        return settings  # worked out already for this command
    settings.db_from = FROM_OPTION if settings.db is not None else None
    settings.user_from = FROM_OPTION if settings.user is not None else None
    if settings.db is None and os.environ.get(DB_ENV):
        settings.db, settings.db_from = database(os.environ[DB_ENV]), DB_ENV
    if settings.user is None and os.environ.get(USER_ENV):
        settings.user, settings.user_from = os.environ[USER_ENV], USER_ENV
    if settings.db is None or settings.user is None:
        config = read_config()
        if settings.db is None and config.db is not None:
            settings.db, settings.db_from = config.db, FROM_FILE
        if settings.user is None and config.name is not None:
            settings.user, settings.user_from = config.name, FROM_FILE
    if settings.db is None:
        settings.db, settings.db_from = default_db_path(), FROM_DEFAULT
    if settings.user is None:
        settings.user, settings.user_from = current_user(), FROM_DEFAULT
    return settings
