"""考核: the hand-checked example of docs/assessment.md, the ranking page and its .xlsx, and who may see them."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from luoshi.audit.services import audit_record
from luoshi.tracking.assessment import assessment_rank
from luoshi.tracking.models import LightSnapshot, SupervisionNotice, TaskTrack
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def example(units, supervisor):
    """March 2026, reports due Tuesday 7 April (docs/assessment.md, 示例 / example)."""
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    a = task_make(plan, units["education"], title="新建幼儿园3所")
    b = task_make(plan, units["education"], title="教师队伍建设")
    c = task_make(plan, units["fengqiao"], title="凤桥水蜜桃节", due=date(2026, 3, 31))
    report_a = report_make(a, march, percent=30, submitted_on=date(2026, 4, 3))
    report_make(b, march, percent=20, submitted_on=date(2026, 4, 9))
    report_make(c, march, percent=100, submitted_on=date(2026, 4, 2))
    audit_record(actor=supervisor, action="report.return", obj=report_a, note="缺少开工数据")
    for task, light in ((a, "green"), (b, "yellow"), (c, "green")):
        LightSnapshot.objects.create(task=task, period=march, light=light, percent=0)
    TaskTrack.objects.create(task=c, signed_off_by=supervisor, signed_off_at=at(date(2026, 4, 1)))
    notice = SupervisionNotice.objects.create(
        task=c, unit=units["fengqiao"], number="南湖督〔2026〕1号", reasons=[], reply_due=date(2026, 3, 27)
    )
    SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=at(date(2026, 3, 20)))
    return plan, march


def test_the_hand_checked_example_scores_and_ranks_as_documented(example):
    plan, march = example
    fengqiao, education = assessment_rank(plan=plan, period=march)
    assert (fengqiao.unit.name, fengqiao.rank, fengqiao.score) == ("凤桥镇", 1, Decimal("95"))
    assert (fengqiao.on_time, fengqiao.on_schedule, fengqiao.completion) == (30, 30, 20)
    assert (fengqiao.completed, fengqiao.due, fengqiao.notices, fengqiao.notice_penalty) == (1, 1, 1, 5)
    assert (education.unit.name, education.rank, education.score) == ("区教育局", 2, Decimal("68"))
    assert (education.on_time, education.on_schedule, education.completion) == (15, 15, 20)
    assert (education.reported_on_time, education.green, education.expected) == (1, 1, 2)
    assert (education.returned, education.returned_penalty) == (1, 2)


def test_the_penalty_for_returned_reports_stops_at_ten_points(units, supervisor):
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    task = task_make(plan, units["education"])
    report = report_make(task, march, percent=30)
    LightSnapshot.objects.create(task=task, period=march, light="green", percent=30)
    for _ in range(7):
        audit_record(actor=supervisor, action="report.return", obj=report)
    (education,) = assessment_rank(plan=plan, period=march)
    assert (education.returned, education.returned_penalty, education.score) == (7, 10, 90)


def test_units_with_equal_scores_share_a_rank(units):
    plan = plan_make(year=2026)
    march = periods_ensure(plan=plan, until=date(2026, 4, 1))[2]
    for unit in units.values():
        task_make(plan, unit, title=f"{unit.name}任务")
    ranks = [(s.rank, s.score) for s in assessment_rank(plan=plan, period=march)]
    # Nobody reported and nothing is green: 0 + 0 + 20 (nothing due) + 20 each.
    assert ranks == [(1, Decimal(40))] * 3


@pytest.mark.parametrize(
    "who, status",
    [("supervisor", 200), ("leader", 200), ("admin_user", 200), ("reporter_education", 403), (None, 302)],
)
def test_the_ranking_page_and_export_are_for_the_office_and_leaders(client, request, example, who, status):
    plan, march = example
    if who:
        client.force_login(request.getfixturevalue(who))
    for name in ("tracking:assessment", "tracking:assessment_export"):
        assert client.get(reverse(name, args=[plan.pk]), {"period": march.pk}).status_code == status


def test_the_ranking_page_and_workbook_show_each_units_score(client, example, leader):
    plan, march = example
    client.force_login(leader)
    page = client.get(reverse("tracking:assessment", args=[plan.pk]), {"period": march.pk}).content.decode()
    assert page.index("凤桥镇") < page.index("区教育局")
    assert "95" in page and "68" in page
    response = client.get(reverse("tracking:assessment_export", args=[plan.pk]), {"period": march.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("2026年3月考核排名")
    assert [c.value for c in sheet[4]][:3] == [1, "凤桥镇", 95]
    assert [c.value for c in sheet[5]][:3] == [2, "区教育局", 68]
