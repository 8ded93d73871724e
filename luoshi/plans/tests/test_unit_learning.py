"""Learning who leads which kind of work from last year's 任务分解表."""
import pytest
from django.core.exceptions import ValidationError

from luoshi.accounts.models import Unit, UnitKind
from luoshi.accounts.services import unit_directory_load
from luoshi.plans.models import UnitCorrection
from luoshi.plans.suggest import UnitSuggester, unit_rows_learn
from luoshi.plans.tests.unit_accuracy import CORPUS_UNITS, accuracy, corpus_records, corpus_targets

pytestmark = pytest.mark.django_db


def make_unit(code, name, keywords=(), aliases=(), duties="", kind=UnitKind.GOVERNMENT):
    return Unit.objects.create(code=code, name=name, kind=kind, aliases=list(aliases), duties=duties,
                               duty_keywords=list(keywords), sort_order=Unit.objects.count())


@pytest.fixture
def bureaus():
    return {
        "development": make_unit("development", "区发展和改革局", aliases=["区发改局"],
                                 duties="拟订国民经济和社会发展规划，统筹重大项目和政府投资。"),
        "finance": make_unit("finance", "区财政局", duties="负责财政预算和政府采购。"),
        "greening": make_unit("greening", "区绿化和市容管理局", aliases=["区绿化市容局"],
                              duties="负责绿化和市容环境卫生管理。"),
        "construction": make_unit("construction", "区建设和管理委员会", aliases=["区建管委"],
                                  duties="负责城市建设和市政道路的建设养护。"),
    }


LAST_YEAR = [
    ("推进生活垃圾分类，完善湿垃圾收运体系", ["区绿化市容局"], ["区财政局", "各街镇"]),
    ("开展口袋公园建设，新增绿地面积", ["区绿化市容局"], []),
    ("组织编制年度重大项目计划", ["区发改委"], ["区规资局"]),
    ("", ["区财政局"], []),
    ("做好联络员培训", ["各相关部门"], []),
]


def test_learning_a_table_records_each_rows_units_and_reports_what_matched(bureaus, supervisor):
    result = unit_rows_learn(rows=LAST_YEAR, origin="2025年任务分解表.xlsx", actor=supervisor)

    assert (result.rows, result.learned) == (5, 3)
    assert result.matched == ["区发展和改革局", "区绿化和市容管理局", "区财政局"]
    assert result.unmatched == ["区规资局"]
    assert result.placeholders == ["各相关部门", "各街镇"]
    assert result.skipped == ["第4行：没有任务内容", "第5行：没有写明目录中的单位"]
    learned = UnitCorrection.objects.filter(source=UnitCorrection.Source.LEARNED).order_by("id")
    assert [(c.text[:6], c.unit.code, c.role, c.origin, c.created_by) for c in learned] == [
        ("推进生活垃圾", "greening", "lead", "2025年任务分解表.xlsx", supervisor),
        ("推进生活垃圾", "finance", "co", "2025年任务分解表.xlsx", supervisor),
        ("开展口袋公园", "greening", "lead", "2025年任务分解表.xlsx", supervisor),
        ("组织编制年度", "development", "lead", "2025年任务分解表.xlsx", supervisor),
    ]


def test_a_similar_measure_this_year_gets_the_learned_lead_and_says_why(bureaus):
    before = UnitSuggester.from_db().suggest("推进垃圾分类收运体系建设")
    assert "greening" not in [s.unit_code for s in before.lead[:1]]

    unit_rows_learn(rows=LAST_YEAR, origin="2025年任务分解表.xlsx", actor=None)
    after = UnitSuggester.from_db().suggest("推进垃圾分类收运体系建设")

    assert after.lead[0].unit_code == "greening"
    assert "学自: 推进生活垃圾分类，完善湿垃圾收运体系" in after.lead[0].matched
    assert "finance" in [s.unit_code for s in after.co]


def test_learning_the_same_table_again_replaces_what_it_taught(bureaus):
    unit_rows_learn(rows=LAST_YEAR, origin="2025年任务分解表.xlsx", actor=None)
    corrected = [("推进生活垃圾分类，完善湿垃圾收运体系", ["区建管委"], [])]

    result = unit_rows_learn(rows=corrected, origin="2025年任务分解表.xlsx", actor=None)

    assert result.replaced == 4
    learned = UnitCorrection.objects.filter(source=UnitCorrection.Source.LEARNED)
    assert [(c.unit.code, c.role) for c in learned] == [("construction", "lead")]


def test_learning_another_table_keeps_the_first(bureaus):
    unit_rows_learn(rows=LAST_YEAR, origin="2025年任务分解表.xlsx", actor=None)
    unit_rows_learn(rows=[("做好财政预算编制", ["区财政局"], [])], origin="2024年任务分解表.docx", actor=None)

    assert UnitCorrection.objects.filter(origin="2025年任务分解表.xlsx").count() == 4
    assert UnitCorrection.objects.filter(origin="2024年任务分解表.docx").count() == 1


def test_learned_rows_do_not_count_as_supervisors_corrections(bureaus):
    unit_rows_learn(rows=LAST_YEAR, origin="2025年任务分解表.xlsx", actor=None)

    result = UnitSuggester.from_db().suggest("推进生活垃圾分类，完善湿垃圾收运体系")

    assert not any(m.startswith("此前修正") for s in result.lead for m in s.matched)


def test_learning_without_the_tables_name_is_refused(bureaus):
    with pytest.raises(ValidationError, match="表格"):
        unit_rows_learn(rows=LAST_YEAR, origin=" ", actor=None)
    assert not UnitCorrection.objects.exists()


def test_learning_half_of_the_corpus_records_raises_accuracy_on_the_other_half():
    unit_directory_load(path=CORPUS_UNITS)
    units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))
    records = corpus_records()
    scored, _skipped, _unplaced = corpus_targets(records, units)
    odd = [(record, targets) for record, targets in scored if records.index(record) % 2 == 1]

    before_suggester = UnitSuggester.from_db()
    before = accuracy(lambda text: [s.unit_code for s in before_suggester.suggest(text).lead], odd)
    unit_rows_learn(rows=[(r["measure"], r["lead"], r["co"]) for r in records[0::2]], origin="even", actor=None)
    after_suggester = UnitSuggester.from_db()
    after = accuracy(lambda text: [s.unit_code for s in after_suggester.suggest(text).lead], odd)

    print(f"odd half top-1/top-3 of {len(odd)}: before {before}, after {after}")
    assert after[0] > before[0] and after[1] > before[1]
