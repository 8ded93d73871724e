"""Importing a plan: the seed becomes a plan tree with one proposed task per measure."""
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.models import AuditEntry
from luoshi.plans import workdays
from luoshi.plans.models import Measure, Plan, PlanSource, Section, Task
from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.plans.services import SEED_PLAN_FILE, SEED_PLAN_NAME, PlanImportError, demo_plan_load, plan_import, text_key

pytestmark = pytest.mark.django_db

SEED = SEED_PLAN_FILE.read_bytes()


@pytest.fixture
def seed_plan(units, supervisor):
    return plan_import(name=SEED_PLAN_NAME, year=2018, filename="seed.txt", content=SEED, actor=supervisor,
                       issuing_body="中共嘉兴市南湖区委")


def test_the_seed_becomes_four_parts_fifteen_objectives_and_thirty_five_measures(seed_plan):
    assert Section.objects.filter(plan=seed_plan, level=1).count() == 4
    assert Section.objects.filter(plan=seed_plan, level=2).count() == 15
    assert Measure.objects.filter(plan=seed_plan).count() == 35
    assert all(s.parent.level == 1 for s in Section.objects.filter(plan=seed_plan, level=2))


def test_each_measure_gets_one_task_titled_with_its_sentence(seed_plan):
    tasks = Task.objects.filter(plan=seed_plan)
    assert tasks.count() == 35
    for task in tasks:
        assert task.title == task.measure.text


def test_every_task_is_due_on_a_working_day_in_the_plan_year(seed_plan):
    for task in Task.objects.filter(plan=seed_plan):
        assert task.due_date is not None
        assert task.due_date.year == 2018
        assert workdays.is_workday(task.due_date), task.due_date


def test_a_measure_with_no_deadline_is_due_on_the_last_working_day_of_the_year(seed_plan):
    undated = Task.objects.filter(plan=seed_plan, measure__deadline_end__isnull=True).first()
    # Dec 30-31 2018 were New Year holidays; Saturday Dec 29 was an adjusted working day.
    assert undated.due_date == date(2018, 12, 29)


def test_most_tasks_get_a_suggested_lead_unit_and_suggestions_never_repeat_the_lead(seed_plan):
    tasks = Task.objects.filter(plan=seed_plan).prefetch_related("co_units")
    assert sum(1 for t in tasks if t.lead_unit_id) >= 30
    for task in tasks:
        assert task.lead_unit_id not in {u.pk for u in task.co_units.all()}


def test_the_source_document_is_kept_verbatim_with_its_checksum(seed_plan):
    source = PlanSource.objects.get(plan=seed_plan)
    assert source.version == 1
    assert bytes(source.content) == SEED
    assert len(source.sha256) == 64
    assert len([m for s in source.outline["sections"] for o in s["sections"] for m in o["measures"]]) == 35


def test_plan_fields_come_from_the_form_and_the_document(seed_plan):
    assert seed_plan.issuing_body == "中共嘉兴市南湖区委"
    assert seed_plan.author.replace(" ", "") == "朱苗"
    assert seed_plan.preamble.startswith("今年")
    assert seed_plan.closing.startswith("新时代开启新征程")


def test_measures_keep_their_number_and_a_whitespace_blind_key(seed_plan):
    first = Measure.objects.filter(plan=seed_plan).order_by("position").first()
    assert first.number.count(".") == 2
    assert first.text_key == text_key(first.text.replace("，", "， \n"))


SMALL_PLAN = """2019年区教育局工作要点

一、办好人民满意的教育
（一）扩大优质学位供给。新建中小学校3所，新增学位2000个。6月底前完成城南小学主体工程。
（二）提升教师队伍素质。全年培训教师1500人次以上。
""".encode("gb18030")


def test_quantity_targets_become_indicators_with_value_and_unit(units, supervisor):
    plan = plan_import(name="教育", year=2019, filename="edu.txt", content=SMALL_PLAN, actor=supervisor)
    task = plan.tasks.get(measure__number="1.1.1")
    assert [(i.name, i.target, i.unit) for i in task.indicators.all()] == [
        ("新建中小学校3所", 3, "所"),
        ("新增学位2000个", 2000, "个"),
    ]
    assert not plan.tasks.get(measure__number="1.1.2").indicators.exists()


def test_a_written_deadline_moves_to_the_working_day_before_it(units, supervisor):
    plan = plan_import(name="教育", year=2019, filename="edu.txt", content=SMALL_PLAN, actor=supervisor)
    task = plan.tasks.get(measure__number="1.1.2")
    assert task.measure.deadline_text == "6月底前"
    assert task.due_date == date(2019, 6, 28)  # June 30 2019 was a Sunday


def test_the_import_is_audited_for_the_plan_and_each_task(seed_plan, supervisor):
    assert AuditEntry.objects.filter(action="plan.import", actor=supervisor).count() == 1
    assert AuditEntry.objects.filter(action="task.create").count() == 35


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "空"),  # the UI speaks Chinese by default: "文件 bad.txt 是空的。"
        (b"\x00\x01\x02\xff\xfe" * 200, "中文"),  # the parser's message, in Chinese
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "另存为 .docx"),
    ],
    ids=["empty", "binary junk", "doc renamed txt"],
)
def test_a_file_that_is_not_a_plan_is_refused_with_its_name_and_nothing_is_saved(units, supervisor, content, problem):
    with pytest.raises(PlanImportError) as excinfo:
        plan_import(name="x", year=2018, filename="bad.txt", content=content, actor=supervisor)
    assert "bad.txt" in str(excinfo.value)
    assert problem in str(excinfo.value)
    assert Plan.objects.count() == Task.objects.count() == PlanSource.objects.count() == 0


def test_a_plan_needs_a_name(units, supervisor):
    with pytest.raises(PlanImportError):
        plan_import(name="  ", year=2018, filename="seed.txt", content=SEED, actor=supervisor)
    assert Plan.objects.count() == 0


def test_the_command_prints_only_the_new_plan_id(units):
    out, err = StringIO(), StringIO()
    call_command("import-plan", str(SEED_PLAN_FILE), "--name", "南湖2018", "--year", "2018",
                 "--issuing-body", "南湖区人民政府", stdout=out, stderr=err)
    plan = Plan.objects.get()
    assert out.getvalue().strip() == str(plan.pk)
    assert plan.issuing_body == "南湖区人民政府"
    assert plan.tasks.count() == 35


def test_the_command_fails_with_a_message_for_an_unreadable_file(units, tmp_path):
    bad = tmp_path / "junk.txt"
    bad.write_bytes(b"\xff\xfe\x00" * 100)
    with pytest.raises(CommandError, match="junk.txt"):
        call_command("import-plan", str(bad), "--name", "x", "--year", "2018", stdout=StringIO())
    assert Plan.objects.count() == 0


def test_the_command_fails_for_a_missing_file(units):
    with pytest.raises(CommandError, match="no-such-file"):
        call_command("import-plan", "/nonexistent/no-such-file.txt", "--name", "x", "--year", "2018")


def test_the_demo_plan_loads_once(units):
    first = demo_plan_load()
    assert first.name == SEED_PLAN_NAME and first.year == 2018
    assert demo_plan_load() is None
    assert Plan.objects.count() == 1


def test_luoshi_demo_imports_the_seed_plan_once_as_the_demo_supervisor(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    plan = Plan.objects.get()
    assert plan.name == SEED_PLAN_NAME
    assert plan.tasks.count() == 35
    assert plan.created_by.username == "supervisor"
    assert "35" in out.getvalue()
