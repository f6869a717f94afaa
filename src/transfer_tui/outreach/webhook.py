"""Post the digest to a Slack or Microsoft Teams incoming webhook.

The URL is a secret (whoever has it can post in the channel): it is never printed
in full, only its scheme and host. One POST with a timeout, one retry when the
server did not answer or answered 429 or 5xx; redirects are not followed, so the
message cannot be sent somewhere else. Every failure is one
:class:`WebhookProblem` line.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from transfer_tui.outreach.digest import Digest, chat_text

TIMEOUT = 10.0  # seconds for one attempt
RETRY_AFTER = 1.0  # seconds before the one retry
TEAMS_HOSTS = ("webhook.office.com", "logic.azure.com", "office.com")


class WebhookProblem(Exception):
    """Posting failed; ``str()`` is one line without the URL's secret part."""


def redact(url: str) -> str:
    """``https://hooks.slack.com/…``: enough to tell which webhook, not enough to use it."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(the webhook URL)"
    return f"{parts.scheme or '?'}://{host}{port}/…"


def check_url(url: str) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url)
        valid = (parts.scheme in ("http", "https") and bool(parts.hostname)
                 and not any(ch.isspace() or ord(ch) < 32 for ch in url))
    except ValueError:
        valid = False
    if not valid:
        raise WebhookProblem(f"the webhook {redact(url)} is not an http(s) URL")
    return url


def is_teams(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in TEAMS_HOSTS)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(digest: Digest, url: str) -> dict[str, Any]:
    """Slack's ``{"text": ...}`` (mrkdwn), or a Teams MessageCard."""
    text = chat_text(digest)
    if is_teams(url):
        title, _, body = text.partition("\n")
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
                "summary": title, "title": title,
                "text": body.replace("\n", "  \n") or title}
    return {"text": _slack_escape(text).replace("**", "*")}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is answered as an error, never followed


def post(url: str, body: dict[str, Any], *, timeout: float = TIMEOUT,
         retry_after: float = RETRY_AFTER) -> int:
    """POST ``body`` as JSON; the status on success, else :class:`WebhookProblem`."""
    url = check_url(url)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    opener = urllib.request.build_opener(_NoRedirect)
    where = redact(url)
    problem = ""
    for attempt in (1, 2):
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "transfer-tui"})
        try:
            with opener.open(request, timeout=timeout) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as exc:
            problem = f"answered {exc.code} {exc.reason}"
            if exc.code != 429 and exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            problem = ("did not answer within "
                       f"{timeout:g} s" if isinstance(reason, TimeoutError)
                       or "timed out" in str(reason) else f"could not be reached ({reason})")
        if attempt == 1:
            time.sleep(retry_after)
    tries = "tried twice" if attempt == 2 else "not retried"
    raise WebhookProblem(f"posting to the webhook {where} failed: {problem} ({tries})")


def notify(digest: Digest, url: str, *, timeout: float = TIMEOUT,
           retry_after: float = RETRY_AFTER) -> int:
    return post(url, payload(digest, url), timeout=timeout, retry_after=retry_after)
