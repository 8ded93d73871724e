"""Recomputation: a task's light as dates pass and reports arrive, snapshots, roll-up, and its cost."""
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.plans.models import Milestone
from luoshi.tracking.models import ExtensionRequest, LightSnapshot, ProgressReport, TaskTrack
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.services import extension_decide
from luoshi.tracking.supervision import plan_recompute, plan_rollup, snapshots_write, task_recompute
from luoshi.tracking.tests.supervision_data import plan_make, report_make, task_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_make(year=2026)


@pytest.fixture
def task(plan, units):
    # Half a year of work: 1 January to 30 June 2026.
    return task_make(plan, units["education"], start=date(2026, 1, 1), due=date(2026, 6, 30))


def period(plan, label):
    return next(p for p in periods_ensure(plan=plan, until=date(2026, 12, 31)) if p.label == label)


def light_on(task, day):
    with time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 2)), tick=False):
        track = task_recompute(task=task)
    return track


def test_a_task_reported_on_schedule_is_green(plan, task):
    report_make(task, period(plan, "2026年1月"), percent=20)
    report_make(task, period(plan, "2026年2月"), percent=35)
    track = light_on(task, date(2026, 3, 2))
    assert track.light == "green"
    assert track.percent == 35
    assert track.reasons == []


def test_it_goes_yellow_when_it_falls_behind_plan_and_red_when_two_cycles_pass_unreported(plan, task):
    report_make(task, period(plan, "2026年1月"), percent=20)
    report_make(task, period(plan, "2026年2月"), percent=35)
    # Nothing more reported. 20 March: 43.6 % planned, 35 % done, within 10 points.
    assert light_on(task, date(2026, 3, 20)).light == "green"
    # 10 April: the March report was due on 7 April and did not come; 55.2 % planned.
    track = light_on(task, date(2026, 4, 10))
    assert track.light == "yellow"
    assert {r["code"] for r in track.reasons} == {"behind_plan", "report_late"}
    assert "进度落后计划" in track.reasons[0]["text"]
    # 6 May: the April report was due on the 6th, still not late. 8 May: two cycles.
    assert light_on(task, date(2026, 5, 6)).light == "yellow"
    track = light_on(task, date(2026, 5, 8))
    assert track.light == "red"
    assert track.reasons[0]["code"] == "unreported"
    assert track.reasons[0]["text"] == "连续 2 个周期未报送"


def test_a_task_past_its_due_date_is_red_until_an_extension_is_approved(plan, task, reporter_education, supervisor):
    for label, percent in [("2026年1月", 15), ("2026年2月", 30), ("2026年3月", 50), ("2026年4月", 65), ("2026年5月", 80)]:
        report_make(task, period(plan, label), percent=percent)
    track = light_on(task, date(2026, 7, 2))
    assert track.light == "red"
    assert track.reasons[0]["code"] == "overdue"
    assert track.effective_due == date(2026, 6, 30)
    extension = ExtensionRequest.objects.create(
        task=task, unit=task.lead_unit, original_due=date(2026, 6, 30), requested_due=date(2026, 9, 30),
        reason="场地移交推迟", requested_by=reporter_education,
    )
    with time_machine.travel("2026-07-03 09:00 +08:00", tick=False):
        extension_decide(extension=extension, actor=supervisor, approve=True)
    task.refresh_from_db()
    track = light_on(task, date(2026, 7, 6))
    assert track.effective_due == date(2026, 9, 30)
    assert track.light != "red"


def test_only_accepted_reports_move_progress(plan, task):
    report_make(task, period(plan, "2026年1月"), percent=20)
    report_make(task, period(plan, "2026年2月"), percent=60, status=ProgressReport.Status.SUBMITTED)
    report_make(task, period(plan, "2026年3月"), percent=70, status=ProgressReport.Status.RETURNED)
    track = light_on(task, date(2026, 4, 8))
    assert track.percent == 20
    # Submitted and returned reports still count as answered: no "late" reason.
    assert "report_late" not in {r["code"] for r in track.reasons}


