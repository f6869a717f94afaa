"""Bulk handoffs from a CSV: all rows or none, and never the same handoff twice."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from

if TYPE_CHECKING:
    from transfer_tui.importer import ImportRows


@click.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True,
              help="Print what would be created and skipped; change nothing.")
@common
@click.pass_context
def import_command(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Make one handoff per row of FILE (a CSV with a header row).

    Columns: account, from, to, target date, playbook (and optionally renewal date,
    mode). A file with any bad row creates nothing; an account already in an open
    handoff to the same incoming CSM is reported and skipped. --dry-run checks the file
    and the database the same way and says what it would do, writing nothing.
    """
    from transfer_tui.cleantext import one_line
    from transfer_tui.importer import ImportFileError, read_import
    from transfer_tui.playbooks import load_registry

    try:
        rows, problems = read_import(file, load_registry())
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    refuse_bad_rows(problems, file, "Nothing imported", "import the file again")
    if not rows:
        click.echo(f"{file} has no rows under its header: nothing to import.")
        return
    try:  # the rows are read from the file again as they are used: it may have changed
        if dry_run:
            _dry_run(ctx, file, rows)
            return
        store = settings_from(ctx).open_store()
        try:
            result = store.create_handoffs(rows)
        finally:
            store.close()
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    created = len(result.created)
    if created:
        click.echo(f"Created {created} handoff{'s' if created != 1 else ''} from {file}:")
    else:
        click.echo(f"Nothing new in {file}: every row is already in an open handoff.")
    for handoff in result.created:
        target = handoff.target_date.isoformat() if handoff.target_date else "no target"
        click.echo(f"  {handoff.short_id}  {one_line(handoff.account, 40)}: "
                   f"{one_line(handoff.outgoing, 24)} -> {one_line(handoff.incoming, 24)}, "
                   f"{target}, {one_line(handoff.playbook_name, 40)}")
    if result.skipped:
        click.echo(f"Skipped {len(result.skipped)} already in an open handoff:")
        _skipped(file, result.skipped)


def refuse_bad_rows(problems: list, file: Path, nothing: str, again: str) -> None:
    """Every bad row of a CSV on its own line, then what happened (nothing) and exit 1."""
    if not problems:
        return
    from transfer_tui.cleantext import one_line

    for problem in problems:
        click.echo(one_line(str(problem)), err=True)
    count = len(problems)
    click.echo(f"{nothing}: {count} bad row{'s' if count != 1 else ''} in {file}; "
               f"fix {'them' if count != 1 else 'it'} and {again}.", err=True)
    raise click.exceptions.Exit(1)


def _skipped(file: Path, skipped: list[tuple[int, str]]) -> None:
    from transfer_tui.cleantext import one_line

    for line, why in skipped:
        click.echo(f"  {file}:{line}: {one_line(why)}")


def _dry_run(ctx: click.Context, file: Path, rows: ImportRows) -> None:
    """What the import would create and skip, read without writing: the database is
    opened read-only (not even upgraded), and a missing file is not created."""
    from transfer_tui.cleantext import one_line
    from transfer_tui.paths import default_db_path

    settings = settings_from(ctx)
    target = settings.db or default_db_path()
    if isinstance(target, str) or target.exists():  # a server's URL, or a file that is there
        store = settings.open_store(create=False, readonly=True)
        try:
            creating, skipped = store.plan_handoffs(rows)
        finally:
            store.close()
    else:
        creating, skipped = list(rows), []
    count = len(creating)
    click.echo(f"Dry run, nothing changed: {file} would create {count} "
               f"handoff{'s' if count != 1 else ''} and skip {len(skipped)}.")
    for row in creating:
        fields = row.fields
        target = fields.get("target_date")
        playbook = row.playbook.name if row.playbook else "default playbook"
        click.echo(f"  create  {file}:{row.line}: {one_line(fields['account'], 40)}: "
                   f"{one_line(fields['outgoing'], 24)} -> {one_line(fields['incoming'], 24)}"
                   f", {target.isoformat() if target else 'no target'}, "
                   f"{one_line(playbook, 40)}")
    if skipped:
        click.echo("Would skip, already in an open handoff:")
        _skipped(file, skipped)


COMMANDS = [import_command]
