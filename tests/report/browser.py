"""Headless Chromium for the HTML report's tests: Debian's chromium, driven by Playwright.

No browser is downloaded: Playwright launches the system's `chromium`. Without it the browser
tests skip on a developer machine and fail in CI (env `CI` set), where `.ci/run` installs it.

Every page opened here is watched: uncaught script errors, console errors and warnings,
Content-Security-Policy violations (read from the page's own `securitypolicyviolation` events),
dialogs (an injected `alert` would open one) and every request. Requests other than the page's
own file are aborted, and names resolve nowhere (`--host-resolver-rules`), so nothing leaves the
machine even if a test page tried.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Registered before any page script runs; Playwright injects it outside the page's CSP.
_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || ""));
});
"""


def chromium_path() -> str:
    """The system Chromium; skip (or fail in CI) when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI (installed by .ci/run)")
    pytest.skip("chromium not installed")


@dataclass
class Opened:
    """A loaded page and what it did while loading and since."""

    page: Any
    file: Path
    errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def violations(self) -> list[str]:
        """CSP violations the page reported."""
        return list(self.page.evaluate("window.__violations || []"))

    def assert_clean(self) -> None:
        """No script error, console complaint, CSP violation, dialog or foreign request."""
        assert not self.errors, self.errors
        assert not self.console, self.console
        assert not self.violations(), self.violations()
        assert not self.dialogs, self.dialogs
        foreign = [u for u in self.requests if not u.startswith(self.file.as_uri())]
        assert not foreign, foreign


class Chromium:
    """One browser shared by a test module; `open` loads markup from a file in a fresh page."""

    def __init__(self, browser: Any, folder: Path) -> None:
        self.browser = browser
        self.folder = folder
        self.count = 0

    def open(
        self,
        markup: str,
        fragment: str = "",
        *,
        javascript: bool = True,
        width: int = 1280,
        height: int = 2000,
    ) -> Opened:
        """Load the page; with JS, wait until its script says it is ready (`data-ready`)."""
        self.count += 1
        file = self.folder / f"report-{self.count}.html"
        file.write_text(markup, encoding="utf-8")
        context = self.browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        opened = Opened(page, file)
        page.add_init_script(_WATCH)
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.on(
            "console",
            lambda m: opened.console.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.route("http*://**", lambda route: route.abort())
        page.goto(file.as_uri() + fragment)
        page.wait_for_load_state("load")
        if javascript:
            page.wait_for_selector("body[data-ready]", state="attached")
        return opened


@contextmanager
def launch(folder: Path) -> Iterator[Chromium]:
    """A headless system Chromium writing its pages into `folder`."""
    path = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield Chromium(browser, folder)
        finally:
            browser.close()
