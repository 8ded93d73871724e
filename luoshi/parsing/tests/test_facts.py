"""Targets, deadlines, named programmes and the plan year, one sentence at a time."""
from datetime import date

import pytest

from luoshi.parsing import parse_text
from luoshi.parsing.facts import deadline, plan_year, programme_mentions, targets


def quantity(text):
    [target] = [t for t in targets(text) if t.kind == "quantity"]
    return target.text, target.value, target.unit, target.comparison, target.bound


@pytest.mark.parametrize("text, expected", [
    ("年底前新增规模以上工业企业15家。", ("新增规模以上工业企业15家", 15.0, "家", "new", "")),
    ("规上工业增加值增长8%以上。", ("增长8%以上", 8.0, "%", "increase", "at_least")),
    ("农村卫生厕所普及率达到95%。", ("达到95%", 95.0, "%", "reach", "")),
    ("全年完成投资50亿元。", ("完成投资50亿元", 50.0, "亿元", "total", "")),
    ("城镇调查失业率控制在5.5%以内。", ("控制在5.5%以内", 5.5, "%", "control", "at_most")),
    ("开展职业技能培训1.2万人次。", ("开展职业技能培训1.2万人次", 1.2, "万人次", "total", "")),
    ("新增学位四千个。", ("新增学位四千个", 4000.0, "个", "new", "")),
    ("地区生产总值增长6.5%左右。", ("增长6.5%左右", 6.5, "%", "increase", "about")),
    ("审批时间压缩至15个工作日以内。", ("压缩至15个工作日以内", 15.0, "个工作日", "decrease", "at_most")),
    ("每月到现场调度不少于1次。", ("不少于1次", 1.0, "次", "amount", "at_least")),
    ("力争全县新材料产业产值突破200亿元。", ("突破200亿元", 200.0, "亿元", "reach", "at_least")),
    ("人口自然增长率控制在5‰。", ("控制在5‰", 5.0, "‰", "control", "at_most")),
    ("争取专项债券资金15亿元以上。", ("15亿元以上", 15.0, "亿元", "amount", "at_least")),
    ("衔接资金用于产业发展的比例不低于60%。", ("不低于60%", 60.0, "%", "amount", "at_least")),
])
def test_it_reads_quantities_with_their_unit_and_comparison(text, expected):
    assert quantity(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("完成年度投资180亿元以上。", ("完成年度投资180亿元以上", 180.0, "亿元", "total", "at_least")),
    ("全年粮食播种面积稳定在52万亩以上。", ("稳定在52万亩以上", 52.0, "万亩", "reach", "at_least")),
    ("开展职业技能培训1.2万人次。", ("开展职业技能培训1.2万人次", 1.2, "万人次", "total", "")),
    ("集体经济经营性收入达到20万元以上。", ("达到20万元以上", 20.0, "万元", "reach", "at_least")),
    ("新增分布式光伏装机容量5万千瓦。", ("新增分布式光伏装机容量5万千瓦", 5.0, "万千瓦", "new", "")),
    ("脱贫劳动力务工规模稳定在2.3万人以上。", ("稳定在2.3万人以上", 2.3, "万人", "reach", "at_least")),
])
def test_wan_and_yi_stay_in_the_unit_as_written(text, expected):
    assert quantity(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("新增加装电梯20部；", ("新增加装电梯20部", 20.0, "部", "new", "")),
    ("上半年完成县级政务云扩容，计算资源达到2000核以上。", ("达到2000核以上", 2000.0, "核", "reach", "at_least")),
    ("全年细颗粒物（PM2.5）平均浓度控制在28微克/立方米以下。",
     ("控制在28微克/立方米以下", 28.0, "微克/立方米", "control", "at_most")),
    ("一般问题5个工作日内办结。", ("5个工作日内", 5.0, "个工作日", "amount", "at_most")),
    ("全年走访辖区企业不少于200家次。", ("走访辖区企业不少于200家次", 200.0, "家次", "total", "at_least")),
    ("新培育带动脱贫户增收的农业经营主体15个。", ("新培育带动脱贫户增收的农业经营主体15个", 15.0, "个", "new", "")),
])
def test_it_finds_targets_the_corpus_showed_missing(text, expected):
    assert quantity(text) == expected


