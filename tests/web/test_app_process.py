"""A tab's app never outlives the server, and a hung one is ended: the app process's own
guards, and the server's way of stopping it (quit, then its whole process group killed)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from textual_serve.download_manager import DownloadManager

from tests.web.served import alive, needs_proc, wait_until
from transfer_tui.web.app_process import HUNG, ORPHANED
from transfer_tui.web.sessions import AppSession

pytestmark = needs_proc


def python(code: str, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], **options)


def test_an_app_whose_loop_stops_answering_ends_itself() -> None:
    started = time.monotonic()
    hung = python("""
        import asyncio, time
        from transfer_tui.web.app_process import watch_loop
        loop = asyncio.new_event_loop()
        watch_loop(loop, 1.0)
        async def main():
            await asyncio.sleep(0.5)  # answering...
            time.sleep(60)            # ...then stuck
        loop.run_until_complete(main())
    """, stderr=subprocess.PIPE, text=True)
    _, err = hung.communicate(timeout=30)
    assert hung.returncode == HUNG and "did not answer for 1 s" in err
    assert time.monotonic() - started < 10


def test_an_app_that_keeps_answering_is_left_alone() -> None:
    busy = python("""
        import asyncio
        from transfer_tui.web.app_process import watch_loop
        loop = asyncio.new_event_loop()
        watch_loop(loop, 0.5)
        async def main():
            for _ in range(30):
                await asyncio.sleep(0.05)  # short waits, never long silences
        loop.run_until_complete(main())
        loop.close()
        print("done")
    """, stdout=subprocess.PIPE, text=True)
    out, _ = busy.communicate(timeout=30)
    assert busy.returncode == 0 and out == "done\n"


def test_the_app_dies_with_its_server_even_a_sigkilled_one(tmp_path: Path) -> None:
    """The server (here a stand-in) is SIGKILLed; its app goes at once, on its own."""
    pid_file = tmp_path / "app.pid"
    app_code = tmp_path / "app.py"
    app_code.write_text(textwrap.dedent(f"""
        import os, sys, time
        from transfer_tui.web.app_process import die_with_parent
        die_with_parent(int(sys.argv[1]))
        open({str(pid_file)!r}, "w").write(str(os.getpid()))
        time.sleep(60)
    """))
    server = python(f"""
        import os, subprocess, sys, time
        subprocess.Popen([sys.executable, {str(app_code)!r}, str(os.getpid())],
                         start_new_session=True)
        time.sleep(60)
    """)
    try:
        assert wait_until(lambda: pid_file.exists() and pid_file.read_text(), 20)
        app = int(pid_file.read_text())
        assert alive(app)
        server.send_signal(signal.SIGKILL)
        server.wait()
        assert wait_until(lambda: not alive(app), 5), "the app outlived its server"
    finally:
        server.kill()


def test_an_app_started_after_its_server_died_ends_at_once() -> None:
    orphan = python("""
        from transfer_tui.web.app_process import die_with_parent
        die_with_parent(1)  # not our parent: the server is already gone
        import time; time.sleep(60)
    """, stderr=subprocess.PIPE, text=True)
    _, err = orphan.communicate(timeout=30)
    assert orphan.returncode == ORPHANED and "the server is gone" in err


async def test_stopping_kills_an_app_that_ignores_quit_and_all_it_started(
        tmp_path: Path) -> None:
    pid_file = tmp_path / "helper.pid"
    code = textwrap.dedent(f"""
        import subprocess, time
        helper = subprocess.Popen(["sleep", "60"])
        open({str(pid_file)!r}, "w").write(str(helper.pid))
        print("__GANGLION__", flush=True)
        time.sleep(60)  # never reads the quit request
    """)
    session = AppSession([sys.executable, "-c", code], download_manager=DownloadManager(),
                         stop_grace=0.5)
    await session.start(80, 24)
    deadline = time.monotonic() + 20
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    helper, app = int(pid_file.read_text()), session.pid
    assert app is not None and alive(app) and alive(helper)
    started = time.monotonic()
    await session.stop()
    assert time.monotonic() - started < 3
    assert not alive(app) and session.returncode == -signal.SIGKILL
    assert wait_until(lambda: not alive(helper), 3), "what the app started must go too"
