"""Command line: the `transfer-tui` group, shared options, and one-line errors.

Every failure a person can cause ends as one line on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

import click

from transfer_tui import __version__
from transfer_tui.cleantext import one_line, visible
from transfer_tui.cli.options import CONTEXT, Settings, common, settings_from

if TYPE_CHECKING:
    import asyncio


#: Each command's module (a module keeps one topic's commands in its COMMANDS): a command's
#: imports load only when it runs, so the terminal UI, run most, and ``--version`` load
#: none of them. ``--help`` and a mistyped name (click's "Did you mean") load them all.
COMMAND_MODULES = {
    "accept": "signoff",
    "backup": "maintenance",
    "check": "maintenance",
    "config": "settings",
    "copy": "team_mode",
    "dates": "signoff",
    "demo": "handoffs",
    "due": "outreach",
    "export": "export",
    "handover": "signoff",
    "import": "bulk",
    "init-server": "team_mode",
    "intro": "outreach",
    "list": "handoffs",
    "merge": "sharing",
    "new": "handoffs",
    "notify": "outreach",
    "people": "people",
    "playbook": "playbooks",
    "playbooks": "playbooks",
    "reassign": "team",
    "reject": "signoff",
    "report": "team",
    "serve": "serve",
    "share": "sharing",
    "team-sql": "team_sql",
}


class LazyGroup(click.Group):
    """The ``transfer-tui`` group: knows its commands by name (:data:`COMMAND_MODULES`)
    and imports a command's module when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMAND_MODULES, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            self._load(COMMAND_MODULES[cmd_name])
        return self.commands.get(cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMAND_MODULES and not ctx.resilient_parsing:
            for module in sorted(set(COMMAND_MODULES.values())):  # what it may have meant
                self._load(module)
        return super().resolve_command(ctx, args)

    def _load(self, module: str) -> None:
        from importlib import import_module

        for command in import_module(f"transfer_tui.cli.{module}").COMMANDS:
            self.add_command(command)


@click.group(cls=LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
@common
@click.version_option(__version__, "--version", prog_name="transfer-tui")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Hand a customer account from one CSM to another without losing a thing.

    With no command, opens the handoffs in the terminal UI.
    """
    ctx.ensure_object(Settings)
    if ctx.invoked_subcommand is None:
        _restore({number: signal.SIG_DFL for number in _STOPPING})  # as the app expects
        code = run_tui(settings_from(ctx))
        _closed_tui.set()
        if code:  # the app stopped on an error (Textual printed it): say so
            raise click.exceptions.Exit(code)


_closed_tui = threading.Event()  # this process ran the terminal UI, which has closed


def run_tui(settings: Settings, *, loop: asyncio.AbstractEventLoop | None = None) -> int:
    """The terminal UI on the settings' database; ``loop`` for a caller that watches it
    (a browser tab's process, web/app_process.py). Returns the app's exit code: non-zero
    when it stopped on an error."""
    opening = _Opening(settings)
    opening.start()
    try:
        from transfer_tui.app import TransferApp
    except BaseException:
        opening.join()
        if opening.store is not None:
            opening.store.close()
        raise
    opening.join()
    store = opening.opened()

    config = settings.config
    app = TransferApp(store, ask_name=settings.name_unknown and not store.named_by_server,
                      notice=config.warning if config is not None else None,
                      first_page=opening.first_page)
    try:
        app.run(loop=loop)
    finally:
        store.close()
    return app.return_code or 0


class _Opening(threading.Thread):
    """The store opens in a thread of its own while the app's modules (Textual: the bulk
    of a start) import, and reads the home list's first page: on a server, its waits
    (the driver connecting, the schema check, the connection that listens, the page)
    overlap those imports instead of adding to them, and the app's first frame shows the
    handoffs (a frame without them, then the page read in a worker, cost 50-80 ms more).
    What opening raises is raised by :meth:`opened`, as if it had opened first; a page
    that cannot be read is read again by the home screen, which says why."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(name="open-store")
        self.settings = settings
        self.store: Any = None
        self.error: BaseException | None = None
        self.first_page: Any = None  # see store.handoffs.first_page

    def run(self) -> None:
        try:
            self.store = self.settings.open_store()
        except BaseException as exc:
            self.error = exc
            return
        from transfer_tui.store.summary import FIRST_PAGE

        try:
            self.store.listen()  # before the first read: every save from now on is told
            self.first_page = self.store.handoffs.first_page(FIRST_PAGE)
        except Exception:
            pass  # the home screen reads it again, and says why it cannot

    def opened(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.store


def not_utf8(args: list[str]) -> str | None:
    """Why the arguments (or the --db/--as environment variables) cannot be used, or None.

    Python hands bytes that are not UTF-8 over as lone surrogates, which no database,
    file or terminal can take: refuse them here, once, for every command.
    """
    from transfer_tui.paths import DB_ENV, USER_ENV

    named = [(f"argument {number}", arg) for number, arg in enumerate(args, start=1)]
    named += [(name, os.environ[name]) for name in (DB_ENV, USER_ENV) if name in os.environ]
    for name, text in named:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return (f"{name} is not valid UTF-8 text ('{one_line(shown, 60)}'): type it again "
                    "in UTF-8")
    return None


_STOPPING = (signal.SIGTERM, signal.SIGHUP)


def _stop(_number: int, _frame: object) -> None:
    raise KeyboardInterrupt  # unwinds: the transaction rolls back, temporary files go


def _stop_cleanly_on_signals() -> dict:
    """SIGTERM and SIGHUP (a closed terminal) stop a command the way Ctrl+C does, so it
    rolls its transaction back and removes its temporary files instead of leaving a
    half-written save for the next opener to undo. (SIGKILL cannot be caught: SQLite's
    journal covers that case, see store/connection.py.)"""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {number: signal.signal(number, _stop) for number in _STOPPING}


def _restore(previous: dict) -> None:
    for number, handler in previous.items():
        signal.signal(number, handler)


def _output_failed(exc: OSError) -> int:
    """Writing to stdout failed: one line on stderr (none for a closed pipe, as `head`
    expects), and stdout pointed at nothing so Python's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass
    if exc.errno != errno.EPIPE:
        click.echo(f"transfer-tui: error: cannot write the output: {exc.strerror or exc}",
                   err=True)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every expected failure into one line."""
    code = _main(argv)
    if argv is None and _closed_tui.is_set():  # the process itself, not a test calling in
        _leave(code)
    return code


def _main(argv: list[str] | None) -> int:
    from transfer_tui.store.errors import SignOffError, StoreError

    args = sys.argv[1:] if argv is None else list(argv)
    refused = not_utf8(args)
    if refused:
        click.echo(f"transfer-tui: error: {refused}", err=True)
        return 2
    previous = _stop_cleanly_on_signals()
    try:
        code = cli.main(args=args, prog_name="transfer-tui", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.NoArgsIsHelpError as exc:  # a group alone: its help, as click shows it
        exc.show()
        return exc.exit_code
    except click.ClickException as exc:
        hint = " (see transfer-tui --help)" if isinstance(exc, click.UsageError) else ""
        click.echo(f"transfer-tui: error: {visible(exc.format_message())}{hint}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("transfer-tui: aborted", err=True)
        return 130
    except SignOffError as exc:  # what is missing, one line each, saying where to fix it
        head = str(exc).split(": ", 1)[0] if exc.missing else str(exc)
        click.echo(f"transfer-tui: error: {visible(head)}" + (":" if exc.missing else ""),
                   err=True)
        for gap in exc.missing:
            click.echo(f"  - {visible(gap)}", err=True)
        return 1
    except StoreError as exc:
        click.echo(f"transfer-tui: error: {visible(str(exc))}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # the output cannot be written: a full disk, a closed pipe
        return _output_failed(exc)
    except Exception as exc:  # a playbook that cannot be used: one line too
        if not _is_playbook_error(exc):
            raise
        click.echo(f"transfer-tui: error: {visible(str(exc))}", err=True)
        return 1
    finally:
        _restore(previous)
    # without standalone mode, click returns the code of a command that raised Exit
    return code if isinstance(code, int) else 0


def _is_playbook_error(exc: Exception) -> bool:
    """A playbook that cannot be used (one line, as a StoreError). Only a command that
    loaded playbooks can raise one: the loader (a tenth of the start-up's imports) is not
    loaded just to ask."""
    loader = sys.modules.get("transfer_tui.playbooks.loader")
    return loader is not None and isinstance(exc, loader.PlaybookError)


def _leave(code: int) -> None:
    """End the process now, once the terminal UI has closed: its store is closed, every
    worker's thread has ended (Textual waits for them) and so every save is committed.
    What is left are daemon threads (home's list being read, the SQLAlchemy prewarm, the
    integrity check of a big file) and the interpreter's teardown of everything alive
    (50,000 summaries): Python's own exit let them run on, which took seconds on a
    busy machine after the screen was already gone."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
