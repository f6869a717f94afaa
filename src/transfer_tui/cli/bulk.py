"""Bulk handoffs from a CSV: all rows or none, and never the same handoff twice."""

from __future__ import annotations

from pathlib import Path

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from


@click.command("import", context_settings=CONTEXT)
@click.argument("file", type=click.Path(path_type=Path))
@common
@click.pass_context
def import_command(ctx: click.Context, file: Path) -> None:
    """Make one handoff per row of FILE (a CSV with a header row).

    Columns: account, from, to, target date, playbook (and optionally renewal date,
    mode). A file with any bad row creates nothing; an account already in an open
    handoff to the same incoming CSM is reported and skipped.
    """
    from transfer_tui.cleantext import one_line
    from transfer_tui.importer import ImportFileError, read_import
    from transfer_tui.playbooks import load_registry

    try:
        rows, problems = read_import(file, load_registry())
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    if problems:
        for problem in problems:
            click.echo(one_line(str(problem)), err=True)
        count = len(problems)
        click.echo(f"Nothing imported: {count} bad row{'s' if count != 1 else ''} in {file}; "
                   f"fix {'them' if count != 1 else 'it'} and import the file again.", err=True)
        raise click.exceptions.Exit(1)
    if not rows:
        click.echo(f"{file} has no rows under its header: nothing to import.")
        return
    store = settings_from(ctx).open_store()
    try:
        result = store.create_handoffs(rows)
    finally:
        store.close()
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
        for line, why in result.skipped:
            click.echo(f"  {file}:{line}: {one_line(why)}")


COMMANDS = [import_command]
