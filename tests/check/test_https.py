"""`--require-https`: an http:// link whose site answers on https is flagged, on loopback.

One port speaks both: the server peeks at the first byte of each connection and wraps it in TLS
when it is a handshake, so `http://host:PORT/` and `https://host:PORT/` reach the same place.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from citeaudit.audit import run
from citeaudit.audit.request import CheckRequest
from citeaudit.check.https import https_twin
from citeaudit.models import FindingKind, LinkStatus
from citeaudit.report import Format, render


class DualServer:
    """Plain HTTP and HTTPS on one loopback port: http answers /a and /b, https only the
    `secure` paths; anything else is 404 (so the soft-404 probe sees a real 404)."""

    def __init__(self, tls: ssl.SSLContext, secure: set[str]) -> None:
        self.tls = tls
        self.secure = secure
        self.seen: list[tuple[str, str]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            scheme = "http"
            if conn.recv(1, socket.MSG_PEEK) == b"\x16":
                conn = self.tls.wrap_socket(conn, server_side=True)
                scheme = "https"
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            method, target, _ = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            self.seen.append((scheme, target))
            known = self.secure if scheme == "https" else {"/a", "/b"}
            status = 200 if target in known else 404
            body = b"<html><title>Page</title><p>content</p></html>"
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: text/html\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            conn.sendall(head.encode() + (b"" if method == "HEAD" else body))
        except (OSError, ssl.SSLError):
            return
        finally:
            conn.close()

    def __enter__(self) -> DualServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()
        self._thread.join(5)


@pytest.fixture
def dual(ca: trustme.CA) -> Iterator[DualServer]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("secure.test", "notyet.test").configure_cert(ctx)
    with DualServer(ctx, {"/a"}) as server:
        yield server


def test_https_twin_keeps_everything_but_the_scheme_and_a_default_port():
    assert https_twin("http://a.example/x?y#z") == "https://a.example/x?y#z"
    assert https_twin("http://a.example:80/") == "https://a.example/"
    assert https_twin("ftp://a.example/") is None


def test_http_links_whose_site_answers_on_https_are_flagged(
    dual: DualServer, ca_file: str, tmp_path: Path
):
    secure = f"http://secure.test:{dual.port}/a"
    missing = f"http://notyet.test:{dual.port}/b"  # the https side answers 404
    wrong_cert = f"http://plain.test:{dual.port}/a"  # the certificate does not name it
    doc = tmp_path / "r.txt"
    doc.write_text(
        f"R\n\nOne.[1]\n\nEndnotes\n\n[1] {secure} ; {missing} ; {wrong_cert}\n", encoding="utf-8"
    )
    hosts = ("secure.test", "notyet.test", "plain.test")

    def check(**options: object) -> object:
        req = CheckRequest(
            files=(str(doc),),
            resolve=tuple(f"{h}:{dual.port}:127.0.0.1" for h in hosts),
            canaries=("localhost",),
            no_archive=True,
            no_cache=True,
            retries=0,
            ca_bundle=ca_file,
            **options,  # type: ignore[arg-type]
        )
        return run(req).results[0]

    plain = check()
    assert not [f for f in plain.catalog.findings if f.kind is FindingKind.HTTPS_AVAILABLE]
    assert all(scheme == "http" for scheme, _ in dual.seen)
    result = check(require_https=True)
    found = [f for f in result.catalog.findings if f.kind is FindingKind.HTTPS_AVAILABLE]
    assert [f.urls for f in found] == [(secure,)]
    assert f"cite https://secure.test:{dual.port}/a" in found[0].message
    assert found[0].notes == (1,)
    assert result.verdicts[secure].status is LinkStatus.ALIVE  # a flag, not a verdict
    assert "https_available" in render([result], Format.JSON)
    (tmp_path / "citeaudit.toml").write_text("require_https = true\n", encoding="utf-8")
    filed = check()
    assert [f.urls for f in filed.catalog.findings if f.kind is FindingKind.HTTPS_AVAILABLE] == [
        (secure,)
    ]
    assert filed.run is not None and filed.run.settings["require_https"] is True
