"""A plan's 督查设置 page: its reporting cycle (weekly, monthly, quarterly) and its supervision options."""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan
from luoshi.tracking.models import ReportingCycle, ReportingPeriod
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    plan = plan_make(year=2026)
    task_make(plan, units["education"])
    periods_ensure(plan=plan, until=date(2026, 4, 1))
    return plan


def post(client, plan, **changes):
    data = {"frequency": "monthly", "due_day": "5", "remind_days_before": "3"}
    data.update(changes)
    return client.post(reverse("tracking:plan_settings", args=[plan.pk]), data)


def test_a_supervisor_sets_a_quarterly_cycle_and_the_periods_follow(client, plan, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:plan_settings", args=[plan.pk])).content.decode()
    assert "督查设置" in page and "报送周期" in page and "督办单需领导审批" in page
    response = post(client, plan, frequency="quarterly", due_day="10", notice_needs_approval="on")
    assert response.status_code == 302
    cycle = ReportingCycle.objects.get(plan=plan)
    assert (cycle.frequency, cycle.due_day, cycle.notice_needs_approval, cycle.stateful_lights) == (
        "quarterly", 10, True, False
    )
    plan = Plan.objects.get(pk=plan.pk)
    labels = [p.label for p in periods_ensure(plan=plan, until=date(2026, 7, 1))]
    assert labels == ["2026年第1季度", "2026年第2季度", "2026年第3季度"]
    assert ReportingPeriod.objects.get(plan=plan, label="2026年第1季度").report_due == date(2026, 4, 10)
    assert AuditEntry.objects.filter(action="plan.cycle").count() == 1


def test_a_weekly_cycle_takes_a_weekday(client, plan, supervisor):
    client.force_login(supervisor)
    response = post(client, plan, frequency="weekly", due_day="9")
    assert response.status_code == 400
    assert "报送截止日应在1至7之间。" in response.content.decode()
    assert post(client, plan, frequency="weekly", due_day="2").status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    assert periods_ensure(plan=plan, until=date(2026, 1, 12))[1].label == "2026年第2周"


def test_once_units_reported_the_cycle_cannot_change_but_the_due_day_can(client, plan, supervisor):
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    report_make(plan.tasks.get(), march, percent=20)
    client.force_login(supervisor)
    response = post(client, plan, frequency="weekly", due_day="2")
    assert response.status_code == 400
    assert "报送周期不能再修改" in response.content.decode()
    assert post(client, plan, due_day="12").status_code == 302
    march.refresh_from_db()
    assert march.report_due == date(2026, 4, 13)  # 12 April 2026 is a Sunday: the next working day


def test_a_leader_reads_the_settings_and_cannot_change_them_a_reporter_and_anonymous_cannot_see_them(
    client, plan, leader, reporter_education
):
    client.force_login(leader)
    page = client.get(reverse("tracking:plan_settings", args=[plan.pk])).content.decode()
    assert "<dd>每月</dd>" in page
    assert 'name="frequency"' not in page
    assert post(client, plan, frequency="weekly").status_code == 403
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:plan_settings", args=[plan.pk])).status_code == 403
    client.logout()
    assert "/accounts/login/" in client.get(reverse("tracking:plan_settings", args=[plan.pk])).url
