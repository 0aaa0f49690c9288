"""The charts of the HTML report, laid out: each answers one question about the sources.

Verdicts by outlet (which outlets the document leans on, and how many of their links still
hold), sources by outlet kind (how much rests on state media, governments, platform accounts or
shorteners, and whether those links hold) and archive captures by distance from the document date
(is the copy to cite the page the author read?). The geometry is computed here, so the template
only writes the numbers into SVG; the counts come from `citeaudit.report.common` and the outlet
scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from citeaudit.models import AuditResult, OutletScore
from citeaudit.report.common import (
    AGE_UNKNOWN,
    CAPTURE_AGES,
    OUTLET_KINDS,
    capture_ages,
    sources_by_kind,
)
from citeaudit.report.html_rows import clean, label, urls_text

TOP_OUTLETS = 15
"""How many outlets the outlet chart shows (the outlet table lists them all)."""

_OUTLET_PARTS = ("live", "archived", "lost", "unverified")
_LABEL_W, _BAR_W, _ROW_H, _TAIL_W = 180, 250, 22, 100


@dataclass(frozen=True, slots=True)
class Segment:
    """One stacked part of a bar."""

    part: str
    value: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a horizontal bar chart."""

    name: str
    label: str
    tag: str
    total: int
    y: int
    segments: tuple[Segment, ...]
    end: float

    @property
    def detail(self) -> str:
        """Every part with its count, for the tooltip."""
        return ", ".join(f"{s.value} {s.part}" for s in self.segments)


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart, laid out."""

    id: str
    kind: str
    title: str
    width: int
    height: int
    label_width: int
    bars: tuple[Bar, ...]
    legend: tuple[str, ...]
    notes: tuple[str, ...]
    empty: str | None
    """Why there is nothing to chart, shown instead of the chart."""


def _bars(rows: Sequence[tuple[str, str, Sequence[tuple[str, int]]]]) -> tuple[Bar, ...]:
    """Lay out (name, tag, [(part, value)]) rows as stacked horizontal bars, the longest full."""
    most = max((sum(v for _, v in parts) for _, _, parts in rows), default=0) or 1
    bars = []
    for i, (name, tag, parts) in enumerate(rows):
        x, segments = float(_LABEL_W), []
        for part, value in parts:
            if value > 0:
                width = round(_BAR_W * value / most, 1)
                segments.append(Segment(part, value, round(x, 1), width))
                x += width
        total = sum(v for _, v in parts)
        label = name if len(name) <= 26 else name[:25] + "…"
        bars.append(Bar(name, label, tag, total, i * _ROW_H, tuple(segments), round(x, 1)))
    return tuple(bars)


def _chart(
    chart_id: str,
    kind: str,
    title: str,
    bars: tuple[Bar, ...],
    *,
    legend: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    empty: str | None = None,
) -> Chart:
    height = max(_ROW_H * len(bars), _ROW_H)
    width = _LABEL_W + _BAR_W + _TAIL_W
    return Chart(chart_id, kind, title, width, height, _LABEL_W, bars, legend, notes, empty)


def outlet_chart(outlets: Sequence[OutletScore], suffix: str, nothing_checked: bool) -> Chart:
    """Sources of the top outlets by verdict: live, archived, lost, unverified, stacked."""
    top = sorted(outlets, key=lambda o: (-o.urls, o.outlet))[:TOP_OUTLETS]
    rows = []
    for o in top:
        # Checked URLs are live, archived, lost or unverified (see score_outlets); OutletScore's
        # own `archived` also counts live pages with a capture, so the archived part is the rest.
        rest = max(o.urls - o.live - o.lost - o.unverified, 0)
        parts = (
            ("live", o.live),
            ("archived", rest),
            ("lost", o.lost),
            ("unverified", o.unverified),
        )
        rows.append((clean(o.outlet), label(str(o.kind or "")), parts))
    more = len(outlets) - len(top)
    return _chart(
        f"chart-outlets{suffix}",
        "outlet",
        f"Verdicts by outlet: the {len(top)} outlets with most URLs",
        _bars(rows),
        legend=_OUTLET_PARTS,
        notes=(f"{more} more outlet{'s' if more > 1 else ''} in the outlet table below.",)
        if more > 0
        else (),
        empty="Nothing was checked: no verdicts to chart."
        if nothing_checked
        else ("No sources." if not top else None),
    )


def kind_chart(result: AuditResult, suffix: str) -> Chart:
    """Sources by the kind of outlet they come from, each kind stacked by source state."""
    kinds = sources_by_kind(result)
    unchecked = any(states["unchecked"] for states in kinds.values())
    parts = (*_OUTLET_PARTS, *(("unchecked",) if unchecked else ()))
    rows = [(kind, "", [(p, kinds[kind][p]) for p in parts]) for kind in OUTLET_KINDS]
    total = sum(sum(states.values()) for states in kinds.values())
    notes = []
    voices = sum(kinds["platform account"].values())
    if voices:
        notes.append(f"{urls_text(voices)} from platform accounts: one person or group speaking.")
    hidden = sum(kinds["shortener"].values())
    if hidden:
        notes.append(
            f"{urls_text(hidden)} on a URL shortener that led to no other outlet: "
            "who published them is unknown."
        )
    return _chart(
        f"chart-kinds{suffix}",
        "outlet-kind",
        "Sources by outlet kind",
        _bars(rows),
        legend=parts,
        notes=tuple(notes),
        empty=None if total else "No sources.",
    )


def _age_tone(age: str) -> str:
    if age not in CAPTURE_AGES:
        return "unknown"
    i, mid = CAPTURE_AGES.index(age), len(CAPTURE_AGES) // 2
    return "before" if i < mid else "near" if i == mid else "after"


def age_chart(result: AuditResult, suffix: str, *, asked: bool, lost: int, failed: int) -> Chart:
    """Archive captures by their distance from the document date."""
    ages = capture_ages(result)
    names = [*CAPTURE_AGES, *([AGE_UNKNOWN] if ages[AGE_UNKNOWN] else [])]
    rows = [(name, "", [(_age_tone(name), ages[name])]) for name in names]
    captured = sum(ages.values())
    notes = [f"{urls_text(captured)} with a capture."]
    if lost:
        notes.append(f"{urls_text(lost)} lost without one: cite another source or find a copy.")
    if failed:
        notes.append(f"Archive lookups failed for {urls_text(failed)}: captures may be missing.")
    empty = None
    if not asked:
        empty = "Web archives were not asked (--no-archive): no capture dates to compare."
    elif not captured:
        empty = "No archive capture is known for any source."
    when = result.catalog.document.date
    title = "Archive captures by distance from the document date" + (
        f" ({when.isoformat()})" if when else ""
    )
    return _chart(
        f"chart-ages{suffix}",
        "age",
        title,
        _bars(rows),
        notes=tuple(notes) if asked else (),
        empty=empty,
    )
