"""Run one store call off Textual's event loop, and say so while it waits on a busy file.

A store call may wait seconds for someone else's save (see :mod:`transfer_tui.store.database`);
on the event loop that froze every key. Here the call runs in a thread while the screen
stays live; after a short moment without an answer, ``waiting(True)`` lets the screen say
"waiting…" (and ``waiting(False)`` when the answer came).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

from transfer_tui.store import StoreError

T = TypeVar("T")

# Below this, an answer feels immediate: saying "waiting" would only flicker.
WAITING_AFTER_S = 0.3
WAITING = "Waiting for the file: someone else is saving a change…"


def call_store(
    node: DOMNode,
    call: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[StoreError], object],
    *,
    waiting: Callable[[bool], object] | None = None,
    group: str = "store",
) -> Worker[None]:
    """Run ``call`` in a thread; then ``done(result)`` or ``failed(error)`` on the event loop.

    Only a :class:`StoreError` is a refusal to show; anything else is a bug and is raised.
    The worker's group is ``store:`` + ``group`` (tests wait for those).
    """

    async def run() -> None:
        timer = node.set_timer(WAITING_AFTER_S, lambda: waiting(True)) if waiting else None
        try:
            result = await asyncio.to_thread(call)
        except StoreError as exc:
            outcome: tuple[bool, object] = (False, exc)
        else:
            outcome = (True, result)
        finally:
            if timer is not None:
                timer.stop()
                waiting(False)  # type: ignore[misc]
        if outcome[0]:
            done(outcome[1])  # type: ignore[arg-type]
        else:
            failed(outcome[1])  # type: ignore[arg-type]

    return node.run_worker(run, group=f"store:{group}", exit_on_error=True)
