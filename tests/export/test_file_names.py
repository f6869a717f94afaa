"""Export file names keep the account's letters in any script and drop only what a file
system forbids or treats specially."""

from __future__ import annotations

from datetime import date

import pytest

from transfer_tui.export.files import SLUG_BYTES, file_name, slug


@pytest.mark.parametrize(("account", "expected"), [
    ("Café Zürich", "café-zürich"),
    ("日本", "日本"),
    ("Société Générale S.A.", "société-générale-s-a"),
    ("नमस्ते दुनिया", "नमस्ते-दुनिया"),
    ("Ελληνικά", "ελληνικά"),
    ('A/B\\C:D*E?F"G<H>I|J', "a-b-c-d-e-f-g-h-i-j"),
    ("..hidden", "hidden"),
    ("trailing. ", "trailing"),
    ("tab\there\x00nul\x1b[31m", "tab-herenul-31m"),  # control characters go
    ("🙂🙂", "account"),
    ("", "account"),
])
def test_letters_stay_and_forbidden_characters_go(account, expected) -> None:
    assert slug(account) == expected


def test_composed_the_same_way_on_every_system() -> None:
    assert slug("Cafe\u0301") == slug("Caf\u00e9") == "caf\u00e9"


def test_long_names_are_cut_by_characters_and_bytes() -> None:
    assert len(slug("a" * 300)) == 60
    assert len(slug("日" * 300).encode("utf-8")) <= SLUG_BYTES
    assert len(file_name("日" * 300, date(2026, 11, 25)).encode("utf-8")) <= 255
