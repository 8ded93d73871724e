"""The login flow in Debian's chromium: Chinese by default, English on request."""
import pytest

pytestmark = pytest.mark.browser


def test_a_supervisor_logs_in_and_sees_the_home_page_in_chinese(transactional_db, page, screenshot, login, supervisor):
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", name="登录").is_visible()
    screenshot(page, "login")
    login(page, "supervisor")
    assert page.url == page.base_url + "/"
    assert page.get_by_role("button", name="退出").is_visible()
    assert page.locator(".brand").inner_text().startswith("落实")
    assert "欢迎，督查室 王敏" in page.locator("h1").inner_text()
    screenshot(page, "home")


def test_the_language_switch_turns_the_pages_english(transactional_db, page, screenshot, login, supervisor, units):
    login(page, "supervisor")
    page.goto(page.base_url + "/units/")
    assert page.get_by_role("heading", name="责任单位", exact=True).is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/units/")
    assert page.get_by_role("heading", name="Units", exact=True).is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()
    screenshot(page, "units-en")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="退出").is_visible()


def test_a_reporter_sees_its_unit_on_a_phone(transactional_db, phone_page, screenshot, login, reporter_fengqiao):
    login(phone_page, "reporter-fengqiao")
    assert phone_page.get_by_role("heading", name="您所在的单位").is_visible()
    phone_page.get_by_role("link", name="凤桥镇", exact=True).click()
    phone_page.wait_for_load_state()
    assert phone_page.url.endswith("/units/fengqiao/")
    assert phone_page.get_by_role("heading", name="凤桥镇").is_visible()
    # Nothing may stick out sideways on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone_page, "unit")
