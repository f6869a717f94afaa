"""The store's tests run on both engines: a file, and a database on the server."""

from __future__ import annotations

import pytest

from tests.conftest import fixed_clock


@pytest.fixture(params=["file", "server"])
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest):
    from transfer_tui.store import Store

    where = (request.getfixturevalue("db_path") if engine == "file"
             else request.getfixturevalue("server_url"))
    opened = Store(where, "Dana Whitfield", clock=fixed_clock)
    yield opened
    opened.close()

