from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from luoshi.accounts.models import Membership, Role, User
from luoshi.plans import selectors
from luoshi.plans.models import Measure, Plan, Programme, Section, Task
from luoshi.plans.tests.sample_tasks import add_tasks, sample_plan


@pytest.fixture
def plan(units):
    return sample_plan(units)


def leads(tasks) -> list[str]:
    return sorted(t.lead_unit.code for t in tasks)


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin_user"])
def test_supervisors_leaders_and_admins_see_every_task(request, plan, who):
    user = request.getfixturevalue(who)

    assert leads(selectors.task_list(visible_to=user)) == ["education", "fengqiao", "science"]
    assert list(selectors.plan_list(visible_to=user)) == [plan]
    assert selectors.measure_list(visible_to=user).count() == 3


def test_a_reporter_sees_the_tasks_it_leads_or_co_operates_on(plan, reporter_education, reporter_fengqiao):
    assert leads(selectors.task_list(visible_to=reporter_education)) == ["education"]
    assert leads(selectors.task_list(visible_to=reporter_fengqiao)) == ["education", "fengqiao"]


def test_a_task_shared_by_two_of_a_reporters_units_is_listed_once(plan, units):
    both = User.objects.create(username="two-units", role=Role.REPORTER)
    Membership.objects.create(user=both, unit=units["education"])
    Membership.objects.create(user=both, unit=units["fengqiao"])

    tasks = selectors.task_list(visible_to=both)

    assert leads(tasks) == ["education", "fengqiao"] and tasks.count() == 2


def test_nobody_without_a_unit_or_a_login_sees_anything(plan):
    lonely = User.objects.create(username="no-unit", role=Role.REPORTER)
    for user in (AnonymousUser(), lonely):
        assert not selectors.task_list(visible_to=user).exists()
        assert not selectors.plan_list(visible_to=user).exists()
        assert not selectors.measure_list(visible_to=user).exists()


def test_task_get_is_a_404_for_another_units_task(plan, reporter_education):
    own = plan.tasks.get(lead_unit__code="education")
    other = plan.tasks.get(lead_unit__code="fengqiao")

    assert selectors.task_get(visible_to=reporter_education, pk=own.pk) == own
    with pytest.raises(Http404):
        selectors.task_get(visible_to=reporter_education, pk=other.pk)
    with pytest.raises(Http404):
        selectors.task_get(visible_to=reporter_education, pk=999999)


def test_the_task_filters_combine(plan, supervisor, units):
    def find(**filters) -> list[str]:
        return leads(selectors.task_list(visible_to=supervisor, **filters))

    assert find(unit=units["fengqiao"]) == ["education", "fengqiao"]
    assert find(unit=units["fengqiao"], due_before=date(2018, 6, 29)) == ["fengqiao"]
    assert find(due_after=date(2018, 6, 30), due_before=date(2018, 12, 27)) == ["science"]
    assert find(programme="学在南湖") == ["education"]
    assert find(programme=plan.programmes.get(name="最多跑一次")) == ["science"]
    assert find(plan=Plan.objects.create(name="空规划", year=2019)) == []


def test_a_programme_name_finds_its_tasks_in_every_plan(plan, supervisor, units):
    later = Plan.objects.create(name="南湖区2019年工作要点", year=2019)
    section = Section.objects.create(plan=later, number="1", level=1, title="改革", position=1)
    measure = Measure.objects.create(plan=later, section=section, number="1.1", text="深化改革。", text_key="k", position=1)
    task = Task.objects.create(plan=later, measure=measure, title="深化改革", lead_unit=units["science"])
    task.programmes.set([Programme.objects.create(plan=later, name="最多跑一次")])

    found = selectors.task_list(visible_to=supervisor, programme="最多跑一次")

    assert {t.plan for t in found} == {plan, later}
    assert list(selectors.task_list(visible_to=supervisor, programme=later.programmes.get())) == [task]


def test_a_reporter_sees_only_plans_and_measures_with_its_tasks(plan, reporter_education):
    Plan.objects.create(name="别人的规划", year=2019)

    assert list(selectors.plan_list(visible_to=reporter_education)) == [plan]
    measures = list(selectors.measure_list(visible_to=reporter_education, plan=plan))
    assert [m.number for m in measures] == ["1.1.1"]
    assert [t.pk for t in measures[0].tasks.all()] == [plan.tasks.get(lead_unit__code="education").pk]


def test_the_section_tree_nests_sections_and_lists_only_visible_measures(plan, reporter_fengqiao):
    tree = selectors.section_tree(visible_to=reporter_fengqiao, plan=plan)

    assert [s.title for s in tree] == ["全力打造示范地", "全力建设新南湖"]
    objective = tree[0].subsections[0]
    assert objective.title == "实施“学在南湖”品牌行动"
    assert [m.number for m in objective.visible_measures] == ["1.1.1", "1.1.2"]
    assert tree[1].subsections == [] and tree[1].visible_measures == []


def test_listing_tasks_with_their_units_and_measures_does_not_query_per_task(plan, supervisor, units):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            shown = [
                (
                    task.measure.text, task.measure.section.title, task.plan.name, task.lead_unit.name,
                    [u.name for u in task.co_units.all()], [p.name for p in task.programmes.all()],
                    list(task.milestones.all()), list(task.indicators.all()),
                )
                for task in selectors.task_list(visible_to=supervisor)
            ]
        assert shown
        return len(captured)

    few = queries()
    add_tasks(plan, count=27, units=units)

    assert queries() == few <= 6
