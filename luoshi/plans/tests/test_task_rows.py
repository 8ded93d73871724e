"""Editing a task's milestones and indicators keeps the progress recorded against them.

Tracking records indicator actuals and reached milestones against these rows,
so an edit updates rows in place (matched by id), and a row with progress
recorded cannot be removed.
"""
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.api.services import token_create
from luoshi.plans import sheets
from luoshi.plans.models import Indicator, Milestone, Task
from luoshi.plans.services import task_update, tasks_merge
from luoshi.plans.tests.sample_tasks import sample_plan
from luoshi.tracking.models import IndicatorActual, ProgressReport
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import report_accept, report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(units, supervisor, reporter_education):
    """区教育局's task with a milestone and an indicator, both in an accepted report."""
    plan = sample_plan(units)
    task = plan.tasks.get(lead_unit=units["education"])
    milestone = task.milestones.create(title="完成方案", due_date=date(2018, 3, 30))
    indicator = task.indicators.create(name="新建幼儿园", unit="所", target=3, target_text="3所")
    period = periods_ensure(plan=plan, until=date(2018, 1, 31))[0]
    report = report_submit(task=task, actor=reporter_education, period=period, percent=30, work_state="in_progress",
                           narrative="选址完成，方案已定。", milestone_ids=[milestone.pk], actuals={indicator.pk: 1})
    report_accept(report=report, actor=supervisor, expected_version=report.version)
    return Task.objects.get(pk=task.pk)


def rows(task: Task) -> tuple[list[dict], list[dict]]:
    """The task's milestones and indicators as an editor sends them back, ids included."""
    milestones = [{"id": m.pk, "title": m.title, "due_date": m.due_date} for m in task.milestones.all()]
    indicators = [
        {"id": i.pk, "name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target,
         "target_text": i.target_text}
        for i in task.indicators.all()
    ]
    return milestones, indicators


def test_editing_the_title_and_an_indicators_target_keeps_the_recorded_actual(task, supervisor):
    milestones, indicators = rows(task)
    indicators[0]["target"] = Decimal("5")
    task_update(task=task, actor=supervisor, expected_version=task.version,
                changes={"title": "新建幼儿园5所", "milestones": milestones, "indicators": indicators})

    indicator = Indicator.objects.get(task=task)
    assert indicator.pk == indicators[0]["id"] and indicator.target == Decimal("5")
    actual = IndicatorActual.objects.get()
    assert actual.indicator == indicator and actual.value == Decimal("1")
    assert ProgressReport.objects.get().milestones_reached.get().pk == milestones[0]["id"]


def test_removing_an_indicator_with_a_recorded_actual_is_refused_and_nothing_changes(task, supervisor):
    milestones, _indicators = rows(task)
    with pytest.raises(ValidationError) as refused:
        task_update(task=task, actor=supervisor, expected_version=task.version,
                    changes={"title": "改了标题", "milestones": milestones, "indicators": []})

    assert refused.value.message_dict == {"indicators": ["指标「新建幼儿园」已有进度记录，不能删除"]}
    task.refresh_from_db()
    assert task.title == "全面推进教育现代化，新建幼儿园3所" and task.version == 1
    assert IndicatorActual.objects.filter(indicator__task=task).count() == 1


def test_removing_a_reached_milestone_is_refused_naming_it(task, supervisor):
    _milestones, indicators = rows(task)
    with pytest.raises(ValidationError) as refused:
        task_update(task=task, actor=supervisor, expected_version=task.version,
                    changes={"milestones": [], "indicators": indicators})
    assert refused.value.message_dict == {"milestones": ["节点「完成方案」已有进度记录，不能删除"]}
    assert Milestone.objects.filter(task=task).count() == 1


def test_rows_without_progress_are_added_and_removed(task, supervisor):
    milestones, indicators = rows(task)
    task_update(task=task, actor=supervisor, expected_version=task.version, changes={
        "milestones": [*milestones, {"title": "开工", "due_date": date(2018, 6, 29)}],
        "indicators": indicators,
    })
    added = Milestone.objects.get(task=task, title="开工")
    milestones, indicators = rows(Task.objects.get(pk=task.pk))
    task_update(task=task, actor=supervisor, expected_version=task.version + 1,
                changes={"milestones": [m for m in milestones if m["id"] != added.pk]})
    assert [m.title for m in Milestone.objects.filter(task=task)] == ["完成方案"]


def test_a_row_of_another_task_cannot_be_edited_through_this_one(task, supervisor, units):
    other = Task.objects.exclude(pk=task.pk).first()
    stranger = other.indicators.create(name="别人的指标", target=1)
    _milestones, indicators = rows(task)
    with pytest.raises(ValidationError) as refused:
        task_update(task=task, actor=supervisor, expected_version=task.version, changes={
            "indicators": [*indicators, {"id": stranger.pk, "name": "被改了", "target": 2}],
        })
    assert "indicators" in refused.value.message_dict
    stranger.refresh_from_db()
    assert stranger.name == "别人的指标"


