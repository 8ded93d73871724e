"""In Debian's chromium: a citizen reads the public page on a phone and on a desktop;
a supervisor publishes one more task and it appears."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_a_citizen_reads_published_progress_on_a_phone_and_a_desktop(transactional_db, world, phone_page, page, screenshot):
    for browser, name, width in ((phone_page, "phone", 375), (page, "desktop", 1280)):
        browser.goto(browser.base_url + reverse("portal:plans"))
        browser.get_by_role("link", name="南湖区2026年民生实事").click()
        browser.wait_for_load_state()
        assert browser.get_by_role("heading", name="一、教育与民生").is_visible()
        assert browser.get_by_text("新建幼儿园3所。").is_visible()
        assert browser.get_by_text("凤桥镇美丽城镇样板创建").is_visible()
        assert browser.get_by_text("绿灯 · 正常推进").is_visible()
        assert browser.get_by_text("黄灯 · 需关注").first.is_visible()
        assert browser.get_by_role("link", name="登录").is_visible()
        assert browser.get_by_text("建成区级科技孵化器2家").count() == 0
        # Nothing sticks out sideways.
        assert browser.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(browser, name)


def test_a_supervisor_publishes_a_task_and_the_public_sees_it(transactional_db, world, page, screenshot, login):
    incubator = world.unpublished[0]
    login(page, "supervisor")
    page.get_by_role("link", name="政务公开").click()
    page.get_by_role("link", name="南湖区2026年民生实事").click()
    page.wait_for_load_state()
    page.check(f"#task-{incubator.pk}")
    screenshot(page, "publish")
    page.get_by_role("button", name="公开所选任务").click()
    page.wait_for_load_state()
    assert page.get_by_text("已公开 1 项任务。").is_visible()
    page.get_by_role("link", name="查看本规划的公开页面").click()
    page.wait_for_load_state()
    assert page.get_by_text("建成区级科技孵化器2家。").is_visible()
    assert page.get_by_text("红灯 · 进度滞后").is_visible()
