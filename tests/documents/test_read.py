"""Reading input: an endless stream or device is refused with one line at the size cap."""

from __future__ import annotations

import io
import os
import threading

import pytest

from citeaudit.documents import read_input
from citeaudit.errors import InputError


class Endless(io.RawIOBase):
    """A stream that never ends (like `/dev/zero` or `yes |`), counting what was read."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        n = 65536 if size < 0 else size
        self.served += n
        return b"\0" * n


def test_endless_stdin_is_refused_at_the_cap():
    stream = Endless()
    with pytest.raises(InputError) as exc:
        read_input("-", limit=100_000, stdin=stream)  # type: ignore[arg-type]
    message = str(exc.value)
    assert message.startswith("standard input: too large")
    assert "\n" not in message
    assert stream.served <= 100_001  # stopped at the cap, not after


def test_stdin_under_the_cap_is_read_whole():
    assert read_input("-", limit=10, stdin=io.BytesIO(b"0123456789")) == b"0123456789"
    with pytest.raises(InputError):
        read_input("-", limit=9, stdin=io.BytesIO(b"0123456789"))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_dev_zero_is_refused_with_one_line():
    with pytest.raises(InputError) as exc:
        read_input("/dev/zero", limit=1 << 16)
    assert str(exc.value).startswith("/dev/zero: too large")
    assert "\n" not in str(exc.value)


def test_a_pipe_that_keeps_writing_is_refused():
    r, w = os.pipe()
    stop = threading.Event()

    def writer() -> None:
        try:
            while not stop.is_set():
                os.write(w, b"x" * 4096)
        except BrokenPipeError:
            pass
        finally:
            os.close(w)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with os.fdopen(r, "rb") as stream, pytest.raises(InputError):
            read_input("-", limit=50_000, stdin=stream)
    finally:
        stop.set()
        thread.join()


def test_a_file_over_the_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(InputError, match="file too large"):
        read_input(str(path), limit=1024)
    assert read_input(str(path), limit=4096) == b"a" * 2048
