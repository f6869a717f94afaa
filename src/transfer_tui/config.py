"""The user's settings file: ``config.toml`` in the platformdirs config folder.

A file the user (or a colleague, or a script) wrote is untrusted input: a broken,
oversized, oddly typed or unreadable file (a pipe, a symbolic link loop, not UTF-8)
gives one line saying what is wrong and the defaults for what could not be read,
never a crash. Unknown tables and keys are left alone, so newer settings can share
the file. ``transfer-tui config set`` (and the TUI's first-run question) change only
their own line, keeping the rest of the file as it was written.

```toml
[me]                        # who you are, so nobody types --as at every start
name = "Priya Raman"        # --as and TRANSFER_TUI_USER still win for one run
db = "~/team/handoffs.db"   # your default database (--db, TRANSFER_TUI_DB win)

[people]                    # e-mail addresses of the people named in handoffs
"Priya Raman" = "priya.raman@ourcompany.example"

[notify]
webhook = "https://hooks.slack.com/services/..."   # for `transfer-tui notify`

[templates]
folder = "~/handoff-templates"  # default: templates/ beside this file

[intro]
minutes = 30                # how long the intro call is
```
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transfer_tui.cleantext import one_line, visible
from transfer_tui.limits import MAX_NAME
from transfer_tui.paths import user_config_dir
from transfer_tui.textfiles import TextFileError, read_text_file

CONFIG_ENV = "TRANSFER_TUI_CONFIG"  # another file, for tests and shared setups
MAX_BYTES = 1_000_000  # a settings file is a few lines; more is a mistake or an attack
MAX_PEOPLE = 10_000
DEFAULT_MINUTES = 30
MAX_PATH = 4_096  # a database path, as most systems allow
ME = "me"  # the table saying who you are
#: What ``transfer-tui config set`` changes, with what each is, in the user's words.
SETTINGS = {"name": "your name", "db": "your default database"}


class ConfigError(Exception):
    """A setting refused, or the file cannot be changed: ``str()`` is one line."""


def config_path() -> Path:
    """Where the settings file is: TRANSFER_TUI_CONFIG, else config.toml in the config
    folder."""
    override = os.environ.get(CONFIG_ENV)
    return Path(override).expanduser() if override else user_config_dir() / "config.toml"


@dataclass(frozen=True)
class Config:
    """What the settings file says, with defaults for what it does not."""

    people: Mapping[str, str] = field(default_factory=dict)  # normalised name -> e-mail
    webhook: str | None = None
    template_folder: Path | None = None  # None: templates/ beside the settings file
    intro_minutes: int = DEFAULT_MINUTES
    name: str | None = None  # [me] name: who you are when --as does not say
    db: Path | str | None = None  # [me] db: your database (a file, or a server's URL)
    path: Path | None = None  # the file read, when there was one
    problems: tuple[str, ...] = ()  # what could not be read, one line each

    @property
    def warning(self) -> str | None:
        """One line for stderr when the file had problems, else None."""
        if not self.problems:
            return None
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{self.path}: {self.problems[0]}{more}; using the defaults for it"

    def templates(self) -> Path:
        return self.template_folder or (self.path or config_path()).parent / "templates"


def person_key(name: str) -> str:
    """A person's name compared as people mean it: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def person_email(name: str, config: Config, given: str | None = None) -> str | None:
    """The e-mail address of a person named in a handoff: ``given`` (an option such as
    --from) wins, else the config file's [people] table.

    The one place this lookup lives: issue 12's people registry replaces it.
    """
    if given:
        return given.strip()
    return config.people.get(person_key(name))