def test_the_edit_form_carries_row_ids_and_a_refusal_keeps_what_was_typed(task, supervisor):
    client = Client()
    client.force_login(supervisor)
    url = reverse("plans:task_edit", args=[task.pk])
    milestone, indicator = task.milestones.get(), task.indicators.get()
    page = client.get(url).content.decode()
    assert f'name="indicators-0-id" value="{indicator.pk}"' in page
    assert f'name="milestones-0-id" value="{milestone.pk}"' in page

    data = {
        "version": task.version, "title": "新标题", "description": "", "lead_unit": task.lead_unit_id,
        "co_units": [u.pk for u in task.co_units.all()], "supervising_leader": "",
        "start_date": "", "due_date": task.due_date.isoformat(), "weight": "1",
        "programmes": [p.pk for p in task.programmes.all()],
        "milestones-TOTAL_FORMS": 1, "milestones-INITIAL_FORMS": 1,
        "milestones-0-id": milestone.pk, "milestones-0-title": "完成方案", "milestones-0-due_date": "2018-03-30",
        "indicators-TOTAL_FORMS": 1, "indicators-INITIAL_FORMS": 1,
        "indicators-0-id": indicator.pk, "indicators-0-name": "新建幼儿园", "indicators-0-unit": "所",
        "indicators-0-baseline": "", "indicators-0-target": "4", "indicators-0-target_text": "3所",
    }
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).target == Decimal("4")
    assert IndicatorActual.objects.filter(indicator_id=indicator.pk).exists()

    task.refresh_from_db()
    response = client.post(url, {**data, "version": task.version, "title": "再改标题",
                                 "indicators-0-DELETE": "on"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "指标「新建幼儿园」已有进度记录，不能删除" in page
    assert "再改标题" in page
    assert Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_api_updates_rows_by_id_and_refuses_removing_one_with_progress(task, supervisor):
    _token, raw = token_create(user=supervisor)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    milestone, indicator = task.milestones.get(), task.indicators.get()
    url = f"/api/v1/tasks/{task.pk}"
    body = {
        "version": task.version,
        "milestones": [{"id": milestone.pk, "title": "完成实施方案", "due_date": "2018-03-30"}],
        "indicators": [{"id": indicator.pk, "name": "新建幼儿园", "unit": "所", "target": "6"}],
    }
    response = client.patch(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["indicators"][0]["id"] == indicator.pk
    assert IndicatorActual.objects.get().indicator_id == indicator.pk
    assert ProgressReport.objects.get().milestones_reached.get().title == "完成实施方案"

    response = client.patch(url, {"version": task.version + 1, "indicators": []}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == [{"loc": ["body", "indicators"], "msg": "指标「新建幼儿园」已有进度记录，不能删除"}]


def test_a_task_sheet_import_matches_indicators_by_name_and_keeps_their_actuals(task, supervisor):
    plan = task.plan
    book = load_workbook(BytesIO(sheets.task_sheet_export(plan=plan)))
    ws = book[sheets.SHEET_TITLE]
    headers = {cell.value: cell.column for cell in ws[sheets.HEADER_ROW]}
    for row in ws.iter_rows(min_row=sheets.HEADER_ROW + 1):
        if row[headers[sheets.ID_HEADER] - 1].value.startswith(f"{task.pk}-"):
            row[headers["指标"] - 1].value = "新建幼儿园：5所"
            row[headers["节点"] - 1].value = "2018-04-27 完成方案"
    out = BytesIO()
    book.save(out)

    result = sheets.task_sheet_import(plan=plan, data=out.getvalue(), actor=supervisor, dry_run=False)

    assert result.applied, result.errors
    indicator = Indicator.objects.get(task=task)
    assert indicator.target == Decimal("5")
    assert IndicatorActual.objects.get().indicator == indicator
    assert ProgressReport.objects.get().milestones_reached.get().due_date == date(2018, 4, 27)


def test_a_task_with_progress_reports_is_not_merged_away(task, supervisor):
    first = Task.objects.create(plan=task.plan, measure=task.measure, position=0, title="排在前面的任务")
    Task.objects.filter(pk=task.pk).update(position=1)

    with pytest.raises(ValidationError) as refused:
        tasks_merge(tasks=[first, task], actor=supervisor)

    assert str(task.pk) in refused.value.messages[0]
    assert ProgressReport.objects.filter(task=task).exists()
    assert IndicatorActual.objects.filter(indicator__task=task).exists()


def test_merging_keeps_the_kept_tasks_rows_and_their_progress(task, supervisor):
    other = Task.objects.create(plan=task.plan, measure=task.measure, position=1, title="另一个任务")
    other.indicators.create(name="另一个指标", target=2)
    indicator = task.indicators.get()

    merged = tasks_merge(tasks=[task, other], actor=supervisor)

    assert [i.name for i in merged.indicators.all()] == ["新建幼儿园", "另一个指标"]
    assert IndicatorActual.objects.get().indicator_id == indicator.pk
