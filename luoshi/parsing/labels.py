"""Heading labels of Chinese official writing: 第一部分, 一、, （一）, 1., （1）, ①."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "一二三四五六七八九十"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Order matters only where two patterns could match the same text: the
# parenthesised forms come before the bare ones.
_PATTERNS = [
    ("part", re.compile(rf"第([{_CN}百零〇]{{1,4}}|[0-9]{{1,3}})(部分|章|篇)[、，,．.：:]?\s*")),
    ("jie", re.compile(rf"第([{_CN}百零〇]{{1,4}}|[0-9]{{1,3}})节[、，,．.：:]?\s*")),
    ("paren_cn", re.compile(rf"[（(]\s*([{_CN}]{{1,3}})\s*[）)][、，,．.]?\s*")),
    ("cn", re.compile(rf"([{_CN}]{{1,3}})\s*[、．.]\s*")),
    ("paren_arabic", re.compile(r"[（(]\s*([0-9]{1,2})\s*[）)][、，,．.]?\s*")),
    ("arabic", re.compile(r"([0-9]{1,3})\s*(?:[、．]|\.(?![0-9]))\s*")),
    ("half_paren_arabic", re.compile(r"([0-9]{1,2})[）)]\s*")),
    ("circled", re.compile(f"([{_CIRCLED}])\\s*")),
]


@dataclass(frozen=True)
class Label:
    style: str
    number: int
    text: str  # the label as written, e.g. "（一）"
    end: int  # where the heading text starts


def chinese_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; None when it is not a number."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char == "十":
            total += (digit if digit is not None else 1) * 10
            digit = None
        elif char == "百":
            total += (digit if digit is not None else 1) * 100
            digit = None
        else:
            return None
    return total + (digit or 0)


def match_label(text: str) -> Label | None:
    """The label at the head of ``text`` (digits already made ASCII), if any."""
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        raw = m.group(1)
        number = _CIRCLED.index(raw) + 1 if style == "circled" else chinese_number(raw)
        if not number:
            continue
        # A label is followed by words, not by more digits or punctuation.
        rest = text[m.end():m.end() + 1]
        if not rest or rest in "、，,。.．%％）)":
            continue
        return Label(style, number, text[:m.end()].strip(), m.end())
    return None


# 一是…二是… items run inside a paragraph, each after a full stop, semicolon or colon.
ORDINAL_ITEM = re.compile(rf"(?:^|(?<=[。；：:;！？]))\s*([{_CN}]{{1,3}})是(?=[^\s是，,：:。、])")
