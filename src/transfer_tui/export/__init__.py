"""Export a handoff: Markdown for people, JSON for scripts. Pure functions of a snapshot.

``Store.snapshots.read(handoff_id)`` reads a :class:`HandoffSnapshot`;
:func:`render_markdown` and :func:`render_json` turn it into text. Nothing here
imports Textual or speaks SQL, and nothing reads the clock: what may change the
output (an "as of" date for overdue tasks, a generated-at line) comes in
:class:`ExportOptions`.

Extending the export (records, history...): add a field with a default to
:class:`HandoffSnapshot` (``snapshot.py``), fill it in ``store/snapshot.py``,
add a renderer to :data:`~transfer_tui.export.markdown.MARKDOWN_SECTIONS`
(``markdown.py``; user text through :mod:`.escape`) and a part to
:data:`~transfer_tui.export.jsonout.JSON_PARTS` (``jsonout.py``), document the
new JSON fields in the README, and regenerate the golden files
(``tests/export/test_golden.py`` says how).
"""

from transfer_tui.export.jsonout import SCHEMA_VERSION, render_json
from transfer_tui.export.markdown import render_markdown
from transfer_tui.export.snapshot import ExportOptions, HandoffSnapshot

__all__ = ["SCHEMA_VERSION", "ExportOptions", "HandoffSnapshot", "render_json",
           "render_markdown"]
