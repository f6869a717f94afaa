"""What people (and other programs) may type or hand over: any text, number and date, and
any value SQLite may hold. Shared by the property tests; runs kept modest (see SETTINGS)."""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest runs: the whole suite must stay within a few minutes (see the brief). For a deeper
# search now and then: PROPERTY_EXAMPLES=2000 .venv/bin/pytest tests/properties
SETTINGS = settings(max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

NASTY = ["", " ", "\n", "\r\n", "\x00", "\x1b[31m", "\u202e", "|", "`", "#", "- [x]", "<b>",
         "9" * 40, "-1", "1e9", "0001-03-01", "9999-12-31", "2026-02-30", "2026-12-31",
         "1900-01-01", "2199-12-31", "20261231", "2026-W01-1", "١٢", "220k", "1.5m", "yes",
         "at risk", "Fulfilled", "USD", "x" * 600, "🚀", "null", "NaN", "[]", "{}"]

texts = st.one_of(st.text(max_size=80), st.sampled_from(NASTY),
                  st.text(st.characters(codec="utf-8"), max_size=30))
numbers = st.one_of(st.integers(), st.integers(min_value=-10**40, max_value=10**40),
                    st.floats(allow_nan=True), st.booleans())
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
raw_values = st.one_of(texts, numbers, days, st.none(), st.lists(texts, max_size=3))

# What a hand-edited SQLite file may hold in any column.
sqlite_values = st.one_of(
    st.none(), st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(),
    st.text(max_size=40), st.sampled_from(NASTY), st.binary(max_size=20),
    st.sampled_from([b"\xff\xfe", b"Bad\xffname"]).map(lambda b: ("not-utf8", b)),
)
