"""Layering rules that keep the app fast and the store reusable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from transfer_tui.store import Store


def _modules_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("package", ["transfer_tui.store", "transfer_tui.playbooks",
                                     "transfer_tui.demo", "transfer_tui.store.models",
                                     "transfer_tui.records", "transfer_tui.store.record_models",
                                     "transfer_tui.importer", "transfer_tui.export",
                                     "transfer_tui.export.files", "transfer_tui.reassign_file"])
def test_data_layers_never_import_textual(package: str) -> None:
    loaded = _modules_after(f"import {package}")
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


def test_export_is_pure_no_store_no_sql() -> None:
    """The renderers read a snapshot; only the store knows where it came from."""
    loaded = _modules_after("import transfer_tui.export, transfer_tui.export.files, "
                            "transfer_tui.export.team_report, transfer_tui.lateness")
    assert not any(name.startswith(("transfer_tui.store", "sqlalchemy", "sqlmodel", "sqlite3"))
                   for name in loaded)


def test_outreach_and_config_are_pure_no_store_no_ui() -> None:
    """The intro and the reminders are built from data handed in: no database, no screen."""
    loaded = _modules_after(
        "import transfer_tui.config, transfer_tui.outreach.files, transfer_tui.outreach.digest,"
        " transfer_tui.outreach.due_calendar, transfer_tui.outreach.webhook")
    assert not any(name.startswith(("transfer_tui.store", "sqlalchemy", "sqlmodel", "sqlite3",
                                    "textual")) for name in loaded)


def test_the_command_line_loads_only_the_command_it_runs() -> None:
    """The terminal UI and --version start without any command's module (export's
    renderers, the team's SQL...): each loads when its command runs."""
    loaded = _modules_after("import transfer_tui.cli")
    assert not [name for name in loaded if name.startswith("transfer_tui.cli.")
                and name != "transfer_tui.cli.options"]
    assert "transfer_tui.export" not in loaded and "transfer_tui.store.roles" not in loaded


def test_opening_a_store_and_listing_does_not_load_sqlalchemy(tmp_path) -> None:
    """The home screen and `list` paint from plain sqlite3; SQLAlchemy waits."""
    Store(tmp_path / "x.db", "me").close()
    loaded = _modules_after(
        "from transfer_tui.store import Store\n"
        f"s = Store(__import__('pathlib').Path({str(tmp_path / 'x.db')!r}), 'me')\n"
        "s.handoffs.summaries()"
    )
    assert "sqlalchemy" not in loaded
    assert "transfer_tui.export" not in loaded  # loaded when someone exports


def test_models_match_the_migrated_schema(store: Store) -> None:
    from sqlmodel import SQLModel

    import transfer_tui.store.models
    import transfer_tui.store.record_models  # noqa: F401

    for table in SQLModel.metadata.sorted_tables:
        columns = [row[1] for row in store.query(f"PRAGMA table_info({table.name})")]
        assert columns, f"table {table.name} missing from the migrations"
        assert sorted(columns) == sorted(c.name for c in table.columns), table.name


def test_record_tables_match_the_record_kinds(store: Store) -> None:
    """Each kind's declared fields are its table's columns, plus the same bookkeeping ones."""
    from transfer_tui.records import KINDS
    from transfer_tui.store.record_models import BOOKKEEPING, MODELS

    assert list(MODELS) == [kind.key for kind in KINDS]
    for kind in KINDS:
        columns = {row[1] for row in store.query(f"PRAGMA table_info({kind.key})")}
        assert columns == set(kind.names) | set(BOOKKEEPING), kind.key
        indexes = store.query(f"PRAGMA index_list({kind.key})")
        assert any(name == f"ix_{kind.key}_handoff" for _, name, *_ in indexes)
        (fk,) = store.query(f"PRAGMA foreign_key_list({kind.key})")
        assert (fk[2], fk[3], fk[6]) == ("handoff", "handoff_id", "CASCADE")



