"""The secret a browser must show, and the cookie it is traded for on the first visit.

The token is random unless one is given in ``TRANSFER_TUI_TOKEN`` or in a file only its
owner can read. Never on the command line: other users of the machine see every
process's arguments. The cookie holds a value derived from the token, so the token
itself is sent only once, and a server restarted with the same token keeps its tabs.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

TOKEN_ENV = "TRANSFER_TUI_TOKEN"
MIN_LENGTH = 16
MAX_LENGTH = 512


class TokenError(Exception):
    """The given token cannot be used; ``str()`` is one line for a person."""


@dataclass(frozen=True)
class Token:
    """The server's token. Its text never shows in ``repr`` (and so in no traceback)."""

    secret: str = field(repr=False)
    source: str = "random"  # "random", the environment variable, or the file's path

    @classmethod
    def generate(cls) -> Token:
        return cls(secrets.token_urlsafe(32))

    @property
    def given(self) -> bool:
        """Given by the person who started the server, who knows it: not printed."""
        return self.source != "random"

    def matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode(), self.secret.encode())

    def _derive(self, purpose: str) -> str:
        return hmac.new(self.secret.encode(), purpose.encode(), hashlib.sha256).hexdigest()

    def cookie_name(self, *, secure: bool) -> str:
        """Two servers on one machine (cookies ignore the port) each keep their own cookie;
        over HTTPS the ``__Host-`` prefix pins it to this exact origin."""
        name = f"transfer-tui-{self._derive('cookie name')[:12]}"
        return f"__Host-{name}" if secure else name

    @property
    def cookie_value(self) -> str:
        return self._derive("cookie value")

    def cookie_matches(self, value: str) -> bool:
        return hmac.compare_digest(value.encode(), self.cookie_value.encode())


def _checked(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < MIN_LENGTH:
        raise TokenError(f"the token in {where} is too short: give at least {MIN_LENGTH} "
                         "characters (python3 -c 'import secrets; print(secrets.token_urlsafe())')")
    if len(text) > MAX_LENGTH or not text.isascii() or not text.isprintable() or " " in text:
        raise TokenError(f"the token in {where} must be one word of printable ASCII, at most "
                         f"{MAX_LENGTH} characters")
    return text


def read_token_file(path: Path) -> Token:
    """A token from a file that only its owner can read (mode 0600 or 0400)."""
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise TokenError(f"no token file at {where}") from None
    except OSError as exc:
        raise TokenError(f"cannot read the token file {where}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise TokenError(f"the token file {where} is not a regular file")
    if os.name == "posix":
        if info.st_uid != os.getuid():
            raise TokenError(f"the token file {where} belongs to another user")
        if info.st_mode & 0o077:
            raise TokenError(f"the token file {where} can be read by others "
                             f"(mode {stat.S_IMODE(info.st_mode):04o}): chmod 600 {where}")
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"cannot read the token file {where}: "
                         f"{getattr(exc, 'strerror', None) or 'not ASCII text'}") from None
    return Token(_checked(text, where), source=where)


def resolve_token(token_file: Path | None, environ: dict[str, str] | os._Environ) -> Token:
    """The file's token, the environment's, or a fresh random one; never two at once."""
    from_env = environ.get(TOKEN_ENV, "")
    if token_file is not None and from_env:
        raise TokenError(f"give the token one way: {TOKEN_ENV} or --token-file, not both")
    if token_file is not None:
        return read_token_file(token_file)
    if from_env:
        return Token(_checked(from_env, TOKEN_ENV), source=TOKEN_ENV)
    return Token.generate()
