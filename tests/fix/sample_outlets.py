"""The sample report's outlets played by loopback servers, for `fix`'s worked example.

Every host the sample cites (and web.archive.org) is answered by two loopback servers, one
plain and one with TLS (a trustme certificate naming every host), each name mapped to
127.0.0.1 with `--resolve` and every connection to port 80 or 443 sent to the servers' own
ports. The URLs, and so the diff, are exactly the sample's. The story: the Washington Post
article and a Telegram post are gone but archived the day before the report; another Telegram
post is gone for good; two URLs are misspellings of live ones (an AP article id, a Telegram
account); CENTCOM moved its http:// pages permanently to https://; amwaj.media redirects
temporarily; Twitter is bot-walled; the misspelt eyeofephbrates.com does not exist.

Run as a script (`uv run python -m tests.fix.sample_outlets`) it prints the README's worked
example of `citeaudit fix`; `tests/fix/test_sample.py` checks that the README shows exactly it.
"""

from __future__ import annotations

import contextlib
import ssl
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

import trustme

from citeaudit.audit import AuditOptions, check_documents
from citeaudit.check import backend
from citeaudit.check.archive import ArchiveOptions
from citeaudit.check.options import CheckOptions
from citeaudit.documents import load_catalog
from citeaudit.fix import FixRequest, FixResult, fix_document, render_diff
from citeaudit.judge.policy import exit_code, parse_fail_on
from citeaudit.models import AuditResult, Catalog
from citeaudit.report import Format, render

from ..check.servers import Reply, Seen, TestServer, page

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "endnotes/isw-2023-08-03-syria.txt"
CAPTURED_AT = "20230802143000"
DEAD = {
    "https://www.washingtonpost.com/world/2023/06/01/discord-leaks-iran-russia-syria/",
    "https://t.me/SAM_Syria0/5139",
    "https://t.me/jharnous/989",
    "https://t.me/jharmous/997",
    "https://apnews.com/article/iran-russia-syria-military-fighter-jets-449a4c6fc9ab90981914c77e2d2907f",
}
ARCHIVED = {
    "https://www.washingtonpost.com/world/2023/06/01/discord-leaks-iran-russia-syria/",
    "https://t.me/SAM_Syria0/5139",
}
MOVED = {
    # http:// pages CENTCOM now serves over https (the first with the slash another note has)
    "http://www.centcom.mil/MEDIA/NEWS-ARTICLES/News-Article-View/Article/3450601/"
    "russian-unprofessional-behavior-over-syria-6-july-2023": (
        301,
        "https://www.centcom.mil/MEDIA/NEWS-ARTICLES/News-Article-View/Article/3450601/"
        "russian-unprofessional-behavior-over-syria-6-july-2023/",
    ),
    "http://www.centcom.mil/MEDIA/NEWS-ARTICLES/News-Article-View/Article/3450599/"
    "russian-unprofessional-behavior-over-syria-5-july-2023": (
        301,
        "https://www.centcom.mil/MEDIA/NEWS-ARTICLES/News-Article-View/Article/3450599/"
        "russian-unprofessional-behavior-over-syria-5-july-2023",
    ),
    "http://www.kremlin.ru/catalog/countries/SY/events/70676": (
        301,
        "https://www.kremlin.ru/catalog/countries/SY/events/70676",
    ),
    "https://amwaj.media/media-monitor/amid-normalization-with-saudi-arabia-iran-hails-"
    "arab-league-reinstatement-of-syri": (
        302,
        "https://amwaj.media/media-monitor/amid-normalization-with-saudi-arabia-iran-hails-"
        "arab-league-reinstatement-of-syria",
    ),
}
GONE_HOSTS = {"eyeofephbrates.com"}
WALLED_HOSTS = {"twitter.com"}


