"""Where transfer-tui keeps its files, and who is at the keyboard.

The one seam for tests: TRANSFER_TUI_DB and TRANSFER_TUI_USER (and HOME/XDG
variables, which platformdirs follows). Nothing here touches the disk.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

APP_NAME = "transfer-tui"
DB_ENV = "TRANSFER_TUI_DB"
USER_ENV = "TRANSFER_TUI_USER"


def default_db_path() -> Path:
    """The database used when neither --db nor TRANSFER_TUI_DB says otherwise."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "handoffs.db"


def user_config_dir() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def user_playbooks_dir() -> Path:
    """Where people drop their own playbook TOML files."""
    return user_config_dir() / "playbooks"


def documents_dir() -> Path:
    """Where a summary is saved unless the person types a path: their documents folder
    (~/Documents, or what the desktop's user-dirs say), not whatever folder the app was
    started in."""
    from platformdirs import user_documents_path

    return user_documents_path()


def shorten(path: Path) -> str:
    """A path as people write it: ~/... under the home folder."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a link that goes nowhere
        return str(path)


def current_user() -> str:
    """The OS login name: the fallback when --as and TRANSFER_TUI_USER are not given."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in some containers
        name = ""
    return name or os.environ.get("USER", "") or "me"
