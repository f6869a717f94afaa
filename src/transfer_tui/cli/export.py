"""`transfer-tui export`: a handoff's summary as Markdown or JSON, to stdout or files."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from transfer_tui.cli.options import CONTEXT, common, database, read_config, settings_from
from transfer_tui.cli.pick import find_one
from transfer_tui.export.snapshot import AUDIENCES

if TYPE_CHECKING:
    from transfer_tui.export import ExportOptions
    from transfer_tui.store import Store

MAX_WORKERS = 8
PER_WORKER = 250  # fewer handoffs than this per process: starting one costs more than it saves


class ExportFailed(click.ClickException):
    """One line on stderr, exit 1."""


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    from transfer_tui.store import ValidationError
    from transfer_tui.store.validate import parse_date

    try:
        return parse_date(value, "as_of", "--as-of")
    except ValidationError as exc:
        raise click.BadParameter(exc.message) from None


def _render(store: Store, handoff_id: str, fmt: str, options: ExportOptions) -> str:
    from transfer_tui.export import render_json, render_markdown

    snapshot = store.snapshot(handoff_id, history=options.history)
    return (render_json if fmt == "json" else render_markdown)(snapshot, options)


def _write(path: Path, text: str, force: bool) -> Path:
    from transfer_tui.export.files import ExportFileError, ExportFileExists, write_text

    try:
        return write_text(path, text, overwrite=force)
    except ExportFileExists as exc:
        raise ExportFailed(f"{exc.path} already exists: add --force to overwrite it") from None
    except ExportFileError as exc:
        raise ExportFailed(str(exc)) from None


def _export_all(store: Store, folder: Path, fmt: str, options: ExportOptions, day: date,
                force: bool) -> None:
    """Every handoff, one file each; nothing is written unless every file can be."""
    from transfer_tui.export.files import ExportFileError, ExportFileExists, check_target, place
    from transfer_tui.export.files import file_names as names_for

    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportFailed(f"{folder} is a file: --all writes into a folder")
    summaries = store.summaries()
    if not summaries:
        click.echo("No handoffs to export.")
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportFailed(f"cannot create the folder {folder}: {exc.strerror or exc}") from None
    names = names_for(((s.id, s.account) for s in summaries), day, fmt)
    targets = {s.id: folder / names[s.id] for s in summaries}
    existing = []
    for path in targets.values():
        try:
            check_target(path, overwrite=force)
        except ExportFileExists:
            existing.append(path.name)
        except ExportFileError as exc:
            raise ExportFailed(str(exc)) from None
    if existing:
        raise ExportFailed(f"{len(existing)} of the files already exist in {folder} "
                           f"({', '.join(existing[:3])}{', ...' if len(existing) > 3 else ''})"
                           ": add --force to overwrite them; nothing was written")
    jobs = [(s.id, str(targets[s.id])) for s in summaries]
    workers = min(os.cpu_count() or 1, MAX_WORKERS, len(jobs) // PER_WORKER)
    if workers < 2:
        staged = _stage_part(store, jobs, fmt, options)
    else:
        staged = _stage_in_parallel(store, jobs, fmt, options, workers)
    try:  # every file is rendered and written: now they all take their names, or none
        place([(Path(temporary), Path(path)) for temporary, path in staged], overwrite=force)
    except ExportFileExists as exc:
        raise ExportFailed(f"{exc.path} appeared meanwhile: add --force to overwrite it; "
                           "nothing was written") from None
    except ExportFileError as exc:
        raise ExportFailed(f"{exc}; nothing was written") from None
    for _, written in staged:
        click.echo(written)


def _stage_part(store: Store, jobs: list[tuple[str, str]], fmt: str,
                options: ExportOptions) -> list[tuple[str, str]]:
    """Render these handoffs into staged files, in order: (staged, final path) pairs. On
    any failure the ones staged so far are removed and it says what failed."""
    from transfer_tui.export.files import ExportFileError, discard, stage_text
    from transfer_tui.store import StoreError

    staged: list[tuple[str, str]] = []
    try:
        for handoff_id, path in jobs:
            text = _render(store, handoff_id, fmt, options)
            staged.append((str(stage_text(Path(path), text)), path))
    except (ExportFileError, StoreError) as exc:
        discard([Path(temporary) for temporary, _ in staged])
        raise ExportFailed(f"{exc}; nothing was written") from None
    except BaseException:
        discard([Path(temporary) for temporary, _ in staged])
        raise
    return staged


def _stage_in_parallel(store: Store, jobs: list[tuple[str, str]], fmt: str,
                       options: ExportOptions, workers: int) -> list[tuple[str, str]]:
    """Share the handoffs between processes, one per core (rendering is CPU-bound, so
    threads would take turns), each reading the file on its own connection."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from transfer_tui.export.files import discard

    shares = [jobs[start::workers] for start in range(workers)]  # each a mix of sizes
    context = multiprocessing.get_context("spawn")  # never fork a process holding SQLite
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = list(pool.map(_stage_share, [store.target] * workers,
                             [store.user] * workers, shares, [fmt] * workers,
                             [options] * workers))
    failed = [outcome for outcome in done if isinstance(outcome, str)]
    parts = [outcome for outcome in done if not isinstance(outcome, str)]
    if failed:
        discard([Path(temporary) for part in parts for temporary, _ in part])
        raise ExportFailed(failed[0])
    staged = {path: temporary for part in parts for temporary, path in part}
    return [(staged[path], path) for _, path in jobs]  # in the list's order


