"""Sections, measures, front matter and the artefacts of PDF-extracted text."""
import io

from luoshi.parsing import parse_bytes, parse_text


def titles(sections):
    return [(s.level, s.label, s.title) for s in sections]


def test_it_nests_every_label_style_by_the_order_styles_first_appear():
    outline = parse_text(
        "某区工作方案\n"
        "第一部分 总体要求\n一、指导思想\n坚持稳中求进。\n"
        "第二部分 重点任务\n一、产业发展\n（一）工业\n1.技改提升\n（1）实施技改项目。推进20个技改项目。\n（2）培育企业。新增企业5家。\n"
        "2、数字赋能\n推动企业上云。\n（二）农业\n① 稳定粮食生产。播种面积稳定。\n② 建设农田。新建农田2万亩。\n"
    )
    part2 = outline.sections[1]
    assert titles(outline.sections) == [(1, "第一部分", "总体要求"), (1, "第二部分", "重点任务")]
    industry = part2.sections[0].sections[0]
    assert titles([industry]) == [(3, "（一）", "工业")]
    assert titles(industry.sections) == [(4, "1.", "技改提升"), (4, "2、", "数字赋能")]
    assert titles(industry.sections[0].sections) == [(5, "（1）", "实施技改项目"), (5, "（2）", "培育企业")]
    assert industry.sections[0].sections[0].measures[0].id == "2.1.1.1.1.1"
    assert titles(part2.sections[0].sections[1].sections) == [(4, "①", "稳定粮食生产"), (4, "②", "建设农田")]


def test_a_number_out_of_sequence_is_running_text_not_a_heading():
    outline = parse_text("方案\n一、建设\n推进项目建设；\n3.5亿元用于道路。\n二、民生\n办好实事。\n")
    assert titles(outline.sections) == [(1, "一、", "建设"), (1, "二、", "民生")]
    assert [m.text for m in outline.sections[0].measures] == ["推进项目建设；", "3.5亿元用于道路。"]


def test_numbered_items_of_one_sentence_are_measures_of_their_section():
    outline = parse_text(
        "计划\n一、民生\n围绕民生办实事。\n1.新建幼儿园3所。\n2.新增学位400个；\n"
        "二、安全\n（一）加强组织领导。\n成立领导小组。\n（二）整治隐患300处。\n"
    )
    first, second = outline.sections
    assert (first.intro, [m.text for m in first.measures], first.sections) == (
        "围绕民生办实事。", ["新建幼儿园3所。", "新增学位400个；"], [])
    assert titles(second.sections) == [(2, "（一）", "加强组织领导"), (2, "（二）", "整治隐患300处")]
    assert [m.text for m in second.sections[1].measures] == ["整治隐患300处。"]


def test_lead_phrases_become_sections_and_sentences_become_measures():
    outline = parse_text(
        "方案\n一、产业\n聚焦主业，做强实体经济，推动高质量发展，这是全年工作的重中之重。\n"
        "强化创新驱动。建设孵化器3个。引进人才100名。\n强化项目支撑。新开工项目20个；竣工项目10个。\n"
    )
    part = outline.sections[0]
    assert part.intro.startswith("聚焦主业")
    assert titles(part.sections) == [(2, "", "强化创新驱动"), (2, "", "强化项目支撑")]
    assert [m.text for m in part.sections[1].measures] == ["新开工项目20个；", "竣工项目10个。"]


def test_yishi_items_are_measures_or_subsections_by_their_shape():
    outline = parse_text(
        "要点\n一、提效\n围绕目标：一是推出集成服务20项。二是网办率达到90%。\n"
        "二、法治\n坚持依法行政。\n一是规范执法。推行包容审慎监管。上半年完成评查。\n二是保护产权。建成工作站3个。\n"
    )
    first, second = outline.sections
    assert first.intro == "围绕目标："
    assert [m.text for m in first.measures] == ["推出集成服务20项。", "网办率达到90%。"]
    assert second.intro == "坚持依法行政。"
    assert titles(second.sections) == [(2, "一是", "规范执法"), (2, "二是", "保护产权")]


def test_an_exclaimed_last_paragraph_is_the_closing():
    outline = parse_text("报告\n一、建设\n建成道路5公里。\n各位代表！让我们勇毅前行，再创佳绩！\n")
    assert outline.closing == "各位代表！让我们勇毅前行，再创佳绩！"
    assert [m.text for m in outline.sections[0].measures] == ["建成道路5公里。"]


