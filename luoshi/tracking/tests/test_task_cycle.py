"""A task's own reporting cycle: it reports less often than its plan, and owes a report only in the period closing it."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.tracking.assessment import assessment_rank
from luoshi.tracking.models import Reminder, ReportingCycle, TaskCycle
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import task_cycle_set
from luoshi.tracking.supervision import expects_report, plan_recompute, plan_remind
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def monthly(plan, units):
    return task_make(plan, units["fengqiao"], title="凤桥水蜜桃产业园提升")


@pytest.fixture
def quarterly(plan, units, supervisor):
    task = task_make(plan, units["education"], title="建成区级科技孵化器2家")
    task_cycle_set(task=task, actor=supervisor, frequency="quarterly")
    return task


def months(plan):
    return {p.label: p for p in periods_ensure(plan=plan, until=date(2026, 5, 1))}


def test_a_quarterly_task_in_a_monthly_plan_owes_a_report_only_for_the_quarters_last_month(plan, quarterly, monthly):
    periods = months(plan)
    assert [label for label, p in periods.items() if expects_report(quarterly, p, None)] == ["2026年3月"]
    assert len([p for p in periods.values() if expects_report(monthly, p, None)]) == len(periods) == 5
    # 10 April: January, February and March unreported by the monthly task: red; the quarterly one owes March only.
    plan_recompute(plan=plan, today=date(2026, 4, 10))
    quarterly.track.refresh_from_db()
    monthly.track.refresh_from_db()
    assert monthly.track.light == "red"
    assert quarterly.track.light == "yellow"
    assert "report_late" in [r["code"] for r in quarterly.track.reasons]
    assert "unreported" not in [r["code"] for r in quarterly.track.reasons]


def test_a_report_any_month_of_the_quarter_answers_for_it(plan, quarterly):
    report_make(quarterly, months(plan)["2026年2月"], percent=20)
    plan_recompute(plan=plan, today=date(2026, 4, 10))
    quarterly.track.refresh_from_db()
    assert "report_late" not in [r["code"] for r in quarterly.track.reasons]


def test_reminders_and_the_assessment_leave_it_alone_off_its_cycle(plan, quarterly, monthly):
    periods = months(plan)
    plan_remind(plan=plan, today=date(2026, 2, 10))  # January's reports are late: chase
    assert [r.unit.code for r in Reminder.objects.all()] == ["fengqiao"]
    assert [s.unit.code for s in assessment_rank(plan=plan, period=periods["2026年1月"])] == ["fengqiao"]
    assert {s.unit.code for s in assessment_rank(plan=plan, period=periods["2026年3月"])} == {"fengqiao", "education"}


def test_only_a_longer_cycle_than_the_plans_can_be_chosen(plan, monthly, supervisor):
    with pytest.raises(ValidationError, match="只能长于所属规划"):
        task_cycle_set(task=monthly, actor=supervisor, frequency="monthly")
    with pytest.raises(ValidationError):
        task_cycle_set(task=monthly, actor=supervisor, frequency="weekly")
    ReportingCycle.objects.create(plan=plan, frequency="weekly")
    monthly.plan.refresh_from_db()
    from luoshi.plans.models import Task

    task = Task.objects.get(pk=monthly.pk)
    task_cycle_set(task=task, actor=supervisor, frequency="monthly")
    assert TaskCycle.objects.get(task=task).frequency == "monthly"


def test_the_office_sets_it_on_the_task_page_a_leader_cannot_and_the_reporter_sees_nothing_due(
    client, plan, monthly, supervisor, leader, reporter_fengqiao, reporter_education, settings
):
    settings.LUOSHI_DEMO_TODAY = date(2026, 2, 10)
    client.force_login(leader)
    assert client.post(reverse("tracking:task_cycle", args=[monthly.pk]), {"frequency": "quarterly"}).status_code == 403
    client.force_login(reporter_education)
    assert client.post(reverse("tracking:task_cycle", args=[monthly.pk]), {"frequency": "quarterly"}).status_code == 404
    client.force_login(supervisor)
    page = client.get(reverse("plans:task", args=[monthly.pk])).content.decode()
    assert "随规划（每月）" in page and 'name="frequency"' in page
    client.post(reverse("tracking:task_cycle", args=[monthly.pk]), {"frequency": "quarterly"})
    assert TaskCycle.objects.get(task=monthly).frequency == "quarterly"
    assert AuditEntry.objects.filter(action="task.cycle").count() == 1
    client.force_login(reporter_fengqiao)
    page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "每季度报送：本期无需报送" in page


def test_the_admin_sets_a_task_cycle_with_the_same_check(client, plan, monthly, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:tracking_taskcycle_add")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"task": monthly.pk, "frequency": "weekly"})
    assert "只能长于所属规划" in refused.content.decode()
    client.post(url, {"task": monthly.pk, "frequency": "quarterly"})
    assert TaskCycle.objects.get(task=monthly).frequency == "quarterly"
    assert AuditEntry.objects.filter(action="task.cycle", actor=admin_user).exists()
