"""A plan as StratML (ISO 17469-1, Part 1 "StrategicPlan"): the exchange format of strategic plans.

The mapping:

- StrategicPlan: Name (the plan's name), Description (its preamble),
  OtherInformation (year, issuing body, where it came from);
- StrategicPlanCore/Organization: the office (LUOSHI_ORG_NAME + 督查室),
  with every lead unit as a Stakeholder;
- Goal: a level-1 section (part, 一、…);
- Objective: a level-2 section (the seed's objectives), sections deeper
  down folded into it; measures that sit directly under a part are
  objectives of their own. Each has an Identifier, SequenceIndicator (the
  section or measure number), Name, Description (the measures' source
  sentences), a Stakeholder per lead unit (role 牵头单位) and co-unit
  (配合单位), and a PerformanceIndicator per Indicator of its tasks.

Elements are in the StratML core namespace; nothing is fetched from the
internet and no schema is bundled, so a test checks the shape by parsing
the output back.
"""
from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from django.conf import settings

from luoshi.plans.models import Indicator, Measure, Plan, Section, Task

NAMESPACE = "urn:ISO:std:iso:17469:tech:xsd:stratml_core"
ET.register_namespace("", NAMESPACE)


def _el(parent, name: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NAMESPACE}}}{name}", attributes)
    if text:
        element.text = text
    return element


class _Objective:
    def __init__(self, *, identifier: str, sequence: str, name: str):
        self.identifier, self.sequence, self.name = identifier, sequence, name
        self.sentences: list[str] = []
        self.stakeholders: dict[tuple[str, str], None] = {}  # (unit, role), in order of appearance
        self.indicators: list[Indicator] = []


def _stakeholder(parent, name: str, role: str | None = None) -> None:
    stakeholder = _el(parent, "Stakeholder", StakeholderTypeType="Organization")
    _el(stakeholder, "Name", name)
    if role:
        _el(_el(stakeholder, "Role"), "Name", role)


def plan_stratml(*, plan: Plan) -> bytes:
    """The plan as a StratML Part 1 document, UTF-8 with an XML declaration."""
    sections = {s.pk: s for s in Section.objects.filter(plan=plan).order_by("position")}
    goals = [s for s in sections.values() if s.parent_id is None]

    def goal_and_objective_section(section: Section) -> tuple[Section, Section | None]:
        chain = [section]
        while chain[-1].parent_id is not None:
            chain.append(sections[chain[-1].parent_id])
        chain.reverse()
        return chain[0], (chain[1] if len(chain) > 1 else None)

    objectives: dict[int, dict[str, _Objective]] = defaultdict(dict)  # goal id → key → objective
    for section in sections.values():
        goal, objective = goal_and_objective_section(section)
        if objective is not None and objective.pk == section.pk:
            objectives[goal.pk][f"s{section.pk}"] = _Objective(
                identifier=f"plan-{plan.pk}-section-{section.number}", sequence=section.number,
                name=section.title,
            )
    by_measure: dict[int, _Objective] = {}
    measures = Measure.objects.filter(plan=plan, removed_in_version__isnull=True).order_by("position")
    for measure in measures:
        goal, objective_section = goal_and_objective_section(sections[measure.section_id])
        if objective_section is None:
            objective = objectives[goal.pk][f"m{measure.pk}"] = _Objective(
                identifier=f"plan-{plan.pk}-measure-{measure.number}", sequence=measure.number, name=measure.text,
            )
        else:
            objective = objectives[goal.pk][f"s{objective_section.pk}"]
        objective.sentences.append(measure.text)
        by_measure[measure.pk] = objective
    tasks = Task.objects.filter(plan=plan).select_related("lead_unit").prefetch_related("co_units", "indicators")
    lead_units: dict[str, None] = {}
    for task in tasks.order_by("measure__position", "position", "pk"):
        objective = by_measure.get(task.measure_id)
        if objective is None:
            continue
        if task.lead_unit:
            objective.stakeholders[(task.lead_unit.name, "牵头单位")] = None
            lead_units[task.lead_unit.name] = None
        for unit in task.co_units.all():
            objective.stakeholders.setdefault((unit.name, "配合单位"), None)
        objective.indicators.extend(task.indicators.all())

    root = ET.Element(f"{{{NAMESPACE}}}StrategicPlan")
    _el(root, "Name", plan.name)
    _el(root, "Description", plan.preamble)
    other = f"{plan.year}年"
    if plan.issuing_body or plan.author:
        other += f"；{plan.issuing_body or plan.author}"
    _el(root, "OtherInformation", f"{other}；由落实（Luoshi）导出，规划编号 {plan.pk}。")
    core = _el(root, "StrategicPlanCore")
    organization = _el(core, "Organization")
    _el(organization, "Name", f"{settings.LUOSHI_ORG_NAME}督查室")
    _el(organization, "Identifier", f"plan-{plan.pk}-organization")
    for name in lead_units:
        _stakeholder(organization, name, "牵头单位")

    for goal in goals:
        goal_element = _el(core, "Goal")
        _el(goal_element, "Name", goal.title)
        _el(goal_element, "Description", goal.intro)
        _el(goal_element, "Identifier", f"plan-{plan.pk}-section-{goal.number}")
        _el(goal_element, "SequenceIndicator", goal.number)
        for objective in objectives[goal.pk].values():
            element = _el(goal_element, "Objective")
            _el(element, "Name", objective.name)
            _el(element, "Description", "".join(objective.sentences))
            _el(element, "Identifier", objective.identifier)
            _el(element, "SequenceIndicator", objective.sequence)
            for name, role in objective.stakeholders:
                _stakeholder(element, name, role)
            for position, indicator in enumerate(objective.indicators, start=1):
                measure = _el(element, "PerformanceIndicator", PerformanceIndicatorType="Quantitative")
                _el(measure, "SequenceIndicator", str(position))
                _el(measure, "MeasurementDimension", indicator.name)
                _el(measure, "UnitOfMeasurement", indicator.unit)
                if indicator.target is not None or indicator.target_text:
                    target = _el(_el(measure, "MeasurementInstance"), "TargetResult")
                    if indicator.target is not None:
                        _el(target, "NumberOfUnits", format(indicator.target.normalize(), "f"))
                    _el(target, "Description", indicator.target_text)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