def test_each_item_of_a_list_takes_its_own_verb_or_the_lists():
    found = [(t.text, t.comparison) for t in targets("力争新开工项目45个、竣工投产项目32个。新建托育点2个、助餐点3个。")]
    assert found == [("新开工项目45个", "new"), ("竣工投产项目32个", "total"), ("新建托育点2个", "new"), ("助餐点3个", "new")]


def test_comparison_never_repeats_the_bound():
    text = "争取资金15亿元以上，产值突破200亿元，失业率控制在5.5%以内，比例不低于60%，增长8%左右。"
    found = targets(text)
    assert {t.comparison for t in found} <= {"new", "increase", "decrease", "reach", "control", "total", "amount"}
    assert [t.bound for t in found] == ["at_least", "at_least", "at_most", "at_least", "about"]


@pytest.mark.parametrize("text, expected", [
    ("争创全国义务教育优质均衡发展区。", ("争创全国义务教育优质均衡发展区", None, "win")),
    ("创成省级森林城市。", ("创成省级森林城市", None, "win")),
    ("力争进入全国百强县前50位。", ("进入全国百强县前50位", 50.0, "rank_within")),
])
def test_it_reads_titles_and_ranks_to_win(text, expected):
    [target] = targets(text)
    assert (target.kind, target.text, target.value, target.comparison) == ("rank", *expected)


@pytest.mark.parametrize("text", [
    "2025年是“十四五”规划收官之年。",
    "构筑“1341”产业体系，推动“四个年”活动。",
    "推动一个项目落地，形成一批工作亮点。",
    "坚持“双招双引”一号工程地位不动摇。",
    "进入新发展阶段。",
    "全年细颗粒物（PM2.5）平均浓度下降。",
    "新建5G基站，建设G60科创走廊。",
    "打造一核两翼发展格局，建成一座新城。",
])
def test_years_slogans_and_articles_are_not_targets(text):
    assert targets(text) == []


Y = 2024


@pytest.mark.parametrize("text, span, start, end, kind", [
    ("年底前完成改造。", "年底前", date(Y, 1, 1), date(Y, 12, 31), "by"),
    ("上半年投入使用。", "上半年", date(Y, 1, 1), date(Y, 6, 30), "during"),
    ("三季度完成验收。", "三季度", date(Y, 7, 1), date(Y, 9, 30), "during"),
    ("6月底前全面开工。", "6月底前", date(Y, 1, 1), date(Y, 6, 30), "by"),
    ("到2025年实现全覆盖。", "到2025年", date(Y, 1, 1), date(2025, 12, 31), "by"),
    ("全年接待游客800万人次。", "全年", date(Y, 1, 1), date(Y, 12, 31), "year"),
    ("持续推进城乡融合。", "持续", date(Y, 1, 1), date(Y, 12, 31), "ongoing"),
    ("长期坚持人才优先。", "长期", date(Y, 1, 1), date(Y, 12, 31), "ongoing"),
    ("9月30日前完成。", "9月30日前", date(Y, 1, 1), date(Y, 9, 30), "by"),
    ("第一季度末前开工。", "第一季度末前", date(Y, 1, 1), date(Y, 3, 31), "by"),
    ("2024—2026年分步实施。", "2024—2026年", date(2024, 1, 1), date(2026, 12, 31), "during"),
    ("十二月底前完成。", "十二月底前", date(Y, 1, 1), date(Y, 12, 31), "by"),
    ("5月份举办。", "5月份", date(Y, 5, 1), date(Y, 5, 31), "during"),
])
def test_it_dates_deadlines_in_the_plan_year(text, span, start, end, kind):
    found = deadline(text, Y)
    assert (found.text, found.start, found.end, found.kind) == (span, start, end, kind)


