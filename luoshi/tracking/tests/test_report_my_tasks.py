"""“My tasks”: a reporter's tasks with their light, percent, due date and this period's report."""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_return, report_submit
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def test_a_reporter_sees_the_tasks_its_unit_leads_or_co_operates_on_and_no_others(client, plan, reporter_fengqiao):
    client.force_login(reporter_fengqiao)
    page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "加快凤桥镇特色小镇建设" in page  # leads
    assert "全面推进教育现代化" in page  # co-operates
    assert "由牵头单位报送，可填写配合情况" in page
    assert "深化“最多跑一次”改革" not in page  # 区科技局's


def test_each_row_says_whether_this_periods_report_is_due_submitted_or_returned(
    client, plan, reporter_education, reporter_fengqiao, supervisor
):
    period = period_for(plan=plan, day=date(2026, 4, 3))
    client.force_login(reporter_fengqiao)
    page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "2026年3月" in page and "请于4月7日前报送" in page  # 5 April is Qingming: moved to the next working day

    report = report_submit(task=task_of(plan, "fengqiao"), actor=reporter_fengqiao, period=period, percent=10,
                           work_state="in_progress", narrative="完成规划编制1项。")
    assert "已报送，待审核" in client.get(reverse("tracking:my_tasks")).content.decode()

    report_return(report=report, actor=supervisor, reason="请附规划文本。", expected_version=report.version)
    page = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "已退回" in page and "请附规划文本。" in page and "修改后重新报送" in page


def test_a_leader_may_open_the_page_read_only(client, plan, leader):
    client.force_login(leader)
    response = client.get(reverse("tracking:my_tasks"))
    assert response.status_code == 200
    assert "角色" not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("tracking:my_tasks"))
    assert response.status_code == 302 and "login" in response["Location"]