def _stage_share(db: str, user: str, jobs: list[tuple[str, str]], fmt: str,
                 options: ExportOptions) -> list[tuple[str, str]] | str:
    """In a worker process: stage a share of the handoffs; the pairs, or what failed."""
    from transfer_tui.store import Store, StoreError

    try:
        store = Store(database(db), user, create=False)
    except StoreError as exc:
        return str(exc)
    try:
        return _stage_part(store, jobs, fmt, options)
    except ExportFailed as exc:
        return exc.message
    finally:
        store.close()


@click.command("export", context_settings=CONTEXT)
@click.argument("handoff", required=False)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              metavar="PATH", help="File to write (default: stdout); with --all, a folder.")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True, help="Markdown for people, JSON for scripts.")
@click.option("--all", "every", is_flag=True,
              help="Every handoff, one file each in the -o folder, named "
                   "<account>-handoff-<date>.md.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--audience", type=click.Choice(AUDIENCES), default="team", show_default=True,
              help="team: the working summary; manager: one page; customer: a letter safe "
                   "to send outside (no internal field).")
@click.option("--stamp", is_flag=True, help="Add a generated-at line.")
@click.option("--as-of", "as_of", callback=_as_of, metavar="YYYY-MM-DD", default=None,
              help="Measure overdue as of this day instead of today (reproducible output; "
                   "dates --all's files).")
@click.option("--history", "with_history", is_flag=True,
              help="Append every change: who, when, old -> new, oldest first.")
@common
@click.pass_context
def export_command(ctx: click.Context, handoff: str | None, output: Path | None, fmt: str,
                   every: bool, force: bool, audience: str, stamp: bool, as_of: date | None,
                   with_history: bool) -> None:
    """Write the summary of HANDOFF (its id, the start of its id, or its account name).

    Overdue is measured as of today (the first lines say so); --as-of DAY gives the
    same bytes from the same database on any day.
    """
    from transfer_tui.export import ExportOptions

    if every and handoff:
        raise click.UsageError("give a HANDOFF or --all, not both")
    if every and output is None:
        raise click.UsageError("--all needs -o FOLDER to write the files in")
    if not every and not handoff:
        raise click.UsageError("say which handoff to export (its id or account), or --all")
    store = settings_from(ctx).open_store(create=False)
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        today = now.astimezone().date()
        people = tuple(read_config().people.items()) if audience == "customer" else ()
        options = ExportOptions(
            as_of=as_of or today,
            as_of_today=as_of is None,
            generated_at=now if stamp else None,
            generated_by=store.user if stamp else None,
            history=with_history,
            audience=audience,
            people=people,
        )
        if every:
            assert output is not None
            _export_all(store, output, fmt, options, as_of or today, force)
            return
        assert handoff is not None
        summary = find_one(store, handoff)
        text = _render(store, summary.id, fmt, options)
        if output is None:
            click.echo(text, nl=False)
        else:
            click.echo(f"Wrote {_write(output, text, force)}", err=True)
    finally:
        store.close()


COMMANDS = [export_command]
