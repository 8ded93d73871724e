"""The parser against an independent corpus of plans with hand-written gold outlines.

Every document in ``corpus/`` was written for these tests, as officials of a
fictional county, district or street would write it, without looking at the
parser; ``NAME.gold.json`` beside it is the outline a correct parser returns.
The binary fixtures (.docx, .pdf) are built by ``corpus/make_corpus.py`` and
committed.

| document               | style it covers                                                  |
| ---------------------- | ---------------------------------------------------------------- |
| work-report.txt        | 政府工作报告: 一、 / （一） / "1.lead phrase。sentences"; closing "各位代表！…" |
| gongzuo-yaodian.txt    | 工作要点: 一是…二是… inside paragraphs under 一、 headings          |
| heading-styles.docx    | Word Title / Heading 1 / Heading 2 styles, no typed labels         |
| hand-numbered.docx     | all Normal style, "一、" / "（一）" typed by hand, bold headings     |
| gb18030.txt            | GB18030 with CRLF, a character outside GBK (石㙟村), "（一）lead phrase。" |
| from-report.pdf        | work-report.txt as a 3-page PDF: wrapped lines, running header, "— N —" |
| headers-footers.txt    | PDF-extracted text: broken lines, headers/footers, spaced CJK, ２０２５ |
| street-one-level.txt   | 街道 plan: one level of 一、 headings, measures directly under them |
| chapter-style.txt      | 第一部分 / （一） / "（1）lead phrase。sentences"                    |

Gold conventions (the same as ../shared/gold/seed-outline.json):

- A heading's ``label`` is its typed numbering ("一、", "（一）", "1.", "（1）",
  "第一部分", "一是"), "" when none was typed (Word heading styles, the seed's
  lead phrases); ``title`` is the rest, without the label and without the
  trailing "。" of a lead phrase.
- A numbered item whose paragraph starts with a lead phrase ending in "。"
  ("1.狠抓重大项目建设。全年安排…。") is a section: the lead phrase is its
  title and the following sentences are its measures.
- Measures are the sentences ending in "。" or "；" under a section, in order,
  with that end punctuation kept. A paragraph directly under a heading that
  has no sub-sections holds measures (street-one-level). Paragraphs under a
  level-1 heading that come before its first sub-section are its ``intro``.
- 一是/二是/三是 (gongzuo-yaodian): what a supervisor tracks is each item, so
  - an item that is a single sentence ("一是…。" or "一是…；") is one
    measure of the section it sits in; the ordinal is a label, not part of
    the measure's text;
  - an item that is a lead phrase followed by sentences ("一是规范涉企行政
    执法。全面推行…。上半年完成…。") is a sub-section with label "一是",
    the lead phrase as title and the sentences as measures.
  A lead-in ending in "：" before "一是" is the section's intro.
- Text extracted from a PDF is cleaned before it becomes an outline: running
  headers and page numbers are dropped, broken lines are joined, and
  full-width digits are written as ASCII digits ("２０２５年" → "2025年").
- Whitespace does not count when scoring.

The score is computed here by the same layers as the project's
outline_score.py tool (section titles by level, measures, measure placement,
title, closing; the mean of their F1), because CI runs on a clean clone.
"""
import json
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
MIN_F1 = 0.95

DOCUMENTS = [
    "work-report.txt",
    "gongzuo-yaodian.txt",
    "heading-styles.docx",
    "hand-numbered.docx",
    "gb18030.txt",
    "from-report.pdf",
    "headers-footers.txt",
    "street-one-level.txt",
    "chapter-style.txt",
]

# Page furniture in the PDF-like documents: lines that are not part of the plan.
FURNITURE = {
    "from-report.pdf": [r"青溪县人民政府工作报告", r"—\d+—"],
    "headers-footers.txt": [r"桐华县人民政府文件", r"-\d+-", r"第\d+页共\d+页"],
}
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def norm(text):
    return re.sub(r"\s+", "", text or "")


def walk(sections, path=()):
    for section in sections:
        here = path + (norm(section.get("title")),)
        yield section, here
        yield from walk(section.get("sections") or [], here)


def layers(doc):
    out = {}
    for section, path in walk(doc.get("sections") or []):
        out.setdefault(f"level {section.get('level')} titles", set()).add(norm(section.get("title")))
        for measure in section.get("measures") or []:
            text = measure["text"] if isinstance(measure, dict) else measure
            out.setdefault("measures", set()).add(norm(text))
            out.setdefault("measure placement", set()).add((path, norm(text)))
    for key in ("title", "closing"):
        if doc.get(key):
            out[key] = {norm(doc[key])}
    return out


def f1(gold, got):
    hit = len(gold & got)
    precision = hit / len(got) if got else 0.0
    recall = hit / len(gold) if gold else 1.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def score(gold_doc, parsed_doc):
    """Return (mean F1, report lines) of a parsed outline against a gold outline."""
    gold, got = layers(gold_doc), layers(parsed_doc)
    scores, report = [], []
    for name in sorted(gold):
        p, r, f = f1(gold[name], got.get(name, set()))
        scores.append(f)
        report.append(
            f"{name:20s} P={p:.3f} R={r:.3f} F1={f:.3f} (gold {len(gold[name])}, got {len(got.get(name, ()))})"
        )
        missing = sorted(map(str, gold[name] - got.get(name, set())))
        extra = sorted(map(str, got.get(name, set()) - gold[name]))
        report += [f"    missing: {m}" for m in missing[:5]] + [f"    extra:   {e}" for e in extra[:5]]
    mean = sum(scores) / len(scores)
    report.append(f"outline F1 = {mean:.3f}")
    return mean, report


