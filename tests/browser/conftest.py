"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Chromium starts once for the browser suite (this package); every test gets a fresh
browser context (no cookies) and a page that records what would betray a broken page:
console errors, uncaught script errors, Content-Security-Policy violations and HTTP
errors. Screenshots go to $KANAVA_SCREENSHOTS (default: a temporary folder, named at the
end of the run).

Playwright's synchronous API keeps an asyncio loop "running" in the test's thread while
the browser is up, and Django then refuses ORM calls there (SynchronousOnlyOperation).
The ORM is only ever called from that thread between browser calls, never concurrently
with the loop's own work, so DJANGO_ALLOW_ASYNC_UNSAFE is set for exactly as long as the
browser runs and restored afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# The fixed cast (an organization with a person in every role) and fast password hashing,
# shared with the web tests.
from tests.web.conftest import _fast_passwords, cast  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Response

CHROMIUM = Path("/usr/bin/chromium")
#: How DESIGN.md says to launch Debian's chromium (Playwright cannot download its own here).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
#: Milliseconds any single browser action or expectation may take before the test fails.
TIMEOUT_MS = 15_000

#: Reports every securitypolicyviolation event of the page to the test (through a binding,
#: which the page's own CSP cannot block: init scripts and bindings come from the browser).
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.kanavaCspViolation(`${event.effectiveDirective} refused `
    + `${event.blockedURI || "an inline resource"} on ${event.documentURI}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber})`);
});
"""

_screenshot_dirs: list[Path] = []


@dataclass
class Watched:
    """A page and everything it reported; `shot` saves a numbered, full-page screenshot."""

    page: Page
    folder: Path
    name: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    shots: list[Path] = field(default_factory=list)

    def shot(self, step: str, *, full_page: bool = True) -> Path:
        """Screenshot the page as it is now.

        Take a viewport shot (full_page=False) while a form field has the focus: a full-page
        shot resizes chromium's viewport for a moment, and chromium then scrolls the focused
        field back into view on the next focus change, i.e. in the middle of the next click,
        which lands beside its button.
        """
        path = self.folder / f"{self.name}-{len(self.shots) + 1:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=full_page)
        self.shots.append(path)
        return path

    def problems(self) -> list[str]:
        return [*(f"CSP: {v}" for v in self.csp_violations),
                *(f"console: {e}" for e in self.console_errors),
                *(f"script: {e}" for e in self.page_errors),
                *(f"HTTP: {e}" for e in self.http_errors)]


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    """Debian's chromium, headless, for the whole browser suite.

    Skipped where /usr/bin/chromium is missing, except in CI (CI set), which installs it:
    there a missing browser is a failure, never a quiet skip.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}. CI installs it, so a missing browser is a failure.",
                        pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the screenshots: $KANAVA_SCREENSHOTS or a temporary one."""
    given = os.environ.get("KANAVA_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _screenshot_dirs.append(folder)
    return folder


@pytest.fixture
def watched(chromium: Browser, live_server: Any, screenshots: Path,
            request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A page of a fresh browser context, in English, on the live server, under watch."""
    context = chromium.new_context(base_url=live_server.url, locale="en-US",
                                   viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    name = re.sub(r"^test_", "", request.node.name)[:60]
    watch = Watched(context.new_page(), screenshots, name)
    context.expose_binding("kanavaCspViolation",
                           lambda _source, text: watch.csp_violations.append(str(text)))
    context.add_init_script(_CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            watch.http_errors.append(f"{response.status} {response.request.method} "
                                     f"{response.url}")

    watch.page.on("console", on_console)
    watch.page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    watch.page.on("response", on_response)
    yield watch
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        watch.shot("FAILED")
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test, so `watched` can screenshot a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for folder in _screenshot_dirs:
        if any(folder.glob("*.png")):
            terminalreporter.write_line(f"browser screenshots: {folder}")
