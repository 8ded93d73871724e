"""我的填报: every task a unit must report this period in one form, pre-filled from last period, saved row by row."""
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from luoshi.plans.models import Task
from luoshi.tracking.models import IndicatorActual, ProgressReport
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.tests.supervision_data import report_make

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]

URL = reverse("tracking:my_updates")


@pytest.fixture
def second(plan, units):
    """A second task of 区教育局 in the same plan, with nothing reported yet."""
    education = first(plan)
    return Task.objects.create(
        plan=plan, measure=education.measure, title="实施“学在南湖”品牌行动", lead_unit=units["education"],
        start_date=date(2026, 1, 1), due_date=date(2026, 12, 31), position=2,
    )


@pytest.fixture
def february(plan):
    """区教育局's accepted February report: 40 %, the milestone reached, 100 (a round number) as the indicator."""
    task = first(plan)
    february = periods_ensure(plan=plan, until=date(2026, 3, 1))[1]
    report = report_make(task, february, percent=40, narrative="完成2所幼儿园选址。")
    report.milestones_reached.set(task.milestones.all())
    IndicatorActual.objects.create(report=report, indicator=task.indicators.get(), value=Decimal("100.0000"))
    return report


def first(plan):
    """区教育局's task of the report world (the fixture ``second`` adds another)."""
    return plan.tasks.filter(lead_unit__code="education").order_by("pk").first()


def row(task, name):
    return f"t{task.pk}-{name}"


def test_each_row_is_prefilled_from_last_period_with_the_narrative_left_as_a_hint(client, plan, second, february, reporter_education):
    client.force_login(reporter_education)
    page = client.get(URL).content.decode()
    education = first(plan)
    assert f'name="{row(education, "percent")}" value="40"' in page
    # 100, not 1E+2 as Decimal.normalize() would write it.
    assert f'name="{row(education, "actual_{0}".format(education.indicators.get().pk))}" value="100"' in page
    milestone = education.milestones.get()
    assert f'name="{row(education, "milestones")}" value="{milestone.pk}"' in page and "checked" in page
    assert 'placeholder="上期：完成2所幼儿园选址。"' in page
    assert "实施“学在南湖”品牌行动" in page
    # Only the lead unit's tasks: 凤桥镇's and 区科技局's are not asked of 区教育局.
    assert "加快凤桥镇特色小镇建设" not in page and "深化“最多跑一次”改革" not in page
    assert "请于2026-04-07前报送" in page
    assert "已报 0 项" in page and "待报 2 项" in page


def test_save_all_saves_the_good_row_and_keeps_the_bad_rows_input_with_its_error(client, plan, second, february, reporter_education):
    education = first(plan)
    client.force_login(reporter_education)
    response = client.post(URL, {
        "save": "all",
        row(education, "percent"): "150", row(education, "work_state"): "in_progress",
        row(education, "narrative"): "3所幼儿园主体完工。",
        row(second, "percent"): "20", row(second, "work_state"): "in_progress",
        row(second, "narrative"): "品牌行动方案已印发。",
    })
    page = response.content.decode()
    assert response.status_code == 400
    assert "完成进度须为0到100之间的整数，不能是150。" in page
    assert f'name="{row(education, "percent")}" value="150"' in page
    assert "3所幼儿园主体完工。" in page
    saved = ProgressReport.objects.get(task=second)
    assert (saved.percent, saved.narrative, saved.status) == (20, "品牌行动方案已印发。", "submitted")
    assert not ProgressReport.objects.filter(task=education, period__label="2026年3月").exists()
    assert "已报送 1 项" in page and "1 项未保存" in page


def test_a_rows_own_button_saves_that_row_only(client, plan, second, february, reporter_education):
    education = first(plan)
    client.force_login(reporter_education)
    response = client.post(URL, {
        "save": str(second.pk),
        row(education, "percent"): "150", row(education, "work_state"): "in_progress",
        row(education, "narrative"): "未保存的文字",
        row(second, "percent"): "15", row(second, "work_state"): "in_progress", row(second, "narrative"): "已启动。",
    })
    assert response.status_code == 200
    assert ProgressReport.objects.get(task=second).percent == 15
    assert not ProgressReport.objects.filter(task=education, period__label="2026年3月").exists()
    # The other row's typing is still on the page, without an error: it was not asked to be saved.
    page = response.content.decode()
    assert "未保存的文字" in page and "不能是150" not in page


def test_rows_left_as_prefilled_are_not_submitted(client, plan, second, february, reporter_education):
    education = first(plan)
    milestone = education.milestones.get()
    client.force_login(reporter_education)
    response = client.post(URL, {
        "save": "all",
        row(education, "percent"): "40", row(education, "work_state"): "in_progress",
        row(education, "milestones"): [str(milestone.pk)],
        row(education, f"actual_{education.indicators.get().pk}"): "100", row(education, "narrative"): "",
        row(second, "percent"): "0", row(second, "work_state"): "not_started", row(second, "narrative"): "",
    })
    assert response.status_code == 200
    assert "没有改动" in response.content.decode()
    assert ProgressReport.objects.filter(period__label="2026年3月").count() == 0


def test_a_saved_row_says_done_and_after_the_deadline_an_unsent_one_says_overdue(client, plan, second, february, reporter_education):
    client.force_login(reporter_education)
    client.post(URL, {"save": str(second.pk), row(second, "percent"): "10", row(second, "work_state"): "in_progress",
                      row(second, "narrative"): "已启动。"})
    with time_machine.travel("2026-04-09 10:00 +08:00", tick=False):
        page = client.get(URL).content.decode()
    assert "本期已报" in page
    assert "已逾期，应于2026-04-07前报送" in page
    assert "已报 1 项" in page and "逾期 1 项" in page


def test_a_reporter_cannot_save_another_units_task(client, plan, reporter_fengqiao):
    client.force_login(reporter_fengqiao)
    response = client.post(URL, {"save": str(first(plan).pk)})
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_leader_may_not_fill_in_reports(client, plan, leader):
    client.force_login(leader)
    assert client.get(URL).status_code == 200
    assert client.post(URL, {"save": "all"}).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_over_fifty_rows_come_a_page_at_a_time(client, plan, units, reporter_education):
    measure = first(plan).measure
    Task.objects.bulk_create([
        Task(plan=plan, measure=measure, title=f"第{n}项任务", lead_unit=units["education"], position=n + 10,
             due_date=date(2026, 12, 31))
        for n in range(55)
    ])
    client.force_login(reporter_education)
    page = client.get(URL).content.decode()
    assert page.count('class="update-row ') == 50
    assert "第 1 页，共 2 页 · 共 56 条" in page
    assert client.get(URL + "?page=2").content.decode().count('class="update-row ') == 6