def _key(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.path or "/"


class _Outlets:
    """Answers for every (scheme, host, path) the sample cites, and the Wayback Machine's."""

    def __init__(self, catalog: Catalog) -> None:
        self.cited = {_key(s.url) for _, s in catalog.sources()}
        self.cited |= {_key(final) for _, final in MOVED.values()}
        self.dead = {_key(u) for u in DEAD}
        self.moved = {_key(u): target for u, target in MOVED.items()}
        self.archived = {u.split("://", 1)[1] for u in ARCHIVED}

    def handler(self, scheme: str) -> object:
        def answer(seen: Seen) -> Reply:
            key = (scheme, seen.host, seen.path)
            if seen.host == "web.archive.org":
                return self._wayback(seen.path)
            if seen.host in GONE_HOSTS or key in self.dead:
                return Reply(404, page("Page not found"))
            if seen.host in WALLED_HOSTS:
                return Reply(403, page("Forbidden"))
            if key in self.moved:
                status, target = self.moved[key]
                return Reply(status, b"", headers={"Location": target})
            if key in self.cited:
                title = seen.path.rstrip("/").rsplit("/", 1)[-1] or seen.host
                return Reply(200, page(title, f"The article at {seen.host}{seen.path}."))
            return Reply(404, page("Page not found"))

        return answer

    def _wayback(self, path: str) -> Reply:
        # /web/<timestamp>/<url>: the closest capture is a redirect away, as on the real site
        parts = path.split("/", 3)
        if len(parts) < 4 or parts[1] != "web":
            return Reply(404, page("Not Found"))
        original = parts[3].split("://", 1)[-1]
        if original not in self.archived:
            return Reply(404, page("Wayback Machine has not archived that URL."))
        if parts[2] != CAPTURED_AT:
            return Reply(302, b"", headers={"Location": f"/web/{CAPTURED_AT}/{parts[3]}"})
        return Reply(200, page("Archived", f"The page as it was: {original}."))


def _hosts(catalog: Catalog) -> list[str]:
    hosts = {urlsplit(s.url).hostname or "" for _, s in catalog.sources()} - {""}
    return sorted(hosts | {"web.archive.org"})


@contextlib.contextmanager
def outlets(catalog: Catalog, ca_file: Path) -> Iterator[AuditOptions]:
    """Serve the sample's outlets; yield audit options that reach them and nothing else."""
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(ca_file))
    hosts = _hosts(catalog)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*hosts).configure_cert(ctx)
    play = _Outlets(catalog)
    with TestServer("127.0.0.1") as plain, TestServer("127.0.0.1", tls=ctx) as secure:
        for host in hosts:
            plain.default(host, play.handler("http"))  # type: ignore[arg-type]
            secure.default(host, play.handler("https"))  # type: ignore[arg-type]
        ports = {80: plain.port, 443: secure.port}

        class ToLoopbackPorts(backend.AsyncioBackend):
            async def connect_tcp(self, host: str, port: int, *args: Any, **kw: Any) -> Any:
                return await super().connect_tcp(host, ports.get(port, port), *args, **kw)

        check = CheckOptions(
            resolve=tuple((h, p, "127.0.0.1") for h in hosts for p in ports),
            ca_bundle=str(ca_file),
            canary_hosts=(),
            timeout=10.0,
            retries=0,
        )
        with mock.patch.object(backend, "AsyncioBackend", ToLoopbackPorts):
            # loopback answers at once: no need to pace the replays as for the real archive
            archive = ArchiveOptions(timeout=10.0, replay_per_minute=60_000)
            yield AuditOptions(check=check, archive=archive)


def check_sample(path: str, folder: Path) -> AuditResult:
    """Check a copy of the sample (or the sample) against the loopback outlets."""
    catalog = load_catalog(path)
    with outlets(catalog, folder / "ca.pem") as options:
        (checked,) = check_documents([catalog], options)
    return checked


def worked_example(folder: Path) -> tuple[str, AuditResult, FixResult]:
    """Check the sample on the loopback outlets, fix it from the saved report: the transcript."""
    checked = check_sample(SAMPLE, folder)
    report = folder / "report.json"
    report.write_text(render([checked], Format.JSON), encoding="utf-8")
    result = fix_document(FixRequest(SAMPLE, report=str(report)))
    code = exit_code([checked], parse_fail_on(("lost",)))
    transcript = (
        f"$ uv run citeaudit check {SAMPLE} --format json -o report.json\n"
        f"[exit {code}]\n"
        f"$ uv run citeaudit fix {SAMPLE} --from report.json\n" + render_diff(result)
    )
    return transcript, checked, result


def main() -> None:
    """Print the worked example (run from the repository root)."""
    import os

    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as folder:
        transcript, _, _ = worked_example(Path(folder))
    sys.stdout.write(transcript)


if __name__ == "__main__":
    main()
