"""`transfer-tui intro`, `due` and `notify`: the customer intro, and reminders that reach
people without opening the app."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from transfer_tui.cli.options import CONTEXT, common, read_config, settings_from
from transfer_tui.cli.pick import find_one

if TYPE_CHECKING:
    from transfer_tui.outreach.digest import Digest


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@click.command("intro", context_settings=CONTEXT)
@click.argument("handoff")
@click.option("-o", "--output", "folder", type=click.Path(path_type=Path), default=Path("."),
              show_default=True, metavar="DIR", help="Folder to write the two files in.")
@click.option("--when", metavar="TIME", default=None,
              help="The joint call: '2026-12-03 16:00 Europe/Berlin' or 'Thursday 16:00 CET' "
                   "(default: the next cadence call).")
@click.option("--minutes", type=click.IntRange(5, 480), default=None,
              help="How long the call is (default: [intro] minutes in the config, else 30).")
@click.option("--from", "sender", metavar="EMAIL", default=None,
              help="The outgoing CSM's e-mail (default: [people] in the config).")
@click.option("--cc", metavar="EMAIL", default=None,
              help="The incoming CSM's e-mail (default: [people] in the config).")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@common
@click.pass_context
def intro_command(ctx: click.Context, handoff: str, folder: Path, when: str | None,
                  minutes: int | None, sender: str | None, cc: str | None,
                  force: bool) -> None:
    """Write the customer intro for HANDOFF: an e-mail draft (.eml) and a call invite (.ics).

    To the stakeholders marked executive sponsor and primary contact, from the
    outgoing CSM, copying the incoming one. Nothing is written if anything is missing.
    """
    from transfer_tui.export.files import ExportFileError, ExportFileExists
    from transfer_tui.outreach.files import write_intro
    from transfer_tui.outreach.intro import IntroProblem, plan_intro
    from transfer_tui.outreach.templates import TemplateProblem

    config = read_config()
    store = settings_from(ctx).open_store(create=False)
    try:
        summary = find_one(store, handoff)
        snapshot = store.snapshot(summary.id)
    finally:
        store.close()
    now = _now()
    try:
        intro = plan_intro(snapshot, config, now=now, when=when, sender=sender, cc=cc,
                           minutes=minutes)
        eml, ics = write_intro(intro, folder, config.templates(), now, overwrite=force)
    except ExportFileExists as exc:
        raise click.ClickException(f"{exc.path} already exists: add --force to replace it; "
                                   "nothing was written") from None
    except (IntroProblem, TemplateProblem, ExportFileError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(eml)
    click.echo(ics)
    people = ", ".join(p.name for p in intro.recipients)
    click.echo(f"To {people}; cc {intro.incoming.name}; call {intro.start:%A %Y-%m-%d %H:%M} "
               f"{intro.start.tzinfo} for {intro.minutes} minutes.", err=True)


def _digest(ctx: click.Context, days: int) -> Digest:
    from transfer_tui.outreach.digest import make_digest

    store = settings_from(ctx).open_store(create=False)
    person = store.user  # on a team server, the login's name
    try:
        today = store.now().astimezone().date()
        return make_digest(person, today, days, store.due_items(person, today, days))
    finally:
        store.close()


_DAYS = click.option("--days", type=click.IntRange(0, 366), default=7, show_default=True,
                     help="Count tasks due within this many days as due soon.")


@click.command("due", context_settings=CONTEXT)
@_DAYS
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md",
              show_default=True)
@click.option("--ics", "ics", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="Also write these dates as a calendar to subscribe to (replaced each run; "
                   "events keep their ids).")
@common
@click.pass_context
def due_command(ctx: click.Context, days: int, fmt: str, ics: Path | None) -> None:
    """What is due for you (--as NAME) across every handoff: overdue tasks, tasks due soon,
    renewal outreach started, handoffs awaiting your acceptance, promises you own."""
    from transfer_tui.outreach.digest import render_digest_json, render_digest_markdown

    digest = _digest(ctx, days)
    if ics is not None:
        from transfer_tui.export.files import ExportFileError, write_text
        from transfer_tui.outreach.due_calendar import due_calendar

        try:
            written = write_text(ics, due_calendar(digest, _now()).decode("utf-8"),
                                 overwrite=True)
        except ExportFileError as exc:
            raise click.ClickException(str(exc)) from None
        dated = sum(1 for item in digest.items if item.day is not None)
        click.echo(f"Wrote {written} ({dated} event{'s' if dated != 1 else ''}).", err=True)
    render = render_digest_json if fmt == "json" else render_digest_markdown
    click.echo(render(digest), nl=False)


@click.command("notify", context_settings=CONTEXT)
@click.option("--webhook", metavar="URL", default=None,
              help="A Slack or Teams incoming webhook (default: [notify] webhook in the "
                   "config). Never printed in full.")
@_DAYS
@common
@click.pass_context
def notify_command(ctx: click.Context, webhook: str | None, days: int) -> None:
    """Post your due digest (--as NAME) to a chat channel through an incoming webhook."""
    from transfer_tui.outreach.webhook import WebhookProblem, notify, redact

    url = webhook or read_config().webhook
    if not url:
        raise click.UsageError("no webhook: pass --webhook URL or set webhook under [notify] "
                               "in config.toml")
    digest = _digest(ctx, days)
    try:
        notify(digest, url)
    except WebhookProblem as exc:
        raise click.ClickException(str(exc)) from None
    count = len(digest.items)
    click.echo(f"Posted the digest for {digest.person} ({count} item{'s' if count != 1 else ''})"
               f" to {redact(url)}.")


COMMANDS = [intro_command, due_command, notify_command]
