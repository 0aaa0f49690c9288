"""A fake Wayback (replay + CDX) and Memento TimeGate on loopback, and a clock that moves only
when slept on."""

from __future__ import annotations

import asyncio
import email.utils
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from citeaudit.check.archive import (
    ArchiveClient,
    ArchiveOptions,
)
from citeaudit.check.network import Resolver
from citeaudit.check.options import CheckOptions
from citeaudit.check.transport import SafeTransport
from citeaudit.models import ArchiveSnapshot

from ..servers import no_dns

AS_OF = date(2023, 8, 3)
PAGE = "https://example.org/news/story?id=7"


@dataclass
class Capture:
    timestamp: str
    status: int = 200
    redirect_to: str | None = None


@dataclass
class Archive:
    """State of the fake archives: captures per URL, scripted 429s, a log of requests."""

    captures: dict[str, list[Capture]] = field(default_factory=dict)
    mementos: dict[str, list[tuple[datetime, str]]] = field(default_factory=dict)
    memento_style: str = "302"
    throttle: int = 0
    retry_after: str | None = None
    cdx_ignores_filter: bool = False
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def paths(self, prefix: str) -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    archive: Archive

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        archive = self.archive
        archive.requests.append((self.path, dict(self.headers.items())))
        if archive.throttle > 0:
            archive.throttle -= 1
            headers = {"Retry-After": archive.retry_after} if archive.retry_after else {}
            self.send(429, headers, b"slow down")
        elif self.path.startswith("/web/"):
            self.replay()
        elif self.path.startswith("/cdx/search/cdx"):
            self.cdx()
        elif self.path.startswith("/timegate/"):
            self.timegate()
        else:
            self.send(500)

    def replay(self) -> None:
        stamp, _, original = self.path[len("/web/") :].partition("/")
        captures = self.archive.captures.get(original, [])
        if not captures:
            self.send(404, {}, b"Wayback Machine has not archived that URL.")
            return
        best = min(captures, key=lambda c: abs(int(c.timestamp) - int(stamp)))
        if best.timestamp != stamp:
            # not an exact hit: Wayback redirects to the closest capture
            self.send(302, {"Location": f"/web/{best.timestamp}/{original}"})
            return
        when = datetime.strptime(best.timestamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        memento = {"Memento-Datetime": email.utils.format_datetime(when, usegmt=True)}
        if best.redirect_to:
            memento["Location"] = f"/web/{best.timestamp}/{best.redirect_to}"
            self.send(best.status, memento)
        else:
            self.send(best.status, memento, b"<html><title>archived</title></html>")

    def cdx(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        url = query["url"][0]
        rows = self.archive.captures.get(url, [])
        if query.get("filter") == ["statuscode:200"] and not self.archive.cdx_ignores_filter:
            rows = [c for c in rows if c.status == 200]
        closest = int(query["closest"][0])
        rows = sorted(rows, key=lambda c: abs(int(c.timestamp) - closest))
        rows = rows[: int(query.get("limit", ["100"])[0])]
        names = query["fl"][0].split(",")
        values = {
            "timestamp": lambda c: c.timestamp,
            "original": lambda c: url,
            "statuscode": lambda c: str(c.status),
            "mimetype": lambda c: "text/html",
        }
        table = [names] + [[values[n](c) for n in names] for c in rows]
        body = json.dumps(table).encode() if rows else b""
        self.send(200, {"Content-Type": "application/json"}, body)

    def timegate(self) -> None:
        original = self.path[len("/timegate/") :]
        wanted = email.utils.parsedate_to_datetime(self.headers["Accept-Datetime"])
        mementos = self.archive.mementos.get(original, [])
        if not mementos:
            self.send(404)
            return
        when, uri = min(mementos, key=lambda m: abs((m[0] - wanted).total_seconds()))
        stamp = email.utils.format_datetime(when, usegmt=True)
        link = (
            f'<{original}>; rel="original", '
            f'<http://{self.headers["Host"]}/timemap/link/{original}>; rel="timemap"; '
            f'type="application/link-format", <{uri}>; rel="memento"; datetime="{stamp}"'
        )
        if self.archive.memento_style == "302":
            self.send(302, {"Location": uri, "Link": link, "Vary": "accept-datetime"})
        else:
            self.send(200, {"Content-Location": uri, "Memento-Datetime": stamp, "Link": link})


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run_lookups(
    endpoint: str,
    urls: list[str],
    *,
    as_of: date = AS_OF,
    fake: FakeTime | None = None,
    progress: list[str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> tuple[list[ArchiveSnapshot], ArchiveClient, int]:
    """Look up `urls` one after another; returns the snapshots, the client and requests sent."""
    fake = fake or FakeTime()
    sent: list[httpx.Request] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> tuple[list[ArchiveSnapshot], ArchiveClient]:
        opts = ArchiveOptions(
            **{"wayback_endpoint": endpoint, "memento_endpoint": endpoint, **options}
        )
        async with httpx.AsyncClient(
            transport=transport, event_hooks={"request": [count]}
        ) as client:
            archive_client = ArchiveClient(
                client,
                opts,
                sleep=fake.sleep,
                clock=fake.clock,
                progress=None if progress is None else progress.append,
            )
            return [await archive_client.closest(u, as_of) for u in urls], archive_client

    results, client = asyncio.run(main())
    return results, client, len(sent)


def no_network() -> SafeTransport:
    """The checker's transport on a resolver that knows no name (no DNS packet leaves)."""
    return SafeTransport(CheckOptions(), Resolver(lookup=no_dns))
