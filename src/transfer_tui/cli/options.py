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


@dataclass
class Settings:
    """Where the database is and who is making changes; filled from options or environment."""

    db: Path | str | None = None  # a file, or a server's postgresql:// URL
    user: str | None = None

    def open_store(self, *, create: bool = True) -> Any:
        from transfer_tui.store import Store

        return Store(self.db or default_db_path(), self.user or current_user(), create=create)


def _db_option(f: Callable) -> Callable:
    return click.option(
        "--db", "db", default=None, metavar="FILE|URL",
        help=f"Database file, or a PostgreSQL server as postgresql://user@host/database "
        f"(env {DB_ENV}; default: a file in your data folder).",
        callback=_remember("db", database), expose_value=False, is_eager=True,
    )(f)


def _as_option(f: Callable) -> Callable:
    return click.option(
        "--as", "user", default=None, metavar="NAME",
        help=f"Who is making the changes (env {USER_ENV}; default: your login name).",
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
    """The settings file; a broken one is one warning line on stderr and the defaults."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.config import load_config

    config = load_config()
    if config.warning:
        click.echo(f"transfer-tui: warning: {one_line(config.warning, 300)}", err=True)
    return config


def settings_from(ctx: click.Context) -> Settings:
    """Options given to the group and to the command merge; the environment fills the rest."""
    settings = ctx.find_object(Settings) or Settings()
    if settings.db is None and os.environ.get(DB_ENV):
        settings.db = database(os.environ[DB_ENV])
    if settings.user is None and os.environ.get(USER_ENV):
        settings.user = os.environ[USER_ENV]
    return settings
