"""What a measure commits to: targets, deadlines and the named programmes it serves.

Everything here reads one sentence with a handful of linear regular
expressions; numbers written in Chinese go through cn2an.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

import chinese_calendar
import cn2an

from .labels import chinese_number
from .model import Deadline, Target
from .text import CJK

_CN_NUM = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = rf"[0-9]+(?:\.[0-9]+)?|[{_CN_NUM}]+(?:点[{_CN_NUM}]+)?"
# Longest first, so that 人次 wins over 人 and 个工作日 over 个. 万 and 亿 stay
# in the unit as written: “180亿元” is 180 in 亿元, the way the plan counts
# and a supervisor reads it, never 18000000000 in 元.
_UNITS = sorted(
    "个百分点 平方公里 平方米 立方米 微克/立方米 毫克/立方米 千瓦时 千瓦 兆瓦 吨 千克 公斤 人次 家次 户次 人 元 美元 "
    "公里 千米 米 公顷 亩 家 个 项 所 户 套 座 条 件 辆 张 部门 部 核 床 处 名 场 次 篇 台 株 棵 间 幢 栋 份 批 期 "
    "天 小时 个工作日 工作日 倍 % ％ ‰ 岁 年 个月 周".split(),
    key=len, reverse=True,
)
_QUANTITY = re.compile(rf"({_NUMBER})\s*([万亿]?(?:{'|'.join(map(re.escape, _UNITS))}))(以上|以内|以下|左右|及以上|内)?")
# Units that only count after Arabic digits: “一核两翼” is a slogan, not a CPU count.
_ARABIC_ONLY = {"核"}
_DURATIONS = {"个月", "天", "周", "小时", "个工作日", "工作日"}
# comparison: what kind of change the verb before the number asks for.
_VERBS = {
    "new": "新增 新建 新开工 新引进 新培育 新认定 新创建 新成立 新招引 新改建 新招 引进 培育 招引",
    "increase": "增长 增加 提高 提升 上升 增幅 增速 扩大",
    "decrease": "下降 减少 降低 压减 削减 缩短 压缩 减负",
    "reach": "达到 达 实现 保持 稳定在 覆盖 突破 超过",
    "control": "控制在",
    "total": "累计 总计 共计 完成投资 总投资 投资 完成 建成 建设 改造 整治 创建 开展 举办 落地 实施 推进 打造 "
             "组织 培训 发放 提供 帮扶 安排 推出 淘汰 关闭 招聘 走访 竣工",
}
_VERB = re.compile("|".join(sorted((v for vs in _VERBS.values() for v in vs.split()), key=len, reverse=True)))
_VERB_KIND = {v: kind for kind, vs in _VERBS.items() for v in vs.split()}
# bound: the limit the number sets, from a word after it (以上) or before it
# (不少于). Some verbs carry a bound of their own: 突破 and 超过 reach beyond
# the number, 控制在 keeps under it.
_BOUND_AFTER = {"以上": "at_least", "及以上": "at_least", "以内": "at_most", "内": "at_most", "以下": "at_most", "左右": "about"}
_BOUND_BEFORE = re.compile(r"不少于|不低于|至少|超过|突破|不超过|不高于|低于|少于|控制在")
_BOUND_BEFORE_KIND = {"不少于": "at_least", "不低于": "at_least", "至少": "at_least", "超过": "at_least", "突破": "at_least",
                      "不超过": "at_most", "不高于": "at_most", "低于": "at_most", "少于": "at_most", "控制在": "at_most"}
# How far back the verb of a number may stand: within its clause.
_WINDOW = 24
_CLAUSE_END = re.compile(r"[，。；：,;:！？]")
_RANK = re.compile(
    r"(争创|创成|成功创建|创建成为|争取创建|获评|入选|跻身|争当|争做|进入|获得|打造成为|建成)([^，。；、！？,;\s]{2,30})"
)
_RANK_SCOPE = re.compile(r"全国|全省|全市|国家|省级|省|市级|示范|先进|排头兵|前列|前[0-9一二三四五六七八九十]+|称号|奖|第一|标杆|样板|百强|十强|强县|强区")
_ALWAYS_RANK = {"争创", "创成", "成功创建", "创建成为", "争取创建", "获评", "入选", "跻身"}
_TOP_N = re.compile(r"前([0-9]+|[一二三四五六七八九十]+)")


def targets(text: str) -> list[Target]:
    quoted = _quoted_spans(text)
    found: list[Target] = []
    previous_end = 0
    for m in _QUANTITY.finditer(text):
        start = m.start()
        before = text[start - 1:start]
        # Numbers in slogans, ordinals (第3), decimals' tails and names such
        # as PM2.5, 5G or G60 are not quantities.
        if any(a <= start < b for a, b in quoted) or before in ("第", ".") or before.isdigit() or (before.isascii() and before.isalpha()):
            continue
        number, unit, after = m.group(1), m.group(2), m.group(3) or ""
        chinese = not number[0].isdigit()
        if unit == "年" or (unit in _DURATIONS and not after) or (chinese and unit in _ARABIC_ONLY):
            continue
        clause = [c.end() for c in _CLAUSE_END.finditer(text, max(0, start - _WINDOW), start)]
        window_start = clause[-1] if clause else max(0, start - _WINDOW)
        window = text[window_start:start]
        # An item of a 、 list that has a verb of its own uses it; one without
        # shares the verb of the list (“新建托育点2个、助餐点3个”).
        item = max(window.rfind("、") + 1, previous_end - window_start, 0)
        verbs = list(_VERB.finditer(window, item)) or list(_VERB.finditer(window))
        # The verb next to the number says what kind of change it is; “total”
        # verbs (建设, 投资) double as nouns, so they count only when nothing else does.
        telling = [v for v in verbs if _VERB_KIND[v.group(0)] != "total"]
        verb = telling[-1] if telling else (verbs[0] if verbs else None)
        limits = list(_BOUND_BEFORE.finditer(window))
        limit = limits[-1] if limits else None
        # A Chinese numeral with nothing around it is prose (“三大产业”), and
        # 一 before a measure word is an article (“一个”, “一座”).
        if chinese and not verb and not after and not limit:
            continue
        value = _value(number)
        if value is None or (chinese and value == 1):
            continue
        comparison = _VERB_KIND[verb.group(0)] if verb else "amount"
        bound = _BOUND_AFTER.get(after) or (_BOUND_BEFORE_KIND[limit.group(0)] if limit else "")
        # The span starts at the verb or the bound word, but within the item
        # of a 、 list when the verb was shared with the item before.
        offset = min((w.start() for w in (verb, limit) if w), default=len(window))
        span_start = max(window_start + offset, previous_end)
        while span_start < start and text[span_start] in "、和及与 ":
            span_start += 1
        found.append(Target("quantity", text[span_start:m.end()], value, unit, comparison, bound))
        previous_end = m.end()
    for m in _RANK.finditer(text):
        verb, rest = m.group(1), m.group(2)
        if verb not in _ALWAYS_RANK and not _RANK_SCOPE.search(rest):
            continue
        top = _TOP_N.search(rest)
        value = float(chinese_number(top.group(1)) or 0) if top else None
        found.append(Target("rank", text[m.start():m.end()], value, "", "rank_within" if top else "win"))
    return found


def _value(number: str) -> float | None:
    try:
        if number[0].isdigit():
            return float(number)
        return float(cn2an.cn2an(number, "smart"))
    except (ValueError, KeyError):
        return None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"“[^“”]{0,40}”", text)]


# --- deadlines -------------------------------------------------------------

_MONTH = r"[0-9]{1,2}|十[一二]?|[一二三四五六七八九]"
_BY = r"(?:前|以前|之前)"
# A 年 that follows a number is a count of years (“三年内”), not this year.
_NOT_COUNTED = r"(?<![0-9〇一二三四五六七八九十两几多半])"
_DEADLINE = re.compile(
    r"(?P<range>(?P<range_from>20[0-9]{2})\s*年?\s*[-—–~～至到]\s*(?P<range_to>20[0-9]{2})\s*年)"
    rf"|(?P<byyear>(?:到|至|于|截至|截止到|在)\s*(?P<by_y1>20[0-9]{{2}})\s*年(?:底|末)?{_BY}?"
    rf"|(?P<by_y2>20[0-9]{{2}})\s*年(?:(?:底|末){_BY}?|{_BY}|内))"
    rf"|(?P<day>(?P<day_m>{_MONTH})月(?P<day_d>[0-9]{{1,2}})日{_BY}?)"
    rf"|(?P<month>(?P<month_m>{_MONTH})月(?P<month_part>上旬|中旬|下旬|底|末|份)?(?P<month_by>{_BY}|内)?)"
    rf"|(?P<quarter>第?(?P<quarter_n>[一二三四1-4])季度(?P<quarter_end>末|底)?(?P<quarter_by>{_BY})?)"
    r"|(?P<half>(?P<half_which>上|下)半年)"
    rf"|(?P<midyear>{_NOT_COUNTED}(?<![今去明])年中{_BY}?(?![央秋心国小学期]))"
    rf"|(?P<nextyear>(?:明年|次年)(?P<next_end>底|末)?(?P<next_by>{_BY}|内)?)"
    rf"|(?P<yearend>{_NOT_COUNTED}(?:年底{_BY}?|年末{_BY}?|今年内|本年度内|年度内|年内))"
    rf"|(?P<festival>春节{_BY})"
    rf"|(?P<flood>(?:主?汛期|入汛|汛){_BY})"
    r"|(?P<whole>全年|本年度|当年)"
    # Inside a longer word (可持续, 超长期, 中长期) these are not adverbs of time.
    r"|(?P<ongoing>(?<![可超中较])(?:持续|长期)|常态化|长效|常抓不懈|久久为功)"
)
# The main flood season (主汛期) of most of China, the south-east included,
# runs June to September, and 汛前 checks are due by the end of May.
_FLOOD_SEASON_STARTS = (6, 1)
# Lunar New Year falls between January 21 and February 20; for a year the
# holiday calendar does not know yet, “春节前” is dated by the earliest day
# it can fall on, so a deadline is never later than the real one.
_EARLIEST_SPRING_FESTIVAL = (1, 21)


# A year written just before a month, a quarter or a half (2026年6月底前,
# 2027年上半年) is the year of that limit, not the plan's.
_WRITTEN_YEAR = re.compile(r"(20[0-9]{2})\s*年\s*$")
_DATED_IN_YEAR = {"day", "month", "quarter", "half", "midyear", "festival", "flood"}


def deadline(text: str, year: int) -> Deadline | None:
    """The first time limit in the sentence; open-ended wording only when there is none.

    A month, quarter or half-year is in the plan's ``year`` unless the text
    writes another year right before it (2026年6月底前 in a 2019 plan ends
    on 30 June 2026; the work still starts in the plan's year).
    """
    fallback = None
    for m in _DEADLINE.finditer(text):
        written = _WRITTEN_YEAR.search(text, max(0, m.start() - 8), m.start()) if m.lastgroup in _DATED_IN_YEAR else None
        if written and int(written.group(1)) != year:
            found = _deadline_from(m, int(written.group(1)), text[written.start():m.end()])
            if found is not None and found.kind == "by":
                found = Deadline(found.text, min(found.start, date(year, 1, 1)), found.end, found.kind)
        else:
            found = _deadline_from(m, year, m.group(0))
        if found is None:
            continue
        if found.kind in ("ongoing", "year"):
            fallback = fallback or found
            continue
        return found
    return fallback


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def spring_festival_holiday(year: int) -> date:
    """The first day of the Spring Festival holiday in ``year`` (chinese-calendar's table)."""
    days = [d for d, name in chinese_calendar.constants.holidays.items()
            if d.year == year and d.month <= 2 and name == chinese_calendar.Holiday.spring_festival.value]
    return min(days) if days else date(year, *_EARLIEST_SPRING_FESTIVAL)


def _deadline_from(m: re.Match, year: int, text: str) -> Deadline | None:
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    kind = m.lastgroup
    if kind == "range":
        first, last = int(m.group("range_from")), int(m.group("range_to"))
        if first > last:
            return None
        return Deadline(text, date(first, 1, 1), date(last, 12, 31), "during")
    if kind == "byyear":
        target = int(m.group("by_y1") or m.group("by_y2"))
        return Deadline(text, min(jan1, date(target, 1, 1)), date(target, 12, 31), "by")
    if kind == "day":
        month, day = chinese_number(m.group("day_m")), int(m.group("day_d"))
        if not month or not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return Deadline(text, jan1, date(year, month, day), "by")
    if kind == "month":
        month = chinese_number(m.group("month_m"))
        if not month or not 1 <= month <= 12:
            return None
        part, by = m.group("month_part"), m.group("month_by")
        first, last = date(year, month, 1), _month_end(year, month)
        if part in ("上旬", "中旬", "下旬"):
            # 上旬 is days 1–10, 中旬 11–20, 下旬 21 to the month's end.
            tenth = "上中下".index(part[0])
            first = date(year, month, 1 + 10 * tenth)
            last = last if tenth == 2 else date(year, month, 10 * (tenth + 1))
        if part in ("底", "末") or by:
            return Deadline(text, jan1, last, "by")
        return Deadline(text, first, last, "during")
    if kind == "quarter":
        last_month = 3 * chinese_number(m.group("quarter_n"))
        if m.group("quarter_end") or m.group("quarter_by"):
            return Deadline(text, jan1, _month_end(year, last_month), "by")
        return Deadline(text, date(year, last_month - 2, 1), _month_end(year, last_month), "during")
    if kind == "half":
        if m.group("half_which") == "上":
            return Deadline(text, jan1, date(year, 6, 30), "during")
        return Deadline(text, date(year, 7, 1), dec31, "during")
    if kind == "midyear":
        return Deadline(text, jan1, date(year, 6, 30), "by")
    if kind == "nextyear":
        if m.group("next_end") or m.group("next_by"):
            return Deadline(text, jan1, date(year + 1, 12, 31), "by")
        return Deadline(text, date(year + 1, 1, 1), date(year + 1, 12, 31), "during")
    if kind == "yearend":
        return Deadline(text, jan1, dec31, "by")
    if kind == "festival":
        return Deadline(text, jan1, spring_festival_holiday(year) - timedelta(days=1), "by")
    if kind == "flood":
        return Deadline(text, jan1, date(year, *_FLOOD_SEASON_STARTS) - timedelta(days=1), "by")
    if kind == "whole":
        return Deadline(text, jan1, dec31, "year")
    return Deadline(text, jan1, dec31, "ongoing")


# --- the plan year -----------------------------------------------------------

_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})\s*年(?!代)")
_YEAR_HORIZON = re.compile(r"(?:到|至|截至|[-—–~～])\s*$")


