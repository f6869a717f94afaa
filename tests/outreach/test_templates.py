"""Templates are user input: a broken or hostile one is one clear error, and reads nothing
beyond the fields it is given."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from transfer_tui.outreach.templates import (
    TEMPLATES,
    TemplateProblem,
    render_template,
    template_source,
)

FIELDS = {"account": "Acme", "people": ["Ana", "Bo"], "incoming": {"name": "Sam"}}


def write(folder: Path, text: str, name: str = "intro_email.txt") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_file_in_the_folder_overrides_the_built_in(tmp_path: Path) -> None:
    assert template_source("intro_email.txt", tmp_path)[1] == "built-in intro_email.txt"
    folder = write(tmp_path / "t", "Hi {{ account }} from {{ incoming.name }}\n"
                                   "{% for p in people %}{{ p }};{% endfor %}")
    assert render_template("intro_email.txt", FIELDS, folder) == "Hi Acme from Sam\nAna;Bo;"
    other = {**FIELDS, "recipients": [], "commitments": [], "takeover_sentence": "x",
             "incoming": {"name": "Sam", "email": "sam@x.example"}}
    assert render_template("intro_invite.txt", other, folder).startswith(
        "Acme: introducing Sam")  # the other template is still the built-in one


@pytest.mark.parametrize(("source", "words"), [
    ("{{ account.__class__ }}", "unsafe"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
    ("{{ incoming.__init__.__globals__ }}", "unsafe"),
    ("{{ cycler.__init__.__globals__.os }}", "unsafe"),
    ("{{ self.__init__ }}", ""),
    ("{{ config }}", "'config' is undefined"),
    ("{{ lipsum() }}", "'lipsum' is undefined"),
    ("{{ request }}", "'request' is undefined"),
    ("{% include '/etc/passwd' %}", "cannot include"),
    ("{% import 'x' as y %}", "cannot include"),
    ("{% extends 'base' %}", "cannot include"),
    ("{% from 'x' import y %}", "cannot include"),
    ("{{ 'x' * 100000000 }}", "too large"),
    ("{{ ['x'] * 100000000 }}", "too large"),
    ("{{ 9 ** 9999999 }}", "too high a power"),
    ("{{ 'x' | center(1000000000) }}", "too large a size"),
    ("{{ 'x' | indent(1000000000, true) }}", "too large a size"),
    ("{{ '%999999999s' | format('x') }}", "not available"),
    ("{{ '%999999999s' % 'x' }}", "too wide a field"),
    ("{{ '%.*f' % (999999999, 1.0) }}", "too wide a field"),
    ("{{ '{:>999999999}'.format('x') }}", "too wide a field"),
    ("{{ '{:>{w}}'.format('x', w=999999999) }}", "too"),
    ("{{ '{:>{w}}'.format('x', w=9999) }}", "too wide a field"),
    ("{{ '{0:>{1}}'.format_map({'a': 1}) }}", "too wide a field"),
    ("{{ 'x'.ljust(1000000000) }}", "too large a number"),
    ("{{ 'x'.zfill(1000000000) }}", "too large a number"),
    ("{{ 'x\tx'.expandtabs(1000000000) }}", "too large a number"),
    ("{% for i in range(1000000000) %}{% endfor %}", "loops more than"),
    ("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}",
     "loops more than"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "calls itself"),
    ("{% set n = namespace(s='x') %}{% for i in range(40) %}{% set n.s = n.s + n.s %}"
     "{% endfor %}{{ n.s }}", "too large"),
    ("{% for i in range(9999) %}{{ 'y' * 99999 }}{% endfor %}", "more than"),
    ("{{ account", "line 1"),
    ("{% for %}", "line 1"),
    ("{{ nothing_here }}", "'nothing_here' is undefined"),
    ("{{ account.upper.__self__ }}", ""),
    ("{{ people.pop() }}", "unsafe"),
])
def test_a_hostile_or_broken_template_is_one_clear_error(tmp_path: Path, source: str,
                                                         words: str) -> None:
    folder = write(tmp_path / "t", source)
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        render_template("intro_email.txt", {**FIELDS, "people": list(FIELDS["people"])},
                        folder)
    message = str(caught.value)
    assert "\n" not in message and str(folder / "intro_email.txt") in message
    assert words in message
    assert time.monotonic() - started < 5


def test_fields_are_not_changed_by_a_template(tmp_path: Path) -> None:
    people = ["Ana"]
    folder = write(tmp_path / "t", "{{ people.append('x') }}")
    with pytest.raises(TemplateProblem):
        render_template("intro_email.txt", {**FIELDS, "people": people}, folder)
    assert people == ["Ana"]


@pytest.mark.parametrize(("data", "words"), [
    (b"\xff\xfe{{ x }}", "not UTF-8"),
    (b"x" * 300_000, "larger than"),
])
def test_an_unreadable_template_file_is_one_line(tmp_path: Path, data: bytes,
                                                 words: str) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "intro_email.txt").write_bytes(data)
    with pytest.raises(TemplateProblem, match=words):
        render_template("intro_email.txt", FIELDS, folder)


@pytest.mark.parametrize("kind", ["pipe", "zero"])
def test_a_template_that_is_no_regular_file_is_one_line(tmp_path: Path, kind: str) -> None:
    """A pipe (or /dev/zero) under a template's name: reading it never ended."""
    import os

    folder = tmp_path / "t"
    folder.mkdir()
    if kind == "pipe":
        os.mkfifo(folder / "intro_email.txt")
    else:
        (folder / "intro_email.txt").symlink_to("/dev/zero")
    with pytest.raises(TemplateProblem, match="not a regular file"):
        render_template("intro_email.txt", FIELDS, folder)


def test_only_known_templates_are_offered() -> None:
    assert set(TEMPLATES) == {"intro_email.txt", "intro_invite.txt"}
    with pytest.raises(TemplateProblem):
        template_source("../../etc/passwd", None)
