"""Run one store call off Textual's event loop, and say so while it waits on a busy file.

A store call may wait seconds for someone else's save (see :mod:`transfer_tui.store.database`);
on the event loop that froze every key. Here the call runs in a thread while the screen
stays live; after a short moment without an answer, ``waiting(True)`` lets the screen say
"waiting…" (and ``waiting(False)`` when the answer came).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TypeVar

from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker

from transfer_tui.store import StoreError

T = TypeVar("T")

# Below this, an answer feels immediate: saying "waiting" would only flicker.
WAITING_AFTER_S = 0.3
WAITING = "Waiting for the file: someone else is saving a change…"
#: The same in a screen's header, where 80 columns leave it about 45 characters.
HEADER_WAITING = "Waiting for the file: someone else is saving"


def say_waiting(screen: DOMNode, on: bool) -> None:
    """Say "waiting" in the screen's header (its subtitle) while a call waits."""
    if isinstance(screen, Screen):
        screen.sub_title = HEADER_WAITING if on else None


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


async def in_thread(node: DOMNode, call: Callable[[], T],
                    waiting: Callable[[bool], object] | None = None) -> T:
    """Await ``call`` run in a thread (inside a worker), saying "waiting" after a moment.

    A :class:`StoreError` is raised to the caller, as the store raised it.
    """
    timer = node.set_timer(WAITING_AFTER_S, lambda: waiting(True)) if waiting else None
    try:
        return await asyncio.to_thread(call)
    finally:
        if timer is not None:
            timer.stop()
            waiting(False)  # type: ignore[misc]


Job = Callable[[], Awaitable[None]]


class StoreQueue:
    """A screen's store work, one job at a time in the order asked, off the event loop.

    A key that changes something is a job: it is queued at once (the screen stays live)
    and run when the jobs before it are done, each against what the one before it saved.
    ``waiting(n)`` is called with the number of jobs not yet done once one has taken
    longer than :data:`WAITING_AFTER_S` (someone else holds the file), and with 0 when
    the queue is empty again; jobs call the store through :meth:`call`.

    A job that asks the person something (a dialog) does not wait for the answer inside
    the queue: it :meth:`pause`s it, and the dialog's answer :meth:`resume`s it, so the
    keys typed before the dialog opened are applied after it, in order.
    """

    def __init__(self, node: DOMNode, waiting: Callable[[int], object], *,
                 group: str = "queue"):
        self.node = node
        self.waiting = waiting
        self.group = f"store:{group}"
        self.jobs: deque[Job] = deque()
        self.running = False
        self.paused = False
        self._slow = False  # said "waiting": say when it is over

    def __len__(self) -> int:
        return len(self.jobs) + self.running

    @property
    def busy(self) -> bool:
        return self.running or self.paused or bool(self.jobs)

    def add(self, job: Job, *, first: bool = False) -> None:
        """Queue ``job`` (``first``: before the others, such as a retry of the one just
        asked about) and start the queue if it is idle."""
        if first:
            self.jobs.appendleft(job)
        else:
            self.jobs.append(job)
        if self._slow:
            self.waiting(len(self))  # one more waiting
        self._start()

    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False
        self._start()

    def clear(self) -> None:
        """Forget the jobs not yet started (the screen shows another handoff)."""
        self.jobs.clear()
        self.paused = False

    def _start(self) -> None:
        if not self.running and not self.paused and self.jobs:
            self.running = True
            self.node.run_worker(self._drain(), group=self.group, exit_on_error=True)

    async def _drain(self) -> None:
        try:
            while self.jobs and not self.paused:
                await self.jobs.popleft()()
        finally:
            self.running = False
            if self._slow and not self.jobs:
                self._slow = False
                self.waiting(0)
        self._start()  # a job added as the last one ended

    async def call(self, call: Callable[[], T]) -> T:
        """Run one store call of a job in a thread; say "waiting" if it takes a while."""
        return await in_thread(self.node, call, self._say_waiting)

    def _say_waiting(self, on: bool) -> None:
        if on:
            self._slow = True
            self.waiting(len(self))
        elif self._slow and not self.jobs:
            self._slow = False
            self.waiting(0)
