"""任务分解表: the rows of a task table and the units each row names.

The flattened tables are the appendices of four published plans in
corpus/real/, checked against the table-row records of corpus/real/units/
(see ../shared/corpus/README.md for how they were annotated).
"""
import json
import re
from pathlib import Path

import pytest

from luoshi.parsing.model import Section
from luoshi.parsing.tables import flat_table_rows, header_role, is_task_header, read_appendix_table, task_rows

REAL = Path(__file__).resolve().parent / "corpus" / "real"

# Where each plan's task table starts: the appendix line above its header.
APPENDIX = {
    "jd_2024_sponge_plan": "附件：嘉定区系统化全域推进海绵城市建设重点任务分解表",
    "sh_2024_transport_plan": "附件：",
    "bs_2019_waste_plan": "附件1",
    "ja_2023_renewal_plan": "附件",
}


def squeeze(text):
    return re.sub(r"\s+", "", text)


def appendix_lines(name):
    lines = (REAL / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    return lines[lines.index(APPENDIX[name]):]


def table_records(name):
    records = json.loads((REAL / "units" / f"{name}.json").read_text(encoding="utf-8"))
    return [r for r in records if not r["clause"].startswith(("（", "("))]


@pytest.mark.parametrize("name, rows", [
    ("jd_2024_sponge_plan", 12), ("sh_2024_transport_plan", 22), ("bs_2019_waste_plan", 39), ("ja_2023_renewal_plan", 13),
])
def test_a_flattened_task_table_gives_each_row_its_lead_and_co_units(name, rows):
    tasks = {squeeze(t.text): t for t in task_rows(flat_table_rows(appendix_lines(name)))}
    records = table_records(name)
    assert len(records) == rows
    found = [(r, tasks.get(squeeze(r["measure"]))) for r in records]
    missing = [r["measure"] for r, t in found if t is None]
    with_lead = [(r, t) for r, t in found if r["lead"]]
    lead_right = sum(1 for r, t in with_lead if t is not None and t.lead == r["lead"])
    co_right = sum(1 for r, t in found if t is not None and t.co == r["co"] and t.lead == r["lead"])
    print(f"\n{name}: {len(records)} gold rows, {len(records) - len(missing)} found, "
          f"lead {lead_right}/{len(with_lead)} of rows with a lead, lead and co {co_right}/{len(records)}")
    assert len(missing) <= 0.05 * len(records), missing
    assert lead_right >= 0.95 * len(with_lead)
    assert co_right >= 0.95 * len(records)
    assert all(t.responsibility.form == "table" for _, t in found if t is not None)


def test_table_rows_keep_their_unit_cells_as_written_and_their_time_limit():
    tasks = task_rows(flat_table_rows(appendix_lines("bs_2019_waste_plan")))
    first = tasks[0]
    assert first.number == "1"
    assert first.group == "加强组织领导"
    assert first.clause == "区政府办公室\n\n各联席会议成员单位"
    assert first.deadline == "2019年3月"
    # A unit cell ending in 、 goes on in the next cell: both are the lead's.
    continued = next(t for t in tasks if t.clause.startswith("区政府办公室、区绿化市容局、"))
    assert continued.lead == ["区政府办公室", "区绿化市容局", "区规划资源局", "区重大办"] and continued.co == []


def test_header_words_split_over_cells_and_a_header_repeated_over_a_page_are_read_as_the_header():
    rows = flat_table_rows(appendix_lines("sh_2024_transport_plan"))
    assert rows[0][-3:] == ["牵头部门", "配合部门", "实施主体"]
    jd = task_rows(flat_table_rows(appendix_lines("jd_2024_sponge_plan")))
    assert [t.number for t in jd] == [str(n) for n in range(1, 13)]
    assert not any("序号" in t.text or "责任单位" in t.text for t in jd)


def test_rows_whose_unit_cells_were_lost_to_merged_cells_keep_their_text_without_units():
    tasks = task_rows(flat_table_rows(appendix_lines("ja_2023_renewal_plan")))
    assert len(tasks) == 27
    lost = next(t for t in tasks if t.text == "加快推进各类旧住房更新改造。")
    assert lost.lead == [] and lost.co == [] and lost.responsibility is None
    assert lost.group.endswith("旧住房更新改造")


@pytest.mark.parametrize("words, role", [
    ("序号", "number"), ("工作任务", "task"), ("重点内容", "task"), ("具体措施", "task"),
    ("牵头单位", "lead"), ("牵头\n部门", "lead"), ("配合部门", "co"), ("协办单位", "co"),
    ("责任单位", "units"), ("推进单位", "units"), ("实施主体", "units"),
    ("完成时限", "deadline"), ("时间节点", "deadline"), ("任务类型", "group"),
    ("重点任务（2024-2026）", "task"), ("2025年计划", "other"), ("参考文件", "other"), ("区经委", None),
])
def test_headers_are_recognised_in_their_common_wordings(words, role):
    assert header_role(words) == role


def test_a_table_without_a_task_and_a_unit_or_time_column_is_no_task_table():
    assert not is_task_header(["年份", "达标区域", "达标区域面积（平方公里）", "总面积占比"])
    assert not is_task_header(["姓名", "职务", "联系电话"])
    assert task_rows([["姓名", "职务"], ["张三", "主任"]]) == []


def test_a_word_like_table_reads_group_rows_merged_cells_and_a_repeated_header():
    header = ["序号", "工作任务", "责任单位", "配合单位", "完成时限"]
    rows = [
        ["2026年重点任务分解表", "2026年重点任务分解表", "2026年重点任务分解表", "2026年重点任务分解表", "2026年重点任务分解表"],
        header,
        ["一、产业发展", "一、产业发展", "一、产业发展", "一、产业发展", "一、产业发展"],
        ["1", "新增规上工业企业10家", "区经委", "区统计局", "12月底前"],
        ["2", "推进园区转型", "区经委", "", "6月底前"],
        header,
        ["二、民生保障", "", "", "", ""],
        ["3", "新建养老食堂2家（含助餐点）", "区民政局", "各街镇", "年内"],
        ["4", "", "区民政局", "", ""],
        ["5", "完善社区卫生服务", "", "", ""],
    ]
    tasks = task_rows(rows)
    assert [(t.group, t.number, t.text) for t in tasks] == [
        ("一、产业发展", "1", "新增规上工业企业10家"),
        ("一、产业发展", "2", "推进园区转型"),
        ("二、民生保障", "3", "新建养老食堂2家（含助餐点）"),
        ("二、民生保障", "5", "完善社区卫生服务"),
    ]
    # 责任单位 beside 配合单位 leads.
    assert tasks[0].lead == ["区经委"] and tasks[0].co == ["区统计局"] and tasks[0].deadline == "12月底前"
    assert tasks[1].lead == ["区经委"] and tasks[1].co == []
    # A row with a task and no unit is kept, with no responsibility to show.
    assert tasks[3].lead == [] and tasks[3].co == [] and tasks[3].responsibility is None


def test_a_group_column_is_inherited_by_the_rows_below_a_merged_cell():
    rows = [
        ["任务类型", "序号", "重点任务", "牵头部门", "配合部门", "时间节点"],
        ["城市更新", "1", "完成旧改项目3个", "区房管局", "区财政局、区规划资源局等", "2026年底"],
        ["", "2", "推进老旧小区加装电梯", "区房管局", "各街镇", "长期"],
        ["生态环境", "3", "治理黑臭河道5条", "区水务局", "区生态环境局", "2026年6月底前"],
    ]
    tasks = task_rows(rows)
    assert [t.group for t in tasks] == ["城市更新", "城市更新", "生态环境"]
    assert tasks[0].co == ["区财政局", "区规划资源局"]
    assert tasks[1].lead == ["区房管局"] and tasks[1].co == ["各街镇"]


def test_an_appendix_holding_a_flattened_task_table_gets_its_rows_as_measures():
    appendix = Section(id="A1", level=1, label="附件1", title="任务清单", appendix=True,
                       lines=appendix_lines("bs_2019_waste_plan"))
    assert read_appendix_table(appendix, 2019)
    assert len(appendix.measures) == 39
    first = appendix.measures[0]
    assert first.id == "A1.1"
    assert first.text.startswith("召开全区生活垃圾分类工作动员大会")
    assert first.responsibility.lead == ["区政府办公室"] and first.responsibility.form == "table"
    assert first.deadline.text == "2019年3月" and first.deadline.end.isoformat() == "2019-03-31"


def test_an_appendix_without_a_task_table_is_left_as_it_is():
    appendix = Section(id="A1", level=1, label="附件", title="名词解释", appendix=True,
                       lines=["1.“灯塔工厂”：由世界经济论坛评选。", "", "2.“一件事”：指一件事一次办。"])
    assert not read_appendix_table(appendix, 2026)
    assert appendix.measures == []