@pytest.mark.parametrize("text, span, start, end, kind", [
    ("汛期前完成全县所有重点企业应急预案修订备案。", "汛期前", date(Y, 1, 1), date(Y, 5, 31), "by"),
    ("汛前完成河道清淤。", "汛前", date(Y, 1, 1), date(Y, 5, 31), "by"),
    # The 2024 Spring Festival holiday began on February 10.
    ("春节前发放到位。", "春节前", date(Y, 1, 1), date(Y, 2, 9), "by"),
    ("年中前完成评估。", "年中前", date(Y, 1, 1), date(Y, 6, 30), "by"),
    ("一季度末完成招标。", "一季度末", date(Y, 1, 1), date(Y, 3, 31), "by"),
    ("11月中旬举办博览会。", "11月中旬", date(Y, 11, 11), date(Y, 11, 20), "during"),
    ("3月上旬前完成部署。", "3月上旬前", date(Y, 1, 1), date(Y, 3, 10), "by"),
    ("2月下旬开展检查。", "2月下旬", date(Y, 2, 21), date(Y, 2, 29), "during"),
    ("9月份开学投用。", "9月份", date(Y, 9, 1), date(Y, 9, 30), "during"),
    ("当年开工当年投产。", "当年", date(Y, 1, 1), date(Y, 12, 31), "year"),
    ("本年度完成验收。", "本年度", date(Y, 1, 1), date(Y, 12, 31), "year"),
    ("2026年底建成投用。", "2026年底", date(Y, 1, 1), date(2026, 12, 31), "by"),
    ("明年全面推广。", "明年", date(Y + 1, 1, 1), date(Y + 1, 12, 31), "during"),
    ("明年底前实现全覆盖。", "明年底前", date(Y, 1, 1), date(Y + 1, 12, 31), "by"),
    ("2025年—2027年滚动实施。", "2025年—2027年", date(2025, 1, 1), date(2027, 12, 31), "during"),
    ("2025-2027年滚动实施。", "2025-2027年", date(2025, 1, 1), date(2027, 12, 31), "during"),
    ("推进常态化监管。", "常态化", date(Y, 1, 1), date(Y, 12, 31), "ongoing"),
    ("完善长效机制。", "长效", date(Y, 1, 1), date(Y, 12, 31), "ongoing"),
])
def test_it_dates_the_common_forms_of_deadline(text, span, start, end, kind):
    found = deadline(text, Y)
    assert (found.text, found.start, found.end, found.kind) == (span, start, end, kind)


@pytest.mark.parametrize("text, span, start, end, kind", [
    ("2026年6月底前建成投用。", "2026年6月底前", date(Y, 1, 1), date(2026, 6, 30), "by"),
    ("2027年上半年完成验收。", "2027年上半年", date(2027, 1, 1), date(2027, 6, 30), "during"),
    ("2025年三季度末前完成。", "2025年三季度末前", date(Y, 1, 1), date(2025, 9, 30), "by"),
    ("2026年3月31日前完成。", "2026年3月31日前", date(Y, 1, 1), date(2026, 3, 31), "by"),
    # The plan's own year written out changes nothing.
    (f"{Y}年6月底前全面开工。", "6月底前", date(Y, 1, 1), date(Y, 6, 30), "by"),
])
def test_a_year_written_before_a_month_or_quarter_is_that_limit_s_year(text, span, start, end, kind):
    found = deadline(text, Y)
    assert (found.text, found.start, found.end, found.kind) == (span, start, end, kind)


def test_spring_festival_uses_the_holiday_calendar_and_never_a_later_day():
    assert deadline("春节前完成。", 2018).end == date(2018, 2, 14)
    assert deadline("春节前完成。", 2090).end == date(2090, 1, 20)


@pytest.mark.parametrize("text", [
    "积极争取中央预算内投资和超长期特别国债资金。",
    "编制中长期发展规划。",
    "推动经济可持续发展。",
    "将营商环境工作纳入年度综合考核。",
    "力争三年内完成改造。",
    "学习2024年中央经济工作会议精神。",
    "加强汛期防汛排涝准备。",
])
def test_words_that_only_contain_a_time_word_are_not_deadlines(text):
    assert deadline(text, Y) is None


def test_a_time_limit_is_not_hidden_by_a_word_that_contains_one():
    assert deadline("争取超长期特别国债资金，全年争取上级资金20亿元以上。", Y).text == "全年"


def test_a_fixed_time_limit_wins_over_open_ended_wording():
    assert deadline("持续推进改造，年底前完成80%。", Y).text == "年底前"


def test_impossible_dates_are_not_deadlines():
    assert deadline("13月底前完成。", Y) is None
    assert deadline("2月30日前完成。", Y) is None
    assert deadline("加强组织领导。", Y) is None


def test_a_programme_is_a_quoted_slogan_that_counts_something():
    text = "深化“四个年”，推进“五水共治”“三改一拆”“最多跑一次”，构筑“1341”产业体系，深化“‘双招双引’突破年”。"
    assert programme_mentions(text) == [
        ("四个年", "“四个年”"), ("五水共治", "“五水共治”"), ("三改一拆", "“三改一拆”"),
        ("最多跑一次", "“最多跑一次”"), ("1341产业体系", "“1341”产业体系"), ("双招双引", "‘双招双引’"),
    ]


