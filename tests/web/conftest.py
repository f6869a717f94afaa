"""Fixtures for the web tests: a served demo database, cleaned up whatever happens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.web.served import Served


@pytest.fixture
def serve(demo_file: Path) -> Iterator[Callable[..., Served]]:
    """Start ``transfer-tui serve`` on a copy of the demo database (any number of times)."""
    started: list[Served] = []

    def start(*args: str, **kwargs) -> Served:
        server = Served(demo_file, *args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