def test_record_models_made_from_the_kinds_match_the_files_columns(store: Store) -> None:
    """The classes made from the kinds have the migrated file's column types, nullability
    and defaults: text '' (a list '[]'), yes/no false, dates and numbers NULL; a number
    that may pass 2**31 is BIGINT on a server (issue 11: each entity declared once)."""
    from sqlalchemy import BigInteger
    from sqlalchemy.dialects import sqlite

    from transfer_tui.records import KINDS
    from transfer_tui.records.fields import FieldType
    from transfer_tui.store.record_models import MODELS

    family = {"TEXT": {"VARCHAR"}, "DATE": {"DATE"}, "INTEGER": {"INTEGER", "BIGINT"},
              "BOOLEAN": {"BOOLEAN"}}
    for kind in KINDS:
        columns = MODELS[kind.key].__table__.columns  # type: ignore[attr-defined]
        declared = {row[1]: row for row in store.query(f"PRAGMA table_info({kind.key})")}
        for spec in kind.fields:
            column, (_, _, sql_type, notnull, file_default, _) = columns[spec.name], \
                declared[spec.name]
            where = f"{kind.key}.{spec.name}"
            assert column.type.compile(dialect=sqlite.dialect()) in family[sql_type], where
            assert column.nullable is not bool(notnull), where
            default = None if column.default is None else column.default.arg
            assert {None: None, "''": "", "'[]'": "[]", "0": False, "FALSE": False}[
                file_default] == default, where
            big = spec.type is FieldType.MONEY or (
                spec.type is FieldType.INT and spec.highest >= 2**31)
            assert isinstance(column.type, BigInteger) is big, where
    assert not isinstance(MODELS["health"].__table__.c.score.type, BigInteger)  # type: ignore[attr-defined]
    assert isinstance(MODELS["license"].__table__.c.seats_bought.type, BigInteger)  # type: ignore[attr-defined]


def test_merge_and_check_have_a_rule_for_every_column_and_its_nullness() -> None:
    """row_rules checks every column of every table a merge takes in: the record tables'
    fields by their kind, their bookkeeping and the handoff, task and event columns by
    the rules listed there, each taking NULL exactly where the column does."""
    from transfer_tui.records import KINDS
    from transfer_tui.store import row_rules
    from transfer_tui.store.models import Event, Handoff, Task
    from transfer_tui.store.record_models import BOOKKEEPING, MODELS

    assert set(row_rules.RECORD_RULES) == set(BOOKKEEPING)
    for rules, model in ((row_rules.HANDOFF_RULES, Handoff), (row_rules.TASK_RULES, Task),
                         (row_rules.EVENT_RULES, Event), (row_rules.RECORD_RULES, MODELS["risk"])):
        columns = model.__table__.columns  # type: ignore[attr-defined]
        if model is not MODELS["risk"]:
            assert set(rules) == set(columns.keys()), model.__name__
        for name, rule in rules.items():
            assert (rule(None, True) is None) is columns[name].nullable, (model.__name__, name)
    for kind in KINDS:
        columns = MODELS[kind.key].__table__.columns  # type: ignore[attr-defined]
        for spec in kind.fields:
            refused = row_rules.problems_in(kind.key, {"id": "a1", spec.name: None},
                                            strict=False)
            assert bool(refused) is not columns[spec.name].nullable, (kind.key, spec.name)

STORE_PARTS = {"history": "History", "handoffs": "Handoffs", "schedule": "Schedule",
               "signoff": "SignOff", "tasks": "Tasks", "records": "Records", "bulk": "Bulk",
               "reassign": "Reassign", "snapshots": "Snapshots", "sharing": "Sharing",
               "due": "Due", "team": "Team", "accounts": "Accounts"}


def test_the_store_is_one_object_per_part_over_one_database(store: Store) -> None:
    """No mixins: the Store is the database plus its parts, each part holding the same
    database and the parts it names in its __init__ (issue 11)."""
    from transfer_tui.store.database import Database

    assert Store.__bases__ == (Database,)
    for attribute, class_name in STORE_PARTS.items():
        part = getattr(store, attribute)
        assert type(part).__name__ == class_name
        assert part.db is store
        for name, value in vars(part).items():  # its dependencies are the store's own parts
            if name != "db":
                assert value is getattr(store, name), (attribute, name)


