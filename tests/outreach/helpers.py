"""What the intro tests share: a config file, and stakeholder contacts as issue 13 will
store them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from transfer_tui.store import Store


def write_config(home: Path, text: str) -> Path:
    folder = home / ".config" / "transfer-tui"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


PEOPLE = '[people]\n"Priya Raman" = "priya@vendor.example"\n"Marco Bellini" = ' \
         '"marco@vendor.example"\n'


@pytest.fixture
def with_contacts(monkeypatch):
    """Stakeholder e-mails and flags as issue 13 will store them (the store has no such
    fields yet): Henrik is the sponsor, Lena the primary contact."""
    real = Store.snapshot
    extra = {"Henrik Olsen": {"email": "henrik@globex.example", "sponsor": True},
             "Lena Fischer": {"email": "lena@globex.example", "primary": True}}

    def snapshot(self, handoff_id, **kwargs):
        found = real(self, handoff_id, **kwargs)
        people = tuple(replace(r, values={**r.values, **extra.get(r.values["name"], {})})
                       for r in found.records.get("stakeholder", ()))
        return replace(found, records={**found.records, "stakeholder": people})

    monkeypatch.setattr(Store, "snapshot", snapshot)


