"""The parser on real published documents: 19 reports and plans in corpus/real/.

Each document is scored against its gold outline (title, level-1 and level-2
titles; corpus/real/README.md) with the same layers as test_corpus.py. The
focused tests below take short passages from these documents, one layout
feature each, so that a regression names the feature it broke.
"""
import json
from pathlib import Path

import pytest

from luoshi.parsing import ParseError, parse_bytes, parse_file, parse_text
from luoshi.parsing.tests.test_corpus import score

REAL = Path(__file__).resolve().parent / "corpus" / "real"
DOCUMENTS = sorted(p.stem for p in REAL.glob("*.txt"))
MIN_EACH, MIN_MEAN = 0.85, 0.95


def scored(name):
    gold = json.loads((REAL / f"{name}.gold.json").read_text(encoding="utf-8"))
    return score(gold, parse_file(REAL / f"{name}.txt").to_dict())


def test_the_corpus_holds_the_nineteen_documents_with_gold_outlines():
    assert len(DOCUMENTS) == 19
    assert all((REAL / f"{name}.gold.json").exists() for name in DOCUMENTS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_real_document_reproduces_its_gold_outline(name):
    mean, report = scored(name)
    print("\n".join([name, *report]))
    assert mean >= MIN_EACH, f"{name}: outline F1 {mean:.3f} < {MIN_EACH}\n" + "\n".join(report)


def test_the_mean_outline_score_over_the_real_documents_clears_the_bar():
    scores = {name: scored(name)[0] for name in DOCUMENTS}
    mean = sum(scores.values()) / len(scores)
    assert mean >= MIN_MEAN, f"mean {mean:.3f}: " + ", ".join(f"{n} {s:.3f}" for n, s in scores.items())


def titles(outline, level):
    return [(s.label, s.title) for s in outline.walk() if s.level == level]


def measure_texts(outline):
    return [m.text for m in outline.measures()]


NOTICE = """上海市奉贤区人民政府头桥街道办事处关于印发《头桥街道建设用地减量化工作实施方案（2025年—2027年）》的通知
各办、中心、综合行政执法队、各村：
《头桥街道建设用地减量化工作实施方案(2025-2027年)》已经街道党工委会议审议通过，现印发给你们，请认真按照执行。
上海市奉贤区人民政府头桥街道办事处
2024年12月19日
关于贯彻《上海市生活垃圾管理条例》
推进全程分类体系建设的实施方案
为深入推进头桥街道建设用地减量化工作，进一步优化城乡规划布局，制定本方案。
一、指导思想
根据土地资源管理“总量锁定、增量递减、存量优化、流量管控、质量提高”的要求，推进减量化工作。
二、基本原则
(一)统筹规划原则
依据郊野单元规划，统筹农村地区土地利用和空间布局。
(二)适度补贴原则
鼓励各村积极开展建设用地整理复垦。
"""


def test_a_plan_inside_a_notice_takes_its_own_title_line_joined_and_the_notice_is_neither_section_nor_measure():
    outline = parse_text(NOTICE)
    assert outline.title == "关于贯彻《上海市生活垃圾管理条例》推进全程分类体系建设的实施方案"
    assert titles(outline, 1) == [("一、", "指导思想"), ("二、", "基本原则")]
    everything = outline.preamble + "".join(measure_texts(outline)) + "".join(s.intro for s in outline.walk())
    for wrapper in ("各办、中心", "印发给你们", "头桥街道办事处", "2024年12月19日"):
        assert wrapper not in everything


def test_half_width_labels_are_level_two_under_a_part():
    outline = parse_text(NOTICE)
    assert titles(outline, 2) == [("(一)", "统筹规划原则"), ("(二)", "适度补贴原则")]


REPORT_PAGE = """当前位置：
首页
>
政务信息
>
宁夏要闻
2026年宁夏回族自治区政府工作报告
发表时间：
2026-02-09 09:45:30
来源：
宁夏日报客户端
阅读量：
【字体：
小
中
大
】
政府工作报告
——2026年2月3日在宁夏回族自治区第十三届人民代表大会第四次会议上
自治区人民政府主席 张雨浦
各位代表：
现在，我代表自治区人民政府，向大会报告工作，请予审议，并请自治区政协委员提出意见。
一、2025年工作总结和“十四五”发展成就
过去一年，全区上下全面贯彻习近平新时代中国特色社会主义思想，经济社会发展取得新成效。
二、2026年工作安排
今年是“十五五”开局之年，做好政府工作意义重大。
各位代表！“十五五”蓝图引领未来，现代化目标催人奋进。
扫一扫在手机打开当前页
【
打印本页
】
"""


def test_page_furniture_is_skipped_and_the_report_title_is_the_line_above_its_date_line():
    outline = parse_text(REPORT_PAGE)
    assert outline.title == "政府工作报告"
    assert outline.author == "自治区人民政府主席张雨浦"
    assert titles(outline, 1) == [("一、", "2025年工作总结和“十四五”发展成就"), ("二、", "2026年工作安排")]
    assert outline.closing.startswith("各位代表！")
    assert "打印本页" not in outline.closing + "".join(measure_texts(outline))
    assert "阅读量" not in outline.preamble and "首页" not in outline.preamble


def test_a_report_without_a_title_line_has_an_empty_title():
    outline = parse_file(REAL / "cn_2025_gov_report.txt")
    assert outline.title == ""
    assert outline.preamble.startswith("各位代表：")


RUN_ON = """上海市交通领域精细化管理工作方案（2024-2026年）
根据党中央、市委和市政府关于加强城市管理精细化的重要指示，制定本方案。
一、提升交通设施环境品质
（一）改善城市道路环境。结合城市更新等行动，以城市道路为重点，改善道路环境。
（二）改善农村道路环境。结合农村公路规划建设，改善农村道路环境。
二、提升交通出行服务体验
（三）提升轨道交通服务水平。推进轨道交通站点内部改造。
（四）提升地面公交服务水平。优化公交线网。
"""


def test_numbering_that_runs_on_across_parts_keeps_its_level():
    outline = parse_text(RUN_ON)
    assert titles(outline, 2) == [
        ("（一）", "改善城市道路环境"), ("（二）", "改善农村道路环境"),
        ("（三）", "提升轨道交通服务水平"), ("（四）", "提升地面公交服务水平"),
    ]
    assert [s.title for s in outline.sections[1].sections] == ["提升轨道交通服务水平", "提升地面公交服务水平"]
    assert not [w for w in outline.warnings if w.code == "numbering_jump"]


APPENDIX = """2026年内蒙古自治区政府工作报告
各位代表：
现在，我代表自治区人民政府向大会报告工作，请予审议。
一、全力抓好七项重点工作
大力发展现代能源经济，建设国家重要能源和战略资源基地。
二、把坚持党的全面领导贯穿政府工作各方面全过程
坚定拥护“两个确立”、坚决做到“两个维护”。
各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力书写中国式现代化内蒙古新篇章！
附件
2026年自治区民生实事
1.通过“以工代赈”发放劳务报酬20亿元以上（牵头单位：自治区发展改革委）
2.实现城镇新增就业18万人以上（牵头单位：自治区人力资源社会保障厅）
"""


def test_an_appendix_after_the_body_is_kept_apart_flagged_with_its_lines():
    outline = parse_text(APPENDIX)
    assert titles(outline, 1) == [
        ("一、", "全力抓好七项重点工作"), ("二、", "把坚持党的全面领导贯穿政府工作各方面全过程"),
    ]
    assert outline.closing.startswith("各位代表！让我们")
    [appendix] = outline.appendices
    assert (appendix.appendix, appendix.level, appendix.label, appendix.title) == (True, 1, "附件", "2026年自治区民生实事")
    assert [line for line in appendix.lines if line] == APPENDIX.splitlines()[-4:]
    assert not any("以工代赈" in text for text in measure_texts(outline))
    data = outline.to_dict()
    assert data["appendices"][0]["appendix"] is True and "appendix" not in data["sections"][0]


def test_glossaries_and_numbered_attachments_of_real_documents_are_appendices():
    sc = parse_file(REAL / "sc_2026_gov_report.txt")
    assert [(a.label, a.title) for a in sc.appendices] == [("", "名词解释")]
    bs = parse_file(REAL / "bs_2019_waste_plan.txt")
    assert [a.label for a in bs.appendices] == ["附件1", "附件2", "附件3"]
    assert bs.appendices[0].title == "2019年宝山区生活垃圾分类减量推进工作联席会议成员单位工作任务清单"
    # The task table's cells stay on their own lines for a table reader.
    assert "序号" in bs.appendices[0].lines and "" in bs.appendices[0].lines


def test_a_table_in_the_body_is_dropped_from_the_tree():
    outline = parse_file(REAL / "jd_2024_sponge_plan.txt")
    texts = "".join(measure_texts(outline)) + "".join(s.title + s.intro for s in outline.walk())
    assert "嘉定区海绵城市达标评估推进计划表" not in texts and "达标区域面积" not in texts
    # Table 3's rows pair a short name with a sentence; the table still ends only where running text resumes.
    assert "北虹桥商务区" not in texts and "推进重大工程“+海绵”建设" in texts
    assert [s.title for s in outline.sections] == ["工作目标", "重点任务", "组织保障"]


CLAUSES = (
    "嘉定区盘活低效用地 提升产业能级行动方案\n"
    "一、主要任务\n"
    "（一）推动“依法处置一批”\n"
    "1.加强转让监管。对存量产业用地实行清单式管理，加强产业用地转让事中事后监管，防止\n"
    "炒地行为。（区规划资源局、区经委、区市场监管局）\n"
    "（二）推动“自主转型一批”\n"
    "2.开展企业改扩建。在符合规划条件、产业类型等准入要求的前提下，鼓励企业通过改扩建\n"
    "提升土地利用效率。（区经委、各街镇）\n"
    "3.鼓励转型升级。积极帮助企业申请产业结构调整扶持资金，推动企业转型升级并取得实\n"
    "际成效。（区经委）\n"
)


def test_a_line_ending_in_a_unit_clause_is_not_joined_with_the_next_and_a_heading_is_never_glued_on():
    outline = parse_text(CLAUSES)
    assert titles(outline, 2) == [("（一）", "推动“依法处置一批”"), ("（二）", "推动“自主转型一批”")]
    assert [title for _, title in titles(outline, 3)] == ["加强转让监管", "开展企业改扩建", "鼓励转型升级"]
    first = outline.sections[0].sections[0].sections[0]
    assert "".join(m.text for m in first.measures).startswith("对存量产业用地实行清单式管理")
    assert "防止炒地行为" in "".join(m.text for m in first.measures)
    assert not any("开展企业改扩建" in m.text or "推动“自主转型一批”" in m.text for m in first.measures)


ITEMS = """上海市交通领域持续优化营商环境行动方案（2026年）
为贯彻落实市委、市政府关于持续打造国际一流营商环境的决策部署，制定本方案。
一、服务统一市场建设，打造更加开放的门户枢纽
1.提高交通运输网络通达性。优化完善航空枢纽航线网络，积极拓展国际航线。
2.促进高端航运服务业集聚。推进上海绿色燃料双中心建设。
二、优化政务服务，打造更加便捷的办事环境
3.深化行政审批改革。推进交通建设项目审批“一件事”改革。
"""


def test_numbered_items_directly_under_a_part_are_its_measures_one_per_item():
    outline = parse_text(ITEMS)
    assert titles(outline, 2) == []
    assert [m.text for m in outline.sections[0].measures] == [
        "提高交通运输网络通达性。优化完善航空枢纽航线网络，积极拓展国际航线。",
        "促进高端航运服务业集聚。推进上海绿色燃料双中心建设。",
    ]
    assert [m.text for m in outline.sections[1].measures] == ["深化行政审批改革。推进交通建设项目审批“一件事”改革。"]


def test_unnumbered_part_headings_are_level_one_with_numbered_parts_nested_under_them():
    outline = parse_file(REAL / "nm_2026_gov_report.txt")
    assert titles(outline, 1) == [
        ("", "“十四五”时期发展成就和2025年工作回顾"), ("", "“十五五”时期主要目标和2026年重点工作"),
    ]
    assert [label for label, _ in titles(outline, 2)] == ["一、", "二、", "三、", "四、"]


ORDINALS = """2026年北京市政府工作报告
一、2025年工作回顾
一年来，主要做了以下工作：
一是首都功能持续优化提升。高标准推进“一核两翼”建设。
二是科技创新加快引领新质生产力发展。国际科技创新中心建设加力提速。
基础研究投入持续加大。
二、“十四五”时期发展成就和“十五五”时期主要目标任务
《纲要草案》明确了今后五年的发展目标：一是首都功能持续提升。二是高质量发展迈上新台阶。
"""


def test_yishi_items_opening_their_own_paragraphs_are_level_two_and_inline_ones_are_not():
    outline = parse_text(ORDINALS)
    assert titles(outline, 2) == [("一是", "首都功能持续优化提升"), ("二是", "科技创新加快引领新质生产力发展")]
    assert outline.sections[0].sections[1].measures[-1].text == "基础研究投入持续加大。"
    assert outline.sections[0].intro == "一年来，主要做了以下工作："
    assert [m.text for m in outline.sections[1].measures] == ["首都功能持续提升。", "高质量发展迈上新台阶。"]


def test_lead_phrases_and_summary_lines_on_their_own_lines_are_not_headings():
    outline = parse_file(REAL / "hi_2026_gov_report.txt")
    level2 = [title for _, title in titles(outline, 2)]
    assert len(level2) == 10 and all(label.startswith("（") for label, _ in titles(outline, 2))
    assert not any(t.startswith(("这一年", "产业结构持续优化")) for t in level2)


def test_dash_paragraphs_are_not_headings_and_the_address_to_deputies_is_not_a_measure():
    outline = parse_file(REAL / "gs_2026_gov_report.txt")
    assert not any(s.title.startswith("——") for s in outline.walk())
    assert outline.sections[0].sections == []
    assert "各位代表！" not in measure_texts(outline)


def test_a_label_broken_after_its_opening_bracket_is_read_whole():
    outline = parse_file(REAL / "yn_2026_gov_report.txt")
    assert ("（三）", "改革开放持续深化、互促共进") in titles(outline, 2)


def test_a_data_dump_of_repeated_headings_is_refused_with_a_message_naming_the_problem():
    with pytest.raises(ParseError) as error:
        parse_bytes(("一、标题\n" * 1_000_000).encode(), filename="dump.txt")
    assert error.value.code == "too_many_paragraphs"
    assert "dump.txt" in str(error.value) and "1000000 段" in str(error.value)
