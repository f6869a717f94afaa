"""Who you are, on a file: `transfer-tui config` remembers your name and default database
in the settings file, every start reads it, and a broken or hostile file is one line and
the defaults. Precedence: --as/--db > TRANSFER_TUI_USER/TRANSFER_TUI_DB > file > default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transfer_tui.cli import main
from transfer_tui.config import config_path, load_config
from transfer_tui.paths import default_db_path
from transfer_tui.store import Store

LOGIN = "login-name"


@pytest.fixture
def nobody(monkeypatch: pytest.MonkeyPatch) -> None:
    """No --as in the environment: the login name (a fixed one here) is the default."""
    monkeypatch.delenv("TRANSFER_TUI_USER", raising=False)
    monkeypatch.setattr("transfer_tui.cli.options.current_user", lambda: LOGIN)


def created_by(db: Path, handoff_id: str) -> str:
    store = Store(db, "reader")
    try:
        return store.checklist(handoff_id).handoff.created_by
    finally:
        store.close()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def shown(capsys, *args: str) -> dict[str, str]:
    """`config` (show) as a dict: Name/Database -> the line's value."""
    code, out, err = run(capsys, "config", *args)
    assert code == 0, err
    return {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in out.splitlines()}


def test_nothing_set_is_the_login_name_and_the_data_folder(capsys, nobody) -> None:
    settings = shown(capsys)
    assert settings["Name"].startswith(f"{LOGIN}  (default)")
    assert "config set name" in settings["Name"]  # told how to set it
    assert settings["Database"] == f"{default_db_path()}  (default)"
    assert "not made yet" in settings["Settings file"]


def test_set_name_and_db_are_read_on_every_start(capsys, nobody, tmp_path: Path) -> None:
    db = tmp_path / "team" / "handoffs.db"
    assert run(capsys, "config", "set", "name", "  Priya   Raman ")[0] == 0
    code, out, _ = run(capsys, "config", "set", "db", str(db))
    assert code == 0 and str(config_path()) in out
    settings = shown(capsys)
    assert settings["Name"] == "Priya Raman  (from the settings file)"
    assert settings["Database"] == f"{db}  (from the settings file)"
    # a command with neither --as nor --db works on that database, as that person
    code, out, _ = run(capsys, "new", "Acme", "--from", "Priya Raman", "--to", "Sam")
    assert code == 0
    assert created_by(db, out.strip()) == "Priya Raman"


def test_a_relative_db_is_made_absolute_from_where_it_was_set(capsys, nobody, in_tmp) -> None:
    run(capsys, "config", "set", "db", "here.db")
    assert load_config().db == in_tmp / "here.db"


def test_options_beat_the_environment_beat_the_file_beat_the_default(
        capsys, nobody, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "config", "set", "name", "From File")
    run(capsys, "config", "set", "db", str(tmp_path / "file.db"))
    monkeypatch.setenv("TRANSFER_TUI_USER", "From Env")
    monkeypatch.setenv("TRANSFER_TUI_DB", str(tmp_path / "env.db"))
    settings = shown(capsys)
    assert settings["Name"] == "From Env  (from TRANSFER_TUI_USER)"
    assert settings["Database"] == f"{tmp_path / 'env.db'}  (from TRANSFER_TUI_DB)"
    settings = shown(capsys, "--as", "From Option", "--db", str(tmp_path / "opt.db"))
    assert settings["Name"] == "From Option  (from the option)"
    assert settings["Database"] == f"{tmp_path / 'opt.db'}  (from the option)"
    monkeypatch.delenv("TRANSFER_TUI_USER")
    monkeypatch.delenv("TRANSFER_TUI_DB")
    assert shown(capsys)["Name"] == "From File  (from the settings file)"
    assert run(capsys, "config", "unset", "name")[0] == 0
    assert run(capsys, "config", "unset", "db")[0] == 0
    settings = shown(capsys)
    assert settings["Name"].startswith(f"{LOGIN}  (default)")
    assert settings["Database"] == f"{default_db_path()}  (default)"


def _fifo(tmp_path: Path) -> str:
    os.mkfifo(tmp_path / "pipe")
    return str(tmp_path / "pipe")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("name", "Priya\x1b[31mRaman", "control characters (Priya\\x1b[31mRaman)"),
    ("name", "Priya\nRaman", "control characters"),
    ("name", "x" * 201, "too long (201 characters; at most 200)"),
    ("name", "   ", "your name is empty"),
    ("db", "{tmp}", "is a folder, not a database file"),
    ("db", "{pipe}", "is not a regular file"),
    ("db", "a\tb.db", "control characters"),
    ("db", "", "the database path is empty"),
    ("db", "d" * 5000, "too long"),
    ("db", "mysql://me@host/team", "neither a file nor a PostgreSQL server"),
    ("db", "postgresql://me@host:port/team", "is not a server address"),
    ("db", "postgresql://me@host/", "names no database"),
    ("db", "postgresql://me:secret@host", "postgresql://me:***@host names no database"),
    ("db", "postgresql:///team", "names no server"),
])
def test_a_bad_setting_is_one_line_and_changes_nothing(capsys, nobody, tmp_path: Path,
                                                       key: str, value: str,
                                                       words: str) -> None:
    run(capsys, "config", "set", "name", "Before")
    before = config_path().read_bytes()
    value = value.format(tmp=tmp_path, pipe=_fifo(tmp_path) if "{pipe}" in value else "")
    code, out, err = run(capsys, "config", "set", key, value)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not saved" in err and words in err
    assert config_path().read_bytes() == before


