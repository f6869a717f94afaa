"""notify against a local HTTP server: the JSON arrives, a failure is retried once and then
one line that never holds the URL's secret part."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import TODAY
from transfer_tui.outreach.digest import DueItem, make_digest
from transfer_tui.outreach.webhook import WebhookProblem, notify, payload, redact

DIGEST = make_digest("Jordan Rivera", TODAY, 7, [
    DueItem("overdue_task", "h" * 32, "Initech <Corp> & Co", "Set up *the* folder", TODAY,
            "Jordan Rivera", "t1")])
SECRET = "T000/B000/XXXXsecretXXXX"


class Hook:
    """A webhook on 127.0.0.1 and a free port; ``answers`` are the statuses it gives in turn
    (then 200); ``delay`` makes it slow."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answers: list[int] = []
        self.delay = 0.0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if hook.delay:
                    threading.Event().wait(hook.delay)
                hook.received.append({"path": self.path, "type": self.headers["Content-Type"],
                                      "json": json.loads(body)})
                status = hook.answers.pop(0) if hook.answers else 200
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/{SECRET}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = Hook()
    yield server
    server.close()


def test_the_digest_arrives_as_slack_json(hook: Hook) -> None:
    assert notify(DIGEST, hook.url, retry_after=0) == 200
    (got,) = hook.received
    assert got["path"] == f"/services/{SECRET}"
    assert got["type"].startswith("application/json")
    text = got["json"]["text"]
    assert text.startswith("Due for Jordan Rivera (2026-11-25)")
    assert "*Overdue tasks (1)*" in text
    assert "Initech &lt;Corp&gt; &amp; Co" in text  # Slack's three escapes


def test_teams_hosts_get_a_message_card() -> None:
    body = payload(DIGEST, "https://acme.webhook.office.com/webhookb2/x")
    assert body["@type"] == "MessageCard" and body["title"].startswith("Due for Jordan")
    assert "Initech <Corp> & Co" in body["text"]


def test_one_failure_is_retried_once(hook: Hook) -> None:
    hook.answers = [503]
    assert notify(DIGEST, hook.url, retry_after=0) == 200
    assert len(hook.received) == 2


@pytest.mark.parametrize(("answers", "words", "tries"), [
    ([500, 502], "answered 502", 2),
    ([429, 429], "answered 429", 2),
    ([404], "answered 404", 1),
    ([302], "answered 302", 1),
])
def test_a_failure_is_one_line_without_the_secret(hook: Hook, answers, words, tries) -> None:
    hook.answers = list(answers)
    with pytest.raises(WebhookProblem) as caught:
        notify(DIGEST, hook.url, retry_after=0)
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert SECRET not in message and "/services" not in message
    assert f"127.0.0.1:{hook.server.server_port}/…" in message
    assert len(hook.received) == tries


def test_a_slow_webhook_times_out_and_is_retried_once(hook: Hook) -> None:
    hook.delay = 0.5
    with pytest.raises(WebhookProblem, match=r"did not answer within 0.2 s \(tried twice\)"):
        notify(DIGEST, hook.url, timeout=0.2, retry_after=0)


def test_nobody_listening_is_one_line() -> None:
    server = Hook()
    url = server.url
    server.close()
    with pytest.raises(WebhookProblem, match="could not be reached") as caught:
        notify(DIGEST, url, retry_after=0)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x/y", "hooks.slack.com/x",
                                 "http://", "https://x/\r\nHost: evil", "javascript:alert(1)"])
def test_only_http_urls_are_posted_to(url) -> None:
    with pytest.raises(WebhookProblem, match="is not an http"):
        notify(DIGEST, url, retry_after=0)


def test_redact_keeps_scheme_and_host_only() -> None:
    assert redact("https://hooks.slack.com/services/T/B/secret") == "https://hooks.slack.com/…"
    assert redact("https://user:pw@host:8443/x?token=1") == "https://host:8443/…"
