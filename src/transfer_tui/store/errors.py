"""What can go wrong in the store, each as a one-line message fit to show a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


class StoreError(Exception):
    """Base class: ``str(error)`` is one clear line for a person."""


class DatabaseFileError(StoreError):
    """The file is not a transfer-tui database we can open (folder, text, foreign, newer...)."""


class RefusedError(StoreError):
    """The server refused: not yours to do (SQLSTATE 42501, a missing GRANT or a rule of
    the team's, see store/roles.py). ``str()`` says why; nothing was changed."""


class ReadOnlyError(StoreError):
    """The database was opened read-only, so a change was refused."""


class BusyError(StoreError):
    """Another program held the write lock for longer than we are willing to wait."""


class UnreadableError(StoreError):
    """A file holds values the app cannot read or a form would refuse (a date of
    "garbage", an account stored as binary data): ``transfer-tui check`` lists them."""


class NotFoundError(StoreError):
    """The handoff, task or record asked for is not in this database."""


class ValidationError(StoreError):
    """A value a person gave was refused. ``field`` names the form field it belongs to."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(message)


class UndoError(StoreError):
    """Nothing to undo, or the change cannot be taken back any more (someone moved on)."""


@dataclass
class ConflictError(StoreError):
    """Someone else changed the same row since it was read: their value wins until you choose.

    ``theirs`` is what the field holds now, ``mine`` what you tried to save, and
    ``version`` the row's version now: saving again with it applies yours.
    """

    entity: str
    entity_id: str
    field: str
    theirs: str
    by: str
    at: datetime | None
    mine: str | None = None
    version: int | None = None

    def __str__(self) -> str:
        when = f" at {self.at:%Y-%m-%d %H:%M}" if self.at else ""
        theirs = self.theirs if len(self.theirs) <= 60 else self.theirs[:57] + "..."
        return f"{self.by} changed this {self.entity}{when}: {self.field} is now {theirs!r}"


class SignOffError(StoreError):
    """A hand-over, acceptance or rejection was refused: wrong person, wrong moment, or
    work still missing (``missing`` lists it)."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()):
        self.missing = missing
        super().__init__(message)
