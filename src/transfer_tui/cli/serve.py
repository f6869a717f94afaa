"""``transfer-tui serve``: the app in a browser tab, safe by default (see transfer_tui.web)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from

DEFAULT_PORT = 8000
PORTS_TO_TRY = 20  # without --port: 8000, or the next free one up to 8019


def _public_url(value: str | None) -> str | None:
    """An https:// origin (a proxy in front of us): the token and cookie never go in clear."""
    if value is None:
        return None
    from yarl import URL

    try:
        url = URL(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a URL", param_hint="--public-url") from None
    if url.scheme != "https" or not url.host:
        raise click.BadParameter(
            "give the https:// address your TLS proxy serves (plain http would send the token "
            "in clear)", param_hint="--public-url")
    if url.user or url.password or url.query_string or url.fragment or url.path not in ("",
                                                                                          "/"):
        raise click.BadParameter("give the address only, like https://handoffs.example.com "
                                 "(no path, query or user)", param_hint="--public-url")
    return str(url.origin())


def _host(value: str, public_url: str | None) -> str:
    """An IP address to listen on; anything but this machine needs a public https URL."""
    from transfer_tui.web.guard import is_loopback

    host = "127.0.0.1" if value.lower() == "localhost" else value.strip("[]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an IP address (127.0.0.1, ::1, 0.0.0.0...)",
                                 param_hint="--host") from None
    if not is_loopback(host) and public_url is None:
        raise click.BadParameter(
            f"{value} would let other machines reach your handoffs: keep 127.0.0.1 and use an "
            "SSH tunnel, or put a TLS proxy in front and give --public-url https://...",
            param_hint="--host")
    return host


@click.command("serve", context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Where to listen. Anything but this machine (127.0.0.1, ::1) needs "
                   "--public-url.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help=f"Port (default {DEFAULT_PORT}, or the next free one; 0 picks any free one).")
@click.option("--public-url", metavar="URL",
              help="The https:// address a TLS reverse proxy serves this server at.")
@click.option("--token-file", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Use the token in FILE (mode 0600) instead of a new one each start; or set "
                   "TRANSFER_TUI_TOKEN. Never on the command line.")
@click.option("--max-sessions", type=click.IntRange(1, 100), default=8, show_default=True,
              help="Browser tabs open at once (each runs its own app process).")
@common
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int | None, public_url: str | None,
                  token_file: Path | None, max_sessions: int) -> None:
    """Open the app in a browser: a web server on this machine, one app per tab.

    Prints one link holding a fresh token: open it, and the browser keeps a cookie
    instead. Every tab acts as you (--as) on the same database (--db). Ctrl+C stops
    the server and every tab's app.
    """
    import os
    import sys

    from transfer_tui.paths import default_db_path
    from transfer_tui.web.token import TokenError, resolve_token

    public = _public_url(public_url)
    address = _host(host, public)
    try:
        token = resolve_token(token_file, os.environ)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from None
    settings = settings_from(ctx)
    store = settings.open_store()  # refused here, in one line, rather than in every tab
    you = store.user  # on a team server, the login's name: what each tab's --as must say
    store.close()
    db = settings.db or default_db_path()
    if isinstance(db, str):  # a server: the tabs' processes find it in the environment
        from transfer_tui.paths import DB_ENV

        os.environ[DB_ENV] = db
    else:
        db = db.resolve()
    user = you

    import asyncio

    from transfer_tui.web.server import ServeConfig, bind, serve, setup_logging

    try:
        sock = bind(address, DEFAULT_PORT if port is None else port,
                    try_next=PORTS_TO_TRY - 1 if port is None else 0)
    except OSError as exc:
        wanted = f"port {port}" if port is not None else (
            f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORTS_TO_TRY - 1}")
        raise click.ClickException(f"cannot listen on {address}, {wanted}: {exc.strerror or exc}"
                                   " (give another with --port; 0 picks any free one)") from None
    config = ServeConfig(db=db, user=user, token=token, host=address,
                         port=sock.getsockname()[1], public_url=public, max_sessions=max_sessions)

    def ready(config: ServeConfig) -> None:
        tabs = f"up to {config.max_sessions} tab{'s' if config.max_sessions != 1 else ''}"
        from transfer_tui.store.engines.url import redact

        click.echo(f"transfer-tui serve: {redact(str(config.db))}, as {config.user}, {tabs}")
        if config.public_url is not None:
            click.echo(f"Listening on {address}:{config.port} for your proxy.")
        if config.token.given:
            click.echo(f"Open this in your browser; the first time, add ?token= and the token "
                       f"from {config.token.source}:\n\n    {config.base_url}\n")
        else:
            click.echo("Open this link in your browser (it holds this server's token: keep it "
                       f"to yourself):\n\n    {config.base_url}?token={config.token.secret}\n")
        click.echo("Ctrl+C stops the server and every tab's app.")
        sys.stdout.flush()

    setup_logging()
    asyncio.run(serve(config, sock, ready))


COMMANDS = [serve_command]