def plan_year(title: str, text: str) -> int | None:
    """The year the plan is for: in its title, else the year the text names most."""
    for m in _YEAR.finditer(title):
        return int(m.group(1))
    years = Counter()
    first: dict[int, int] = {}
    for m in _YEAR.finditer(text):
        # "到2025年" names a horizon, not the year the plan is for.
        if _YEAR_HORIZON.search(text[max(0, m.start() - 3):m.start()]):
            continue
        year = int(m.group(1))
        years[year] += 1
        first.setdefault(year, m.start())
    if not years:
        return None
    return max(years, key=lambda y: (years[y], -first[y]))


# --- named programmes ----------------------------------------------------------

_QUOTES = (re.compile(r"“([^“”]{1,24})”"), re.compile(r"‘([^‘’]{1,16})’"))
_COUNT = re.compile(r"[0-9]|[二三四五六七八九十百千万双两]|一(?=[次个号张条项批网件码拆站窗])")
_AFTER_DIGITS = re.compile(rf"[{CJK}]{{0,4}}(?:体系|工程|行动|计划|战略|模式|格局|机制|产业|平台)")
# Five-year planning periods are dates, not lines of work.
_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]?五(?:规划|时期)?")
# The noun a programme's name ends with, or that follows it within a few
# characters (“强链补链”行动, “拿地即开工”“交地即发证”审批服务模式). 建设 and 品牌
# are left out: they follow any noun (国字号“金字招牌”建设, 做大“红船”品牌).
_PROGRAMME_NOUN = "行动|工程|改革|活动|攻坚|计划|体系|机制|模式|专项|战略|试点|战役|会战"
_NOUN_AFTER = re.compile(rf"[{CJK}]{{0,4}}?(?:{_PROGRAMME_NOUN})")
_NOUN_AT_END = re.compile(rf"(?:{_PROGRAMME_NOUN}|年)$")
# The verbs that carry out a line of work, right before its name (实施“学在南湖”…,
# 深化“强村公司”改革, 推进“红色物业”建设).
_CARRIED_BY = re.compile(r"(?:实施|实行|推行|深化|开展|推进|启动|抓牢|打好|打响)$")
# A quote right after these names a result to achieve (实现“双增长”), not work.
_OUTCOME_OF = re.compile(r"(?:实现|达到|确保)$")


