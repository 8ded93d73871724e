"""The task list and progress history as .xlsx: what a supervisor finds in them, and who may download them."""
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from luoshi.accounts.models import User
from luoshi.plans.models import Task
from luoshi.reports.tests.cockpit_world import demo_world
from luoshi.tracking.models import ProgressReport, TaskTrack


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def sheet_of(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content)).active


def test_the_task_list_has_one_row_per_task_with_its_place_light_and_reasons(db, client, seed_plan):
    sheet = sheet_of(login(client, "leader").get(reverse("reports:export_tasks", args=[seed_plan.pk])))
    header = [c.value for c in sheet[1]]
    assert header == ["板块", "目标", "举措编号", "任务", "牵头单位", "配合单位", "完成时限", "灯色", "进度（%）",
                      "最近报送日期", "原因"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 60
    rows = {row[3]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == seed_plan.tasks.count()
    red = TaskTrack.objects.filter(task__plan=seed_plan, light="red").select_related("task__lead_unit",
                                                                                    "task__measure").first()
    row = rows[red.task.title]
    assert row[0].startswith(("一、", "二、", "三、", "四、"))
    assert (row[2], row[4], row[7], row[8]) == (red.task.measure.number, red.task.lead_unit.name, "红灯", red.percent)
    assert red.reasons[0]["text"] in row[10]
    done = TaskTrack.objects.get(task__plan=seed_plan, signed_off_at__isnull=False)
    assert rows[done.task.title][7:9] == ("绿灯", 100)
    last = ProgressReport.objects.filter(task=red.task).order_by("-submitted_at").first()
    assert row[9].date() == timezone.localdate(last.submitted_at)


def test_the_progress_history_has_one_row_per_report(db, client, seed_plan):
    sheet = sheet_of(login(client, "supervisor").get(reverse("reports:export_history", args=[seed_plan.pk])))
    assert [c.value for c in sheet[1]][:6] == ["举措编号", "任务", "报送周期", "报送单位", "进度（%）", "状态"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == ProgressReport.objects.filter(task__plan=seed_plan).count()
    returned = ProgressReport.objects.get(status="returned")
    row = next(r for r in rows if r[1] == returned.task.title and r[2] == returned.period.label)
    assert (row[3], row[4], row[5], row[10]) == (returned.unit.name, returned.percent, "已退回", returned.return_reason)
    assert rows[0][2] == "2018年1月"


@pytest.mark.parametrize("name", ["export_tasks", "export_history"])
@pytest.mark.parametrize("username", ["reporter-education", "reporter-fengqiao"])
def test_reporters_get_403(db, client, seed_plan, name, username):
    assert login(client, username).get(reverse(f"reports:{name}", args=[seed_plan.pk])).status_code == 403


@pytest.mark.parametrize("name", ["export_tasks", "export_history"])
def test_anonymous_visitors_are_sent_to_log_in(db, client, seed_plan, name):
    response = client.get(reverse(f"reports:{name}", args=[seed_plan.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_an_unknown_plan_is_a_404(db, client, seed_plan):
    assert login(client, "leader").get(reverse("reports:export_tasks", args=[999999])).status_code == 404


def test_co_units_are_listed(db, client, seed_plan):
    task = Task.objects.filter(plan=seed_plan, co_units__isnull=False).prefetch_related("co_units").first()
    if task is None:
        pytest.skip("the seed has no co-units")
    sheet = sheet_of(login(client, "leader").get(reverse("reports:export_tasks", args=[seed_plan.pk])))
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[3] == task.title)
    assert row[5] == "、".join(u.name for u in task.co_units.all())


def test_export_dates_are_excel_dates_and_lights_are_coloured(db, client, seed_plan):
    tasks = sheet_of(login(client, "leader").get(reverse("reports:export_tasks", args=[seed_plan.pk])))
    red_row = next(row for row in tasks.iter_rows(min_row=2) if row[7].value == "红灯")
    assert red_row[6].is_date and red_row[6].number_format == "yyyy-mm-dd"
    assert red_row[7].fill.fgColor.rgb.endswith("FFC7CE")
    history = sheet_of(login(client, "supervisor").get(reverse("reports:export_history", args=[seed_plan.pk])))
    submitted = next(row[6] for row in history.iter_rows(min_row=2) if row[6].value is not None)
    assert submitted.is_date and submitted.number_format == "yyyy-mm-dd hh:mm"
    assert history["A1"].font.bold and history.column_dimensions["B"].width == 60


def test_a_big_history_is_built_in_the_background_and_downloaded_from_its_page(
    db, client, seed_plan, settings, tmp_path, django_capture_on_commit_callbacks
):
    from luoshi.reports.models import GeneratedDocument

    settings.MEDIA_ROOT = tmp_path
    settings.LUOSHI_EXPORT_BACKGROUND_ROWS = 10
    login(client, "supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:export_history", args=[seed_plan.pk]))
    document = GeneratedDocument.objects.get(plan=seed_plan, kind="history")
    assert response.status_code == 302 and response["Location"] == reverse("reports:document", args=[document.pk])
    assert (document.status, document.format, document.steps_done, document.steps_total) == ("ready", "xlsx", 10, 10)
    assert document.filename == f"{seed_plan.name}-进度报送记录.xlsx"
    page = client.get(response["Location"]).content.decode()
    assert "进度报送记录" in page and reverse("reports:document_download", args=[document.pk]) in page
    listing = client.get(reverse("reports:documents", args=[seed_plan.pk])).content.decode()
    assert "进度报送记录" in listing and "超过 10 行的导出在后台生成" in listing
    download = client.get(reverse("reports:document_download", args=[document.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == ProgressReport.objects.filter(task__plan=seed_plan).count()


def test_the_background_task_list_reads_what_its_requester_may_read(
    db, client, seed_plan, settings, tmp_path, django_capture_on_commit_callbacks
):
    from luoshi.reports.models import GeneratedDocument

    settings.MEDIA_ROOT = tmp_path
    settings.LUOSHI_EXPORT_BACKGROUND_ROWS = 1
    login(client, "leader")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:export_tasks", args=[seed_plan.pk]))
    document = GeneratedDocument.objects.get(plan=seed_plan, kind="task_list")
    assert document.status == "ready" and document.created_by.username == "leader"
    sheet = load_workbook(document.file.open("rb")).active
    assert sheet.max_row - 1 == seed_plan.tasks.count()
    # A unit's reporter reaches neither the export nor the document.
    reporter = User.objects.filter(role="reporter").first()
    client.force_login(reporter)
    assert client.get(reverse("reports:document", args=[document.pk])).status_code in (403, 404)
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code in (403, 404)