def gold_for(name):
    return json.loads((CORPUS / f"{Path(name).stem}.gold.json").read_text(encoding="utf-8"))


def source_text(name):
    """The document's text as its author wrote it, page furniture removed, whitespace-free."""
    path = CORPUS / name
    if path.suffix == ".docx":
        import docx

        lines = [p.text for p in docx.Document(path).paragraphs]
    elif path.suffix == ".pdf":
        import pdfplumber

        with pdfplumber.open(path) as pdf:
            lines = [line for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    else:
        data = path.read_bytes()
        lines = data.decode("gb18030" if name == "gb18030.txt" else "utf-8").splitlines()
    patterns = [re.compile(p) for p in FURNITURE.get(name, [])]
    kept = [norm(line) for line in lines if not any(p.fullmatch(norm(line)) for p in patterns)]
    return "".join(kept).translate(FULL_WIDTH_DIGITS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_parser_reproduces_the_gold_outline(name):
    from luoshi.parsing import parse_file

    parsed = parse_file(CORPUS / name).to_dict()
    mean, report = score(gold_for(name), parsed)
    print("\n".join([name, *report]))
    assert mean >= MIN_F1, f"{name}: outline F1 {mean:.3f} < {MIN_F1}\n" + "\n".join(report)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_gold_outline_is_well_formed(name):
    gold = gold_for(name)
    assert set(gold) == {"title", "author", "preamble", "closing", "sections"}
    assert gold["title"] and gold["sections"]

    def check(sections, level):
        for section in sections:
            assert set(section) == {"level", "label", "title", "intro", "measures", "sections"}, section
            assert section["level"] == level, section["title"]
            assert section["title"] and not section["title"].endswith("。"), section["title"]
            assert not section["title"].startswith(section["label"] or "\0"), section["title"]
            assert section["measures"] or section["sections"], f"empty section {section['title']}"
            for measure in section["measures"]:
                assert set(measure) == {"text"}
                assert measure["text"][-1] in "。；", measure["text"]
                assert not re.search(r"[。；].", measure["text"]), f"two sentences: {measure['text']}"
            check(section["sections"], level + 1)

    check(gold["sections"], 1)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_gold_outline_follows_the_document_in_order(name):
    """Every title, intro, measure and the closing occur in the source, in reading order."""
    text = source_text(name)
    gold = gold_for(name)
    items = [gold["title"], gold["author"], gold["preamble"]]

    def collect(sections):
        for section in sections:
            items.extend([section["label"] + section["title"], section["intro"]])
            items.extend(m["text"] for m in section["measures"])
            collect(section["sections"])

    collect(gold["sections"])
    items.append(gold["closing"])
    position = 0
    for item in filter(None, map(norm, items)):
        found = text.find(item, position)
        assert found >= 0, f"{name}: not found after offset {position}: {item}"
        position = found + 1


def test_scorer_gives_a_perfect_score_to_the_gold_itself():
    for name in DOCUMENTS:
        assert score(gold_for(name), gold_for(name))[0] == 1.0


def test_pdf_is_a_real_multi_page_pdf_with_a_text_layer():
    import pdfplumber

    with pdfplumber.open(CORPUS / "from-report.pdf") as pdf:
        assert len(pdf.pages) >= 2
        pages = [page.extract_text() for page in pdf.pages]
    assert all("青溪县人民政府工作报告" in page for page in pages)
    assert [re.findall(r"— (\d+) —", page) for page in pages] == [[str(i)] for i in range(1, len(pages) + 1)]
    assert gold_for("from-report.pdf") == gold_for("work-report.txt")


def test_gb18030_file_is_not_utf8_and_needs_more_than_gbk():
    data = (CORPUS / "gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    assert "石㙟村" in data.decode("gb18030")


def test_heading_styles_docx_uses_word_heading_styles_without_typed_labels():
    import docx

    paragraphs = docx.Document(CORPUS / "heading-styles.docx").paragraphs
    styles = [p.style.name for p in paragraphs]
    assert styles.count("Heading 1") == 3 and styles.count("Heading 2") == 6 and "Title" in styles
    labels = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．])")
    assert not any(labels.match(p.text) for p in paragraphs if p.style.name.startswith("Heading"))


def test_hand_numbered_docx_has_only_normal_paragraphs_with_typed_labels():
    import docx

    paragraphs = docx.Document(CORPUS / "hand-numbered.docx").paragraphs
    assert {p.style.name for p in paragraphs} == {"Normal"}
    typed = [p.text for p in paragraphs if re.match(r"^([一二三]、|（[一二三]）)", p.text)]
    assert len(typed) == 10


def test_headers_footers_text_carries_page_furniture_and_pdf_damage():
    text = (CORPUS / "headers-footers.txt").read_text(encoding="utf-8")
    assert text.count("桐华县人民政府文件") == 4
    assert re.findall(r"^第 (\d) 页 共 4 页$", text, re.M) == ["1", "2", "3", "4"]
    assert re.findall(r"^- (\d) -$", text, re.M) == ["1", "2", "3", "4"]
    assert "２０２５年" in text and "桐 华 县" in text
