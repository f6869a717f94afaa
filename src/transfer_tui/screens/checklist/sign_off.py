"""Sign-off keys on the checklist: H hands over, A accepts, R rejects (each asks first).

Who may press which comes from the ``--as`` name; a refusal is one clear line
and changes nothing. The store checks again inside its transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from transfer_tui.domain import HandoffState
from transfer_tui.store import StoreError, why_not
from transfer_tui.widgets.safe_text import one_line

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp
    from transfer_tui.rules import Move, Readiness
    from transfer_tui.store import Checklist, Store
    from transfer_tui.widgets.store_call import StoreQueue

BINDINGS = [
    Binding("H", "hand_over", "Hand over", show=False),
    Binding("A", "accept", "Accept", show=False),
    Binding("R", "reject", "Reject", show=False),
]


class SignOffActions(Screen[None]):
    """Mixed into :class:`ChecklistScreen`, which holds the checklist and reloads it."""

    if TYPE_CHECKING:  # what the checklist screen gives its sign-off keys
        app: TransferApp
        checklist: Checklist | None
        readiness: Readiness | None
        queue: StoreQueue

        def reload(self, then: Callable[[], object] | None = None) -> None: ...

        async def read_and_show(self) -> bool: ...

        def save_change(self, change: Callable[[Store], Any],
                        done: str | Callable[[Any], str] | None = None) -> None: ...

        def ask(self, dialog: Screen[Any], answered: Callable[[Any], object]) -> None: ...

    async def refused(self, step: str) -> bool:
        """Inside a job: say why not, before asking anything, when the step cannot happen
        now (decided on what is saved now, read again)."""
        if not await self.read_and_show() or self.checklist is None:
            return True
        readiness = self.readiness if step != "reject" else None
        reason = why_not(step, self.checklist.handoff, self.checklist.tasks,
                         self.app.store.user, readiness=readiness)
        if reason:
            hint = ("  g goes to the first thing to record." if readiness is not None
                    and readiness.first_kind() and self.checklist.side(
                        self.app.store.user).value != "neither" else "")
            self.app.tell(reason + "." + hint, severity="warning")
        return bool(reason)

    def sign(self, step: str, done: str) -> None:
        assert self.checklist is not None
        handoff = self.checklist.handoff

        def change(store: Store) -> object:
            if step == "hand_over":
                return store.hand_over(handoff.id, expected_version=handoff.version)
            return store.accept(handoff.id, expected_version=handoff.version)

        self.save_change(change, done)

    def action_hand_over(self) -> None:
        """H, after the changes queued before it: asks first."""
        from transfer_tui.widgets.confirm import Confirm

        async def job() -> None:
            if await self.refused("hand_over") or self.checklist is None:
                return
            handoff = self.checklist.handoff
            question = (f"Hand {handoff.account} over to {handoff.incoming}? Every task is "
                        "done or n/a; they will accept it or send it back with a reason.")
            done = (f"Handed over to {one_line(handoff.incoming, 40)}: waiting for them to "
                    "accept it.")
            self.ask(Confirm(question, yes="Hand over", no="Not yet", danger=False),
                     lambda yes: self.sign("hand_over", done) if yes else None)
        self.queue.add(job)

    def action_accept(self) -> None:
        """A, after the changes queued before it: asks first, saying what passes over."""
        from transfer_tui.widgets.confirm import Confirm

        async def job() -> None:
            if await self.refused("accept") or self.checklist is None:
                return
            handoff, store = self.checklist.handoff, self.app.store
            question = (f"Accept {handoff.account} from {handoff.outgoing}? The handoff is "
                        "then done; a later change to a task reopens it.")
            try:
                moves: list[Move] = await self.queue.call(
                    lambda: store.moves_on_accept(handoff.id))
            except StoreError:
                moves = []  # the acceptance itself says what went wrong
            if moves:
                shown = "\n".join(f"  {one_line(move.line, 70)}" for move in moves[:6])
                more = f"\n  and {len(moves) - 6} more" if len(moves) > 6 else ""
                question += f"\n\nPassing to you ({len(moves)}):\n{shown}{more}"
            done = f"Accepted {one_line(handoff.account, 40)}: the handoff is done."
            self.ask(Confirm(question, yes="Accept", no="Not yet", danger=False),
                     lambda yes: self.sign("accept", done) if yes else None)
        self.queue.add(job)

    def action_reject(self) -> None:
        """R: the editor opens at once (not queued: the reason typed next goes into it, never
        to the checklist), if what is shown allows it; the store decides again. The reason
        is saved from the editor, which stays open (with the reason) when the rejection is
        refused or fails."""
        from transfer_tui.screens.note_editor import NoteEditor

        if self.checklist is None:
            return
        handoff, store = self.checklist.handoff, self.app.store
        reason = why_not("reject", handoff, self.checklist.tasks, store.user)
        if reason:
            self.app.tell(reason + ".", severity="warning")
            return
        editor = NoteEditor(handoff.account, "", heading="Reject: why? "
                            f"({one_line(handoff.outgoing, 30)} sees this)",
                            save_hint="ctrl+s rejects with this reason",
                            save=lambda reason: store.reject(
                                handoff.id, reason, expected_version=handoff.version))

        def answered(reason: str | None) -> None:
            if reason is not None:
                self.app.tell(f"Sent back to {one_line(handoff.outgoing, 40)} with your "
                              "reason.")
            self.reload()

        self.app.push_screen(editor, answered)

    def reopened_notice(self, before: HandoffState) -> None:
        """After a task change: say so when it took the handoff out of its sign-off state."""
        if self.checklist is None or self.checklist.handoff.sign_off is not HandoffState.ACTIVE:
            return
        outgoing = one_line(self.checklist.handoff.outgoing, 40)
        if before is HandoffState.ACCEPTED:
            self.app.tell(f"This handoff was accepted: your change reopened it. {outgoing} "
                          "hands it over again when it is ready.", severity="warning")
        elif before is HandoffState.HANDED_OVER:
            self.app.tell("This handoff was awaiting acceptance: with this task open again it "
                          f"is back to active, and {outgoing} hands it over again when it is "
                          "ready.", severity="warning")

    def sign_off_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("Hand over", "Outgoing CSM: every task done or n/a, over to the "
                            "incoming CSM (H)", self.action_hand_over)
        yield SystemCommand("Accept handoff", "Incoming CSM: take the account, the handoff is "
                            "done (A)", self.action_accept)
        yield SystemCommand("Reject handoff", "Incoming CSM: send it back, saying why (R)",
                            self.action_reject)
