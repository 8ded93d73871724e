"""The one task page (/plans/tasks/<id>/): what every role sees and may do, and every link leading to it."""
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.tracking.models import Evidence, IndicatorActual, ProgressReport, SupervisionNotice
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import extension_decide, extension_request
from luoshi.tracking.supervision import task_recompute
from luoshi.tracking.tests.report_world import PDF_BYTES, task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def page_of(client, user, task):
    client.force_login(user)
    return client.get(reverse("plans:task", args=[task.pk]))


def accepted_reports(task, reporter, supervisor, months: int, media=None) -> list[ProgressReport]:
    """Accepted reports for the first ``months`` periods of 2026, each with a file and an indicator actual."""
    periods = periods_ensure(plan=task.plan, until=date(2026, 4, 3))
    indicator = task.indicators.get()
    reports = []
    for number, period in enumerate(periods[:months], start=1):
        report = ProgressReport.objects.create(
            task=task, period=period, unit=task.lead_unit, status=ProgressReport.Status.ACCEPTED,
            percent=10 * number, work_state="in_progress", narrative=f"第{number}月推进情况。",
            submitted_by=reporter, submitted_at=timezone.now(), reviewed_by=supervisor, reviewed_at=timezone.now(),
            submissions=number,
        )
        IndicatorActual.objects.create(report=report, indicator=indicator, value=number)
        item = Evidence(report=report, original_name=f"佐证{number}.pdf", content_type="application/pdf",
                        size=len(PDF_BYTES), sha256="0" * 64, uploaded_by=reporter)
        item.file.save(f"e{number}.pdf", ContentFile(PDF_BYTES), save=True)
        reports.append(report)
    return reports


def test_a_supervisor_sees_light_reasons_percent_reports_and_may_edit(
    client, plan, reporter_education, supervisor, media
):
    task = task_of(plan, "education")
    accepted_reports(task, reporter_education, supervisor, months=2)
    task_recompute(task=task)
    response = page_of(client, supervisor, task)
    page = response.content.decode()
    assert response.status_code == 200
    assert "全面推进教育现代化，新建幼儿园3所。" in page  # the source sentence
    assert "红灯" in page and "节点「完成选址」（2026-03-31）未完成" in page  # light and its reason
    assert "已完成20%" in page
    assert "2026年1月" in page and "2026年2月" in page and "第2版" in page
    assert "佐证2.pdf" in page
    assert "目标值</span>3所" in page and "实际值</span><span class=\"indicator-actual\">2所" in page  # indicator target against the last accepted actual
    assert reverse("plans:task_edit", args=[task.pk]) in page
    assert "区教育局" in page and "凤桥镇" in page


def test_the_lead_units_reporter_sees_the_report_form_extension_and_conversation(client, plan, reporter_education):
    page = page_of(client, reporter_education, task_of(plan, "education")).content.decode()
    assert 'name="percent"' in page and 'type="file"' in page
    assert "申请延期" in page
    assert 'id="conversation"' in page
    assert "编辑" not in page.split('class="task-actions"')[1].split("</span>")[0]


def test_a_leader_reads_everything_may_write_an_instruction_but_not_edit(client, plan, leader):
    task = task_of(plan, "education")
    response = page_of(client, leader, task)
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("plans:task_edit", args=[task.pk]) not in page
    assert 'name="percent"' not in page
    assert 'name="instruction"' in page
    assert client.get(reverse("plans:task_edit", args=[task.pk])).status_code == 403


def test_a_reporter_of_another_unit_gets_404(client, plan, reporter_fengqiao):
    assert page_of(client, reporter_fengqiao, task_of(plan, "science")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, plan):
    url = reverse("plans:task", args=[task_of(plan, "education").pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_old_progress_address_leads_to_the_one_page(client, plan, reporter_education):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    response = client.get(reverse("tracking:task", args=[task.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:task", args=[task.pk]) + "#report"


def test_my_tasks_the_red_list_and_the_queue_link_to_the_one_page(
    client, plan, reporter_education, supervisor, units
):
    task = task_of(plan, "education")
    task_recompute(task=task)
    one_page = reverse("plans:task", args=[task.pk])
    client.force_login(reporter_education)
    assert one_page in client.get(reverse("tracking:my_tasks")).content.decode()
    extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。")
    client.force_login(supervisor)
    assert one_page in client.get(reverse("tracking:plan_status", args=[plan.pk])).content.decode()
    assert one_page in client.get(reverse("tracking:review")).content.decode()
    assert reverse("tracking:task", args=[task.pk]) + '"' not in client.get(reverse("tracking:review")).content.decode()


def test_the_page_shows_the_due_date_history_and_the_notices(client, plan, reporter_education, supervisor, units):
    task = task_of(plan, "education")
    task_recompute(task=task)
    extension = extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31),
                                  reason="征迁延后。")
    extension_decide(extension=extension, actor=supervisor, approve=True)
    SupervisionNotice.objects.create(task=task, unit=units["education"], number="南湖督〔2026〕1号",
                                     reply_due=date(2026, 4, 10), issued_by=supervisor)
    page = page_of(client, supervisor, task).content.decode()
    assert "2027年3月31日" in page and "原时限 2026-12-31" in page
    assert "延期获批" in page
    assert "南湖督〔2026〕1号" in page


def test_the_number_of_queries_does_not_grow_with_the_reports(
    client, plan, reporter_education, supervisor, media, django_assert_max_num_queries
):
    task = task_of(plan, "education")
    accepted_reports(task, reporter_education, supervisor, months=1)
    client.force_login(supervisor)
    url = reverse("plans:task", args=[task.pk])
    client.get(url)  # the first request fills per-process caches (holidays)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    ProgressReport.objects.all().delete()
    accepted_reports(task, reporter_education, supervisor, months=3)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert "佐证3.pdf" in page


def test_task_cards_and_lists_name_their_plan(client, plan, reporter_education, supervisor):
    task = task_of(plan, "education")
    extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。")
    client.force_login(reporter_education)
    my_tasks = client.get(reverse("tracking:my_tasks")).content.decode()
    assert my_tasks.count('<p class="task-plan small muted">南湖区2026年工作要点</p>') == 1
    client.force_login(supervisor)
    tree = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert tree.count('<dd class="task-plan">南湖区2026年工作要点</dd>') == 3
    queue = client.get(reverse("tracking:review")).content.decode()
    assert '<span class="task-plan small muted">南湖区2026年工作要点</span>' in queue
