"""A throwaway PostgreSQL server for the tests and the store benchmark.

`initdb` into a fresh temporary folder, `pg_ctl start -w` listening on a Unix socket in that
folder only (no TCP port, so parallel runs never collide), stopped and removed at the end.
PostgreSQL refuses to run as root, and CI runs as root: then the server runs as the `postgres`
system user (Debian's package creates it) or `nobody`, and owns its folder.

Fixtures: `pg_server` (one per session) and `pg_url` (a fresh, empty database per test). Both
skip when the PostgreSQL binaries are missing, unless `CI=true`: there they fail, so a CI
machine without PostgreSQL cannot pass by skipping the store's tests.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from urllib.parse import quote

import pytest

PORT = 5432
"""Only names the socket file (`.s.PGSQL.5432`) inside the server's own folder."""
SUPERUSER = "postgres"


def find_bindir() -> Path | None:
    """The folder holding `initdb`, `pg_ctl` and `postgres` (newest Debian version first)."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    return None


def in_ci() -> bool:
    """Whether the CI environment variable says this is a CI run."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account to run the server as, or None to run it as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


class PostgresServer:
    """One private PostgreSQL server; a context manager that starts and removes it."""

    def __init__(self, bindir: Path, *, durable: bool = False) -> None:
        """Prepare a server from `bindir`; `durable=False` turns fsync off (tests only)."""
        self.bindir = bindir
        self.durable = durable
        self.root = Path(tempfile.mkdtemp(prefix="citeaudit-pg-"))
        self.data = self.root / "data"
        self._user = _server_user()
        self._started = False

    def _run(self, *args: str) -> None:
        ids = {}
        if self._user is not None:
            ids = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        done = subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**os.environ, "LC_ALL": "C", "HOME": str(self.root)},
            **ids,  # type: ignore[arg-type]
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()} {tail}")

    def start(self) -> PostgresServer:
        """initdb, then start and wait until the server accepts connections."""
        if self._user is not None:
            os.chown(self.root, self._user.pw_uid, self._user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--no-sync", "--no-instructions")  # fmt: skip
        settings = [f"-c listen_addresses='' -k {self.root} -p {PORT}", "-c max_connections=200"]
        if not self.durable:
            settings.append("-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-w", "-t", "120", "-o", " ".join(settings), "start")  # fmt: skip
        self._started = True
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        if self._started:
            with contextlib.suppress(RuntimeError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self._started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        """A postgresql:// URL for `dbname` over the server's Unix socket."""
        return f"postgresql://{SUPERUSER}@/{dbname}?host={quote(str(self.root))}&port={PORT}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of `url` (its open connections are ended first)."""
        import psycopg

        name = url.split("?")[0].rsplit("/", 1)[1]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def __enter__(self) -> PostgresServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole session."""
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL binaries (initdb, pg_ctl) not found"
        if in_ci():
            pytest.fail(f"{message}; under CI=true the PostgreSQL tests must run")
        pytest.skip(message)
    with PostgresServer(bindir) as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh, empty database, dropped after the test."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)
