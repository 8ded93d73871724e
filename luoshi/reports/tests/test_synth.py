"""`luoshi synth`: a synthetic data set of the asked size, with everything the cockpit reads."""
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.accounts.models import Unit
from luoshi.plans.models import Plan, Section, Task
from luoshi.reports.selectors import cockpit_data
from luoshi.reports.synth import synth_build
from luoshi.tracking.models import LightSnapshot, ProgressReport, ReportingPeriod, TaskTrack

pytestmark = pytest.mark.django_db


def synth(*args) -> str:
    out = StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def test_it_builds_plans_tasks_periods_reports_tracks_and_snapshots_of_the_asked_size(units):
    output = synth("--plans", "2", "--tasks", "7", "--months", "3", "--seed", "5")
    # Three reported months per plan, and the month in progress on the day the lights stand on.
    assert "Synthesised 2 plans, 14 tasks, 8 periods, " in output
    assert Plan.objects.count() == 2 and Task.objects.count() == 14
    assert ReportingPeriod.objects.count() == 8
    assert TaskTrack.objects.count() == 14 and LightSnapshot.objects.count() == 14 * 3
    # Silent tasks skip the last two months; every other task reports every month.
    assert 14 * 3 - 2 * 14 <= ProgressReport.objects.filter(status="accepted").count() <= 14 * 3
    assert Section.objects.filter(level=1).count() == 2 * 4 and Section.objects.filter(level=2).count() == 2 * 16


def test_it_reuses_the_unit_directory(units):
    synth("--plans", "1", "--tasks", "20", "--months", "2")
    assert set(Task.objects.values_list("lead_unit__code", flat=True)) <= {"education", "fengqiao", "science"}
    assert Unit.objects.count() == 3


def test_an_empty_directory_gets_synthetic_units(db):
    synth("--plans", "1", "--tasks", "5", "--months", "2")
    assert Unit.objects.filter(code__startswith="synth-").count() == 40


def test_the_same_seed_gives_the_same_data(units):
    synth("--plans", "1", "--tasks", "12", "--months", "4", "--seed", "9")
    synth("--plans", "1", "--tasks", "12", "--months", "4", "--seed", "9")
    first, second = (
        list(Task.objects.filter(plan=plan).order_by("pk").values_list("title", "lead_unit_id", "track__percent", "track__light"))
        for plan in Plan.objects.order_by("pk")
    )
    assert first == second


def test_the_cockpit_reads_a_synthetic_plan(units, supervisor):
    synth("--plans", "1", "--tasks", "40", "--months", "14", "--seed", "2")
    data = cockpit_data(plan=Plan.objects.get(), visible_to=supervisor)
    assert data.tasks == 40 and len(data.parts) == 4 and len(data.objectives) == 16
    assert len(data.trend) == 14 and data.ranking
    assert sum(data.lights.values()) == 40


def test_sizes_below_one_are_refused(db):
    with pytest.raises(CommandError, match="at least 1"):
        synth("--plans", "0")


def test_its_lights_are_the_status_engine_s_with_an_office_s_mix(units):
    result = synth_build(plans=2, tasks=150, months=14, seed=4)
    before = sorted(TaskTrack.objects.values_list("task_id", "light", "percent", "reasons", "planned_percent"))
    snapshots = sorted(LightSnapshot.objects.values_list("task_id", "period_id", "light", "percent"))
    for full in ([], ["--full"]):
        out = StringIO()
        call_command("recompute", "--date", result.today.isoformat(), *full, stdout=out)
        assert out.getvalue().count("改写灯色 0 项、快照 0 条") == 2, out.getvalue()
    assert sorted(TaskTrack.objects.values_list("task_id", "light", "percent", "reasons", "planned_percent")) == before
    assert sorted(LightSnapshot.objects.values_list("task_id", "period_id", "light", "percent")) == snapshots
    lights = Counter(light for _task, light, *_rest in before)
    assert lights["green"] > 0.6 * 300 and 0.05 * 300 < lights["yellow"] < 0.3 * 300 and 0 < lights["red"] < 0.15 * 300
    assert lights == result.lights