def programme_mentions(text: str) -> list[tuple[str, str]]:
    """Named programmes in ``text``: (name, text as written), in order.

    A programme is a quoted name of a line of work. Quotation marks also set
    off concepts (“获得感”, “全面小康”), roles (“护旗手”) and lists (“首创、奋斗、
    奉献”), so a quoted phrase is a programme only with a cue that it names
    work: it counts something (“四个年”, “三改一拆”, “1341”), joins two things
    with + (“标准地+承诺制”), ends with or is followed by a programme noun
    (“科技创新攻坚年”, “强链补链”行动), or is the object of a verb that carries
    out work (实行“拿地即开工”). Adjacent quotes (“拿地即开工”“交地即发证”) share
    what stands before and after them. Planning periods (“十四五”), ordinals
    (“第一议题”) and results to achieve (实现“双增长”) are not programmes; a
    quote holding a quote counts only its inner slogan.
    """
    found = []
    for pattern in _QUOTES:
        found += _mentions(text, list(pattern.finditer(text)))
    return [(name, written) for _, name, written in sorted(found)]


def _mentions(text: str, quotes: list[re.Match]) -> list[tuple[int, str, str]]:
    # Where the run of adjacent quotes each quote belongs to starts and ends,
    # in two linear passes.
    run_first = list(range(len(quotes)))
    for i in range(1, len(quotes)):
        if quotes[i - 1].end() == quotes[i].start():
            run_first[i] = run_first[i - 1]
    run_last = list(range(len(quotes)))
    for i in range(len(quotes) - 2, -1, -1):
        if quotes[i].end() == quotes[i + 1].start():
            run_last[i] = run_last[i + 1]
    found = []
    for i, m in enumerate(quotes):
        inner = m.group(1)
        if "‘" in inner or "’" in inner or inner.startswith("第") or re.search(r"[、，,。；—–]", inner):
            continue
        name = re.sub(r"\s+", "", inner)
        if not 2 <= len(name) <= 16 or _PLAN_PERIOD.fullmatch(name):
            continue
        first, last = run_first[i], run_last[i]
        before = text[max(0, quotes[first].start() - 4):quotes[first].start()]
        after_at = quotes[last].end()
        if _OUTCOME_OF.search(before):
            continue
        named = (
            _COUNT.search(name) or "+" in name or "＋" in name or _NOUN_AT_END.search(name)
            or _NOUN_AFTER.match(text, after_at) or _CARRIED_BY.search(before)
        )
        if not named:
            continue
        end = m.end()
        if name.isdigit():
            tail = _AFTER_DIGITS.match(text, m.end())
            if tail:
                name += tail.group(0)
                end = tail.end()
        found.append((m.start(), name, text[m.start():end]))
    return found


def variant_of(name: str, earlier: str) -> bool:
    """Whether ``name``, mentioned after the programme ``earlier``, names an aim of it.

    A variant has the same length and the same last three characters:
    “高效跑一次”“就近跑一次”“不用跑一次” are the aims of “最多跑一次”, not three
    more programmes.
    """
    return name != earlier and len(name) == len(earlier) >= 4 and name[-3:] == earlier[-3:]
