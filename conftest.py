"""Fixtures shared by every app's tests.

Browser tests use Playwright for Python driving Debian's chromium; screenshots
go to the folder printed at the end of the run (``LUOSHI_SCREENSHOTS``
overrides it).
"""
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LUOSHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get("LUOSHI_SCREENSHOTS", Path(__file__).parent / "var" / "screenshots")
).resolve()


@pytest.fixture(scope="session")
def _playwright_browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the live
    # server's database work happens elsewhere, so Django's async guard would
    # only get in the way of the test's own ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright_browser, live_server):
    """A fresh browser page in Chinese, with ``page.base_url`` set to the live server."""
    context = _playwright_browser.new_context(
        locale="zh-CN", viewport={"width": 1280, "height": 860}, base_url=live_server.url
    )
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(_playwright_browser, live_server):
    """A browser page the size of a phone (375 px wide)."""
    context = _playwright_browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a screenshot named after the test: ``screenshot(page, "step")``."""

    def take(page, name: str = "") -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = request.node.name.replace("/", "_")
        path = SCREENSHOTS / (f"{stem}-{name}.png" if name else f"{stem}.png")
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")
