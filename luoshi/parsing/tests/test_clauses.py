"""Responsibility clauses are read from the text, not guessed.

The gold records in corpus/real/units/ come from seven published plans
(../shared/corpus/units, see its README for the conventions): each gives a
measure, its clause verbatim and the 牵头 and other units the clause names.
"""
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.parsing import parse_file, parse_text
from luoshi.parsing.clauses import CLAUSE_AT_END, is_clause_line, looks_like_unit, split_clause, split_units
from luoshi.parsing.model import Measure, Responsibility

UNITS = Path(__file__).resolve().parent / "corpus" / "real" / "units"


def gold_records(*, table: bool):
    records = []
    for path in sorted(UNITS.glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            # Table rows are the unit cells as they stand, not a bracket after the measure.
            if record["clause"].startswith(("（", "(")) != table:
                records.append((path.stem, record))
    return records


def squeeze(text):
    return re.sub(r"\s+", "", text)


def test_gold_records_cover_the_seven_annotated_plans():
    assert len(gold_records(table=False)) + len(gold_records(table=True)) == 153
    assert len({name for name, _ in gold_records(table=False)}) == 4


def test_inline_and_line_clauses_give_the_gold_measure_lead_and_co_units():
    records = gold_records(table=False)
    found = text_right = lead_right = co_right = 0
    with_lead = [r for _, r in records if r["lead"]]
    wrong = []
    for name, record in records:
        measure, responsibility = split_clause(record["measure"] + record["clause"])
        if responsibility is None:
            wrong.append((name, record["clause"], "not found"))
            continue
        found += 1
        text_right += squeeze(measure) == squeeze(record["measure"])
        lead_right += bool(record["lead"]) and responsibility.lead == record["lead"]
        co_right += responsibility.co == record["co"]
        if responsibility.lead != record["lead"] or responsibility.co != record["co"]:
            wrong.append((name, record["clause"], responsibility.lead, responsibility.co))
    print(
        f"\ninline/line clauses: {len(records)} records, {found} found, {len(records) - found} not found; "
        f"measure text {text_right}/{len(records)}; lead {lead_right}/{len(with_lead)} of records with a lead; "
        f"co {co_right}/{len(records)}"
    )
    assert lead_right >= 0.95 * len(with_lead), wrong
    assert found >= 0.95 * len(records), wrong
    assert text_right >= 0.95 * len(records), wrong
    assert co_right >= 0.95 * len(records), wrong


@pytest.mark.parametrize(
    "name, record", [(n, r) for n, r in gold_records(table=False) if n == "hp_2025_energy_plan"]
)
def test_a_clause_on_its_own_line_is_a_line_clause_with_no_measure_text(name, record):
    measure, responsibility = split_clause(record["clause"])
    assert measure == ""
    assert responsibility.form == "line"
    assert responsibility.co == record["co"]
    assert is_clause_line(record["clause"])


def test_a_stray_full_stop_after_the_clause_is_dropped():
    measure, responsibility = split_clause("盘活存量工业用地。（各街镇、区规划资源局）。")
    assert measure == "盘活存量工业用地。"
    assert responsibility.clause == "（各街镇、区规划资源局）"
    assert responsibility.co == ["各街镇", "区规划资源局"]


@pytest.mark.parametrize(
    "text, measure, lead, co",
    [
        ("完成老旧小区改造10个。（牵头单位：区住建局；配合单位：区财政局、各街镇）",
         "完成老旧小区改造10个。", ["区住建局"], ["区财政局", "各街镇"]),
        ("完成老旧小区改造10个(牵头单位:区住建局;配合单位:区财政局)",
         "完成老旧小区改造10个", ["区住建局"], ["区财政局"]),
        ("6月底前建成两个驿站。（责任单位：镇经济发展办，配合单位：区投资促进中心）",
         "6月底前建成两个驿站。", ["镇经济发展办"], ["区投资促进中心"]),
        ("开展排水管道检测。（责任单位：区水务局、区建管委，各街镇）",
         "开展排水管道检测。", [], ["区水务局", "区建管委", "各街镇"]),
        ("推进政务服务改革。（区发改委牵头，区财政局配合）",
         "推进政务服务改革。", ["区发改委"], ["区财政局"]),
        ("推进政务服务改革。（由区发改委牵头，区财政局、区司法局配合）",
         "推进政务服务改革。", ["区发改委"], ["区财政局", "区司法局"]),
        ("推进政务服务改革。由区发改委牵头，区财政局配合。",
         "推进政务服务改革。", ["区发改委"], ["区财政局"]),
        ("加强安全生产检查。责任部门：区应急局、各街镇",
         "加强安全生产检查。", [], ["区应急局", "各街镇"]),
        ("加强安全生产检查。牵头部门：区应急局；配合部门：区消防救援支队",
         "加强安全生产检查。", ["区应急局"], ["区消防救援支队"]),
        ("优化营商环境。推进单位：区商务委、区市场监管局",
         "优化营商环境。", [], ["区商务委", "区市场监管局"]),
        ("优化营商环境。实施主体：各区",
         "优化营商环境。", [], ["各区"]),
        ("强化督查考核。各相关部门按职责分工负责。",
         "强化督查考核。", [], ["各相关部门"]),
        ("强化督查考核。（区委办、区府办等按职责分工负责）",
         "强化督查考核。", [], ["区委办", "区府办"]),
        ("加强宣传。（区委宣传部（区文明办、区政府新闻办）、区教育局等）",
         "加强宣传。", [], ["区委宣传部（区文明办、区政府新闻办）", "区教育局"]),
        ("盘活低效用地。（区规划资源局、区经委、各街镇）",
         "盘活低效用地。", [], ["区规划资源局", "区经委", "各街镇"]),
        ("完善养老服务网络。（牵头单位：民政厅；责任领导：张三；完成时限：2026年底）",
         "完善养老服务网络。", ["民政厅"], []),
    ],
)
def test_each_written_form_of_a_clause_is_cut_off_and_read(text, measure, lead, co):
    got_measure, responsibility = split_clause(text)
    assert got_measure == measure
    assert responsibility.lead == lead
    assert responsibility.co == co
    assert responsibility.form == "inline"
    assert text.startswith(measure) and responsibility.clause in text


@pytest.mark.parametrize(
    "text",
    [
        "实施城市更新行动（2024-2026年）",
        "完善公共服务设施（含学校、医院、养老院）",
        "制定管理办法（试行）",
        "推动经济社会发展（社会）",
        "区委组织部（区公务员局）",
        "加快建设综合交通枢纽（详见附件）",
        "发展新质生产力（以下简称“新质生产力”）",
        "由达沃斯世界经济论坛牵头的评选自2018年启动以来，被视为标杆。",
        "各街镇负责谈判、评估补偿等事宜。",
    ],
)
def test_brackets_and_sentences_that_name_no_responsible_unit_are_left_alone(text):
    assert split_clause(text) == (text, None)
    assert not is_clause_line(text)


# Text built without any of the characters unit names end in cannot name a unit.
_PLAIN = st.text(alphabet=st.sampled_from(list("推进加强完善建设发展改革服务质量城市生态（）()、，,；;：:。 0123456789年月底前含试行及其他的和与")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(_PLAIN)
def test_text_without_unit_words_never_yields_a_clause(text):
    measure, responsibility = split_clause(text)
    assert responsibility is None
    assert measure == text


@pytest.mark.parametrize(
    "body, units",
    [
        ("区发改委、区财政局，各街镇", ["区发改委", "区财政局", "各街镇"]),
        ("区委宣传部（区文明办、区政府新闻办、区委网信办）、区教育局", ["区委宣传部（区文明办、区政府新闻办、区委网信办）", "区教育局"]),
        ("设施养护处\n\n各相关部门和单位\n\n各行业主管部门、各区", ["设施养护处", "各相关部门和单位", "各行业主管部门", "各区"]),
        ("区经委、区税务局、各街镇等", ["区经委", "区税务局", "各街镇"]),
        ("区经委；区税务局;区经委等相关部门", ["区经委", "区税务局"]),
        ("区规资局、区规划资源局", ["区规资局", "区规划资源局"]),
    ],
)
def test_units_split_at_top_level_separators_without_guessing_aliases(body, units):
    assert split_units(body) == units


@pytest.mark.parametrize("name", ["区经委", "各街镇", "各街镇（园区）", "市北高新集团", "随申行公司", "区属国企", "残联", "区内各相关行政审批部门"])
def test_names_of_offices_bodies_and_placeholders_look_like_units(name):
    assert looks_like_unit(name)


@pytest.mark.parametrize("name", ["2024-2026年", "含学校", "试行", "牵头部门", "重点任务"])
def test_ordinary_words_do_not_look_like_units(name):
    assert not looks_like_unit(name)


@pytest.mark.parametrize(
    "line, ends_in_clause",
    [
        ("深挖分布式光伏潜力。（责任单位：区发展改革委、区建管委）", True),
        ("（责任单位：区投促办）", True),
        ("推进改革（区发改委牵头，区财政局配合）。", True),
        ("完善公共服务设施（含学校、医院）", False),
        ("深挖分布式光伏潜力，", False),
    ],
)
def test_the_line_joiner_sees_a_line_that_ends_in_a_clause(line, ends_in_clause):
    assert bool(CLAUSE_AT_END.search(line)) is ends_in_clause


def test_a_measure_serialises_its_responsibility_or_null():
    with_clause = Measure(id="1.1", text="盘活低效用地。", responsibility=Responsibility(
        clause="（牵头单位：区经委）", lead=["区经委"], co=[], form="inline"))
    assert with_clause.to_dict()["responsibility"] == {
        "clause": "（牵头单位：区经委）", "lead": ["区经委"], "co": [], "form": "inline"}
    assert Measure(id="1.2", text="盘活低效用地。").to_dict()["responsibility"] is None


HP_SHAPE = """黄浦区光伏推进行动方案

一、主要任务
（一）全面实施光伏工程
在教育场所和区属机关办公楼屋顶建设分布式光伏发电系统，实施“光伏+校园”专项工程。到2026年底前，建成光伏车棚10个。
（责任单位：区发展改革委、区教育局）
（二）开展新建建筑光伏建设
推进新建公共建筑屋顶安装光伏。
（责任单位：区建管委）
二、保障措施
加强组织领导，6月底前建立工作机制。（牵头单位：区发展改革委；配合单位：区财政局）
"""


def test_a_clause_line_gives_its_units_to_the_paragraph_above_and_is_no_measure():
    outline = parse_text(HP_SHAPE)
    texts = [m.text for m in outline.measures()]
    assert not any("责任单位" in t or "牵头单位" in t for t in texts)
    first = outline.sections[0].sections[0]
    assert [m.responsibility.co for m in first.measures] == [["区发展改革委", "区教育局"]] * len(first.measures)
    assert all(m.responsibility.form == "line" for m in first.measures)
    second = outline.sections[0].sections[1]
    assert [m.text for m in second.measures] == ["推进新建公共建筑屋顶安装光伏。"]
    assert second.measures[0].responsibility.co == ["区建管委"]
    assert [m.id for m in second.measures] == ["1.2.1"]


def test_deadlines_and_targets_are_read_from_the_measure_without_its_clause():
    outline = parse_text(HP_SHAPE)
    last = outline.sections[1].measures[-1]
    assert last.text == "加强组织领导，6月底前建立工作机制。"
    assert last.responsibility.lead == ["区发展改革委"] and last.responsibility.co == ["区财政局"]
    assert last.deadline is not None and last.deadline.text == "6月底前"
    assert last.to_dict()["responsibility"]["clause"] == "（牵头单位：区发展改革委；配合单位：区财政局）"


def test_a_bracket_split_at_a_semicolon_is_rejoined_but_an_unclosed_one_swallows_nothing():
    plan = (
        "某镇工作要点\n\n一、经济发展\n"
        "推进园区转型，年内完成改造两处。（牵头单位：镇经济发展办；配合单位：区投资促进中心）\n"
        "二、社会事业\n"
        "完善养老服务（含日间照料；新建食堂一处；改造睦邻点两处；提升助餐点三处；培训护理员四十名；开展巡访五百次。\n"
    )
    outline = parse_text(plan)
    first = outline.sections[0].measures
    assert [m.text for m in first] == ["推进园区转型，年内完成改造两处。"]
    assert first[0].responsibility.lead == ["镇经济发展办"] and first[0].responsibility.co == ["区投资促进中心"]
    assert len(outline.sections[1].measures) == 6


def test_parsing_the_real_plans_gives_their_measures_the_units_their_clauses_and_tables_name():
    """The whole path: text → outline (body and appendices) → each gold record's measure and units.

    Body measures are sentences, so a record matches the measure whose text
    is its measure or a sentence of it.
    """
    real = UNITS.parent
    counts = {"inline/line": [0, 0, 0, 0], "table": [0, 0, 0, 0]}  # records, found, lead right of those with one, with a lead
    missing = []
    for path in sorted(UNITS.glob("*.json")):
        outline = parse_file(real / f"{path.stem}.txt")
        measures = [m for m in outline.measures()] + [m for a in outline.appendices for m in a.measures]
        for record in json.loads(path.read_text(encoding="utf-8")):
            kind = "inline/line" if record["clause"].startswith(("（", "(")) else "table"
            gold = squeeze(record["measure"])
            match = next((m for m in measures if m.responsibility and squeeze(m.text) and squeeze(m.text) in gold), None)
            tally = counts[kind]
            tally[0] += 1
            if match is None:
                missing.append((path.stem, record["measure"][:30]))
                continue
            tally[1] += bool(match.responsibility.co == record["co"] and match.responsibility.lead == record["lead"])
            tally[3] += bool(record["lead"])
            tally[2] += bool(record["lead"]) and match.responsibility.lead == record["lead"]
    for kind, (records, right, lead, with_lead) in counts.items():
        print(f"\n{kind}: {records} records, lead and co right {right}, lead right {lead}/{with_lead} of those with a lead")
    print(f"not found: {len(missing)} {missing}")
    total = sum(c[0] for c in counts.values())
    assert total == 153
    assert len(missing) <= 0.05 * total, missing
    assert sum(c[2] for c in counts.values()) >= 0.95 * sum(c[3] for c in counts.values())
    assert sum(c[1] for c in counts.values()) >= 0.95 * total


@pytest.mark.parametrize("text", [
    "。" * 200_000,
    "推进工作负责。" * 30_000,
    "（" * 100_000 + "区经委）",
    "加强（区经委、" * 30_000 + "区财政局）",
    "由区发改委牵头，" * 30_000 + "区财政局配合",
])
def test_a_hostile_paragraph_is_read_in_one_pass_and_yields_no_clause_from_its_bulk(text):
    measure, responsibility = split_clause(text)
    assert responsibility is None or len(responsibility.clause) <= 300
    assert text.startswith(measure)
