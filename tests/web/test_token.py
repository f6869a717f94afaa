"""The token: random by default, else from the environment or a file only its owner reads;
never shown; the cookie holds a value derived from it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from transfer_tui.web.token import TOKEN_ENV, Token, TokenError, read_token_file, resolve_token

GOOD = "correct-horse-battery-staple-42"


def test_a_random_token_each_time_never_in_its_repr() -> None:
    one, two = resolve_token(None, {}), resolve_token(None, {})
    assert one.secret != two.secret and len(one.secret) >= 40
    assert not one.given
    assert one.secret not in repr(one)


def test_the_cookie_is_derived_and_matched_exactly() -> None:
    token = Token(GOOD, source=TOKEN_ENV)
    assert token.cookie_value != GOOD and GOOD not in token.cookie_value
    assert token.cookie_matches(token.cookie_value)
    assert not token.cookie_matches(token.cookie_value[:-1])
    assert not token.cookie_matches(GOOD)
    assert token.matches(GOOD) and not token.matches(GOOD + "x") and not token.matches("")
    # two servers on one machine keep their own cookies; over https the name is __Host-
    assert token.cookie_name(secure=False) != Token("another-token-of-enough-length").cookie_name(
        secure=False)
    assert token.cookie_name(secure=True) == "__Host-" + token.cookie_name(secure=False)


def test_from_the_environment() -> None:
    token = resolve_token(None, {TOKEN_ENV: f"  {GOOD}\n"})
    assert token.secret == GOOD and token.given and token.source == TOKEN_ENV


@pytest.mark.parametrize(("value", "words"), [
    ("short", "too short"),
    ("has a space in the middle", "one word"),
    ("x" * 600, "at most"),
    ("ünïcödé-tökén-of-some-length", "one word"),
])
def test_a_bad_token_is_refused_in_one_line(value: str, words: str) -> None:
    with pytest.raises(TokenError) as refused:
        resolve_token(None, {TOKEN_ENV: value})
    assert words in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_from_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(GOOD + "\n")
    path.chmod(0o600)
    token = read_token_file(path)
    assert token.secret == GOOD and token.source == str(path)
    path.chmod(0o640)
    with pytest.raises(TokenError, match=r"can be read by others .* chmod 600"):
        read_token_file(path)
    path.chmod(0o604)
    with pytest.raises(TokenError, match="can be read by others"):
        read_token_file(path)


def test_a_missing_or_odd_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TokenError, match="no token file"):
        read_token_file(tmp_path / "nothing")
    with pytest.raises(TokenError, match="not a regular file"):
        read_token_file(tmp_path)


def test_never_two_ways_at_once(tmp_path: Path) -> None:
    path = tmp_path / "token"
    path.write_text(GOOD)
    path.chmod(0o600)
    with pytest.raises(TokenError, match="one way"):
        resolve_token(path, {TOKEN_ENV: GOOD})
