"""A real district plan (嘉定区海绵城市实施方案, 嘉府办发〔2024〕23号) imports with the units its clauses name.

The directory is the district's bodies under their full official names only;
the plan writes them abbreviated (区建设管理委, 区发展改革委, 区规划资源局 …).
"""
from pathlib import Path

import pytest

from luoshi.accounts.models import Unit, UnitKind
from luoshi.plans.models import Section, Task
from luoshi.plans.services import plan_import

pytestmark = pytest.mark.django_db

PLAN = Path(__file__).resolve().parents[2] / "parsing" / "tests" / "corpus" / "real" / "jd_2024_sponge_plan.txt"

JIADING = [
    "区建设和管理委员会", "区发展和改革委员会", "区财政局", "区规划和自然资源局", "区水务局", "区交通委员会",
    "区绿化和市容管理局", "区教育局", "区体育局", "区住房保障和房屋管理局", "区生态环境局", "区经济委员会",
    "区科学技术委员会", "区城市管理行政执法局", "区农业农村委员会",
]


@pytest.fixture
def jiading(db):
    return [Unit.objects.create(code=f"jd-{n}", name=name, kind=UnitKind.GOVERNMENT, sort_order=n)
            for n, name in enumerate(JIADING)]


@pytest.fixture
def plan(jiading, supervisor):
    return plan_import(name="嘉定区系统化全域推进海绵城市建设的实施方案", year=2024, filename=PLAN.name,
                       content=PLAN.read_bytes(), actor=supervisor)


def test_tasks_with_a_clause_get_the_units_it_names_from_their_abbreviations(plan):
    stated = Task.objects.filter(plan=plan).exclude(unit_text="").select_related("lead_unit")
    assert stated.count() >= 40
    for task in stated:
        written = task.unit_text
        if task.lead_unit is not None:
            # The lead is a body the clause names, however abbreviated, never the suggester's pick.
            short = {"区建设和管理委员会": "区建设管理委", "区规划和自然资源局": "区规划资源局",
                     "区交通委员会": "区交通委", "区绿化和市容管理局": "区绿化市容局", "区发展和改革委员会": "区发展改革委",
                     "区住房保障和房屋管理局": "区住房保障房屋管理局"}.get(task.lead_unit.name, task.lead_unit.name)
            assert short in written, (task.lead_unit.name, written)
    assert sum(1 for t in stated if t.lead_unit_id) / stated.count() >= 0.95
    building = stated.filter(unit_text__startswith="（责任单位：区建设管理委")
    assert building.exists()
    assert {t.lead_unit.name for t in building} == {"区建设和管理委员会"}


def test_placeholders_stay_in_the_clause_and_are_not_reported_as_unknown_units(plan):
    with_towns = Task.objects.filter(plan=plan, unit_text__contains="各街镇")
    assert with_towns.exists()
    assert not any("各街镇" in name for t in with_towns for name in t.unmatched_units)


def test_the_task_table_appendix_is_saved_after_the_body_flagged_with_its_rows_as_tasks(plan):
    parts = list(Section.objects.filter(plan=plan, parent=None).order_by("position"))
    assert [p.is_appendix for p in parts] == [False] * (len(parts) - 1) + [True]
    annex = parts[-1]
    assert "重点任务分解表" in annex.title
    rows = Task.objects.filter(plan=plan, measure__section=annex)
    assert rows.count() >= 10
    assert all(t.unit_text for t in rows)
