"""In Debian's chromium: a reporter fills in 我的填报 on a desktop and a phone, one row wrong and one right,
and reads the chase waiting in the inbox.

The browser needs the real clock (its cookies would expire in a frozen past), so the plan is for the
current year and the site's "today" (LUOSHI_DEMO_TODAY, as in the demo) is 3 April of it: March is open
for reports, due on 7 April or the next working day.
"""
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.plans.models import Task
from luoshi.tracking.models import IndicatorActual, ProgressReport
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.supervision import plan_remind
from luoshi.tracking.tests.report_world import report_plan
from luoshi.tracking.tests.supervision_data import report_make

pytestmark = pytest.mark.browser


def test_a_reporter_fills_in_my_updates_and_reads_the_inbox(
    transactional_db, page, phone_page, screenshot, login, units, reporter_education, settings
):
    year = timezone.localdate().year
    settings.LUOSHI_DEMO_TODAY = date(year, 4, 3)
    plan = report_plan(units, year=year)
    first = plan.tasks.get(lead_unit__code="education")
    second = Task.objects.create(
        plan=plan, measure=first.measure, title="实施“学在南湖”品牌行动", lead_unit=units["education"],
        start_date=date(year, 1, 1), due_date=date(year, 12, 31), position=2,
    )
    # Made at the start of the year, as the demo's tasks are: each has reported since January.
    Task.objects.filter(plan=plan).update(created=timezone.make_aware(datetime(year, 1, 5, 9)))
    february = periods_ensure(plan=plan, until=date(year, 3, 1))[1]
    last = report_make(first, february, percent=40, narrative="完成2所幼儿园选址。")
    last.milestones_reached.set(first.milestones.all())
    IndicatorActual.objects.create(report=last, indicator=first.indicators.get(), value=Decimal("1"))
    # 20 April: March's reports are late, and the unit is chased (催办) through its reporters' inboxes.
    plan_remind(plan=plan, today=date(year, 4, 20))

    login(page, "reporter-education")
    assert page.locator(".unread-badge").inner_text() == "1"
    page.get_by_role("link", name="我的填报").click()
    page.wait_for_load_state()
    row1, row2 = page.locator(f"#task-{first.pk}"), page.locator(f"#task-{second.pk}")
    assert row1.get_by_label("完成进度（%）").input_value() == "40"
    assert row1.get_by_label("新建幼儿园（所）").input_value() == "1"
    assert row1.get_by_label("完成选址（").is_checked()
    assert row1.get_by_placeholder("上期：完成2所幼儿园选址。").is_visible()
    assert row2.get_by_label("完成进度（%）").input_value() == "0"
    screenshot(page, "prefilled-desktop")

    row1.get_by_label("完成进度（%）").fill("150")
    row1.get_by_label("本期工作进展").fill("3所幼儿园主体完工。")
    row2.get_by_label("完成进度（%）").fill("20")
    row2.get_by_label("工作状态").select_option("in_progress")
    row2.get_by_label("本期工作进展").fill("品牌行动方案已印发。")
    page.get_by_role("button", name="保存全部改动").first.click()
    page.wait_for_load_state()

    row1, row2 = page.locator(f"#task-{first.pk}"), page.locator(f"#task-{second.pk}")
    assert row1.get_by_text("完成进度须为0到100之间的整数，不能是150。").is_visible()
    assert row1.get_by_label("完成进度（%）").input_value() == "150"
    assert row1.get_by_label("本期工作进展").input_value() == "3所幼儿园主体完工。"
    assert row2.get_by_text("已保存").is_visible() and row2.get_by_text("本期已报").is_visible()
    assert page.get_by_text("1 项未保存").is_visible()
    screenshot(page, "one-saved-one-refused-desktop")
    saved = ProgressReport.objects.get(task=second)
    assert (saved.percent, saved.narrative, saved.status) == (20, "品牌行动方案已印发。", "submitted")
    assert not ProgressReport.objects.filter(task=first, period__label=f"{year}年3月").exists()

    page.get_by_role("link", name="消息").first.click()
    page.wait_for_load_state()
    assert page.get_by_text(f"【催办】{year}年3月工作进度逾期未报送").is_visible()
    assert page.get_by_text("1 条未读").is_visible()
    screenshot(page, "inbox-desktop")

    phone = phone_page
    login(phone, "reporter-education")
    phone.goto(phone.base_url + reverse("tracking:my_updates"))
    assert phone.locator(f"#task-{first.pk}").get_by_label("完成进度（%）").input_value() == "40"
    assert phone.get_by_text("本期已报").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    screenshot(phone, "my-updates-phone")
    phone.goto(phone.base_url + reverse("inbox:list"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    screenshot(phone, "inbox-phone")