def load_config(path: Path | None = None) -> Config:
    """Read the settings file; a missing file is the defaults, a bad one the defaults
    plus problems."""
    path = path or config_path()
    try:
        text = _read(path)
        if text is None:
            return Config(path=path)
        data = tomllib.loads(text)
    except TextFileError as exc:
        return Config(path=path, problems=(str(exc),))
    except tomllib.TOMLDecodeError as exc:
        return Config(path=path, problems=(f"is not valid TOML: {one_line(str(exc), 120)}",))
    except (OSError, RecursionError, MemoryError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return Config(path=path, problems=(f"cannot be read: {why}",))
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """The settings from a parsed TOML document; wrong types are problems, not crashes."""
    problems: list[str] = []

    def table(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            problems.append(f"[{name}] should be a table")
            return {}
        return value

    people: dict[str, str] = {}
    for name, email in list(table("people").items())[:MAX_PEOPLE]:
        if not isinstance(email, str) or not email.strip() or "\n" in email or "\r" in email:
            problems.append(f"[people] {one_line(name, 40)!r} should be one e-mail address")
            continue
        people[person_key(name)] = email.strip()

    webhook = table("notify").get("webhook")
    if webhook is not None and (not isinstance(webhook, str) or not webhook.strip()):
        problems.append("[notify] webhook should be a URL in quotes")
        webhook = None

    folder = table("templates").get("folder")
    template_folder = None
    if isinstance(folder, str) and folder.strip():
        template_folder = Path(folder.strip()).expanduser()
        if not template_folder.is_absolute() and path is not None:
            template_folder = path.parent / template_folder
    elif folder is not None:
        problems.append("[templates] folder should be a path in quotes")

    minutes = table("intro").get("minutes", DEFAULT_MINUTES)
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 480:
        problems.append("[intro] minutes should be a whole number from 5 to 480")
        minutes = DEFAULT_MINUTES

    me = table(ME)
    your_name: str | None = None
    your_db: Path | str | None = None
    try:
        your_name = check_name(me["name"]) if "name" in me else None
    except ConfigError as exc:
        problems.append(f"[{ME}] name: {exc}")
    try:
        your_db = check_db(me["db"], path.parent if path else None) if "db" in me else None
    except ConfigError as exc:
        problems.append(f"[{ME}] db: {exc}")

    return Config(people=people, webhook=webhook.strip() if webhook else None,
                  template_folder=template_folder, intro_minutes=minutes, name=your_name,
                  db=your_db, path=path, problems=tuple(problems))


def _read(path: Path) -> str | None:
    """The file's text, None when there is no file; TextFileError when it cannot be read
    as a settings file (a folder, a pipe, a device, a link loop, too big, not UTF-8)."""
    try:
        mode = os.stat(path).st_mode  # follows links: a dangling one is no file
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise TextFileError("is a symbolic link loop") from None
        raise TextFileError(f"cannot be read: {exc.strerror or exc}") from None
    except ValueError:  # a NUL in TRANSFER_TUI_CONFIG
        raise TextFileError("is not a usable file name") from None
    if stat.S_ISDIR(mode):
        raise TextFileError("is a folder, not a settings file")
    return read_text_file(path, MAX_BYTES, "a settings file")


# -- who you are: checked like a form field, here and in `transfer-tui config set` -------

def check_name(value: object) -> str:
    """Your name as every change records it: visible text on one line, at most MAX_NAME
    characters. Refused rather than quietly changed, so what is saved is what was meant."""
    if not isinstance(value, str):
        raise ConfigError("your name should be text in quotes")
    if visible(value) != value:
        raise ConfigError(f"your name has control characters ({one_line(visible(value), 40)}"
                          "): type it as plain text")
    name = " ".join(value.split())
    if not name:
        raise ConfigError("your name is empty")
    if len(name) > MAX_NAME:
        raise ConfigError(f"your name is too long ({len(name):,} characters; at most "
                          f"{MAX_NAME})")
    return name


def check_db(value: object, base: Path | None = None) -> Path | str:
    """Your default database: a file (or one to create), never a folder or a device; or a
    team server's ``postgresql://`` URL (kept as text, see :func:`check_server_url`). A
    relative path counts from ``base`` (the settings file's folder), else from here."""
    if not isinstance(value, str):
        raise ConfigError("the database should be a path in quotes")
    text = value.strip()
    if not text:
        raise ConfigError("the database path is empty")
    if visible(text) != text:
        raise ConfigError(f"the database path has control characters "
                          f"({one_line(visible(text), 60)})")
    if len(text) > MAX_PATH:
        raise ConfigError(f"the database path is too long (at most {MAX_PATH:,} characters)")
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return check_server_url(text)
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return path  # made on first save, as --db does
    except OSError as exc:
        raise ConfigError(f"{one_line(str(path), 80)} cannot be used: "
                          f"{exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{one_line(str(path), 80)} is a folder, not a database file")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{one_line(str(path), 80)} is not a regular file (a device, a "
                          "pipe...)")
    return path


def check_server_url(text: str) -> str:
    """A team server as ``--db`` takes it: postgresql://[user[:password]@]host[:port]/database
    (a password is better in ~/.pgpass than here: ``config`` never shows it either way)."""
    from urllib.parse import urlsplit

    from transfer_tui.store.engines.url import is_server, redact

    shown = one_line(redact(text), 80)
    if not is_server(text):
        raise ConfigError(f"{shown} is neither a file nor a PostgreSQL server "
                          "(postgresql://user@host/database)")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise ConfigError(f"{shown} is not a server address: {exc}") from None
    if not parts.path.strip("/") or "/" in parts.path.strip("/"):
        raise ConfigError(f"{shown} names no database: postgresql://user@host/database")
    if not parts.hostname and "host=" not in parts.query:
        raise ConfigError(f"{shown} names no server: postgresql://user@host/database")
    return text


def check_setting(key: str, value: str) -> str:
    """The value ``config set KEY VALUE`` saves: the name cleaned, the database absolute."""
    if key == "name":
        return check_name(value)
    if key == "db":
        return str(check_db(value))
    raise ConfigError(f"no setting {one_line(key, 40)!r}: choose from {', '.join(SETTINGS)}")


def save_setting(key: str, value: str | None, path: Path | None = None) -> Path:
    """Set (None: remove) one ``[me]`` setting, keeping the rest of the file as written;
    the file is made when missing and replaced whole, never left half-written. Returns the
    file; ConfigError (one line, nothing changed) when it cannot be read or written."""
    path = path or config_path()
    try:
        raw = _read(path)
        if raw is None and value is None:
            return path  # nothing to forget
        text = raw or ""
        tomllib.loads(text)
    except (TextFileError, tomllib.TOMLDecodeError, RecursionError) as exc:
        problem = exc if isinstance(exc, TextFileError) else "is not valid TOML"
        raise ConfigError(f"{path} {one_line(str(problem), 100)}: fix or remove it first; "
                          "nothing changed") from None
    changed = _with_setting(text, key, value)
    try:
        got = tomllib.loads(changed).get(ME, {}).get(key)
    except (tomllib.TOMLDecodeError, AttributeError):
        got = not value
    if got != value:
        raise ConfigError(f"{path} says [{ME}] in a way this cannot change safely: edit it by "
                          "hand; nothing changed")
    _write(path, changed)
    return path


_HEADER = re.compile(rf"^\s*\[\s*{ME}\s*\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


def _with_setting(text: str, key: str, value: str | None) -> str:
    """The text with ``key``'s line in [me] set or removed: one line changes."""
    entry = [f"{key} = {json.dumps(value, ensure_ascii=False)}\n"] if value is not None else []
    if text and not text.endswith("\n"):
        text += "\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _HEADER.match(line)), None)
    if start is None:
        if not entry:
            return text
        gap = "\n" if text.strip() else ""
        return text + gap + f"[{ME}]\n" + entry[0]
    end = next((i for i in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[i])),
               len(lines))
    own = re.compile(rf"^\s*{key}\s*=")
    for i in range(start + 1, end):
        if own.match(lines[i]):
            lines[i:i + 1] = entry
            return "".join(lines)
    lines[start + 1:start + 1] = entry
    return "".join(lines)


def _write(path: Path, text: str) -> None:
    """Replace the file whole (a link to it stays a link: its target changes); a new file
    is readable by its owner only, as it may hold a webhook's secret."""
    try:
        target = path.resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".config-",
                                             suffix=".toml")
    except (OSError, RuntimeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigError(f"cannot write {path}: {one_line(why, 80)}; nothing changed") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}; nothing changed") \
            from None
