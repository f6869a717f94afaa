"""The README's examples work as written: the playbook passes the check, the CSV imports."""

from __future__ import annotations

import re
from pathlib import Path

from transfer_tui.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def example(marker: str, language: str) -> str:
    """The fenced block right after ``<!-- marker -->`` in the README."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```{language}\n(.*?)```", text, re.S)
    assert match, f"no {language} block after <!-- {marker} --> in README.md"
    return match.group(1)


def test_the_readme_playbook_passes_the_check_and_uses_every_feature(capsys,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "renewal-rescue.toml"
    path.write_text(example("playbook-example", "toml"), encoding="utf-8")
    code = main(["playbook", "check", str(path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"{path}: ok: renewal-rescue")

    from transfer_tui.playbooks import load_playbook

    playbook = load_playbook(path)
    tasks = [t for s in playbook.sections for t in s.tasks]
    assert playbook.roles and all(t.raci for t in tasks)
    assert {t.due.anchor for t in tasks if t.due} >= {"start", "renewal"}
    assert {t.owner.value for t in tasks} >= {"incoming", "both"}
    assert playbook.sections[0].record and any(t.record for t in tasks)


def test_the_readme_csv_imports(capsys, tmp_path: Path) -> None:
    path = tmp_path / "realignment.csv"
    path.write_text(example("import-example", "csv"), encoding="utf-8")
    code = main(["--db", str(tmp_path / "h.db"), "import", str(path)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("Created 3 handoffs")


def test_the_readme_team_logins_are_what_team_sql_prints(capsys) -> None:
    printed = []
    for args in (["priya", "--name", "Priya Raman"], ["marco", "--name", "Marco Bellini"],
                 ["lena", "--name", "Lena Fischer", "--role", "lead"],
                 ["sam", "--name", "Sam Okafor", "--role", "manager"]):
        assert main(["team-sql", "--person", *args]) == 0
        printed.append(capsys.readouterr().out)
    assert example("team-people-example", "sql") == "".join(printed)
