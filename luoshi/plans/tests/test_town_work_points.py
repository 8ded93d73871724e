"""A town 工作要点 as a town office publishes it imports as exactly its twelve measures (issue 9).

The fixture is written for this test: a 关于印发 notice with addressees and a
signature, four 一、 parts, measures 1.–12. numbered across the parts, each
ending in （责任单位：…，配合单位：…）, some deadlines, one unit that is not
in the directory, and the 印发 line at the end. It is imported as .txt and as
a .docx built from the same lines.
"""
import io
import re
from pathlib import Path

import docx
import pytest

from luoshi.accounts.models import Unit, UnitKind
from luoshi.plans.models import Section, Task
from luoshi.plans.services import plan_import, plan_preview
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db

TEXT = (Path(__file__).parent / "data" / "fengxi_2027_work_points.txt").read_bytes()

TOWN_OFFICES = {
    "fx-economy": "镇经济发展办公室",
    "fx-planning": "镇规划建设办公室",
    "fx-agriculture": "镇农业农村办公室",
    "fx-social": "镇社会事务办公室",
    "fx-safety": "镇平安办公室",
    "fx-emergency": "镇应急管理办公室",
    "fx-office": "镇党政办公室",
}

# (lead, co-units, deadline as written) of measures 1.–12., as their clauses state them.
EXPECTED = [
    ("镇经济发展办公室", {"区投资促进中心"}, "年内"),
    ("镇经济发展办公室", {"镇规划建设办公室"}, "6月底前"),
    ("镇农业农村办公室", set(), ""),
    ("镇规划建设办公室", {"区交通运输局"}, "9月底前"),
    (None, {"区生态环境分局"}, "年内"),  # 镇乡村振兴服务中心 is not in the directory
    ("镇农业农村办公室", set(), ""),
    ("镇社会事务办公室", {"区教育局"}, "9月底前"),
    ("镇社会事务办公室", {"区民政局"}, "年内"),
    ("镇社会事务办公室", {"区人力资源和社会保障局"}, "全年"),
    ("镇平安办公室", set(), "6月底前"),
    ("镇应急管理办公室", {"区应急管理局"}, "全年"),
    ("镇党政办公室", set(), "年内"),
]


def _docx(text: bytes) -> bytes:
    document = docx.Document()
    for line in text.decode("utf-8").splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def town(units):
    for position, (code, name) in enumerate(TOWN_OFFICES.items(), start=100):
        Unit.objects.create(code=code, name=name, short_name=name.replace("办公室", "办"), kind=UnitKind.TOWN,
                            sort_order=position)
    return units


@pytest.fixture(params=["txt", "docx"])
def document(request):
    content = TEXT if request.param == "txt" else _docx(TEXT)
    return f"fengxi_2027.{request.param}", content


def test_the_town_plan_becomes_exactly_its_twelve_measures_with_their_stated_units(town, supervisor, document):
    filename, content = document
    plan = plan_import(name="凤溪镇2027年工作要点", year=2027, filename=filename, content=content, actor=supervisor)
    tasks = list(Task.objects.filter(plan=plan).select_related("lead_unit", "measure").order_by("measure__position"))
    assert len(tasks) == 12
    assert Section.objects.filter(plan=plan, level=1, is_appendix=False).count() == 4
    for number, (task, (lead, co, deadline)) in enumerate(zip(tasks, EXPECTED), start=1):
        assert "责任单位" not in task.title and "印发" not in task.title, task.title
        assert (task.lead_unit.name if task.lead_unit else None) == lead, (number, task.title)
        assert set(task.co_units.values_list("name", flat=True)) == co, (number, task.title)
        assert task.measure.deadline_text == deadline, (number, task.title)
        assert task.unit_text.startswith("（责任单位："), task.unit_text
    assert re.sub(r"^\d+[.．、]\s*", "", tasks[0].title).startswith("加快推进重大产业项目落地")
    assert re.sub(r"^\d+[.．、]\s*", "", tasks[11].title).startswith("加强镇村干部队伍建设")
    assert tasks[1].due_date.month == 6 and tasks[3].due_date.month == 9
    assert [t.unmatched_units for t in tasks if t.unmatched_units] == [["镇乡村振兴服务中心"]]


def test_the_preview_flags_the_unit_that_is_not_in_the_directory_next_to_its_measure(town, document):
    filename, content = document
    preview = plan_preview(content=content, filename=filename, year=2027)
    flagged = [p for p in preview.proposals if p.unmatched]
    assert len(flagged) == 1
    assert flagged[0].measure["text"].startswith("推进农村生活污水治理")
    assert any("镇乡村振兴服务中心" in w for w in flagged[0].warnings)
