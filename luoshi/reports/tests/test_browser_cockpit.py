"""In Debian's chromium: a leader opens the seed plan's cockpit, clicks the red count and reaches a task's source sentence."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from luoshi.accounts.services import DEMO_PASSWORD
from luoshi.plans.models import Plan
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.tracking.demo import DEMO_TODAY
from luoshi.tracking.models import TaskTrack

pytestmark = pytest.mark.browser

CHARTS = (Path(django_settings.BASE_DIR) / "node_modules" / "echarts" / "dist" / "echarts.min.js").exists()


def test_a_leader_reads_the_cockpit_and_drills_down_to_a_red_task_source(transactional_db, page, screenshot, login,
                                                                         settings):
    settings.LUOSHI_DEMO_TODAY = DEMO_TODAY
    call_command("demo", stdout=StringIO())
    plan = Plan.objects.get(name=SEED_PLAN_NAME)

    login(page, "leader", DEMO_PASSWORD)
    page.get_by_role("link", name="驾驶舱").click()
    page.wait_for_url(f"**{reverse('reports:cockpit', args=[plan.pk])}")
    assert page.get_by_role("heading", name=SEED_PLAN_NAME).is_visible()
    assert page.get_by_text("总体进度").is_visible()
    assert page.get_by_role("heading", name="各目标进度").is_visible()
    if CHARTS:
        for chart in ("objectives", "programmes", "units", "trend"):
            page.locator(f"[data-chart={chart}] canvas").first.wait_for()
    else:
        assert page.get_by_role("table", name="各板块、目标进度").is_visible()
    # Chinese drawn with a CJK font: the heading's text is as wide as its characters.
    width = page.evaluate("document.querySelector('h1').getBoundingClientRect().width")
    assert width > 10 * 16
    screenshot(page, "cockpit")

    page.locator("a.kpi-red").click()
    page.wait_for_url("**light=red**")
    rows = page.locator("table.drill-list tbody tr")
    red = TaskTrack.objects.filter(task__plan=plan, light="red", signed_off_at__isnull=True)
    assert rows.count() == red.count() == 3
    assert page.get_by_text("连续 2 个周期未报送").first.is_visible()
    screenshot(page, "red-tasks")

    first = rows.first.locator("th a")
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    task = red.get(task__title__startswith=title.rstrip("…")).task
    assert page.get_by_text(task.measure.text[:30]).first.is_visible()
    screenshot(page, "task-source")
