"""Responsibility clauses: who a measure names as 牵头 and 配合 units.

Plans name the units at the end of a measure, in a handful of shapes:
``（牵头单位：…；配合单位：…）``, ``（责任单位：…）``, ``（区发改委牵头，区财政局配合）``,
a bare list of unit names in brackets ``（区规划资源局、各街镇）``, a trailing
``责任部门：…`` or ``…按职责分工负责``, or the same clause on a line of its own
after the paragraph it belongs to. ``split_clause`` cuts the clause off and
reads the units as written; matching them to the unit directory is the
importer's job.

Only units the clause marks as 牵头 are lead units. A lead is never guessed
from the order of a list, with one exception the wording itself makes: a
``责任单位`` next to a ``配合单位`` is the unit the 配合 units help, so it leads.
"""
from __future__ import annotations

import re

from .model import Responsibility

_LEAD_LABELS = ("牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位", "牵头处室")
_CO_LABELS = ("配合单位", "配合部门", "协办单位", "协同单位", "参与单位", "配合处室")
# Labels that name the responsible units without saying who leads.
_NAMING_LABELS = ("责任单位", "责任部门", "责任主体", "推进单位", "实施主体", "实施单位", "承办单位", "落实单位")
# Labels inside a clause that name people or dates, not units: the segment is
# part of the clause but gives no unit.
_OTHER_LABELS = ("牵头领导", "责任领导", "分管领导", "责任人", "完成时限", "完成时间", "时间节点", "时限要求")
_LABELS = sorted(_LEAD_LABELS + _CO_LABELS + _NAMING_LABELS + _OTHER_LABELS, key=len, reverse=True)
_LABEL = "|".join(_LABELS)
_LABEL_AT = re.compile(rf"({_LABEL})\s*[：:]\s*")

_OPEN, _CLOSE = "（(", "）)"
# The longest clause in the corpus is under 100 characters; text this long at
# the end of a measure is its own sentence, not a clause. The cap also keeps
# a hostile paragraph from costing more than linear time.
MAX_CLAUSE = 300
_SEPARATORS = "、，,；;\n"
_TRAILING_ETC = re.compile(r"(?<=.)等(?:相关|有关)?(?:部门|单位)?$")
# What follows a clause and is not part of the measure: a stray full stop.
_AFTER_CLAUSE = " \t\r\n\u3000。．.；;，,"

# A unit name ends in a word for an office, a body or a place that acts.
_UNIT_SUFFIXES = tuple(sorted(
    "局 委 委员会 办 办公室 厅 部 部门 处 科 股 中心 公司 政府 街道 镇 乡 街镇 乡镇 园区 集团 院 所 站 队 会 室 馆 "
    "社 署 组 团 班 校 机关 机构 单位 国企 企业 银行 法院 检察院 联 台 管委会 指挥部 工作组 领导小组 事务所 总队 支队 大队".split(),
    key=len, reverse=True,
))
# Suffixes that also end ordinary words (社会, 学会, 机会, 委员): enough for an
# item in a list of units, not for a lone word in brackets.
_WEAK_SUFFIXES = ("会", "社", "组", "团", "班", "所", "院", "站", "队", "室", "馆", "台", "校", "联", "科", "股", "部", "处")
_PLACE_PREFIX = re.compile(r"^(?:区|市|县|镇|乡|街道|省|州|旗|各|全区|全市|全县|自治区|[\u4e00-\u9fff]{1,4}(?:区|市|县|镇|乡|街道))")
_PLACEHOLDER = re.compile(r"^(?:各|有关|相关|其他).{0,12}$")
_NOT_UNIT_START = re.compile(r"^(?:含|包括|包含|不含|即|如|以下|详见|见|注|下同|暂行|试行|简称|其中)")
# A longer name that opens with a verb is a task (完成出入口新增电扶梯2台), not
# a unit; short ones are offices named for their work (建设处, 推进办).
_VERB_START = re.compile(
    r"^(?:完成|推进|加强|建设|开展|实施|提升|推动|完善|落实|加快|建立|健全|深化|强化|优化|组织|制定|编制|持续|全面|积极|做好|启动|修订|新增|新建|改造)"
)
# Words of the clause itself (a 牵头部门 column header) are not unit names.
_CLAUSE_WORDS = re.compile(r"牵头|配合|责任|负责|协办|推进单位|实施主体")
_UNIT_CHARS = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9（）()·“”\"]+$")

