"""Readiness: what must be recorded about the account before it changes hands.

A playbook declares its rules beside its tasks (``[[ready]]`` tables, checked by
:mod:`transfer_tui.playbooks.checker`); this module decides, from a handoff's
records alone, which are met. Pure: no database, no screens. The store refuses a
hand-over with :func:`evaluate`'s answer and the checklist shows the same answer in
its header, so the rule is written once.

A rule picks the records of one kind that match ``where`` and asks:

- ``some``: at least ``least`` of them have every ``filled`` field filled (a yes/no
  field must be yes), none naming the outgoing CSM (or nobody) in ``not_outgoing``, and, with
  ``within_days``, a ``date_field`` no older than that;
- ``every``: all of them pass the same test (no matching record passes trivially);
- ``verified``: every record (of the kind, or of every kind when ``record`` is
  blank) was verified since the handoff started by someone other than its author.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from transfer_tui.domain import same_person
from transfer_tui.records.kinds import KIND_BY_KEY, KINDS
from transfer_tui.records.record import Record

NEEDS = ("some", "every", "verified")
STEPS = ("hand_over", "accept")


@dataclass(frozen=True)
class ReadyRule:
    """One readiness rule of a playbook (see the module's docstring for the meaning)."""

    key: str
    title: str
    record: str = ""
    need: str = "some"
    where: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    filled: tuple[str, ...] = ()
    not_outgoing: str = ""
    date_field: str = ""
    within_days: int = 0
    least: int = 1
    at: str = "hand_over"

    @property
    def place(self) -> str:
        """Where a person fixes it, as the checklist names it."""
        kind = KIND_BY_KEY.get(self.record)
        return f"Context → {kind.title}" if kind else "Context"

    def as_data(self) -> dict[str, Any]:
        """The rule as plain data (JSON), the way the playbook file writes it."""
        data: dict[str, Any] = {"key": self.key, "title": self.title, "need": self.need}
        if self.record:
            data["record"] = self.record
        if self.where:
            data["where"] = {name: list(values) for name, values in self.where}
        for name in ("filled",):
            if getattr(self, name):
                data[name] = list(getattr(self, name))
        for name in ("not_outgoing", "date_field"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.within_days:
            data["within_days"] = self.within_days
        if self.least != 1:
            data["least"] = self.least
        if self.at != "hand_over":
            data["at"] = self.at
        return data


@dataclass(frozen=True)
class RuleResult:
    rule: ReadyRule
    met: bool
    detail: str = ""  # which records fall short, when some do

    @property
    def line(self) -> str:
        """``A license with its renewal date: record it in Context → License``."""
        what = f"{self.rule.title} ({self.detail})" if self.detail else self.rule.title
        verb = {"some": "record it", "every": "fix them", "verified": "verify them"}
        return f"{what}: {verb.get(self.rule.need, 'record it')} in {self.rule.place}"


@dataclass(frozen=True)
class Readiness:
    results: tuple[RuleResult, ...]

    @property
    def met(self) -> int:
        return sum(1 for r in self.results if r.met)

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def missing(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if not r.met)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def header(self) -> str:
        """``ready: 5 of 7`` (empty when the playbook has no rules)."""
        return f"ready: {self.met} of {self.total}" if self.results else ""

    def first_kind(self) -> str | None:
        """The record kind of the first unmet rule: where the jump key goes."""
        for result in self.missing:
            if result.rule.record:
                return result.rule.record
        return None


def rules_for(rules: Sequence[ReadyRule], step: str) -> tuple[ReadyRule, ...]:
    """The rules a sign-off step checks: hand-over its own, acceptance all of them."""
    if step == "accept":
        return tuple(rules)
    return tuple(rule for rule in rules if rule.at == "hand_over")


def evaluate(rules: Sequence[ReadyRule], records: Mapping[str, Sequence[Record]], *,
             outgoing: str, started: datetime, today: date) -> Readiness:
    """Each rule met or not, from the handoff's records; ``started`` is when the handoff
    began (a verification from before it was for another pair of CSMs)."""
    return Readiness(tuple(_one(rule, records, outgoing, started, today) for rule in rules))


def _one(rule: ReadyRule, records: Mapping[str, Sequence[Record]], outgoing: str,
         started: datetime, today: date) -> RuleResult:
    if rule.need == "verified":
        kinds = [rule.record] if rule.record else [kind.key for kind in KINDS]
        waiting = [r for key in kinds for r in records.get(key, ()) if not verified(r, started)]
        return RuleResult(rule, not waiting, _titles(waiting, "not verified"))
    matching = [r for r in records.get(rule.record, ()) if _matches(rule, r)]
    passing = [r for r in matching if _passes(rule, r, outgoing, today)]
    if rule.need == "every":
        passed = {r.id for r in passing}
        failing = [r for r in matching if r.id not in passed]
        return RuleResult(rule, not failing, _titles(failing, "falling short"))
    met = len(passing) >= rule.least
    detail = "" if met or not passing else f"{len(passing)} of {rule.least}"
    return RuleResult(rule, met, detail)


def _matches(rule: ReadyRule, record: Record) -> bool:
    return all(_normal(record.values.get(name)) in {_normal(v) for v in values}
               for name, values in rule.where)


def _normal(value: Any) -> Any:
    return bool(value) if isinstance(value, bool) or value is None else value


def _passes(rule: ReadyRule, record: Record, outgoing: str, today: date) -> bool:
    values = record.values
    for name in rule.filled:
        value = values.get(name)
        if value is None or value is False or value == "" or value == []:
            return False
    if rule.not_outgoing and outgoing_owns(values.get(rule.not_outgoing), outgoing):
        return False
    if rule.within_days:
        day = values.get(rule.date_field)
        if not isinstance(day, date) or day < today - timedelta(days=rule.within_days):
            return False
    return True


def outgoing_owns(owner: object, outgoing: str) -> bool:
    """Whether an owner field leaves the work with the outgoing CSM: it names her, or
    nobody (work nobody took over stays with whoever held the account, as the Team
    view counts it)."""
    name = str(owner or "").strip()
    return not name or same_person(name, outgoing)


def verified(record: Record, started: datetime) -> bool:
    """Verified since the handoff started, by someone other than who last wrote it."""
    return (not record.unverified(started) and not record.changed_since_verified
            and record.verified_by is not None
            and not same_person(record.verified_by, record.changed_by))


def _titles(records: Sequence[Record], what: str) -> str:
    if not records:
        return ""
    names = "; ".join(r.title for r in records[:3])
    more = f" and {len(records) - 3} more" if len(records) > 3 else ""
    return f"{len(records)} {what}: {names}{more}"
