"""What surrounds a plan where it was published: page furniture, the notice, appendices.

A plan copied from a government web page arrives with the page around it:
download and font-size buttons, breadcrumbs, the source and time of posting
above the title; share links, related articles and a licence note below the
text. A plan issued by a notice (关于印发《X》的通知) arrives inside it: the
notice's title, addressees, 印发 sentence, signature and date come before the
plan's own title line. After the plan come its appendices (附件1, 名词解释,
民生实事 lists, task tables) and, in the body, tables with their captions.
None of these are the plan's sections or measures; this module sets them
apart so that the tree is built from the plan alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import match_label
from .text import PAGE_TAIL as _TAIL
from .text import Paragraph, ends_clause, tidy

# How far from the top the title, the report's date line or the notice's end may lie.
HEAD = 40

# One line of page furniture, as a whole paragraph.
_FURNITURE = re.compile(
    r"(?:下载|打印|全屏|收藏|加大|还原|减小|[大中小]|[【】\[\]|｜>＞›»]"
    r"|【?字[号体][:：]?.*|分享(?:到)?[:：]?.*"
    r"|(?:来源|时间|发布时间|发表时间|发布日期|作者|编辑|责任编辑|阅读量|阅读次数|浏览次数|点击数)[:：].*"
    r"|(?:来源|发表时间|发布时间|阅读量|阅读次数|浏览次数)[:：]?"
    r"|当前位置[:：]?|您的位置[:：]?|首页"
    r"|[0-9]{4}[-年/.][0-9]{1,2}[-月/.][0-9]{1,2}日?\s*(?:[0-9]{1,2}[:时][0-9]{1,2}(?:[:分][0-9]{1,2})?[秒分]?)?)"
)
# A paragraph of nothing but punctuation, left where a page dropped a picture or a link.
# An opening bracket alone is half of a label the page broke (“（” / “三）…”), not debris.
_PUNCTUATION_ONLY = re.compile(r"(?![（(]$)[\W_]+")
# A report's date line under its title: “——2026年1月25日在北京市第十六届人民代表大会第四次会议上”.
_SPEECH = re.compile(r"[—－-]*.{0,20}[0-9〇零一二三四五六七八九十]+日在.{2,60}(?:会议|大会|会)上.{0,10}")
# The notice that issues a plan: “…关于印发《X》的通知”.
_NOTICE = re.compile(r".*关于(?:印发|转发|下发|公布).*")
# A document names its kind at the end of its title, maybe followed by its period: “…行动方案（2024-2026年）”.
_DOC_KIND = re.compile(r"(?:要点|方案|计划|报告|意见|安排|规划|纲要|清单|办法|措施|细则)(?:\s*[（(][^（）()]{2,20}[）)])?$")
_ATTACHMENT = re.compile(r"附件\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,2})?\s*[:：]?")
_ATTACHMENT_LIST = re.compile(r"附件\s*[:：]\s*(\S.*)")
_GLOSSARY = re.compile(r"(?:名词解释|名词注释|名词注解|名词解释和注释|注释|注解)[:：]?")
_TABLE_CAPTION = re.compile(r"[表图]\s*[0-9]{1,2}(?:[-－.．][0-9]{1,2})?\s*[^\s0-9%％.．、，,].*")
_NOTE = re.compile(r"注\s*[0-9]?\s*[:：]")


# The block that closes an official document: the issuing body on a line of
# its own and the date it was signed or printed (“2027年2月18日印发”), dates
# also in Chinese numerals (“二〇二七年二月十八日”).
_DATE_LINE = re.compile(
    r"[0-9〇○零一二三四五六七八九]{4}\s*年\s*[0-9一二三四五六七八九十]{1,3}\s*月"
    r"\s*[0-9一二三四五六七八九十]{1,3}\s*日\s*(?:印发|发布|制发|签发)?"
)
_ISSUER = re.compile(
    r"[^\s，,。；;：:、！？!?（）()“”]{2,30}"
    r"(?:人民政府|办公室|办公厅|委员会|政府|党委|党工委|管委会|办事处|局|委|厅|办|处|中心|小组|指挥部)"
)
_COLOPHON_NOTE = re.compile(r"[（(]此件(?:公开发布|主动公开|不公开)[^（）()]*[）)]|抄送[:：].*|(?:主动公开|此件公开发布)")


@dataclass
class Appendix:
    label: str
    title: str
    paras: list[Paragraph] = field(default_factory=list)


def is_furniture(p: Paragraph) -> bool:
    return _FURNITURE.fullmatch(tidy(p.text)) is not None


def _title_line(text: str) -> bool:
    return 0 < len(text) <= 60 and not ends_clause(text) and "，" not in text and match_label(text) is None


def _names_kind(text: str) -> bool:
    return _DOC_KIND.search(text) is not None


def front_matter(paras: list[Paragraph]) -> tuple[str, str, list[Paragraph]] | None:
    """Title, author and the paragraphs after them, when a notice or a page surrounds the plan.

    None when the document starts plainly, with its title or its text.
    """
    texts = [tidy(p.text) for p in paras[:HEAD]]
    if texts and _NOTICE.fullmatch(texts[0]) and "通知" in texts[0]:
        found = _plan_title(texts)
        if found:
            title, end = found
            return title, "", paras[end:]
    speech = next((i for i, t in enumerate(texts) if _SPEECH.fullmatch(t) and len(t) <= 80), None)
    if speech is not None:
        title = next((texts[j] for j in range(speech - 1, -1, -1) if _title_line(texts[j]) and _names_kind(texts[j])), "")
        rest = skip_furniture(paras[speech + 1:])
        author, rest = _author(rest)
        return title, author, rest
    return None


def _plan_title(texts: list[str]) -> tuple[str, int] | None:
    """The plan's own title below the notice, joined if the page broke it; and where the plan starts."""
    for i in range(1, len(texts)):
        text = texts[i]
        if not _title_line(text) or _ATTACHMENT.match(text) or _FURNITURE.fullmatch(text):
            continue
        if _names_kind(text):
            return text, i + 1
        following = texts[i + 1] if i + 1 < len(texts) else ""
        if _title_line(following) and _names_kind(following) and len(text) + len(following) <= 80:
            return text + following, i + 2
    return None


