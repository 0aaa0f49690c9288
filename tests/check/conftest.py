"""Fixtures for the checker's tests: loopback HTTP and HTTPS servers and a trustme CA.

The helpers that run the checker (`run`, `no_dns`) live in servers.py, so test modules never
import from a conftest (several directories may have one)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from .servers import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    with TestServer("127.0.0.1") as srv:
        yield srv


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = Path(tmp_path_factory.mktemp("ca")) / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[TestServer]:
    cert = ca.issue_cert("secure.test", "www.secure.test")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    with TestServer("127.0.0.1", tls=ctx) as srv:
        yield srv
