"""The demo's half year of progress: every light, a returned report, an extension, a completed task, a notice."""
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from luoshi.plans.models import Plan
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.tracking.demo import DEMO_TODAY, demo_progress_load
from luoshi.tracking.models import (
    Evidence,
    ExtensionRequest,
    LightSnapshot,
    ProgressReport,
    SupervisionNotice,
    TaskTrack,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_command_loads_progress_and_says_for_which_day(demo):
    assert "Progress: January–June 2018 reported; lights as of 2018-07-10" in demo


def test_the_visitor_sees_every_light_colour(demo):
    lights = Counter(TaskTrack.objects.values_list("light", flat=True))
    assert lights["green"] > lights["yellow"] > 0
    assert lights["red"] > 0
    reasons = {r["code"] for t in TaskTrack.objects.all() for r in t.reasons}
    assert {"behind_plan", "report_late", "unreported", "milestone_missed"} <= reasons


def test_there_is_a_returned_report_reports_to_review_and_quality_warnings(demo):
    returned = ProgressReport.objects.get(status="returned")
    assert "签约项目数" in returned.return_reason
    assert ProgressReport.objects.filter(status="submitted").count() == 2
    warnings = Counter(w["code"] for r in ProgressReport.objects.all() for w in r.warnings)
    assert warnings["stock_phrases"] and warnings["copied"] and warnings["percent_down"]


def test_there_is_an_approved_and_a_pending_extension(demo):
    approved = ExtensionRequest.objects.get(status="approved")
    assert TaskTrack.objects.get(task=approved.task).effective_due == approved.requested_due
    assert ExtensionRequest.objects.filter(status="pending").count() == 1


def test_a_task_is_completed_with_evidence_and_signed_off(demo):
    done = TaskTrack.objects.get(signed_off_at__isnull=False)
    assert (done.light, done.percent) == ("green", 100)
    assert Evidence.objects.filter(report__task=done.task).exists()


def test_a_red_task_has_a_supervision_notice_awaiting_reply(demo):
    notice = SupervisionNotice.objects.get()
    assert notice.number == "南湖督〔2018〕1号"
    assert notice.status == "open"
    assert TaskTrack.objects.get(task=notice.task).light == "red"


def test_snapshots_cover_the_six_ended_months(demo):
    labels = set(LightSnapshot.objects.values_list("period__label", flat=True))
    assert labels == {f"2018年{m}月" for m in range(1, 7)}


def test_loading_again_changes_nothing(demo):
    count = ProgressReport.objects.count()
    assert demo_progress_load() is None
    assert ProgressReport.objects.count() == count


@override_settings(LUOSHI_DEMO_TODAY=DEMO_TODAY)
def test_the_demo_pages_show_the_lights_of_the_demo_day(demo, client):
    from luoshi.accounts.models import User

    plan = Plan.objects.get(name=SEED_PLAN_NAME)
    client.force_login(User.objects.get(username="leader"))
    page = client.get(f"/tracking/plans/{plan.pk}/status/").content.decode()
    assert "南湖督〔2018〕1号" not in page  # the page links the notice, it does not print its number
    assert "连续 2 个周期未报送" in page
    ranking = client.get(f"/tracking/plans/{plan.pk}/assessment/").content.decode()
    assert "2018年6月" in ranking


def test_the_returned_report_costs_its_unit_in_the_june_ranking(demo):
    from luoshi.tracking.assessment import assessment_rank

    plan = Plan.objects.get(name=SEED_PLAN_NAME)
    returned = ProgressReport.objects.get(status="returned")
    scores = {s.unit: s for s in assessment_rank(plan=plan, period=returned.period)}
    assert scores[returned.unit].returned_penalty == 2


def test_what_the_demo_loaded_is_signed_for_but_two_items_wait_and_the_notice_went_to_the_leader(demo):
    from luoshi.tracking import acks

    waiting = list(acks.pending())
    assert len(waiting) == 2
    notice = SupervisionNotice.objects.get()
    assert {a.notice_id for a in waiting} == {notice.pk, None}
    assert len({a.unit_id for a in waiting}) == 1  # one reporter sees both, and 签收全部
    assert notice.copied_to == ["区领导 李建国"]
    assert notice.task.ladder_steps.filter(rung="notice").count() == 1
