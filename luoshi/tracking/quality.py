"""Report quality check: warnings a supervisor sees beside a progress report.

A report that says "稳步推进，取得积极成效" and nothing else tells the office
nothing. These checks are heuristics, shown as warnings and never used to
refuse a report; docs/status-rules.md lists them.
"""
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# Phrases that fill a report without saying what was done.
STOCK_PHRASES = (
    "稳步推进",
    "有序推进",
    "加快推进",
    "扎实推进",
    "积极推进",
    "全力推进",
    "持续推进",
    "深入推进",
    "顺利推进",
    "按计划推进",
    "进展顺利",
    "取得积极成效",
    "取得明显成效",
    "取得阶段性成效",
    "取得良好成效",
    "成效明显",
)

# Something a reader can check: a figure (Arabic, full-width, or Chinese
# numerals followed by a measure word), a date, a named document 《…》, or a
# verb that reports a finished, verifiable step.
_NUMBER = re.compile(
    r"[0-9０-９]"
    r"|[零一二两三四五六七八九十百千万]+"
    r"(?:个|项|家|次|场|条|件|户|人|名|所|处|批|轮|期|份|篇|万|亿|元|公里|米|亩|吨|台|套|座|宗|栋|间|成)"
)
_DATE = re.compile(r"[一二三四五六七八九十]+月|[上中下]旬|月底|年底|月初|年初")
_OUTPUT = re.compile(
    r"《[^》]+》|印发|出台|签订|签约|建成|竣工|开工|验收|上线|投用|投运|挂牌|发布|通过.{0,6}(?:评审|审批|验收)|获批"
)

# Two narratives this similar (Dice coefficient of character bigrams) are
# treated as copied, allowing for an edited date or a changed word.
COPY_SIMILARITY = 0.9
_IGNORED = re.compile(r"[\s\W_]+")


@dataclass(frozen=True)
class PreviousReport:
    narrative: str
    percent: Decimal | int


@dataclass(frozen=True)
class QualityWarning:
    code: str  # "stock_phrases", "percent_down", "copied", "no_evidence"
    text: str


def report_warnings(
    *,
    narrative: str,
    percent: Decimal | int,
    previous: PreviousReport | None,
    evidence_count: int,
) -> list[QualityWarning]:
    warnings = []
    phrases = [phrase for phrase in STOCK_PHRASES if phrase in narrative]
    if phrases and not _is_concrete(narrative):
        warnings.append(
            QualityWarning(
                "stock_phrases",
                _("Uses stock phrases (%(phrases)s) but gives no figure, date or concrete output")
                % {"phrases": "、".join(phrases)},
            )
        )
    if previous is not None and Decimal(percent) < Decimal(previous.percent):
        warnings.append(
            QualityWarning(
                "percent_down",
                _("Progress went down from %(before)s%% to %(after)s%%")
                % {"before": _fmt(previous.percent), "after": _fmt(percent)},
            )
        )
    if previous is not None and similarity(narrative, previous.narrative) >= COPY_SIMILARITY:
        warnings.append(QualityWarning("copied", _("The narrative repeats the previous cycle's report")))
    if Decimal(percent) == 100 and evidence_count == 0:
        warnings.append(QualityWarning("no_evidence", _("Reports the task 100 percent done with no evidence attached")))
    return warnings


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams, ignoring spaces and punctuation."""
    bigrams_a, bigrams_b = _bigrams(a), _bigrams(b)
    total = sum(bigrams_a.values()) + sum(bigrams_b.values())
    if total == 0:
        return 0.0
    return 2 * sum((bigrams_a & bigrams_b).values()) / total


def _bigrams(text: str) -> Counter:
    text = _IGNORED.sub("", text)
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _is_concrete(text: str) -> bool:
    return bool(_NUMBER.search(text) or _DATE.search(text) or _OUTPUT.search(text))


def _fmt(value: Decimal | int) -> str:
    return format(Decimal(value).normalize(), "f")
