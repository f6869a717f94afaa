"""Commands that look after the database file: backup and check."""

from __future__ import annotations

from pathlib import Path

import click

from transfer_tui.cli.options import CONTEXT, common, settings_from
from transfer_tui.paths import default_db_path


def _database(ctx: click.Context) -> Path:
    """The file these commands look after; a server looks after itself."""
    from transfer_tui.store.engines.url import looks_like_url, redact

    db = settings_from(ctx).db or default_db_path()
    if looks_like_url(db):
        raise click.ClickException(
            f"{ctx.info_name} works on a database file, and {redact(str(db))} is a server: "
            "back it up and check it with the server's own tools (pg_dump), or copy it "
            "into a file with transfer-tui copy")
    return Path(db)


@click.command("backup", context_settings=CONTEXT)
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=None,
              metavar="FILE", help="Where to write the copy (default: next to the database, "
              "named with the date and time).")
@common
@click.pass_context
def backup_command(ctx: click.Context, output: Path | None) -> None:
    """Copy the database safely, even while someone has it open and is saving."""
    from transfer_tui.store.maintenance import backup

    target = backup(_database(ctx), output)
    click.echo(f"Backed up to {target}")


@click.command("check", context_settings=CONTEXT)
@common
@click.pass_context
def check_command(ctx: click.Context) -> None:
    """Check the database file: integrity, schema version, counts. Exit 1 on problems."""
    from transfer_tui.store.maintenance import check

    report = check(_database(ctx))
    click.echo(f"File:      {report.path} ({report.size:,} bytes, journal {report.journal})")
    click.echo(f"Schema:    {report.schema} (this transfer-tui: {report.latest})")
    if report.counts:
        from transfer_tui.records import KIND_BY_KEY

        counts = dict(report.counts)
        records = sum(counts.pop(key, 0) for key in KIND_BY_KEY)
        parts = [f"{counts.pop('handoff', 0):,} handoffs", f"{counts.pop('task', 0):,} tasks",
                 f"{records:,} records"]
        events = counts.pop("event", 0)
        parts += [f"{count:,} {table}" for table, count in counts.items()]
        click.echo("Holds:     " + ", ".join([*parts, f"{events:,} events"]))
    for note in report.notes:
        click.echo(f"Note:      {note}")
    if report.ok:
        click.echo("Integrity: ok")
        return
    from transfer_tui.cleantext import one_line

    click.echo(f"Problems:  {len(report.problems)}")
    for problem in report.problems:
        click.echo(f"  - {one_line(problem, 200)}")
    click.echo("Restore a backup, or ask whoever shares this file for a fresh copy.")
    ctx.exit(1)


COMMANDS = [backup_command, check_command]
