"""The lead unit's report form: submitting, bad input, resubmitting, and who may use it."""
from datetime import date

import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.tracking.models import Contribution, ProgressReport
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_submit
from luoshi.tracking.tests.report_world import EXE_BYTES, PDF_BYTES, files_under, task_of, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def form_data(task, **overrides):
    data = {
        "percent": "30",
        "work_state": "in_progress",
        "narrative": "完成3所幼儿园选址，其中2所已开工。",
        "milestones": [task.milestones.get().pk],
        f"actual_{task.indicators.get().pk}": "2",
    }
    data.update(overrides)
    return data


def test_the_lead_unit_sees_the_form_for_the_march_period(client, plan, reporter_education):
    client.force_login(reporter_education)
    response = client.get(reverse("plans:task", args=[task_of(plan, "education").pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年3月" in page
    assert "全面推进教育现代化，新建幼儿园3所。" in page
    assert 'name="percent"' in page and 'type="file"' in page


def test_a_report_with_a_file_is_submitted_with_everything_it_says(client, plan, reporter_education, media):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    data = form_data(task, files=[upload("选址批复.pdf", PDF_BYTES)])
    response = client.post(reverse("tracking:task", args=[task.pk]), data)
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tracking:report", args=[report.pk])
    assert (report.status, report.percent, report.work_state) == ("submitted", 30, "in_progress")
    assert report.period.label == "2026年3月"
    assert report.unit.code == "education"
    assert [m.title for m in report.milestones_reached.all()] == ["完成选址"]
    assert report.actuals.get().value == 2
    evidence = report.evidence.get()
    assert evidence.original_name == "选址批复.pdf" and evidence.content_type == "application/pdf"
    assert len(evidence.sha256) == 64
    assert [p.read_bytes() for p in files_under(media)] == [PDF_BYTES]
    assert AuditEntry.objects.filter(action="report.submit").count() == 1


@pytest.mark.parametrize("percent", ["150", "-5"])
def test_a_percent_outside_0_to_100_is_refused_with_a_message(client, plan, reporter_education, percent):
    client.force_login(reporter_education)
    task = task_of(plan, "education")
    response = client.post(reverse("tracking:task", args=[task.pk]), form_data(task, percent=percent))
    assert response.status_code == 400
    assert f"完成进度须为0到100之间的整数，不能是{percent}" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_program_renamed_pdf_is_refused_naming_the_file_and_nothing_is_saved(
    client, plan, reporter_education, media
):
    client.force_login(reporter_education)
    task = task_of(plan, "education")
    data = form_data(task, files=[upload("进度照片.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20), upload("报告.pdf", EXE_BYTES)])
    response = client.post(reverse("tracking:task", args=[task.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "“报告.pdf”不是PDF、图片、Word或Excel文件" in page
    assert not ProgressReport.objects.exists()
    # No evidence is stored; the good photo waits for the next attempt, listed on the form.
    assert [p.parent.name for p in files_under(media)] == ["staging"]
    assert 'name="held"' in page and "进度照片.jpg" in page
    # What the reporter typed is still in the form.
    assert "完成3所幼儿园选址" in page


def test_a_returned_report_is_edited_and_resubmitted_as_the_same_report(client, plan, reporter_education, supervisor):
    from luoshi.tracking.services import report_return

    task = task_of(plan, "education")
    client.force_login(reporter_education)
    client.post(reverse("tracking:task", args=[task.pk]), form_data(task))
    report = ProgressReport.objects.get()
    report_return(report=report, actor=supervisor, reason="请补充开工照片。", expected_version=report.version)

    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "请补充开工照片。" in page
    client.post(reverse("tracking:task", args=[task.pk]), form_data(task, percent="35", files=[upload("开工.pdf", PDF_BYTES)]))
    report.refresh_from_db()
    assert ProgressReport.objects.count() == 1
    assert (report.status, report.percent, report.evidence.count()) == ("submitted", 35, 1)
    assert AuditEntry.objects.filter(action="report.resubmit").count() == 1


def test_a_co_unit_adds_a_contribution_note_instead_of_a_report(client, plan, reporter_fengqiao):
    task = task_of(plan, "education")
    client.force_login(reporter_fengqiao)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert 'name="percent"' not in page
    assert "本单位2026年3月配合情况" in page
    response = client.post(reverse("tracking:contribution_add", args=[task.pk]), {"text": "协调凤桥镇幼儿园用地20亩。"})
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.unit.code, contribution.period.label) == ("fengqiao", "2026年3月")
    assert "协调凤桥镇幼儿园用地20亩。" in client.get(reverse("plans:task", args=[task.pk])).content.decode()


def test_a_co_unit_cannot_post_the_lead_units_report(client, plan, reporter_fengqiao):
    task = task_of(plan, "education")
    client.force_login(reporter_fengqiao)
    assert client.post(reverse("tracking:task", args=[task.pk]), form_data(task)).status_code == 403
    assert not ProgressReport.objects.exists()


def test_a_reporter_of_another_unit_can_neither_read_nor_report_on_the_task(client, plan, reporter_fengqiao):
    task = task_of(plan, "science")
    client.force_login(reporter_fengqiao)
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 404
    assert client.post(reverse("tracking:task", args=[task.pk]), {"percent": "10"}).status_code == 404
    assert client.post(reverse("tracking:contribution_add", args=[task.pk]), {"text": "x"}).status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_leader_reads_the_task_page_but_cannot_report(client, plan, leader):
    task = task_of(plan, "education")
    client.force_login(leader)
    page = client.get(reverse("plans:task", args=[task.pk]))
    assert page.status_code == 200 and 'name="percent"' not in page.content.decode()
    assert client.post(reverse("tracking:task", args=[task.pk]), form_data(task)).status_code == 403
    assert client.post(reverse("tracking:contribution_add", args=[task.pk]), {"text": "x"}).status_code == 403
    assert not ProgressReport.objects.exists() and not Contribution.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, plan):
    task = task_of(plan, "education")
    for response in (client.get(reverse("plans:task", args=[task.pk])), client.post(reverse("tracking:task", args=[task.pk]))):
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_round_indicator_value_is_shown_again_as_written_not_in_exponent_form(client, plan, reporter_education):
    task = task_of(plan, "education")
    indicator = task.indicators.get()
    report_submit(task=task, actor=reporter_education, period=period_for(plan=plan, day=date(2026, 4, 3)), percent=30,
                  work_state="in_progress", narrative="已开工。", actuals={indicator.pk: "100"})
    client.force_login(reporter_education)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert f'name="actual_{indicator.pk}" value="100"' in page and "1E+2" not in page