def test_a_server_is_a_default_database_and_its_password_is_never_shown(
        capsys, nobody) -> None:
    url = "postgresql://priya:s3cret@db.example.com:5432/handoffs"
    code, out, err = run(capsys, "config", "set", "db", url)
    assert (code, err) == (0, "") and "s3cret" not in out
    assert "postgresql://priya:***@db.example.com:5432/handoffs" in out
    assert load_config().db == url  # kept as text: a path would fold its //
    code, out, err = run(capsys, "config")
    assert code == 0 and "s3cret" not in out
    assert "Database:      postgresql://priya:***@db.example.com:5432/handoffs  (from the " \
           "settings file)" in out
    assert "on a server you are your login" in out
    run(capsys, "config", "set", "db", "postgresql://priya@db.example.com/h?password=s3cret")
    code, out, err = run(capsys, "config")
    assert "s3cret" not in out + err and "password=***" in out


def test_set_changes_one_line_and_keeps_the_rest_as_written(capsys, nobody) -> None:
    config_path().parent.mkdir(parents=True)
    original = ('# my settings\n[people]\n"Priya Raman" = "priya@x.example"  # work\n\n'
                '[me]  # who I am\nname = "Old"\n\n[intro]\nminutes = 45')
    config_path().write_text(original, encoding="utf-8")
    run(capsys, "config", "set", "name", 'Zoë "Z" O\'Neil \\ Jr')
    run(capsys, "config", "set", "db", "/srv/h.db")
    text = config_path().read_text(encoding="utf-8")
    assert text.replace('name = "Zoë \\"Z\\" O\'Neil \\\\ Jr"', 'name = "Old"').replace(
        'db = "/srv/h.db"\n', "") == original + "\n"
    config = load_config()
    assert config.name == 'Zoë "Z" O\'Neil \\ Jr' and config.intro_minutes == 45
    assert config.people and config.warning is None


def test_the_settings_file_is_private_and_a_link_to_it_stays_a_link(capsys, nobody,
                                                                     tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "transfer-tui.toml"
    real.parent.mkdir()
    real.write_text("[intro]\nminutes = 20\n", encoding="utf-8")
    config_path().parent.mkdir(parents=True)
    config_path().symlink_to(real)
    run(capsys, "config", "set", "name", "Priya")
    assert config_path().is_symlink() and 'name = "Priya"' in real.read_text()
    config_path().unlink()
    run(capsys, "config", "set", "name", "Priya")
    assert config_path().stat().st_mode & 0o077 == 0


HOSTILE = {
    "bad TOML": b"[me\nname = 'x'",
    "a name of the wrong type": b"[me]\nname = 5\n",
    "a db of the wrong type": b"[me]\ndb = [1, 2]\n",
    "me not a table": b"me = 3\n",
    "a name with an escape sequence": b'[me]\nname = "\\u001b]0;owned\\u0007"\n',
    "a db that is a folder": b'[me]\ndb = "/"\n',
    "not UTF-8": b"[me]\nname = '\xff\xfe'\n",
    "nested beyond reason": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "huge": b"#" * 2_000_000,
}


def _hostile(kind: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "a pipe":
        os.mkfifo(path)
    elif kind == "a symbolic link loop":
        path.symlink_to(path)
    elif kind == "a folder":
        path.mkdir()
    else:
        path.write_bytes(HOSTILE[kind])


@pytest.mark.parametrize("kind", [*HOSTILE, "a pipe", "a symbolic link loop", "a folder"])
def test_a_broken_or_hostile_file_is_one_line_and_the_defaults(capsys, nobody, kind: str,
                                                              db_path: Path) -> None:
    _hostile(kind, config_path())
    code, out, err = run(capsys, "config")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("transfer-tui: warning: ")
    assert "using the defaults" in err and "\x1b" not in err
    assert f"{LOGIN}  (default)" in out and f"{default_db_path()}  (default)" in out
    # a command still works, as the login name, warning once
    code, out, err = run(capsys, "--db", str(db_path), "new", "Acme", "--from", "A",
                         "--to", "B")
    assert code == 0 and err.count("\n") == 1
    assert created_by(db_path, out.strip()) == LOGIN


@pytest.mark.parametrize("kind", ["bad TOML", "not UTF-8", "a pipe", "a symbolic link loop"])
def test_set_refuses_to_rewrite_a_file_it_cannot_read(capsys, nobody, kind: str) -> None:
    _hostile(kind, config_path())
    code, _, err = run(capsys, "config", "set", "name", "Priya")
    assert code == 1 and err.count("\n") == 1 and "fix or remove it first" in err
    if kind in HOSTILE:
        assert config_path().read_bytes() == HOSTILE[kind]


def test_options_given_leave_a_broken_file_unread(capsys, nobody, db_path: Path) -> None:
    """--as and --db say it all: the file is not even read, so it cannot complain."""
    _hostile("bad TOML", config_path())
    Store(db_path, "maker").close()
    code, _, err = run(capsys, "--db", str(db_path), "--as", "Sam", "list")
    assert code == 0 and err == ""
