"""A small plan with tasks spread over units, for tests of who sees what.

Built row by row rather than through the import pipeline so that these tests
say exactly which unit leads and which co-operates on each task.

    一、Part one
      （一）Objective one
        1.1.1 "全面推进教育现代化…"   lead education, co fengqiao, programme 学在南湖
        1.1.2 "加快凤桥镇特色小镇…"   lead fengqiao, due 2018-06-29
        1.1.3 "深化“最多跑一次”改革…" lead science, programme 最多跑一次
"""
from datetime import date

from luoshi.plans.models import Measure, Plan, Programme, Section, Task


def sample_plan(units: dict) -> Plan:
    """``units`` maps codes to Unit rows and has education, fengqiao and science (the ``units`` fixture)."""
    plan = Plan.objects.create(name="南湖区2018年工作要点", year=2018, issuing_body="南湖区人民政府")
    part = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="全力打造示范地", position=1)
    objective = Section.objects.create(
        plan=plan, parent=part, number="1.1", level=2, label="", title="实施“学在南湖”品牌行动", position=2
    )
    Section.objects.create(plan=plan, number="2", level=1, label="二、", title="全力建设新南湖", position=3)
    learning = Programme.objects.create(plan=plan, name="学在南湖", text="“学在南湖”")
    one_stop = Programme.objects.create(plan=plan, name="最多跑一次", text="“最多跑一次”")
    rows = [
        ("全面推进教育现代化，新建幼儿园3所。", "education", ["fengqiao"], [learning], date(2018, 12, 28)),
        ("加快凤桥镇特色小镇建设。", "fengqiao", [], [], date(2018, 6, 29)),
        ("深化“最多跑一次”改革，实现80%事项网上办理。", "science", [], [one_stop], date(2018, 9, 28)),
    ]
    for position, (text, lead, co, programmes, due) in enumerate(rows, start=1):
        measure = Measure.objects.create(
            plan=plan, section=objective, number=f"1.1.{position}", text=text, text_key=f"key-{position}",
            position=position,
        )
        measure.programmes.set(programmes)
        task = Task.objects.create(
            plan=plan, measure=measure, title=text.rstrip("。"), lead_unit=units[lead], due_date=due
        )
        task.co_units.set([units[code] for code in co])
        task.programmes.set(programmes)
    return plan


def add_tasks(plan: Plan, *, count: int, units: dict) -> None:
    """``count`` more tasks on the plan's first measure, each with co-units and a programme."""
    measure = plan.measures.first()
    programme = plan.programmes.first()
    for n in range(count):
        task = Task.objects.create(
            plan=plan, measure=measure, position=n + 1, title=f"补充任务{n}", lead_unit=units["education"],
            due_date=date(2018, 12, 28),
        )
        task.co_units.set([units["fengqiao"], units["science"]])
        task.programmes.set([programme])
        task.milestones.create(title="开工", due_date=date(2018, 3, 30))
        task.indicators.create(name="新建幼儿园", unit="所", target=3)
