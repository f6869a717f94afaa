"""The user's settings file: ``config.toml`` in the platformdirs config folder.

A file the user (or a colleague, or a script) wrote is untrusted input: a broken,
oversized, oddly typed or unreadable file gives one line saying what is wrong and
the defaults for what could not be read, never a crash. Unknown tables and keys
are left alone, so newer settings (issue 12 adds the user's name and default
database) can share the file.

```toml
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

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transfer_tui.cleantext import one_line
from transfer_tui.paths import user_config_dir

CONFIG_ENV = "TRANSFER_TUI_CONFIG"  # another file, for tests and shared setups
MAX_BYTES = 1_000_000  # a settings file is a few lines; more is a mistake or an attack
MAX_PEOPLE = 10_000
DEFAULT_MINUTES = 30


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
        if not path.exists():
            return Config(path=path)
        if not path.is_file():
            return Config(path=path, problems=("is not a file",))
        if path.stat().st_size > MAX_BYTES:
            return Config(path=path, problems=(f"is larger than {MAX_BYTES:,} bytes",))
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return Config(path=path, problems=("is not UTF-8 text",))
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

    return Config(people=people, webhook=webhook.strip() if webhook else None,
                  template_folder=template_folder, intro_minutes=minutes, path=path,
                  problems=tuple(problems))
