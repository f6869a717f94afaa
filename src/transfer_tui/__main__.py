"""``python -m transfer_tui``: the same as the ``transfer-tui`` command."""

from transfer_tui.cli import main

raise SystemExit(main())