_ASSIGNED = re.compile(
    r"^由?(?P<lead>.+?)(?:牵头负责|牵头)(?:[，,、；;]\s*(?P<co>.+?)(?:等)?(?:配合|参与|协同|协助|共同推进|共同负责|按职责分工负责|按职责负责))?$"
)
_DUTY = re.compile(r"^(?P<units>.+?)(?:等(?:相关|有关)?(?:部门|单位)?)?(?:按照?职责分工负责|按职责负责|分工负责|负责)$")

# A line that ends in a labelled clause or a 牵头/配合 clause. The line joiner
# uses it to keep such a line from being glued onto the next one.
CLAUSE_AT_END = re.compile(
    rf"(?:[（(]\s*(?:{_LABEL})\s*[：:][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*[）)]"
    rf"|[（(][^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*(?:牵头|配合|按照?职责分工负责)[^（）()]*[）)]"
    rf"|(?:^|[。；;])\s*(?:{_LABEL})\s*[：:][^。（）()]*(?:[（(][^（）()]*[）)][^。（）()]*)*)"
    r"[\s。；;]*$"
)


def split_units(s: str) -> list[str]:
    """The unit names in a clause body, split at top-level 、，,；; and line breaks.

    Separators inside brackets do not split: ``区委宣传部（区文明办、区政府新闻办）``
    is one unit. A trailing 等 or 等相关部门 is dropped, and so are repeats.
    """
    units: list[str] = []
    depth = 0
    current: list[str] = []

    def flush():
        name = _TRAILING_ETC.sub("", "".join(current).strip(" \t\u3000。．."))
        if name and name not in units:
            units.append(name)
        current.clear()

    for ch in s:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in _SEPARATORS and depth == 0:
            flush()
        else:
            current.append(ch)
    flush()
    return units


def balanced(text: str) -> bool:
    """Whether every bracket in ``text`` is closed, so it is not a piece cut out of a longer text."""
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def looks_like_unit(name: str, *, alone: bool = False) -> bool:
    """Whether a name reads as a unit's name (区经委, 各街镇, 市北高新集团).

    ``alone`` is for a single word in brackets, which needs more than a weak
    suffix to be taken for a unit: （社会） is not one, （区属国企） is.
    """
    name = name.strip()
    # 各街镇（园区）: the bracket qualifies the name, the name is what ends in a suffix.
    core = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    if not balanced(name):
        return False
    if (not core or len(name) > 40 or not _UNIT_CHARS.match(core) or _NOT_UNIT_START.match(core)
            or _CLAUSE_WORDS.search(name) or (len(core) > 5 and _VERB_START.match(core))):
        return False
    if _PLACEHOLDER.match(core) and core.endswith(("单位", "部门", "街镇", "乡镇", "街道", "区", "镇", "委", "局", "办", "机构", "企业", "集团")):
        return True
    suffix = next((s for s in _UNIT_SUFFIXES if core.endswith(s)), None)
    if suffix is None or len(core) <= len(suffix):
        return False
    if alone and suffix in _WEAK_SUFFIXES and not _PLACE_PREFIX.match(core):
        return False
    return len(core) >= 2


def _unit_list(body: str) -> list[str] | None:
    units = split_units(body)
    if not units or not all(looks_like_unit(u, alone=len(units) == 1) for u in units):
        return None
    return units


