"""One due date: an approved extension moves it everywhere, a later edit wins over an older extension,
and the light is judged again on every edit that changes what it depends on, not only at night."""
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.api.services import token_create
from luoshi.plans.services import task_update
from luoshi.plans.sheets import task_sheet_export, task_sheet_import
from luoshi.tracking.models import TaskTrack
from luoshi.tracking.services import extension_decide, extension_request
from luoshi.tracking.supervision import plan_refresh, task_recompute
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def approve(task, reporter, supervisor, due: date):
    extension = extension_request(task=task, actor=reporter, requested_due=due, reason="征迁延后。")
    extension_decide(extension=extension, actor=supervisor, approve=True)
    task.refresh_from_db()


def sheet_rows(book):
    """The task sheet's header and its task rows (cells), whatever rows stand above the header."""
    sheet = book.active
    header_row = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), start=1) if "完成时限" in row)
    header = [c.value for c in sheet[header_row]]
    return header, list(sheet.iter_rows(min_row=header_row + 1))


def is_row_of(row, header, task) -> bool:
    return str(row[header.index("任务编号")].value or "").split("-")[0].strip() == str(task.pk)


def sheet_due(plan, task) -> date:
    header, rows = sheet_rows(load_workbook(io.BytesIO(task_sheet_export(plan=plan))))
    for row in rows:
        if is_row_of(row, header, task):
            value = row[header.index("完成时限")].value
            return value.date() if hasattr(value, "date") else value
    raise AssertionError("task not in the sheet")


def test_an_approved_extension_moves_the_due_date_on_every_page_export_and_the_api(
    client, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    approve(task, reporter_education, supervisor, date(2027, 3, 31))
    assert task.due_date == date(2027, 3, 31)
    assert TaskTrack.objects.get(task=task).effective_due == date(2027, 3, 31)
    client.force_login(supervisor)
    assert "2027年3月31日" in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()  # the plan tree
    assert "2027年3月31日" in client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert sheet_due(plan, task) == date(2027, 3, 31)
    _token, raw = token_create(user=supervisor)
    api = client.get(f"/api/v1/tasks/{task.pk}", headers={"Authorization": f"Bearer {raw}"}).json()
    assert api["due_date"] == "2027-03-31"


def test_a_due_date_edited_after_an_extension_wins_and_the_night_keeps_it(
    plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    approve(task, reporter_education, supervisor, date(2027, 3, 31))
    task_update(task=task, actor=supervisor, changes={"due_date": date(2026, 11, 30)}, expected_version=task.version)
    task.refresh_from_db()
    assert task.due_date == date(2026, 11, 30)
    assert TaskTrack.objects.get(task=task).effective_due == date(2026, 11, 30)
    plan_refresh(plan=plan, full=True)
    assert TaskTrack.objects.get(task=task).effective_due == date(2026, 11, 30)


def test_an_extension_approved_after_an_edit_wins(plan, reporter_education, supervisor):
    task = task_of(plan, "education")
    task_update(task=task, actor=supervisor, changes={"due_date": date(2026, 11, 30)}, expected_version=task.version)
    task.refresh_from_db()
    approve(task, reporter_education, supervisor, date(2027, 1, 29))
    assert task.due_date == date(2027, 1, 29)
    plan_refresh(plan=plan, full=True)
    assert TaskTrack.objects.get(task=task).effective_due == date(2027, 1, 29)


def test_an_extension_decided_on_the_demo_day_counts_on_that_day(plan, reporter_fengqiao, supervisor, settings):
    # The demo judges a past day while the real clock runs on: a decision taken now counts on that day.
    task = task_of(plan, "fengqiao")
    task_update(task=task, actor=supervisor, changes={"due_date": date(2026, 3, 31)}, expected_version=task.version)
    task.refresh_from_db()
    assert TaskTrack.objects.get(task=task).light == "red"
    settings.LUOSHI_DEMO_TODAY = date(2026, 4, 3)
    with time_machine.travel("2030-01-01 09:00 +08:00", tick=False):
        approve(task, reporter_fengqiao, supervisor, date(2026, 6, 30))
    track = TaskTrack.objects.get(task=task)
    assert track.effective_due == date(2026, 6, 30) and track.light != "red"


def test_editing_the_due_date_or_a_milestone_relights_the_task_at_once(plan, supervisor):
    task = task_of(plan, "fengqiao")
    task_recompute(task=task)
    assert TaskTrack.objects.get(task=task).light != "red"
    task_update(task=task, actor=supervisor, changes={"due_date": date(2026, 3, 31)}, expected_version=task.version)
    track = TaskTrack.objects.get(task=task)
    assert track.light == "red" and track.reasons[0]["code"] == "overdue"
    task.refresh_from_db()
    task_update(task=task, actor=supervisor, changes={"due_date": date(2026, 12, 31)}, expected_version=task.version)
    assert TaskTrack.objects.get(task=task).light != "red"
    task.refresh_from_db()
    task_update(
        task=task, actor=supervisor, expected_version=task.version,
        changes={"milestones": [{"id": None, "title": "完成规划编制", "due_date": date(2026, 3, 15)}]},
    )
    track = TaskTrack.objects.get(task=task)
    assert track.light == "red" and "milestone_missed" in {r["code"] for r in track.reasons}


def test_a_due_date_changed_in_the_task_sheet_relights_the_task(plan, supervisor):
    task = task_of(plan, "fengqiao")
    task_recompute(task=task)
    book = load_workbook(io.BytesIO(task_sheet_export(plan=plan)))
    header, rows = sheet_rows(book)
    for row in rows:
        if is_row_of(row, header, task):
            row[header.index("完成时限")].value = date(2026, 3, 31)
    out = io.BytesIO()
    book.save(out)
    result = task_sheet_import(plan=plan, data=out.getvalue(), actor=supervisor, dry_run=False)
    assert result.applied, result.errors
    track = TaskTrack.objects.get(task=task)
    assert track.light == "red" and track.effective_due == date(2026, 3, 31)


def test_the_migration_moves_due_dates_of_tasks_extended_before_unless_edited_since(
    plan, reporter_education, reporter_fengqiao, supervisor
):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from luoshi.audit.services import audit_record
    from luoshi.tracking.models import ExtensionRequest

    migration = importlib.import_module("luoshi.tracking.migrations.0007_extension_moves_due_date")
    extended, edited = task_of(plan, "education"), task_of(plan, "fengqiao")
    for task, reporter in ((extended, reporter_education), (edited, reporter_fengqiao)):
        # As the old code left them: approved, the task's own date untouched.
        ExtensionRequest.objects.create(
            task=task, unit=task.lead_unit, original_due=task.due_date, requested_due=date(2027, 3, 31),
            reason="征迁延后。", status="approved", requested_by=reporter, decided_by=supervisor,
            decided_at=timezone.now() - timezone.timedelta(days=2),
        )
    audit_record(actor=supervisor, action="task.update", obj=edited,
                 before={"due_date": "2026-12-31"}, after={"due_date": "2026-11-30"})
    edited.due_date = date(2026, 11, 30)
    edited.save()
    migration.extensions_into_due_dates(apps, None)
    extended.refresh_from_db()
    edited.refresh_from_db()
    assert extended.due_date == date(2027, 3, 31) and extended.version == 2
    assert edited.due_date == date(2026, 11, 30)
