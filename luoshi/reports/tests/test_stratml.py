"""The plan as StratML (ISO 17469-1): well-formed, in the core namespace, and read back to the same tree."""
from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from luoshi.accounts.models import User
from luoshi.plans.models import Indicator, Section, Task
from luoshi.reports.stratml import NAMESPACE, plan_stratml
from luoshi.reports.tests.cockpit_world import demo_world

NS = {"s": NAMESPACE}


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


def parsed(content: bytes) -> ET.Element:
    assert content.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(content)


def test_the_seed_reads_back_as_four_goals_and_fifteen_objectives(db, seed_plan):
    root = parsed(plan_stratml(plan=seed_plan))
    assert root.tag == f"{{{NAMESPACE}}}StrategicPlan"
    assert root.findtext("s:Name", namespaces=NS) == seed_plan.name
    assert root.findtext("s:StrategicPlanCore/s:Organization/s:Name", namespaces=NS) == "南湖区督查室"
    goals = root.findall("s:StrategicPlanCore/s:Goal", NS)
    assert [g.findtext("s:SequenceIndicator", namespaces=NS) for g in goals] == ["1", "2", "3", "4"]
    assert [g.findtext("s:Name", namespaces=NS) for g in goals] == list(
        Section.objects.filter(plan=seed_plan, level=1).order_by("position").values_list("title", flat=True)
    )
    objectives = root.findall("s:StrategicPlanCore/s:Goal/s:Objective", NS)
    assert len(objectives) == 15
    identifiers = [o.findtext("s:Identifier", namespaces=NS) for o in objectives]
    assert len(set(identifiers)) == 15


def test_an_objective_carries_its_measures_and_its_units_as_stakeholders(db, seed_plan):
    root = parsed(plan_stratml(plan=seed_plan))
    task = Task.objects.filter(plan=seed_plan, lead_unit__isnull=False).select_related("measure__section", "lead_unit").first()
    objective = next(
        o for o in root.iter(f"{{{NAMESPACE}}}Objective")
        if o.findtext("s:SequenceIndicator", namespaces=NS) == task.measure.section.number
    )
    assert task.measure.text in objective.findtext("s:Description", namespaces=NS)
    stakeholders = {
        (s.findtext("s:Name", namespaces=NS), s.findtext("s:Role/s:Name", namespaces=NS))
        for s in objective.findall("s:Stakeholder", NS)
    }
    assert (task.lead_unit.name, "牵头单位") in stakeholders


def test_indicators_become_performance_indicators(db, seed_plan):
    task = Task.objects.filter(plan=seed_plan).select_related("measure__section").first()
    Indicator.objects.create(task=task, name="新建幼儿园", unit="所", target=Decimal("3"), target_text="新建幼儿园3所")
    root = parsed(plan_stratml(plan=seed_plan))
    indicator = next(
        i for i in root.iter(f"{{{NAMESPACE}}}PerformanceIndicator")
        if i.findtext("s:MeasurementDimension", namespaces=NS) == "新建幼儿园"
    )
    assert indicator.findtext("s:UnitOfMeasurement", namespaces=NS) == "所"
    assert indicator.findtext("s:MeasurementInstance/s:TargetResult/s:NumberOfUnits", namespaces=NS) == "3"


def test_the_page_serves_the_xml_to_readers(db, client, seed_plan):
    client.force_login(User.objects.get(username="leader"))
    response = client.get(reverse("reports:stratml", args=[seed_plan.pk]))
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert len(parsed(response.content).findall("s:StrategicPlanCore/s:Goal", NS)) == 4


@pytest.mark.parametrize("username", ["reporter-education", "reporter-fengqiao"])
def test_reporters_get_403(db, client, seed_plan, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("reports:stratml", args=[seed_plan.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(db, client, seed_plan):
    response = client.get(reverse("reports:stratml", args=[seed_plan.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]
