"""Command line: the `transfer-tui` group, shared options, and one-line errors.

Every failure a person can cause ends as one line on stderr and a non-zero
exit, never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from transfer_tui import __version__
from transfer_tui.cli.options import CONTEXT, Settings, common, settings_from

if TYPE_CHECKING:
    import asyncio


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@common
@click.version_option(__version__, "--version", prog_name="transfer-tui")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Hand a customer account from one CSM to another without losing a thing.

    With no command, opens the handoffs in the terminal UI.
    """
    ctx.ensure_object(Settings)
    if ctx.invoked_subcommand is None:
        run_tui(settings_from(ctx))


def run_tui(settings: Settings, *, loop: asyncio.AbstractEventLoop | None = None) -> None:
    """The terminal UI on the settings' database; ``loop`` for a caller that watches it
    (a browser tab's process, web/app_process.py)."""
    store = settings.open_store()
    from transfer_tui.app import TransferApp

    try:
        TransferApp(store).run(loop=loop)
    finally:
        store.close()


def _register() -> None:
    """Each topic keeps its commands in its own module."""
    from transfer_tui.cli import (
        bulk,
        export,
        handoffs,
        maintenance,
        outreach,
        playbooks,
        serve,
        sharing,
        signoff,
    )

    for module in (handoffs, signoff, bulk, playbooks, export, outreach, sharing, maintenance,
                   serve):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every expected failure into one line."""
    from transfer_tui.playbooks.loader import PlaybookError
    from transfer_tui.store.errors import StoreError

    try:
        code = cli.main(args=argv, prog_name="transfer-tui", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        hint = " (see transfer-tui --help)" if isinstance(exc, click.UsageError) else ""
        click.echo(f"transfer-tui: error: {exc.format_message()}{hint}", err=True)
        return exc.exit_code
    except click.Abort:
        click.echo("transfer-tui: aborted", err=True)
        return 130
    except (StoreError, PlaybookError) as exc:
        from transfer_tui.cleantext import one_line

        click.echo(f"transfer-tui: error: {one_line(str(exc))}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    # without standalone mode, click returns the code of a command that raised Exit
    return code if isinstance(code, int) else 0