def test_a_missed_milestone_is_red_and_reaching_it_in_an_accepted_report_clears_it(plan, task):
    milestone = Milestone.objects.create(task=task, title="完成孵化器选址", due_date=date(2026, 2, 27))
    report_make(task, period(plan, "2026年1月"), percent=20)
    track = light_on(task, date(2026, 3, 2))
    assert track.light == "red"
    assert track.reasons[0]["text"] == "节点「完成孵化器选址」（2026-02-27）未完成"
    february = report_make(task, period(plan, "2026年2月"), percent=35)
    february.milestones_reached.add(milestone)
    assert light_on(task, date(2026, 3, 6)).light == "green"


def test_a_signed_off_task_is_green_at_100_percent(plan, task, supervisor):
    report_make(task, period(plan, "2026年1月"), percent=20)
    TaskTrack.objects.create(task=task, signed_off_by=supervisor, signed_off_at=timezone.make_aware(timezone.datetime(2026, 3, 1, 9)))
    track = light_on(task, date(2026, 8, 1))
    assert (track.light, track.percent) == ("green", 100)
    assert track.signed_off_by == supervisor


def test_a_task_created_in_june_is_not_late_for_the_months_before(plan, units):
    task = task_make(plan, units["fengqiao"], created=date(2026, 6, 10))
    track = light_on(task, date(2026, 6, 15))
    assert "unreported" not in {r["code"] for r in track.reasons}
    assert "report_late" not in {r["code"] for r in track.reasons}


def test_plan_recompute_writes_every_track_and_keeps_completion_fields(plan, task, units, supervisor):
    other = task_make(plan, units["fengqiao"], title="凤桥水蜜桃产业园提升", start=date(2026, 1, 1), due=date(2026, 3, 31))
    moment = timezone.make_aware(timezone.datetime(2026, 2, 1, 9))
    TaskTrack.objects.create(task=task, completion_requested_at=moment)
    assert plan_recompute(plan=plan, today=date(2026, 5, 8)) == 2
    assert TaskTrack.objects.get(task=task).completion_requested_at == moment
    assert TaskTrack.objects.get(task=other).light == "red"


def _query_count(plan, units, count):
    for n in range(count):
        t = task_make(plan, units["education"], title=f"任务{n}")
        Milestone.objects.create(task=t, title="节点", due_date=date(2026, 3, 31))
        report_make(t, periods_ensure(plan=plan, until=date(2026, 2, 1))[0], percent=10)
    with CaptureQueriesContext(connection) as queries:
        plan_recompute(plan=plan, today=date(2026, 5, 8))
    return len(queries)


def test_the_queries_of_a_plan_recompute_do_not_grow_with_its_tasks(units):
    small = _query_count(plan_make(name="小"), units, 3)
    big = _query_count(plan_make(name="大"), units, 30)
    assert small == big


def test_snapshots_record_each_ended_period_with_that_periods_report(plan, task):
    report_make(task, period(plan, "2026年1月"), percent=20)
    # The February report arrives in March: it still counts for February.
    report_make(task, period(plan, "2026年2月"), percent=35, submitted_on=date(2026, 3, 4))
    snapshots_write(plan=plan, today=date(2026, 3, 10))
    rows = {s.period.label: (s.light, s.percent) for s in LightSnapshot.objects.filter(task=task)}
    assert rows == {"2026年1月": ("green", 20), "2026年2月": ("green", 35)}


def test_progress_rolls_up_weighted_to_measures_sections_and_the_plan(plan, units):
    heavy = task_make(plan, units["education"], weight="3")
    light = task_make(plan, units["fengqiao"], title="凤桥美丽城镇建设", weight="1")
    TaskTrack.objects.create(task=heavy, percent=40, light="green")
    TaskTrack.objects.create(task=light, percent=80, light="red")
    result = plan_rollup(plan=plan)
    # (3 × 40 + 1 × 80) ÷ 4 = 50
    assert result.plan == Decimal("50.0")
    part = plan.sections.get(level=1)
    assert result.sections[part.pk] == Decimal("50.0")
    assert result.measures[heavy.measure_id] == Decimal("40.0")
    assert result.section_lights[part.pk] == {"green": 1, "red": 1}


def test_a_plan_without_tasks_has_no_percent(plan):
    assert plan_rollup(plan=plan).plan is None


