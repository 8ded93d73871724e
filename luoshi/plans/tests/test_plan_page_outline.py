"""The plan page of a big plan: its outline with figures, one section's tasks when opened, flat in the plan's size."""
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from luoshi.plans import views
from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.tracking.models import TaskTrack

pytestmark = pytest.mark.django_db

LIGHTS = ("green", "green", "yellow", "red")


def big_plan(units: dict, *, tasks: int, name: str = "南湖区2026年工作要点") -> Plan:
    """Two parts of two objectives each; tasks spread over the objectives, one measure each.

    Every fourth task leads 凤桥镇 (the rest 区教育局), every fifth has no lead
    unit; lights cycle green, green, yellow, red over every fourth task, and every tenth task is
    signed off (green whatever its light).
    """
    plan = Plan.objects.create(name=name, year=2026)
    objectives = []
    for p in range(2):
        part = Section.objects.create(plan=plan, number=str(p + 1), level=1, label="一二"[p] + "、",
                                      title=f"第{p + 1}部分", position=p * 3)
        for o in range(2):
            objectives.append(Section.objects.create(
                plan=plan, parent=part, number=f"{p + 1}.{o + 1}", level=2, label=f"（{'一二'[o]}）",
                title=f"目标{p + 1}.{o + 1}", position=p * 3 + o + 1,
            ))
    measures = Measure.objects.bulk_create(
        Measure(plan=plan, section=objectives[n % 4], number=f"{n}", text=f"第{n}条举措：推进重点项目{n}。",
                text_key=f"{plan.pk}-{n}", position=n)
        for n in range(tasks)
    )
    rows = Task.objects.bulk_create(
        Task(plan=plan, measure=m, title=f"任务{n}", due_date=date(2026, 12, 31),
             lead_unit=None if n % 5 == 4 else units["fengqiao" if n % 4 == 1 else "education"])
        for n, m in enumerate(measures)
    )
    Task.co_units.through.objects.bulk_create(
        Task.co_units.through(task=t, unit=units["science"]) for t in rows
    )
    now = timezone.now()
    TaskTrack.objects.bulk_create(
        TaskTrack(task=t, light=LIGHTS[n // 4 % 4], signed_off_at=now if n % 10 == 9 else None)
        for n, t in enumerate(rows)
    )
    return plan


def figures_of(page: str, section: Section) -> str:
    block = page.split(f'id="section-{section.pk}"', 1)[1]
    return re.sub(r"<[^>]+>", "", block.split('class="section-figures small">', 1)[1].split("</p>", 1)[0])


def test_a_big_plan_shows_its_outline_with_each_sections_figures_and_no_task(client, supervisor, units):
    plan = big_plan(units, tasks=views.PLAN_PAGE_TASKS + 20)
    client.force_login(supervisor)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'class="task-card"' not in page
    assert f"{plan.tasks.count()} 项任务" in page
    objective = Section.objects.get(plan=plan, number="1.1")
    tasks = list(Task.objects.filter(measure__section=objective).select_related("track"))
    shown = figures_of(page, objective)
    assert f"{len(tasks)} 条举措，{len(tasks)} 项任务" in shown
    red = sum(1 for t in tasks if t.track.light == "red" and not t.track.signed_off_at)
    green = sum(1 for t in tasks if t.track.light == "green" or t.track.signed_off_at)
    assert f"红灯 {red}" in shown and f"绿灯 {green}" in shown
    # A part counts its objectives' tasks.
    assert f"{plan.tasks.filter(measure__section__parent=objective.parent).count()} 项任务" in figures_of(
        page, objective.parent)
    assert f'href="?section={objective.pk}#section-{objective.pk}"' in page


def test_opening_a_section_shows_its_sentences_beside_their_tasks_a_page_at_a_time(client, supervisor, units):
    plan = big_plan(units, tasks=views.SECTION_PAGE_MEASURES * 4 + 40)  # 60 measures in each objective
    objective = Section.objects.get(plan=plan, number="1.1")
    client.force_login(supervisor)
    url = reverse("plans:detail", args=[plan.pk])
    page = client.get(url, {"section": objective.pk}).content.decode()
    assert page.count('class="measure-row') == views.SECTION_PAGE_MEASURES
    assert page.count('class="task-card"') == views.SECTION_PAGE_MEASURES
    first = Measure.objects.filter(section=objective).order_by("position").first()
    assert first.text in page and reverse("plans:task", args=[first.tasks.get().pk]) in page
    assert reverse("plans:task_edit", args=[first.tasks.get().pk]) in page
    other = Measure.objects.filter(section__number="1.2").first()
    assert other.text not in page
    assert f"?section={objective.pk}&amp;page=2" in page
    rest = client.get(url, {"section": objective.pk, "page": 2}).content.decode()
    assert rest.count('class="task-card"') == 60 - views.SECTION_PAGE_MEASURES
    assert Measure.objects.filter(section=objective).order_by("position").last().text in rest


def test_the_outline_and_an_opened_section_take_the_same_queries_at_two_sizes(client, supervisor, units):
    client.force_login(supervisor)

    def queries(plan: Plan) -> tuple[int, int]:
        url = reverse("plans:detail", args=[plan.pk])
        objective = Section.objects.get(plan=plan, number="2.1")
        with CaptureQueriesContext(connection) as outline:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as opened:
            page = client.get(url, {"section": objective.pk}).content.decode()
        assert page.count('class="task-card"') == views.SECTION_PAGE_MEASURES
        return len(outline), len(opened)

    small = queries(big_plan(units, tasks=views.SECTION_PAGE_MEASURES * 4 + 8, name="小"))
    big = queries(big_plan(units, tasks=views.SECTION_PAGE_MEASURES * 40, name="大"))
    assert big == small


def test_a_reporter_sees_only_its_units_tasks_in_the_figures_and_the_opened_section(client, reporter_fengqiao, units):
    plan = big_plan(units, tasks=600)
    objective = Section.objects.get(plan=plan, number="1.2")  # measures 1, 5, 9 …: 凤桥镇 leads, or no one
    own = Task.objects.filter(measure__section=objective, lead_unit=units["fengqiao"])
    client.force_login(reporter_fengqiao)
    url = reverse("plans:detail", args=[plan.pk])
    page = client.get(url).content.decode()
    assert f"{own.count()} 条举措，{own.count()} 项任务" in figures_of(page, objective)
    assert figures_of(page, Section.objects.get(plan=plan, number="1.1")).startswith("0 条举措，0 项任务")
    opened = client.get(url, {"section": objective.pk}).content.decode()
    assert opened.count('class="task-card"') == min(own.count(), views.SECTION_PAGE_MEASURES)
    assert "/edit/" not in opened
    stranger = Task.objects.filter(measure__section=objective, lead_unit=None).first()
    assert stranger.measure.text not in opened


def test_a_section_of_another_plan_or_no_number_is_not_found(client, supervisor, units):
    plan = big_plan(units, tasks=200)
    other = big_plan(units, tasks=10, name="另一规划")
    client.force_login(supervisor)
    url = reverse("plans:detail", args=[plan.pk])
    assert client.get(url, {"section": other.sections.first().pk}).status_code == 404
    assert client.get(url, {"section": "第一"}).status_code == 404


def test_anonymous_visitors_opening_a_section_are_sent_to_log_in(client, units):
    plan = big_plan(units, tasks=200)
    url = reverse("plans:detail", args=[plan.pk])
    response = client.get(url, {"section": plan.sections.first().pk})
    assert response.status_code == 302 and "/accounts/login/" in response.url