def test_store_parts_use_only_each_others_public_methods() -> None:
    """A part calls another through its public methods, never its private ones (``_x``):
    what one part offers the others is its declared interface."""
    import ast
    from pathlib import Path

    import transfer_tui.store as package

    folder = Path(package.__file__).parent
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and not (isinstance(node.value, ast.Name)
                             and node.value.id in ("self", "cls"))):
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
    assert not found, found


class OffTheLoop:
    """A store that notes every call made on the event loop's thread (the main thread, in
    a Pilot test): a screen that calls the store outside a worker would freeze while
    someone else saves. Attributes (user, where, readonly) are not calls."""

    ALLOWED = {"interrupt"}  # the App's exit cuts running reads short: no query

    def __init__(self, store: Store, prefix: str = "", on_loop: list | None = None,
                 off_loop: set | None = None) -> None:
        object.__setattr__(self, "_store", store)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "on_loop", [] if on_loop is None else on_loop)
        object.__setattr__(self, "off_loop", set() if off_loop is None else off_loop)

    def __getattr__(self, name: str):
        import threading

        value = getattr(self._store, name)
        if not self._prefix and name in STORE_PARTS:  # a part: its methods are the calls
            return OffTheLoop(value, f"{name}.", self.on_loop, self.off_loop)
        if not callable(value) or name in self.ALLOWED:
            return value

        def call(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                self.on_loop.append(self._prefix + name)
            else:
                self.off_loop.add(self._prefix + name)
            return value(*args, **kwargs)

        return call

    def __setattr__(self, name: str, value) -> None:
        setattr(self._store, name, value)


async def watched(pilot) -> None:
    """Let the file watch (each second) see a change, and the screen show it."""
    from tests.conftest import settle

    for _ in range(15):
        await pilot.pause(0.1)
    await settle(pilot)


async def test_no_screen_calls_the_store_on_the_event_loop(demo_store: Store) -> None:
    """The main flows, key by key: every store call they make runs in a worker's thread."""
    from textual.widgets import TextArea

    from tests.conftest import fixed_clock, settle
    from transfer_tui.app import TransferApp
    from transfer_tui.screens.checklist import ChecklistScreen
    from transfer_tui.widgets.confirm import Confirm

    guarded = OffTheLoop(demo_store)
    app = TransferApp(guarded, clock=fixed_clock)  # type: ignore[arg-type]

    async with app.run_test(size=(120, 36)) as pilot:
        async def keys(*pressed: str) -> None:
            for key in pressed:
                await pilot.press(key)
                await settle(pilot)

        await settle(pilot)
        await keys("slash", "g", "l", "o", "enter")  # home: filter, open
        assert isinstance(app.screen, ChecklistScreen)
        await keys("space", "s", "b", "x", "o", "down", "space", "u", "f", "f", "f")
        await keys("e")
        app.screen.query_one(TextArea).insert("more")
        await keys("ctrl+s", "h", "escape")  # a note, a task's history
        await keys("2", "v", "h", "escape", "a", "escape", "delete", "n")  # Context
        await keys("3", "1", "t", "escape", "m", "escape", "g")  # Activity, dates, export
        await keys("H")
        if isinstance(app.screen, Confirm):
            await keys("n")
        await keys("A", "R")
        if app.screen.is_modal:
            await keys("escape")
        other = Store(demo_store.target, "Priya Raman", clock=fixed_clock)
        task = app.screen.tasks_pane.visible_tasks()[0]
        other.tasks.update(task.id, note="Priya was here")
        await watched(pilot)  # the checklist shows her change
        await keys("escape")  # back home
        other.tasks.update(task.id, note="And here")
        await watched(pilot)  # home shows it
        other.close()
        await keys("escape", "t", "escape", "f", "f", "f", "f", "f", "n", "escape")
        await keys("d", "y")  # delete a handoff
    assert guarded.on_loop == []
    # the flows did reach the store (in threads): a test that drove nothing would pass too
    assert {"handoffs.summaries", "handoffs.checklist", "records.of_handoff", "tasks.update",
            "history.undo_last", "history.of", "records.verify", "history.activity",
            "snapshots.read", "changed_elsewhere", "handoffs.delete",
            "team.figures"} <= guarded.off_loop
