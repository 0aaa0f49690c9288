"""A progress bar on stderr while checking: done/total, rate, hosts, archive waits.

Only on a terminal: in CI logs and pipes a redrawn bar is noise, so `for_stderr()` returns None
there and the run stays silent until its report.
"""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from citeaudit.report.text import inert


class ProgressReporter:
    """Receives the checker's ProgressEvents and archive notes; draws one bar."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.fields[phase]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("{task.fields[hosts]} hosts"),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[waiting]}"),
            TextColumn("{task.fields[note]}"),
            console=console,
            transient=True,
        )
        self.task: TaskID | None = None

    @classmethod
    def for_stderr(cls) -> ProgressReporter | None:
        """A reporter drawing on stderr, or None when stderr is not a terminal."""
        if not sys.stderr.isatty():
            return None
        return cls(Console(stderr=True))

    def __enter__(self) -> ProgressReporter:
        self.progress.start()
        self.task = self.progress.add_task(
            "check", total=None, phase="checking", rate="", hosts=0, note="", waiting=""
        )
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, event: Any) -> None:
        """Take one ProgressEvent (done, total, hosts, phase)."""
        if self.task is None:
            return
        elapsed = self.progress.tasks[0].elapsed or 0.0
        rate = f"{event.done / elapsed:.0f}/s" if elapsed > 0.5 else ""
        self.progress.update(
            self.task,
            completed=event.done,
            total=event.total,
            hosts=event.hosts,
            rate=rate,
            phase=getattr(event, "phase", "checking"),
            waiting=waiting_text(getattr(event, "waiting_on", None)),
        )

    def note(self, message: str) -> None:
        """Show an archive message (e.g. a rate-limit wait) beside the bar."""
        if self.task is not None:
            self.progress.update(self.task, note=escape(inert(message))[:60])


def waiting_text(host: str | None) -> str:
    """`waiting on HOST` for the host holding the run up, as inert markup.

    >>> waiting_text("slow.example")
    'waiting on slow.example'
    >>> waiting_text(None)
    ''
    """
    return f"waiting on {escape(inert(host))[:40]}" if host else ""
