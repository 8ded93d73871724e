"""The demo runs with DEBUG on; its visitors still get the site's Chinese 404 and 403 pages."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

DEMO = {"DEBUG": True, "LUOSHI_DEMO_TODAY": datetime.date(2018, 7, 10), "ALLOWED_HOSTS": ["testserver"]}


@pytest.fixture
def visitor(supervisor):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(supervisor)
    return client


def _site_page(response, status, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert '<header class="topbar">' in page and 'class="mainnav"' in page
    assert f"<h1>{heading}</h1>" in page
    assert "DEBUG = True" not in page and "URLconf" not in page
    return page


@override_settings(**DEMO)
def test_a_missing_object_in_the_demo_is_the_chinese_404(visitor):
    _site_page(visitor.get("/plans/999999/"), 404, "找不到这个页面")


@override_settings(**DEMO)
def test_an_address_nothing_serves_in_the_demo_is_the_chinese_404(visitor):
    _site_page(visitor.get("/no-such-page/"), 404, "找不到这个页面")


@override_settings(**DEMO)
def test_the_demo_still_adds_the_missing_slash(visitor):
    response = visitor.get("/plans")
    assert response.status_code == 301 and response["Location"] == "/plans/"


@override_settings(**DEMO)
def test_a_forbidden_page_in_the_demo_is_the_chinese_403(visitor, monkeypatch):
    def refuse(**kwargs):
        raise PermissionDenied

    monkeypatch.setattr("luoshi.views.selectors.plan_list", refuse)
    _site_page(visitor.get("/"), 403, "您无权打开此页面")


@override_settings(DEBUG=True, LUOSHI_DEMO_TODAY=None, ALLOWED_HOSTS=["testserver"])
def test_a_developer_with_debug_and_no_demo_day_keeps_the_debug_404(visitor):
    response = visitor.get("/no-such-page/")
    assert response.status_code == 404 and "URLconf" in response.content.decode()
