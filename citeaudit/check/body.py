"""Read at most a set number of decoded bytes of a response body, whatever its compression.

A probe reads enough of a page for its title and the soft-404 test, the drift check enough for
its text, the fragment check enough for its anchors; none may be made to inflate a gzip bomb.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Mapping
from typing import Protocol

import httpx


class _CappedDecoder:
    """Undo a `Content-Encoding`, never producing more than the bytes still wanted.

    httpx decompresses each network chunk whole: 64 KB of a gzip bomb becomes 64 MB in one call.
    Reading raw bytes and inflating with `max_length` keeps a probe's memory near `max_body`
    whatever the compression ratio.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # wbits 32+15 accepts gzip and zlib headers alike; raw deflate is tried on failure
        self._z = None if encoding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | 32)
        self._first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        """Decoded bytes of `data`, at most `limit` of them."""
        if self._z is None:
            return data[:limit]
        try:
            out = self._z.decompress(data, limit)
        except zlib.error:
            if not (self._first and self.encoding == "deflate"):
                raise
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._z.decompress(data, limit)
        self._first = False
        return out


def _decoder_for(headers: Mapping[str, str]) -> _CappedDecoder | None:
    """A capped decoder for the response's encoding; None for one we do not decode."""
    encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
    if encoding == "x-gzip":
        encoding = "gzip"
    if encoding not in ("identity", "gzip", "deflate"):
        return None
    return _CappedDecoder(encoding)


class BodyCut(Exception):
    """The body broke off after the status and headers had arrived."""

    def __init__(self, body: bytes) -> None:
        super().__init__(f"body cut off after {len(body)} bytes")
        self.body = body


class RawBody(Protocol):
    """A response whose body can be read as it arrived (an `httpx.Response`, or a probe's)."""

    def aiter_raw(self) -> AsyncIterator[bytes]: ...


async def read_capped(response: RawBody, headers: Mapping[str, str], cap: int) -> bytes | None:
    """At most `cap` decoded bytes of the body; None when its encoding is not one we decode.

    Reads the raw stream and inflates it with a bound: memory stays near `cap` whatever the
    compression ratio (httpx's own decoding inflates each network chunk whole).
    """
    decoder = _decoder_for(headers)
    if decoder is None:
        return None
    chunks: list[bytes] = []
    size = 0
    try:
        async for raw in response.aiter_raw():
            piece = decoder.feed(raw, cap - size)
            chunks.append(piece)
            size += len(piece)
            if size >= cap:
                break
    except zlib.error:
        pass  # a corrupt compressed body: judge the page by what decoded cleanly
    except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
        # the status already arrived and is the answer; only the soft-404 test reads less
        raise BodyCut(b"".join(chunks)) from exc
    return b"".join(chunks)
