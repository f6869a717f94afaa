"""What the intro tests share: a config file with the CSMs' addresses."""

from __future__ import annotations

from pathlib import Path


def write_config(home: Path, text: str) -> Path:
    folder = home / ".config" / "transfer-tui"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


PEOPLE = '[people]\n"Priya Raman" = "priya@vendor.example"\n"Marco Bellini" = ' \
         '"marco@vendor.example"\n'
