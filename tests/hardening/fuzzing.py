"""A small mutation fuzzer over every input format's parser, shared by tests and benchmark.

`benchmarks/fuzz_parse.py` runs it for a fixed time and prints executions and crashes;
`test_hostile_documents.py` runs a short, seeded slice of it on every test run. A "crash" is
any exception other than citeaudit's own `CiteauditError` (an `InputError` naming the file is
the right answer to a broken document), or a parse that outlives `HANG_SECONDS`.

Mutations are structure-aware where that finds more: text and HTML get tokens spliced in that
the parsers treat specially (markers, brackets, defanged schemes, tags); a DOCX is unzipped, its
XML parts mutated and zipped again (byte flips alone only ever hit the CRC check), and also
flipped as raw bytes; a PDF gets byte-level mutations of an uncompressed seed.
"""

from __future__ import annotations

import io
import random
import signal
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from citeaudit.catalog import build_catalog
from citeaudit.errors import CiteauditError
from citeaudit.parse.formats import read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
HANG_SECONDS = 20
TOKENS = [
    b"[1]", b"[12]", b"[1-3]", b"[2, 3]", b"[^1]", b"[^a]: ", b"^7", b"\n\nNotes\n\n", b"[",
    b"]", b"(", b")", b"<", b">", b"](", b"[x](http://a.b/", b"hxxp://", b"[.]", b"(dot)",
    b"https://", b"www.", b"\f", b"\n", b"\r\n", b"\x00", b"\xff", b"\xd8\xa7", b"...",
    b"<a href=\"#fn1\">", b"</a>", b"<sup>", b"<ol>", b"<li id=\"fn1\">", b"<!--", b"-->",
    b"<w:p>", b"</w:p>", b"<w:t>", b"<w:endnoteReference w:id=\"2\"/>", b"&amp;", b"&#0;",
    b"<![CDATA[", b"]]>", b"obj", b"endobj", b"stream", b"endstream", b"/Count 999999999",
    b"/Kids [", b"R", b"0 0", b"%%EOF", b"xref", b"trailer", b"/URI (", b"<<", b">>",
]  # fmt: skip


@dataclass(frozen=True)
class Crash:
    """One input that broke a parser."""

    fmt: str
    kind: str
    message: str
    data: bytes


def seeds() -> dict[str, list[bytes]]:
    """Seed documents of every format, from the test fixtures and a few built by hand."""
    formats = FIXTURES / "formats"
    text = (
        b"A report\nAugust 3, 2023\n\nForces moved.[1] A convoy crossed.[2][3]\n\n"
        b"Notes\n\n[1] Reuters, https://www.reuters.com/world/a-b-2023-08-03/\n"
        b"[2] hxxps://sana[.]sy/?p=123; www.example.org/x\n[3] [Link](https://a.example/y)\n"
    )
    md = b"# Report\n\nClaim one.[^1] Claim two.[^x]\n\n[^1]: https://a.example/\n[^x]: <https://b.example/>\n"
    html = [p.read_bytes() for p in sorted((FIXTURES / "html").glob("*.html"))]
    return {
        "text": [text],
        "markdown": [md],
        "html": html[:4] + [(formats / "isw-2023-08-03-syria.html").read_bytes()],
        "docx": [p.read_bytes() for p in sorted(formats.glob("*.docx"))],
        "pdf": [(formats / "links-and-breaks.pdf").read_bytes()],
    }


def mutate_bytes(data: bytes, rng: random.Random, rounds: int = 4) -> bytes:
    """Flip, insert, delete, duplicate and splice tokens at random places."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, rounds)):
        op = rng.randrange(6)
        at = rng.randrange(len(buf) + 1)
        if op == 0 and buf:
            buf[min(at, len(buf) - 1)] = rng.randrange(256)
        elif op == 1:
            buf[at:at] = rng.choice(TOKENS) * rng.choice((1, 1, 2, 50, 500))
        elif op == 2 and buf:
            del buf[at : at + rng.randint(1, 64)]
        elif op == 3 and buf:
            end = min(len(buf), at + rng.randint(1, 256))
            buf[at:at] = buf[at:end] * rng.randint(1, 8)
        elif op == 4:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif op == 5 and buf:
            cut = rng.randrange(len(buf))
            buf = buf[:cut] if rng.random() < 0.5 else buf[cut:]
    return bytes(buf)


def mutate_docx(data: bytes, rng: random.Random) -> bytes:
    """Mutate the XML parts inside the zip (usually) or the zip's raw bytes."""
    if rng.random() < 0.2:
        return mutate_bytes(data, rng)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    parts = [i.filename for i in src.infolist()]
    victims = {rng.choice([p for p in parts if p.endswith((".xml", ".rels"))] or parts)}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in parts:
            body = src.read(name)
            if name in victims:
                body = mutate_bytes(body, rng, rounds=6)
            if rng.random() < 0.02:
                continue  # a missing part
            dst.writestr(name, body)
    return out.getvalue()


MUTATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "text": mutate_bytes,
    "markdown": mutate_bytes,
    "html": mutate_bytes,
    "docx": mutate_docx,
    "pdf": mutate_bytes,
}
_NAMES = {"text": "x.txt", "markdown": "x.md", "html": "x.html", "docx": "x.docx", "pdf": "x.pdf"}


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def hang(signum: int, frame: object) -> None:
        raise TimeoutError(f"parser still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def parse(fmt: str, data: bytes) -> None:
    """Parse `data` as format `fmt` all the way to a catalog (what `citeaudit parse` does)."""
    name = _NAMES[fmt]
    raw = read_document(Path(name), data, fmt, require_notes=fmt in ("html", "docx", "pdf"))
    build_catalog(raw, name).to_json()


def run_one(fmt: str, data: bytes, hang_seconds: int = HANG_SECONDS) -> Crash | None:
    """Parse one input; a Crash for anything but a CiteauditError."""
    try:
        with _deadline(hang_seconds):
            parse(fmt, data)
    except CiteauditError:
        return None
    except TimeoutError as exc:
        return Crash(fmt, "hang", str(exc), data)
    except RecursionError as exc:
        return Crash(fmt, "RecursionError", str(exc)[:200], data)
    except Exception as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{exc!s:.160} at {Path(where.filename).name}:{where.lineno}"
        return Crash(fmt, type(exc).__name__, message, data)
    return None


def fuzz(
    fmt: str, seconds: float, rng: random.Random, clock: Callable[[], float]
) -> tuple[int, list[Crash]]:
    """Mutate seeds of `fmt` for `seconds`; the number of executions and the crashes found."""
    pool = seeds()[fmt]
    crashes: list[Crash] = []
    runs = 0
    end = clock() + seconds
    while clock() < end:
        data = MUTATORS[fmt](rng.choice(pool), rng)
        runs += 1
        crash = run_one(fmt, data)
        if crash is not None:
            crashes.append(crash)
    return runs, crashes
