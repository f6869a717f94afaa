"""The settings file: read when it is right, one line and the defaults when it is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from transfer_tui.config import DEFAULT_MINUTES, config_path, load_config, person_email


@pytest.fixture
def config_file(isolated_home: Path) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True)
    return path


def test_the_file_lives_in_the_platform_config_folder(isolated_home) -> None:
    assert config_path() == isolated_home / ".config" / "transfer-tui" / "config.toml"


def test_no_file_means_the_defaults(isolated_home) -> None:
    config = load_config()
    assert config.people == {} and config.webhook is None and config.warning is None
    assert config.intro_minutes == DEFAULT_MINUTES
    assert config.templates() == config_path().parent / "templates"


def test_a_good_file_is_read(config_file: Path) -> None:
    config_file.write_text('''
[people]
"Priya  Raman" = "priya@vendor.example"
[notify]
webhook = " https://hooks.slack.com/services/T/B/x "
[templates]
folder = "mine"
[intro]
minutes = 45
[future]
anything = 1
''', encoding="utf-8")
    config = load_config()
    assert config.warning is None
    assert person_email("priya raman", config) == "priya@vendor.example"
    assert person_email("Priya Raman", config, given="other@x.example") == "other@x.example"
    assert person_email("Nobody", config) is None
    assert config.webhook == "https://hooks.slack.com/services/T/B/x"
    assert config.templates() == config_file.parent / "mine"
    assert config.intro_minutes == 45


@pytest.mark.parametrize(("content", "words"), [
    (b"[people\n", "is not valid TOML"),
    (b"\xff\xfe[people]", "is not UTF-8 text"),
    (b"people = 3\n", "[people] should be a table"),
    (b'[people]\n"A" = 5\n', "should be one e-mail address"),
    (b'[people]\n"A" = "a@x.example\\nBcc: b@y"\n', "should be one e-mail address"),
    (b"[notify]\nwebhook = 3\n", "webhook should be a URL"),
    (b"[templates]\nfolder = []\n", "folder should be a path"),
    (b"[intro]\nminutes = 100000\n", "minutes should be a whole number"),
    (b"[intro]\nminutes = true\n", "minutes should be a whole number"),
    (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "config.toml"),
])
def test_a_bad_file_is_one_line_and_the_defaults(config_file: Path, content: bytes,
                                                  words: str) -> None:
    config_file.write_bytes(content)
    config = load_config()
    assert config.warning is not None and "\n" not in config.warning
    assert words in config.warning
    assert config.intro_minutes == DEFAULT_MINUTES or "minutes" not in words


def test_a_folder_or_a_huge_file_is_refused_without_reading(config_file: Path) -> None:
    config_file.mkdir()
    assert "is a folder, not a settings file" in load_config().warning
    config_file.rmdir()
    config_file.write_bytes(b"#" * 2_000_000)
    assert "is too big for a settings file" in load_config().warning


def test_what_is_right_is_kept_beside_what_is_wrong(config_file: Path) -> None:
    config_file.write_text('[people]\n"A" = 1\n"B" = "b@x.example"\n[intro]\nminutes = 20\n',
                           encoding="utf-8")
    config = load_config()
    assert person_email("B", config) == "b@x.example" and config.intro_minutes == 20
    assert config.warning.count("\n") == 0 and "[people] 'A'" in config.warning
