"""How much one value may hold, declared once: forms, the store, the playbook checker, a
merged file and ``transfer-tui check`` all read these (the README's "Limits" says them in
words; the date range lives in :mod:`transfer_tui.dates`).

Generous for people, small enough that no value can slow a screen to a crawl or reach
past what SQLite stores (64-bit integers).
"""

from __future__ import annotations

MAX_NAME = 200  # an account or a person, on one line
MAX_TEXT = 500  # a one-line field: a record's text, a playbook's, section's or task's title
MAX_LONG_TEXT = 20_000  # a multi-line field: a record's notes, a task's guidance
MAX_LINK = 2_000  # a link in a record: an http(s) address or a file path
MAX_ITEM = 200  # one line of a list field
MAX_ITEMS = 100  # lines in a list field
MAX_NOTE = 100_000  # a task's note
MAX_REASON = 2_000  # why a handoff was rejected
MAX_KEY = 64  # a playbook's, section's or task's key; an id
WHOLE_LIMIT = 999_999_999_999  # a whole number field (seats) unless it says less
MAX_CENTS = 10**15  # an amount, in cents: below 10,000,000,000,000 in currency units
MAX_VERSION = 1_000_000  # a playbook's version
