"""Home: every handoff in the database, with its progress, blockers, target and renewal.

A renewal whose outreach day (90 days before) has passed on a handoff still
open stands out: that customer should already be hearing about it.

A team's file holds thousands of handoffs, so the table is a :class:`LazyTable`:
it keeps the summaries and turns into cells only the rows on screen
(:mod:`.handoff_rows` makes the cells and filters).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from transfer_tui.domain import Side, side_of
from transfer_tui.screens.handoff_rows import COLUMNS, HOME_FILTERS, Finder, cells
from transfer_tui.store import BusyError, HandoffSummary, Store, StoreError, summary
from transfer_tui.widgets.filter_box import FilterBox
from transfer_tui.widgets.footer import KeyBar
from transfer_tui.widgets.lazy_table import LazyTable
from transfer_tui.widgets.safe_text import clean
from transfer_tui.widgets.store_call import call_store, say_waiting

if TYPE_CHECKING:
    from transfer_tui.app import TransferApp

EMPTY_HELP = (
    "No handoffs yet.\n\n"
    "Press n to start one: the account, who hands it over and who takes it.\n"
    "Or run  transfer-tui demo  in a shell to load a few sample handoffs."
)


FIRST_PAGE = summary.FIRST_PAGE  # more rows than a screen shows: what the first paint needs
#: What :meth:`Handoffs.first_page` answers: the change mark (all of it), the lines, the
#: count (more to read).
FirstPage = tuple[int | None, list[HandoffSummary], int | None]


@contextmanager
def _uncollected() -> Iterator[None]:
    """Garbage collection off while a thread makes many objects that stay (every
    handoff read, SQLAlchemy's modules), then those set aside from it (``gc.freeze``).

    Each full collection such work set off scanned the whole heap while holding the
    GIL: at 50,000 handoffs 80-300 ms in which no key was answered."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        gc.freeze()


def _prewarm(store: Store) -> None:
    """The imports first: the engine is made under the store's lock, and an import of
    SQLAlchemy under it held up everything else that needs the store (quitting too)."""
    with _uncollected():
        import transfer_tui.store.models
        import transfer_tui.store.record_models  # noqa: F401

    _ = store.engine
    gc.freeze()


def read_everyone(store: Store, today: date) -> tuple[int, Finder]:
    """In a thread: the change log's mark and every handoff, ready for the filter
    (50,000 handoffs: about a million objects, not collected, see _uncollected)."""
    with _uncollected():
        return store.handoffs.change_mark(), Finder(store.handoffs.summaries(), today).prepared()


class HandoffsScreen(Screen[None]):
    """The list of handoffs: find one, open it, or start a new one."""

    CSS_PATH = "handoffs.tcss"
    AUTO_FOCUS = "#handoffs"
    BINDINGS = [
        Binding("n", "new", "New handoff"),
        Binding("enter", "open", "Open", show=True),
        # priority: the App runs it before passing on the keys typed after it (see below)
        Binding("slash", "filter", "Filter", priority=True),
        Binding("f", "cycle_state", "State"),
        Binding("t", "team", "Team"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    app: TransferApp

    def __init__(self, first_page: FirstPage | None = None) -> None:
        """``first_page``: the list's first page, read already (off the event loop, before
        the app started: see cli.run_tui), so the first frame shows it; else it is read
        in a worker once the screen shows."""
        super().__init__()
        self._first_page = first_page
        self.finder = Finder([])  # the handoffs read last, and the filter over them
        self._total: int | None = None  # while only the first page is read: how many in all
        self._read_once = False
        self._mark = 0  # the change log as of the list read last (see refresh_changed)
        self._generation = 0  # bumped by every full read: a refresh begun before it is moot
        self._refreshing = False
        self._refresh_again = False
        self._loading = False  # the first page is being read
        self._reloading = False  # the whole list is being read again
        self._prewarmed = False
        self.state_filter = "all"
        self.person: str | None = None  # only this CSM's handoffs (chosen in the Team view)

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBox(placeholder="Filter by account or person…", id="filter")
        yield LazyTable(COLUMNS, self.row_cells, id="handoffs")
        yield Static(Content(EMPTY_HELP), id="empty")
        yield KeyBar()

    def on_screen_resume(self) -> None:
        """First shown, or back from a checklist: read the list (once: not on mount too).

        The first time, only the first page is read, so the screen paints at once;
        the rest comes right after that paint. Back from a checklist, the list shows
        at once as it was, and only the handoffs changed meanwhile are read again.
        """
        if self._read_once:
            self.call_after_refresh(self.refresh_changed)  # the list as it was, first
            return
        self._read_once = True
        self._refreshing = True  # a refresh asked meanwhile waits for this read
        if self._first_page is not None:  # read already: shown in the first frame
            answer, self._first_page = self._first_page, None
            self._first_page_read(answer)
            return
        store = self.app.store

        def first_page() -> FirstPage:
            store.listen()  # before the first read: every save from now on is told
            return store.handoffs.first_page(FIRST_PAGE)  # a mark only when it is all

        self._loading = True
        call_store(self, first_page, self._first_page_read, self._first_page_failed,
                   waiting=lambda on: say_waiting(self, on), group="home")
        self.show()

    def _first_page_read(self, answer: FirstPage) -> None:
        self._loading = False
        mark, summaries, self._total = answer
        self._mark = mark or 0  # None: more to read, which comes with its own mark
        self.finder = Finder(summaries, self.app.today)
        self.query_one("#handoffs", LazyTable).forget_lines()
        self.show()
        if self._total is not None:
            self.call_after_refresh(self._read_rest)  # not before the frame is out
        else:
            self._refreshing = False
            if self._refresh_again:
                self._refresh_again = False
                self.refresh_changed()
            self.call_after_refresh(self.prewarm_store)  # else once the rest is in

    def _first_page_failed(self, exc: StoreError) -> None:
        self._loading = False
        self._refreshing = False
        self.app.tell(str(exc), severity="error")
        self.show()

    @property
    def summaries(self) -> list[HandoffSummary]:
        return self.finder.everyone

    def refresh_from_store(self) -> None:
        """Someone else saved to the file: show it, keeping the cursor and the filter."""
        self.refresh_changed()

    def refresh_changed(self) -> None:
        """Read again only the handoffs changed since the list was read, in a worker,
        and put each in its place: a colleague's save, or a return from a checklist,
        costs the rows it touched, not the whole list (50,000 handoffs: 160 ms)."""
        if self._refreshing:
            self._refresh_again = True  # once this one is shown
            return
        self._refreshing = True
        # while only the first page is here, the whole list is what is missing
        self._read_changes(self._mark, self._generation, everything=self._total is not None)

    def _read_rest(self) -> None:
        self._read_changes(self._mark, self._generation, everything=True)

    def _read_changes(self, mark: int, generation: int, everything: bool = False) -> None:
        """A daemon thread, not a worker: the app's exit waits for a worker's thread, and
        50,000 summaries take a while to make even once their query is interrupted."""
        threading.Thread(target=self._read_in_thread, args=(mark, generation, everything),
                         name="home-refresh", daemon=True).start()

    def _read_in_thread(self, mark: int, generation: int, everything: bool) -> None:
        try:
            self._read(mark, generation, everything)
        except RuntimeError:  # the app has exited meanwhile: nobody to show it to
            pass

    def _read(self, mark: int, generation: int, everything: bool) -> None:
        """In a thread: the changed handoffs' lines, or (``everything``, or when the file's
        log went back) the whole list; then shown on the UI thread."""
        store = self.app.store
        everyone: Finder | None = None
        try:
            mark, touched = (0, None) if everything else store.handoffs.changed_since(mark)
            if touched is None:
                # folded here, not on the first key typed (50,000 handoffs: about 40 ms)
                mark, everyone = read_everyone(store, self.app.today)
                changed = []
            else:
                changed = store.handoffs.summaries_of(touched) if touched else []
        except BusyError:  # someone is saving right now: look again in a moment
            self.app.call_from_thread(self._changes_read, generation, None, None, [], None,
                                      None)
            self.app.call_from_thread(self.set_timer, 1.0, self.refresh_changed)
            return
        except StoreError as exc:
            self.app.call_from_thread(self._changes_read, generation, None, None, [], None,
                                      str(exc))
            return
        self.app.call_from_thread(self._changes_read, generation, mark, touched, changed,
                                  everyone, None)

    def _changes_read(self, generation: int, mark: int | None, touched: set[str] | None,
                      changed: list[HandoffSummary], everyone: Finder | None,
                      problem: str | None) -> None:
        """On the UI thread: a whole list read (``everyone``) replaces the one shown; a
        few changed handoffs (``touched``, read again as ``changed``) are put in place,
        their lines drawn again as they come on screen (a line is kept by its data)."""
        self._refreshing = False
        if problem is not None:
            self.app.tell(problem, severity="error")
        elif generation == self._generation and mark is not None:  # else: read in full since
            self._mark = mark
            if everyone is not None:
                self.finder = everyone
                self._total = None
                self.query_one("#handoffs", LazyTable).forget_lines()  # the day may move on
                self.show()
            elif touched:
                current = self.current_id()  # before the lines shown move (in place)
                self.finder.update(touched, changed)
                self.show(current)
        if not self._prewarmed:
            self.prewarm_store()
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_changed()

    def prewarm_store(self) -> None:
        """Import SQLAlchemy and the models once the list is in (after the first paint and
        the rest of the list: not competing with either), before anyone needs them.

        Then every object alive (modules, classes: some 80,000) is set aside from garbage
        collection: a full collection scanned them all, 50 ms at random moments, such as
        in the middle of a keystroke.

        A daemon thread, not a worker: quitting never waits for these imports (a worker's
        thread is waited for as the app exits; an import cannot be cut short).
        """
        if self._prewarmed:
            return
        self._prewarmed = True
        threading.Thread(target=_prewarm, args=(self.app.store,), name="prewarm",
                         daemon=True).start()

    def reload(self, select: str | None = None,
               then: Callable[[], object] | None = None) -> None:
        """Read the whole list again (after a change made here), in a worker; ``then``
        runs once it is shown."""
        self._generation += 1
        self._reloading = True
        store, today = self.app.store, self.app.today

        def shown(answer: tuple[int, Finder]) -> None:
            self._reloading = False
            self._mark, self.finder = answer
            self._total = None
            self.query_one("#handoffs", LazyTable).forget_lines()
            self.show(select)
            if then is not None:
                then()

        def failed(exc: StoreError) -> None:
            self._reloading = False
            self.app.tell(str(exc), severity="error")

        call_store(self, lambda: read_everyone(store, today), shown, failed,
                   waiting=lambda on: say_waiting(self, on), group="home")

    @property
    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value.strip()

    def show(self, select: str | None = None) -> None:
        """Fill the table with the handoffs that pass the filter, keeping the cursor."""
        table = self.query_one("#handoffs", LazyTable)
        current = select or self.current_id()
        needle = self.filter_text
        # filtered before the rest was read: the first page's matches for now, and the
        # rest when the thread reading it is done (not a second whole read, on this thread)
        partial = self._total is not None
        rows = self.finder.matching(self.state_filter, needle)
        longest: dict[int, int] | None = self.finder.longest(self.state_filter, needle)
        if self.person is not None:
            person = self.person
            rows = [s for s in rows if side_of(person, s.outgoing, s.incoming) is not Side.NEITHER]
            longest = None  # measured by the table
        cursor = self.finder.position(rows, current) or 0
        table.set_items(rows, cursor, longest)
        empty = self.query_one("#empty", Static)
        if not self.summaries and self._loading:
            empty.update(Content("Reading the handoffs…"))
        elif not self.summaries:
            empty.update(Content(EMPTY_HELP))
        elif not rows and needle:
            empty.update(Content(f"No handoff{self._whose()} matches {needle!r}"
                                 + ("" if self.state_filter == "all"
                                    else f" among those {self.state_filter}")
                                 + ". Escape clears the filter; f changes the state shown."))
        elif not rows:
            empty.update(Content(f"No handoff{self._whose()} is {self.state_filter}. "
                                 "f shows the others."))
        empty.display = not rows
        table.display = bool(rows)
        filtered = bool(needle) or self.state_filter != "all" or self.person is not None
        count = (f"{len(rows)} of {self._total or len(self.summaries)}"
                 + (", reading the rest…" if partial else "") if filtered
                 else self._total or len(rows))
        shown = "" if self.state_filter == "all" else f" · {self.state_filter}"
        shown += "" if self.person is None else f" · {self.person} (escape: everyone)"
        table.set_title(clean(f"Handoffs ({count}){shown}"))

    def _whose(self) -> str:
        """The Team view's CSM, for the empty list (the table's title says it, hidden)."""
        return "" if self.person is None else f" of {self.person}'s"

    def row_cells(self, summary: HandoffSummary) -> tuple[Text, ...]:
        """One row's cells, made when the row is drawn."""
        return cells(summary, self.app.today)

    def current_id(self) -> str | None:
        summary = self.query_one("#handoffs", LazyTable).current
        return summary.id if summary is not None else None

    # -- actions -------------------------------------------------------------------------

    def action_new(self) -> None:
        from transfer_tui.screens.new_handoff import NewHandoffScreen

        self.app.push_screen(NewHandoffScreen(), self.created)

    def created(self, handoff_id: str | None) -> None:
        if handoff_id:
            self.query_one("#filter", Input).value = ""
            self.reload(select=handoff_id)
            self.open(handoff_id)

    @on(LazyTable.Selected, "#handoffs")
    def row_selected(self, event: LazyTable.Selected) -> None:
        self.open(event.table.items[event.index].id)

    def action_open(self) -> None:
        handoff_id = self.current_id()
        if handoff_id:
            self.open(handoff_id)

    def open(self, handoff_id: str) -> None:
        self.app.open_checklist(handoff_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A slash typed in the filter box is text: the box gets the key, not the binding."""
        return not (action == "filter" and isinstance(self.focused, Input))

    def action_filter(self) -> None:
        """Show the filter box and move the keyboard there at once.

        A normal binding would run when the table got round to the slash, after the App
        had already passed it the keys typed next (a fast typist, tmux, a paste): those
        were lost. A priority binding with an immediate focus change sends them to the box.
        """
        box = self.query_one("#filter", Input)
        box.display = True
        self.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        if self.person is not None:
            self.person = None
            self.show()
        self.query_one("#handoffs", LazyTable).focus()

    def action_team(self) -> None:
        """The Team view; coming back with a CSM's name shows only their handoffs."""
        from transfer_tui.screens.team import TeamScreen

        self.app.push_screen(TeamScreen(), self.show_person)

    def show_person(self, name: str | None) -> None:
        if name is not None:
            self.person = name
            self.show()

    def action_cycle_state(self) -> None:
        """all → active → awaiting acceptance → done → late."""
        names = list(HOME_FILTERS)
        self.state_filter = names[(names.index(self.state_filter) + 1) % len(names)]
        self.show()

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.show()

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        """Enter in the filter opens the highlighted handoff (the first match)."""
        table = self.query_one("#handoffs", LazyTable)
        if table.items:
            table.focus()
            self.action_open()

    @work
    async def action_delete(self) -> None:
        from transfer_tui.widgets.confirm import Confirm

        handoff_id = self.current_id()
        summary = next((s for s in self.summaries if s.id == handoff_id), None)
        if summary is None:
            return
        question = (
            f"Delete the handoff of {summary.account} ({summary.outgoing} → {summary.incoming}) "
            "with its tasks, notes and records? This cannot be undone."
        )
        if not await self.app.push_screen_wait(Confirm(question)):
            return
        store = self.app.store

        def deleted(_: object) -> None:
            self.app.tell(f"Deleted the handoff of {summary.account}.")
            self.reload(then=self._after_delete)

        call_store(self, lambda: store.handoffs.delete(summary.id), deleted,
                   lambda exc: self.app.tell(str(exc), severity="error"),
                   waiting=lambda on: say_waiting(self, on), group="home-delete")

    def _after_delete(self) -> None:
        if not self.query_one("#handoffs", LazyTable).items and self.summaries:
            self.action_clear_filter()  # it was the last one shown: back to every handoff

    def palette_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand("New handoff", "Start handing over an account (n)", self.action_new)
        yield SystemCommand("Open handoff", "Open the highlighted handoff (enter)",
                            self.action_open)
        yield SystemCommand("Filter handoffs", "Filter by account or person (/)",
                            self.action_filter)
        yield SystemCommand("Show by state", "all → active → awaiting acceptance → done → late (f)",
                            self.action_cycle_state)
        yield SystemCommand("Team view", "Every CSM's load, late handoffs and charts (t)",
                            self.action_team)
        yield SystemCommand("Delete handoff", "Delete the highlighted handoff (d)",
                            self.action_delete)