def test_it_reads_title_author_and_preamble():
    outline = parse_text("某街道2024年工作计划\n某某街道办事处\n今年，街道将围绕中心工作，扎实推进各项任务。\n一、党建\n加强支部建设。\n二、民生\n办好实事。\n")
    assert (outline.title, outline.author) == ("某街道2024年工作计划", "某某街道办事处")
    assert outline.preamble == "今年，街道将围绕中心工作，扎实推进各项任务。"
    assert outline.year == 2024


PDF_TEXT = """\
县政府文件

县 2 0 2 4 年 项 目 攻 坚 方 案
为扩大有效投资，以项目建设的加速度推动高质量发展，县政府决定
在全县开展攻坚行动，现制定如下方案。
一、目标任务
全年实施县级重点项目１００个，总投资580亿元，年度计划投资1
25亿元。力争新开工项目45个、竣工投产项目32个，实现“双增
长”。

- 1 -
第 1 页 共 2 页

县政府文件

二、主要措施
围绕国家 政策导向和县域主导产业，谋划储备项目200个以上，总投
资不低于1000亿元。6月底前完成2025年度重点项目前期工作
计划编制。

- 2 -
第 2 页 共 2 页
"""


def test_it_cleans_pdf_extracted_text():
    outline = parse_text(PDF_TEXT)
    assert outline.title == "县2024年项目攻坚方案"
    assert outline.preamble == "为扩大有效投资，以项目建设的加速度推动高质量发展，县政府决定在全县开展攻坚行动，现制定如下方案。"
    assert [m.text for m in outline.sections[0].measures] == [
        "全年实施县级重点项目100个，总投资580亿元，年度计划投资125亿元。",
        "力争新开工项目45个、竣工投产项目32个，实现“双增长”。",
    ]
    assert [m.text for m in outline.sections[1].measures] == [
        "围绕国家政策导向和县域主导产业，谋划储备项目200个以上，总投资不低于1000亿元。",
        "6月底前完成2025年度重点项目前期工作计划编制。",
    ]
    assert not any("县政府文件" in m.text for m in outline.measures())


def test_a_recurring_numbered_heading_is_not_taken_for_a_running_header():
    parts = "".join(f"{n}、第{n}项工作\n（一）加强组织领导\n落实责任{n}。\n（二）强化督查\n按月通报。\n" for n in "一二三四")
    outline = parse_text("方案\n" + parts)
    assert [len(s.sections) for s in outline.sections] == [2, 2, 2, 2]