def _read_body(body: str) -> tuple[list[str], list[str]] | None:
    """Lead and co units of a clause's content (without its brackets), or None if it is no clause."""
    body = body.strip()
    labels = list(_LABEL_AT.finditer(body))
    if labels and labels[0].start() == 0:
        segments: dict[str, list[str]] = {"lead": [], "co": [], "naming": []}
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
            label = m.group(1)
            if label in _OTHER_LABELS:
                continue
            role = "lead" if label in _LEAD_LABELS else "co" if label in _CO_LABELS else "naming"
            for unit in split_units(body[m.end():end]):
                if unit not in segments[role]:
                    segments[role].append(unit)
        lead = segments["lead"]
        if not lead and segments["co"]:
            lead, named = segments["naming"], []
        else:
            named = segments["naming"]
        co = [u for u in named + segments["co"] if u not in lead]
        if not lead and not co:
            return None
        return lead, list(dict.fromkeys(co))
    m = _ASSIGNED.match(body)
    if m:
        lead = _unit_list(m.group("lead"))
        co = _unit_list(m.group("co")) if m.group("co") else []
        if lead is not None and co is not None:
            return lead, [u for u in co if u not in lead]
    m = _DUTY.match(body)
    if m:
        units = _unit_list(m.group("units"))
        if units is not None:
            return [], units
    units = _unit_list(body)
    if units is not None:
        return [], units
    return None


def _bracket_at_end(text: str) -> tuple[int, int] | None:
    """Start and end of the bracket that closes ``text`` (before a stray 。), matched with nesting."""
    end = len(text.rstrip(_AFTER_CLAUSE))
    if end == 0 or text[end - 1] not in _CLOSE:
        return None
    depth = 0
    for i in range(end - 1, max(-1, end - 1 - MAX_CLAUSE), -1):
        ch = text[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
            if depth == 0:
                return i, end
    return None


def _split_bracketed(text: str) -> tuple[str, Responsibility] | None:
    span = _bracket_at_end(text)
    if span is None:
        return None
    start, end = span
    if end - start > MAX_CLAUSE:
        return None
    body = text[start + 1:end - 1]
    read = _read_body(body)
    if read is None:
        return None
    if not _LABEL_AT.match(body.strip()) and _qualifies_a_unit(text[:start]):
        return None
    return text[:start].rstrip(), Responsibility(clause=text[start:end], lead=read[0], co=read[1], form="inline")


def _qualifies_a_unit(before: str) -> bool:
    """Whether a bracket right after ``before`` qualifies a unit's name: 区委组织部（区公务员局）."""
    if not before or before[-1] in "。；;，,：:！？!? \t\u3000\n":
        return False
    names = split_units(before)
    return bool(names) and looks_like_unit(names[-1])


_SENTENCE_START = re.compile(r"(?:^|(?<=[。；;！？!?\n]))")


def _split_trailing(text: str) -> tuple[str, Responsibility] | None:
    """A clause without brackets that makes up the last sentence: ``责任单位：…`` or ``X牵头，Y配合``."""
    body_end = len(text.rstrip(_AFTER_CLAUSE))
    for m in _LABEL_AT.finditer(text, max(0, body_end - MAX_CLAUSE), body_end):
        start = m.start()
        if start and text[start - 1] not in "。；;！？!?\n \t\u3000":
            continue
        rest = text[start:body_end]
        if "。" in rest:
            continue
        read = _read_body(rest)
        if read is not None:
            return text[:start].rstrip(), Responsibility(clause=rest, lead=read[0], co=read[1], form="inline")
    starts = [m.start() for m in _SENTENCE_START.finditer(text, max(0, body_end - MAX_CLAUSE), body_end)]
    for start in starts:
        rest = text[start:body_end].strip()
        if not rest or ("牵头" not in rest and "负责" not in rest):
            continue
        if _LABEL_AT.match(rest):
            continue
        read = _read_body(rest)
        if read is not None:
            return text[:start].rstrip(), Responsibility(clause=rest, lead=read[0], co=read[1], form="inline")
    return None


def split_clause(text: str) -> tuple[str, Responsibility | None]:
    """The measure without its responsibility clause, and the clause read.

    ``form`` is "line" when the text is nothing but a clause (a clause on its
    own line), else "inline". Text that ends in no clause comes back unchanged
    with None.
    """
    found = _split_bracketed(text) or _split_trailing(text)
    if found is None:
        return text, None
    measure, responsibility = found
    if not measure.strip(" \t\u3000\n。；;，,"):
        responsibility.form = "line"
        measure = ""
    return measure, responsibility


def is_clause_line(text: str) -> bool:
    """Whether a line is a responsibility clause and nothing else, e.g. ``（责任单位：区建管委）``."""
    measure, responsibility = split_clause(text.strip())
    return responsibility is not None and not measure