def test_plain_quotes_and_ordinals_are_not_programmes():
    assert programme_mentions("展示“全面小康”的样本，做大“红船”品牌，为“第一个百年目标”贡献力量，围绕“产业兴旺、生态宜居”。") == []


@pytest.mark.parametrize("text, name", [
    ("实施制造业“强链补链”行动，新增规上企业30家。", "强链补链"),
    ("深化“标准地+承诺制”改革。", "标准地+承诺制"),
    ("新出让工业用地全部实行“拿地即开工”。", "拿地即开工"),
    ("深化“强村公司”改革，年底前收入达到20万元以上。", "强村公司"),
    ("深化“网格+楼栋”治理模式。", "网格+楼栋"),
    ("推进“红色物业”建设，新成立业主委员会12个。", "红色物业"),
    ("实施“学在南湖”品牌行动", "学在南湖"),
    ("强化创新驱动，开展“科技创新攻坚年”。", "科技创新攻坚年"),
    ("加强“红色资源+”的探索力度。", "红色资源+"),
])
def test_a_quoted_name_with_a_cue_that_it_names_work_is_a_programme(text, name):
    assert [n for n, _ in programme_mentions(text)] == [name]


def test_adjacent_quotes_share_the_cue_after_them():
    assert [n for n, _ in programme_mentions("推行“拿地即开工”“交地即发证”审批服务模式。")] == ["拿地即开工", "交地即发证"]


@pytest.mark.parametrize("text", [
    "2025年是“十四五”规划收官之年，也是谋划“十五五”发展的关键之年。",
    "构建“亲”“清”新型政商关系。",
    "聚焦“获得感”提升，着力展示美好南湖新魅力。",
    "展示出“全面小康”的南湖样本。",
    "强化“护旗手”担当，着力打造红色领航新高地。",
    "围绕红船精神的“首创、奋斗、奉献”内涵。",
    "推进国字号“金字招牌”建设。",
    "争取省市重点项目投资额实现“双增长”。",
    "建立“收集—交办—督办—销号”闭环机制。",
    "严格落实“第一议题”制度。",
])
def test_concepts_periods_lists_and_results_are_not_programmes(text):
    assert programme_mentions(text) == []


def test_a_fragment_or_variant_of_a_programme_is_that_programme():
    outline = parse_text(
        "要点\n一、政务服务\n以“高效办成一件事”为牵引，推动服务提质。\n"
        "（一）集成服务\n推出“一件事”集成服务20项。\n"
        "（二）改革\n以“最多跑一次”改革为重点，加快推进“高效跑一次”“就近跑一次”“不用跑一次”。\n"
    )
    assert [(p.name, p.measure_ids) for p in outline.programmes] == [
        ("高效办成一件事", ["1.1.1", "1.2.1"]), ("最多跑一次", ["1.2.1"]),
    ]
    assert outline.sections[0].sections[1].measures[0].programmes == ["高效办成一件事", "最多跑一次"]


def test_a_programme_named_in_a_heading_covers_every_measure_below_it():
    outline = parse_text("一、深化“五水共治”\n（一）治污\n建成污水管网10公里。\n（二）护河\n河长制全覆盖。\n二、其他\n办好实事。\n")
    [programme] = outline.programmes
    assert (programme.name, programme.measure_ids) == ("五水共治", ["1.1.1", "1.2.1"])
    assert outline.sections[0].sections[1].measures[0].programmes == ["五水共治"]


def test_the_plan_year_comes_from_the_title_then_the_most_named_year():
    assert plan_year("云湖区2025年工作要点", "2024年成绩显著。") == 2025
    assert plan_year("工作要点", "2023年成绩显著。2024年是关键之年，2024年要再上台阶，到2030年基本实现。") == 2024
    assert plan_year("工作要点", "今年要再上台阶。") is None


def test_year_option_overrides_the_year_in_the_text():
    text = "2025年工作要点\n一、建设\n年底前建成道路5公里。\n二、民生\n新建幼儿园3所。\n"
    assert parse_text(text).year == 2025
    outline = parse_text(text, year=2030)
    assert outline.year == 2030
    assert outline.sections[0].measures[0].deadline.end == date(2030, 12, 31)
