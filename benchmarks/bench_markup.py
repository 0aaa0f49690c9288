"""Benchmark the reStructuredText, AsciiDoc and LaTeX readers: linear in the document's size.

For each reader, a realistic document (paragraphs of cited sentences, footnotes with URLs, links)
and a hostile one (thousands of unclosed `footnote:[`, `\\cite[`, backticks, brackets) are read at
1x, 4x and 16x their base size; the table prints the time of each and the ratio to 1x side by
side. A linear reader shows ratios near 4 and 16; a quadratic one near 16 and 256.

Run: `uv run python benchmarks/bench_markup.py [--base 400]`.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from citeaudit.catalog import build_catalog
from citeaudit.documents.gcpolicy import rare_collections
from citeaudit.parse.asciidoc import read_asciidoc
from citeaudit.parse.latex import read_latex
from citeaudit.parse.raw import RawDocument
from citeaudit.parse.rst import read_rst


def rst(n: int) -> str:
    body = "".join(
        f"Claim {i} moved east. [#]_ See `report {i} <https://a.example/{i}>`_ now.\n\n"
        for i in range(n)
    )
    notes = "".join(f".. [#]\n   Source {i}, https://b.example/{i}\n" for i in range(n))
    return body + notes


def adoc(n: int) -> str:
    return "".join(
        f"Claim {i} moved east.footnote:[Source link:https://b.example/{i}[page {i}].] "
        f"See https://a.example/{i}[report {i}].\n\n"
        for i in range(n)
    )


def latex(n: int) -> str:
    body = "".join(
        f"Claim {i} moved east.\\footnote{{Source {{\\em {i}}}, \\url{{https://b.example/{i}}}.}} "
        f"See \\href{{https://a.example/{i}}}{{report}} and \\cite{{k{i % 50}}}.\n\n"
        for i in range(n)
    )
    return f"\\begin{{document}}\n{body}\\bibliography{{refs}}\n\\end{{document}}\n"


BIB = "".join(f"@misc{{k{i}, title={{T {i}}}, url={{https://c.example/{i}}}}}\n" for i in range(50))


def hostile_rst(n: int) -> str:
    return "Cited. [1]_\n\n.. [1] https://a.example/\n\n" + "`x <y " * (20 * n) + "``z " * (20 * n)


def hostile_adoc(n: int) -> str:
    return "Cited.footnote:[https://a.example/]\n\n" + "footnote:[link:x[ " * (20 * n)


def hostile_latex(n: int) -> str:
    return "Cited.\\footnote{https://a.example/}\n\n" + "\\cite[ \\item[ {{ \\verb" * (10 * n)


READERS: dict[str, tuple[Callable[[int], str], Callable[[bytes], RawDocument]]] = {
    "rst": (rst, lambda data: read_rst(data, "b.rst")),
    "asciidoc": (adoc, lambda data: read_asciidoc(data, "b.adoc")),
    "latex": (latex, lambda data: read_latex(data, "b.tex", lambda name: BIB.encode())),
    "rst hostile": (hostile_rst, lambda data: read_rst(data, "h.rst")),
    "asciidoc hostile": (hostile_adoc, lambda data: read_asciidoc(data, "h.adoc")),
    "latex hostile": (hostile_latex, lambda data: read_latex(data, "h.tex")),
}


def _seconds(read: Callable[[bytes], RawDocument], data: bytes) -> tuple[float, float]:
    """Best of three: the reader alone, and the reader with the catalog built from it."""
    best = [float("inf"), float("inf")]
    for _ in range(3):
        gc.collect()
        with rare_collections():
            start = time.perf_counter()
            raw = read(data)
            read_at = time.perf_counter()
            build_catalog(raw, "b")
            built_at = time.perf_counter()
        best = [min(best[0], read_at - start), min(best[1], built_at - start)]
    return best[0], best[1]


def main() -> None:
    """Print the scaling table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=400, help="paragraphs at 1x")
    args = parser.parse_args()
    print("reader alone, and reader + catalog (URLs found and normalized), best of 3, seconds")
    print(
        f"{'reader':<18}{'KB 1x':>7}{'1x':>8}{'4x':>8}{'16x':>8}{'4x/1x':>7}{'16x/1x':>7}"
        f"{'+cat 1x':>9}{'16x':>8}{'16x/1x':>7}"
    )
    for make, read in READERS.values():
        # Imports and regex compilation happen once, outside the timings.
        build_catalog(read(make(5).encode()), "warm-up")
    for name, (make, read) in READERS.items():
        alone: list[float] = []
        whole: list[float] = []
        size = 0
        for factor in (1, 4, 16):
            data = make(args.base * factor).encode()
            size = size or len(data)
            reader, total = _seconds(read, data)
            alone.append(reader)
            whole.append(total)
        print(
            f"{name:<18}{size / 1024:>7.0f}{alone[0]:>8.3f}{alone[1]:>8.3f}{alone[2]:>8.3f}"
            f"{alone[1] / alone[0]:>7.1f}{alone[2] / alone[0]:>7.1f}"
            f"{whole[0]:>9.3f}{whole[2]:>8.3f}{whole[2] / whole[0]:>7.1f}"
        )


if __name__ == "__main__":
    main()
