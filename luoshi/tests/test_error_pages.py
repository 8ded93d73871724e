"""In production (DEBUG off) every error page is Chinese, keeps the site's header and menu, and leaks nothing."""
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]


@pytest.fixture
def production():
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        yield


@pytest.fixture
def browser(supervisor):
    """A logged-in supervisor's client that gets the 500 page instead of the exception."""
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(supervisor)
    return client


def _assert_site_page(response, status: int, heading: str):
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert '<header class="topbar">' in page and "落实" in page
    assert f"<h1>{heading}</h1>" in page
    assert "返回首页" in page
    return page


def test_a_missing_page_is_a_chinese_404_with_the_menu(browser):
    page = _assert_site_page(browser.get("/plans/999999/"), 404, "找不到这个页面")
    assert 'class="mainnav"' in page and "规划" in page


def test_a_forbidden_page_is_a_chinese_403_with_the_menu(browser, monkeypatch):
    def refuse(request):
        raise PermissionDenied

    monkeypatch.setattr("luoshi.views.selectors.plan_list", lambda **kwargs: refuse(None))
    page = _assert_site_page(browser.get("/"), 403, "您无权打开此页面")
    assert 'class="mainnav"' in page


def test_a_malformed_request_is_a_chinese_400(browser):
    _assert_site_page(browser.get("/", HTTP_HOST="evil.example"), 400, "无法处理这个请求")


def test_an_expired_form_is_a_chinese_403_that_says_to_reload():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
    _assert_site_page(client.post("/accounts/login/", {"username": "x", "password": "y"}), 403, "表单已过期，未能提交")


def test_a_crash_is_a_chinese_500_with_the_menu_and_no_traceback(browser, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("secret detail from the database: password=hunter2")

    monkeypatch.setattr("luoshi.views.selectors.plan_list", crash)
    page = _assert_site_page(browser.get("/"), 500, "系统出错了")
    assert 'class="mainnav"' in page
    assert "Traceback" not in page and "RuntimeError" not in page and "hunter2" not in page


def test_the_500_page_still_renders_when_the_menu_cannot(browser, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("luoshi.views.selectors.plan_list", crash)
    monkeypatch.setattr("luoshi.views.render", crash)
    page = _assert_site_page(browser.get("/"), 500, "系统出错了")
    assert "database down" not in page
