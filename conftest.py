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


# ── Named people and units ───────────────────────────────────────────────
# Every app's tests speak of the same cast: a reporter of 区教育局, a reporter
# of 凤桥镇, a supervisor (督查室), a leader and an admin. Each can log in with
# TEST_PASSWORD; most tests use ``client.force_login(...)`` instead.

TEST_PASSWORD = "luoshi-test-password"


@pytest.fixture(scope="session")
def _test_password_hash():
    # Argon2 is deliberately slow: hash once per run and share it.
    from django.contrib.auth.hashers import make_password

    return make_password(TEST_PASSWORD)


def _named_user(password_hash, username, role, display_name, units=()):
    from luoshi.accounts.models import Membership, User

    user = User.objects.create(
        username=username,
        role=role,
        display_name=display_name,
        password=password_hash,
        is_staff=role == "admin",
        is_superuser=role == "admin",
    )
    for unit in units:
        Membership.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def units(db):
    """区教育局 ``education``, 凤桥镇 ``fengqiao`` and 区科技局 ``science``, by code."""
    from luoshi.accounts.models import Unit, UnitKind

    rows = [
        ("education", "区教育局", UnitKind.GOVERNMENT, ["教育局"], ["义务教育", "学校"]),
        ("fengqiao", "凤桥镇", UnitKind.TOWN, ["凤桥"], ["水蜜桃", "美丽城镇"]),
        ("science", "区科技局", UnitKind.GOVERNMENT, ["科技局"], ["科技创新", "孵化"]),
    ]
    return {
        code: Unit.objects.create(
            code=code, name=name, short_name=name, kind=kind, aliases=aliases, duty_keywords=keywords,
            sort_order=position,
        )
        for position, (code, name, kind, aliases, keywords) in enumerate(rows, start=1)
    }


@pytest.fixture
def supervisor(db, _test_password_hash):
    return _named_user(_test_password_hash, "supervisor", "supervisor", "督查室 王敏")


@pytest.fixture
def leader(db, _test_password_hash):
    return _named_user(_test_password_hash, "leader", "leader", "区领导 李建国")


@pytest.fixture
def admin_user(db, _test_password_hash):
    return _named_user(_test_password_hash, "admin", "admin", "信息中心 陈刚")


@pytest.fixture
def reporter_education(units, _test_password_hash):
    return _named_user(
        _test_password_hash, "reporter-education", "reporter", "区教育局 联络员", [units["education"]]
    )


@pytest.fixture
def reporter_fengqiao(units, _test_password_hash):
    return _named_user(
        _test_password_hash, "reporter-fengqiao", "reporter", "凤桥镇 联络员", [units["fengqiao"]]
    )


# ── Logging in, in the browser ───────────────────────────────────────────


def log_in(page, username: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the login form: the one a redirect already shows (keeping its ?next=), else /accounts/login/."""
    from django.urls import reverse

    login_url = page.base_url + reverse("login")
    if not page.url.startswith(login_url):
        page.goto(login_url)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The header's language buttons are submit buttons too: press the login form's own.
    page.click("form:has(#id_password) button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def login():
    """``login(page, "supervisor")``; the demo's users pass ``DEMO_PASSWORD``."""
    return log_in