def _docx(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_docx_with_heading_styles_nests_by_heading_level():
    def build(d):
        d.add_paragraph("区2024年工作要点", style="Title")
        d.add_paragraph("今年要抓好以下工作。")
        d.add_paragraph("产业发展", style="Heading 1")
        d.add_paragraph("制造业", style="Heading 2")
        d.add_paragraph("新增规上企业15家。推动技改。")
        d.add_paragraph("民生保障", style="Heading 1")
        d.add_paragraph("新建幼儿园3所。")

    outline = parse_bytes(_docx(build), filename="plan.docx")
    assert outline.source_format == "docx" and outline.title == "区2024年工作要点"
    assert titles(outline.sections) == [(1, "", "产业发展"), (1, "", "民生保障")]
    assert titles(outline.sections[0].sections) == [(2, "", "制造业")]
    assert outline.sections[0].sections[0].measures[0].targets[0].value == 15.0


def test_a_docx_with_automatic_numbering_gets_its_labels_drawn():
    from docx.oxml import parse_xml

    def build(d):
        numbering = d.part.numbering_part.element
        numbering.append(parse_xml(
            '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        ))
        numbering.append(parse_xml(
            '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
            '<w:abstractNumId w:val="90"/></w:num>'
        ))
        d.add_paragraph("区工作要点")

        def numbered(text, level):
            p = d.add_paragraph(text)
            p._p.get_or_add_pPr().append(parse_xml(
                '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            ))

        numbered("产业发展", 0)
        numbered("制造业", 1)
        d.add_paragraph("新增规上企业15家。")
        numbered("服务业", 1)
        d.add_paragraph("新增限上商贸企业25家。")
        numbered("民生保障", 0)
        d.add_paragraph("新建幼儿园3所。")

    outline = parse_bytes(_docx(build))
    assert titles(outline.sections) == [(1, "一、", "产业发展"), (1, "二、", "民生保障")]
    assert titles(outline.sections[0].sections) == [(2, "（一）", "制造业"), (2, "（二）", "服务业")]


# A 工作要点 as offices type it: a heading line, then its body indented by two
# full-width spaces, sometimes with blank lines between.
YAODIAN_BODY_1 = "全面推进数字化改革，建成一体化政务服务平台，推动政务服务事项全程网办率达到90%以上。年底前实现县乡村三级全覆盖，持续优化营商环境。"
YAODIAN_BODY_2 = "深化城乡融合发展，推进美丽乡村建设，新建高标准农田2万亩，农村卫生厕所普及率达到95%，创建省级示范村10个。"
HEAD_1, HEAD_2 = "一、加快数字政府建设，打造整体智治现代政府", "二、全面推进乡村振兴，建设共同富裕示范区"


def _hard_wrap(paragraph, width, indent="　　"):
    text = indent + paragraph
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _measures(outline):
    return [[m.text for m in s.measures] for s in outline.sections]


def _expected(*bodies):
    from luoshi.parsing.structure import sentences
    return [sentences(b) for b in bodies]


def test_a_heading_line_then_an_indented_body_line():
    outline = parse_text(f"某区2025年工作要点\n{HEAD_1}\n　　{YAODIAN_BODY_1}\n{HEAD_2}\n　　{YAODIAN_BODY_2}\n")
    assert titles(outline.sections) == [(1, "一、", HEAD_1[2:]), (1, "二、", HEAD_2[2:])]
    assert _measures(outline) == _expected(YAODIAN_BODY_1, YAODIAN_BODY_2)


def test_a_heading_as_wide_as_the_wrapped_body_is_not_merged_with_it():
    text = f"某区2025年工作要点\n{HEAD_1}\n{_hard_wrap(YAODIAN_BODY_1, 22)}\n{HEAD_2}\n{_hard_wrap(YAODIAN_BODY_2, 22)}\n"
    outline = parse_text(text)
    assert titles(outline.sections) == [(1, "一、", HEAD_1[2:]), (1, "二、", HEAD_2[2:])]
    assert _measures(outline) == _expected(YAODIAN_BODY_1, YAODIAN_BODY_2)


def test_a_heading_a_blank_line_and_one_wrapped_paragraph():
    outline = parse_text(f"某区2025年工作要点\n\n一、加快数字政府建设\n\n{_hard_wrap(YAODIAN_BODY_1, 30)}\n")
    assert titles(outline.sections) == [(1, "一、", "加快数字政府建设")]
    assert _measures(outline) == _expected(YAODIAN_BODY_1)


def test_a_heading_a_blank_line_and_one_paragraph_on_one_line():
    for text in (f"一、加快数字政府建设\n\n　　{YAODIAN_BODY_1}\n", f"某区2025年工作要点\n\n一、加快数字政府建设\n\n　　{YAODIAN_BODY_1}\n"):
        outline = parse_text(text)
        assert titles(outline.sections) == [(1, "一、", "加快数字政府建设")]
        assert _measures(outline) == _expected(YAODIAN_BODY_1)


def test_the_same_plan_in_every_common_layout_gives_the_same_outline():
    heads, bodies = [HEAD_1, HEAD_2], [YAODIAN_BODY_1, YAODIAN_BODY_2]
    layouts = {
        "one per line": "\n".join(f"{h}\n{b}" for h, b in zip(heads, bodies)),
        "indented, CRLF": "\r\n".join(f"{h}\r\n　　{b}" for h, b in zip(heads, bodies)),
        "blank lines": "\n\n".join(f"{h}\n\n　　{b}" for h, b in zip(heads, bodies)),
        "wrapped at 30": "\n".join(f"{h}\n{_hard_wrap(b, 30)}" for h, b in zip(heads, bodies)),
        "wrapped, no indent": "\n".join(f"{h}\n{_hard_wrap(b, 26, indent='')}" for h, b in zip(heads, bodies)),
    }
    for name, body in layouts.items():
        outline = parse_text("某区2025年工作要点\n" + body + "\n")
        assert titles(outline.sections) == [(1, "一、", HEAD_1[2:]), (1, "二、", HEAD_2[2:])], name
        assert _measures(outline) == _expected(*bodies), name


def test_the_issuing_body_and_date_that_close_a_plan_are_neither_measures_nor_glued_to_the_last_one():
    outline = parse_text(
        "凤溪镇2027年工作要点\n一、发展经济\n1. 新建标准厂房2万平方米。\n"
        "2. 年内完成村级后备干部培训2期。（责任单位：镇党政办）\n\n"
        "凤溪镇人民政府办公室\n2027年2月18日印发\n"
    )
    texts = [m.text for m in outline.measures()]
    assert texts == ["新建标准厂房2万平方米。", "年内完成村级后备干部培训2期。"]
    assert outline.sections[0].measures[1].responsibility.co == ["镇党政办"]


def test_a_last_line_naming_a_body_without_a_date_is_kept():
    outline = parse_text("工作要点\n一、发展经济\n新建标准厂房2万平方米。\n二、保障措施\n由区发展改革委统筹协调。\n区发展改革委\n")
    assert "区发展改革委" in "".join(m.text for m in outline.measures())