def skip_furniture(paras: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs from the first one that is not page furniture on."""
    start = 0
    while start < len(paras) - 1 and start < HEAD and is_furniture(paras[start]):
        start += 1
    return paras[start:]


def _author(paras: list[Paragraph]) -> tuple[str, list[Paragraph]]:
    """The speaker under a report's date line, “北京市市长 殷勇”; the name may stand on a line of its own."""
    if not paras or len(paras) < 2:
        return "", paras
    first = tidy(paras[0].text)
    if not _title_line(first) or len(first) > 20 or "：" in first or ":" in first:
        return "", paras
    rest = paras[1:]
    second = tidy(rest[0].text) if rest else ""
    if second and len(second) <= 4 and _title_line(second) and not re.search(r"\s", first):
        return f"{first} {second}", skip_furniture(rest[1:])
    return first, skip_furniture(rest)


def cut_tail(paras: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs before the page's tail, without stray punctuation-only paragraphs."""
    end = next((i for i, p in enumerate(paras) if _TAIL.fullmatch(tidy(p.text))), len(paras))
    return [p for p in paras[:end] if not _PUNCTUATION_ONLY.fullmatch(tidy(p.text))]


def drop_colophon(paras: list[Paragraph]) -> list[Paragraph]:
    """The body without the issuing body and date that close it.

    Only a block that holds a date line is taken: a short last line naming a
    body on its own may be a heading.
    """
    end = len(paras)
    dated = False
    while end > 1:
        text = re.sub(r"\s+", "", tidy(paras[end - 1].text))
        if _DATE_LINE.fullmatch(text) or (_ISSUER.match(text) and _DATE_LINE.fullmatch(_ISSUER.sub("", text, 1))):
            dated = True
        elif not (_ISSUER.fullmatch(text) or _COLOPHON_NOTE.fullmatch(text)) or match_label(text):
            break
        end -= 1
    return paras[:end] if dated else paras


def split_appendices(paras: list[Paragraph]) -> tuple[list[Paragraph], list[Appendix]]:
    """The plan's body and the appendices after it.

    An appendix starts at a line of its own saying 附件 (附件1, 附件：) or
    naming a glossary (名词解释, 注释). A line listing the attachments
    (附件：1.…) closes the body; it opens the appendix itself only when no
    附件 line follows it.
    """
    starts = []
    for i, p in enumerate(paras):
        text = tidy(p.text)
        if _ATTACHMENT.fullmatch(text) or _GLOSSARY.fullmatch(text):
            starts.append(i)
    listing = next((i for i, p in enumerate(paras) if _ATTACHMENT_LIST.fullmatch(tidy(p.text))), None)
    if listing is not None and not any(s > listing for s in starts):
        starts.append(listing)
    starts = sorted(set(starts))
    if not starts:
        return paras, []
    body_end = starts[0] if listing is None else min(starts[0], listing)
    appendices = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(paras)
        head = tidy(paras[start].text)
        rest = paras[start + 1:end]
        listed = _ATTACHMENT_LIST.fullmatch(head)
        if listed and not _ATTACHMENT.fullmatch(head):
            label, title = "附件", re.sub(r"^[0-9]{1,2}[.．、]\s*", "", listed.group(1))
        elif _GLOSSARY.fullmatch(head):
            label, title = "", head.rstrip(":：")
        else:
            label = re.sub(r"\s|[:：]", "", head)
            title = tidy(rest[0].text) if rest and _title_line(tidy(rest[0].text)) else ""
        appendices.append(Appendix(label=label, title=title, paras=paras[start:end]))
    return paras[:body_end], appendices


def drop_tables(paras: list[Paragraph]) -> list[Paragraph]:
    """The body without its tables and figures: a caption (表1 …, 图1 …), its cells and notes.

    A table flattened into text has one cell per line; it ends where running
    text or a numbered heading resumes.
    """
    kept: list[Paragraph] = []
    in_table = False
    texts = [tidy(p.text) for p in paras]
    running = [len(t) > 40 and ends_clause(t) and not _NOTE.match(t) for t in texts]
    for i, p in enumerate(paras):
        text = texts[i]
        if _TABLE_CAPTION.fullmatch(text) and len(text) <= 40:
            in_table = True
            continue
        if in_table:
            # A long cell may hold a sentence (a row's description after its
            # name); running text is two such paragraphs in a row.
            following = running[i + 1] if i + 1 < len(paras) else True
            resumes = match_label(text) is not None or (running[i] and following)
            if not resumes:
                continue
            in_table = False
        kept.append(p)
    return kept