def test_the_recompute_command_prints_the_count_of_each_light(plan, task, units):
    task_make(plan, units["fengqiao"], title="凤桥美丽城镇建设", due=date(2026, 3, 31))
    out = StringIO()
    call_command("recompute", "--date", "2026-05-08", stdout=out)
    text = out.getvalue()
    assert plan.name in text
    assert "红灯 2" in text
    assert LightSnapshot.objects.filter(period__plan=plan).count() == 2 * 4


def test_the_recompute_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("recompute", "--date", "8 May")


# ---------------------------------------------------------------- the plan status page


@pytest.mark.parametrize(
    "who, status",
    [("supervisor", 200), ("leader", 200), ("reporter_education", 403), ("reporter_fengqiao", 403), (None, 302)],
)
def test_the_plan_status_page_is_for_the_office_and_leaders(client, request, plan, task, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(f"/tracking/plans/{plan.pk}/status/").status_code == status


def test_the_plan_status_page_answers_a_leader_s_post_with_405(client, plan, leader):
    client.force_login(leader)
    assert client.post(f"/tracking/plans/{plan.pk}/status/").status_code == 405


def test_the_status_page_shows_rolled_up_progress_and_the_red_list_with_reasons(client, plan, task, units, leader, supervisor):
    late = task_make(plan, units["fengqiao"], title="凤桥美丽城镇建设", due=date(2026, 3, 31))
    report_make(task, period(plan, "2026年1月"), percent=40)
    plan_recompute(plan=plan, today=date(2026, 4, 3))
    client.force_login(leader)
    page = client.get(f"/tracking/plans/{plan.pk}/status/").content.decode()
    # (40 + 0) ÷ 2
    assert "20.0%" in page
    red_list = page.split('red-list">')[1].split("</table>")[0]
    assert "凤桥美丽城镇建设" in red_list and "建成区级科技孵化器" not in red_list
    assert "已超期 3 天" in red_list
    assert "notice/" not in red_list  # a leader cannot issue notices
    client.force_login(supervisor)
    page = client.get(f"/tracking/plans/{plan.pk}/status/").content.decode()
    assert f"/tracking/tasks/{late.pk}/notice/" in page


# ---------------------------------------------------------------- lights in /api/v1/tasks


def test_api_tasks_carry_their_light_and_progress(client, plan, task, units, supervisor):
    late = task_make(plan, units["fengqiao"], title="凤桥美丽城镇建设", due=date(2026, 3, 31))
    never = task_make(plan, units["science"], title="科技")
    report_make(task, period(plan, "2026年1月"), percent=20)
    report_make(task, period(plan, "2026年2月"), percent=45)
    task_recompute(task=task, today=date(2026, 4, 3))
    task_recompute(task=late, today=date(2026, 4, 3))
    client.force_login(supervisor)
    items = {t["id"]: t for t in client.get("/api/v1/tasks", {"plan": plan.pk}).json()["items"]}
    assert (items[task.pk]["light"], items[task.pk]["progress"]) == ("green", 45)
    assert (items[late.pk]["light"], items[late.pk]["progress"]) == ("red", 0)
    assert (items[never.pk]["light"], items[never.pk]["progress"]) == (None, 0)
    assert client.get(f"/api/v1/tasks/{late.pk}").json()["light"] == "red"


def test_api_task_lists_read_lights_without_a_query_per_task(client, units, supervisor):
    def queries_for(count):
        plan = plan_make(name=f"规划{count}")
        for n in range(count):
            task_make(plan, units["education"], title=f"任务{n}")
        plan_recompute(plan=plan, today=date(2026, 4, 3))
        with CaptureQueriesContext(connection) as queries:
            assert len(client.get("/api/v1/tasks", {"plan": plan.pk}).json()["items"]) == count
        return len(queries)

    client.force_login(supervisor)
    assert queries_for(2) == queries_for(6)


def test_the_lights_link_opens_the_newest_plans_status_for_readers_of_everything(client, plan, leader, reporter_education):
    client.force_login(leader)
    assert client.get("/tracking/status/").url == f"/tracking/plans/{plan.pk}/status/"
    client.force_login(reporter_education)
    assert client.get("/tracking/status/").status_code == 403
