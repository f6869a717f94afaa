"""Commands about playbooks: list them, and check a playbook file before using it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from transfer_tui.cli.options import CONTEXT, common


def _table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                   .rstrip())


@click.command("playbooks", context_settings=CONTEXT)
@common
def playbooks_command() -> None:
    """Every playbook: id, name, sections, tasks and where its file is; broken ones too."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.playbooks import load_registry

    registry = load_registry()
    rows = [("ID", "NAME", "SECTIONS", "TASKS", "WHERE")]
    for entry in registry.entries:
        if entry.playbook is None:
            continue
        playbook = entry.playbook
        rows.append((playbook.id, one_line(playbook.name, 40), str(len(playbook.sections)),
                     str(playbook.task_count), entry.where))
    _table(rows)
    folder = registry.user_dir
    if folder is not None:
        state = "" if folder.is_dir() else " (does not exist yet: create it)"
        click.echo(f"\nYour playbooks folder: {folder}{state}")
    if registry.broken:
        click.echo(f"\nBroken, not usable ({len(registry.broken)}): "
                   "see  transfer-tui playbook check FILE")
        for entry in registry.broken:
            first = one_line(str(entry.problems[0]) if entry.problems else "not usable")
            click.echo(f"  {first}")


@click.group("playbook", context_settings=CONTEXT)
def playbook_group() -> None:
    """Work with one playbook file."""


@playbook_group.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@common
def check_command(files: tuple[Path, ...]) -> None:
    """Check playbook FILES: every problem as file:line: field: message; exit 1 if any."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.playbooks import load_registry

    registry = load_registry()
    failed = 0
    for path in files:
        playbook, problems = registry.check_file(path)
        if playbook is not None:
            click.echo(f"{path}: ok: {playbook.id} \"{one_line(playbook.name)}\", "
                       f"{len(playbook.sections)} sections, {playbook.task_count} tasks"
                       + (f", roles: {', '.join(playbook.roles)}" if playbook.roles else ""))
            continue
        failed += 1
        for problem in problems:
            click.echo(one_line(str(problem)), err=True)
        count = len(problems)
        click.echo(f"{path}: {count} problem{'s' if count != 1 else ''}", err=True)
    if failed:
        raise click.exceptions.Exit(1)


COMMANDS = [playbooks_command, playbook_group]
