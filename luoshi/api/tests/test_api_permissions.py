"""Every endpoint, for each kind of user: exactly the permissions of the pages.

The sample plan (luoshi/plans/tests/sample_tasks.py) has three tasks: one led
by 区教育局 with 凤桥镇 co-operating, one led by 凤桥镇, one led by
区科技局 that neither reporter may see. A second plan has only a task of
区科技局, so neither reporter sees that plan at all.
"""
from datetime import date

import pytest

from luoshi.api.services import token_create
from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.plans.tests.sample_tasks import sample_plan


@pytest.fixture
def plan(units):
    return sample_plan(units)


@pytest.fixture
def other_plan(units):
    plan = Plan.objects.create(name="南湖区2019年工作要点", year=2019)
    section = Section.objects.create(plan=plan, number="1", level=1, title="深化改革", position=1)
    measure = Measure.objects.create(plan=plan, section=section, number="1.1", text="深化审批改革。", text_key="k", position=1)
    Task.objects.create(plan=plan, measure=measure, title="深化审批改革", lead_unit=units["science"])
    return plan


@pytest.fixture
def call(client, request):
    """``call(who, method, path, body)``: the request made with a token of the named user fixture (or anonymously)."""

    def make(who: str, method: str, path: str, body: dict | None = None):
        headers = {}
        if who != "anonymous":
            _, raw = token_create(user=request.getfixturevalue(who))
            headers["Authorization"] = f"Bearer {raw}"
        kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", headers=headers, **kwargs)

    return make


def task_of(plan, lead_code: str) -> Task:
    return plan.tasks.get(lead_unit__code=lead_code)


READERS_OF_ALL = ["supervisor", "leader", "admin_user"]
REPORTERS = ["reporter_education", "reporter_fengqiao"]


@pytest.mark.parametrize("who", READERS_OF_ALL)
def test_supervisors_leaders_and_admins_read_everything(call, plan, other_plan, who):
    assert {p["id"] for p in call(who, "get", "/plans").json()} == {plan.pk, other_plan.pk}
    assert call(who, "get", "/tasks").json()["count"] == 4
    assert len(call(who, "get", f"/plans/{plan.pk}/measures").json()) == 3
    for task in Task.objects.all():
        assert call(who, "get", f"/tasks/{task.pk}").status_code == 200
        assert call(who, "get", f"/measures/{task.measure_id}").status_code == 200
    for p in (plan, other_plan):
        assert call(who, "get", f"/plans/{p.pk}").status_code == 200
        assert call(who, "get", f"/plans/{p.pk}/sections").status_code == 200


@pytest.mark.parametrize(
    "who, own_leads, visible_leads",
    [
        ("reporter_education", ["education"], ["education"]),
        # 凤桥镇 leads one task and co-operates on 区教育局's.
        ("reporter_fengqiao", ["fengqiao"], ["education", "fengqiao"]),
    ],
)
def test_a_reporter_reads_only_its_units_tasks(call, plan, other_plan, who, own_leads, visible_leads):
    listed = call(who, "get", "/tasks").json()
    assert sorted(t["lead_unit"]["code"] for t in listed["items"]) == visible_leads
    assert listed["count"] == len(visible_leads)

    for task in Task.objects.all():
        visible = task.plan == plan and task.lead_unit.code in visible_leads
        assert call(who, "get", f"/tasks/{task.pk}").status_code == (200 if visible else 404)
        assert call(who, "get", f"/measures/{task.measure_id}").status_code == (200 if visible else 404)

    measures = call(who, "get", f"/plans/{plan.pk}/measures").json()
    assert sorted(m["task_ids"][0] for m in measures) == sorted(task_of(plan, c).pk for c in visible_leads)
    assert [p["id"] for p in call(who, "get", "/plans").json()] == [plan.pk]


@pytest.mark.parametrize("who", REPORTERS)
def test_a_reporter_cannot_read_a_plan_without_its_tasks(call, other_plan, who):
    for path in ("", "/sections", "/measures"):
        assert call(who, "get", f"/plans/{other_plan.pk}{path}").status_code == 404
    assert call(who, "get", f"/tasks?plan={other_plan.pk}").status_code == 404


@pytest.mark.parametrize("who", REPORTERS)
def test_a_reporters_section_tree_lists_only_its_measures(call, plan, who):
    tree = call(who, "get", f"/plans/{plan.pk}/sections").json()

    assert [s["title"] for s in tree] == ["全力打造示范地", "全力建设新南湖"]
    measures = tree[0]["children"][0]["measures"]
    assert "深化“最多跑一次”改革，实现80%事项网上办理。" not in [m["text"] for m in measures]
    assert measures


@pytest.mark.parametrize(
    "path",
    ["/plans", "/plans/{plan}", "/plans/{plan}/sections", "/plans/{plan}/measures", "/measures/{measure}",
     "/tasks", "/tasks/{task}"],
)
def test_an_anonymous_client_gets_401_everywhere(call, plan, path):
    task = plan.tasks.first()
    response = call("anonymous", "get", path.format(plan=plan.pk, measure=task.measure_id, task=task.pk))

    assert response.status_code == 401


def test_an_anonymous_client_cannot_change_a_task(call, plan):
    task = task_of(plan, "education")

    response = call("anonymous", "patch", f"/tasks/{task.pk}", {"version": 1, "title": "改"})

    assert response.status_code == 401
    task.refresh_from_db()
    assert task.version == 1 and task.title != "改"


@pytest.mark.parametrize("who", ["supervisor", "admin_user"])
def test_the_supervision_office_changes_any_task(call, plan, who):
    task = task_of(plan, "science")

    response = call(who, "patch", f"/tasks/{task.pk}", {"version": 1, "due_date": "2018-10-31"})

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.due_date == date(2018, 10, 31) and task.version == 2


@pytest.mark.parametrize(
    "who, lead, status",
    [
        ("leader", "education", 403),
        # Reporters report progress; the breakdown itself is the office's.
        ("reporter_education", "education", 403),
        ("reporter_fengqiao", "fengqiao", 403),
        # Another unit's task does not exist as far as a reporter can tell.
        ("reporter_education", "fengqiao", 404),
        ("reporter_fengqiao", "science", 404),
    ],
)
def test_leaders_and_reporters_cannot_change_tasks(call, plan, who, lead, status):
    task = task_of(plan, lead)

    response = call(who, "patch", f"/tasks/{task.pk}", {"version": 1, "title": "改"})

    assert response.status_code == status
    task.refresh_from_db()
    assert task.version == 1 and task.title != "改"
