"""Build the binary fixtures of the parser corpus: two .docx files and a PDF.

Run once from the repository root; the generated files are committed, so the
tests never depend on regenerating them:

    .venv/bin/python luoshi/parsing/tests/corpus/make_corpus.py

- heading-styles.docx: Word's Title / Heading 1 / Heading 2 styles and no
  typed numbering in the headings; the body is Normal.
- hand-numbered.docx: every paragraph is Normal; the author typed "一、" and
  "（一）" and made the headings bold by hand.
- from-report.pdf: work-report.txt laid out on A4 in STSong-Light, wrapped at
  the page width (sentences break mid-line), with a running header line and a
  "— N —" page number on every page.
"""
import datetime
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2025, 1, 20, 9, 0, 0)

HEADING_STYLES = [
    ("Title", "松川县2025年数字政府建设工作方案"),
    ("Normal-center", "松川县大数据发展局"),
    ("Normal", "为加快推进数字政府建设，以数字化改革助力政府职能转变，根据省、市数字政府建设部署要求，结合我县实际，制定本方案。"),
    ("Heading 1", "夯实数字基础设施"),
    ("Normal", "坚持集约建设、共建共享，筑牢数字政府建设底座。"),
    ("Heading 2", "提升政务云网承载能力"),
    ("Normal", "上半年完成县级政务云扩容，计算资源达到2000核以上。推动电子政务外网向村（社区）延伸，年底前实现全县156个行政村全覆盖。"),
    ("Heading 2", "统筹建设公共支撑平台"),
    ("Normal", "建设全县统一的身份认证、电子印章和电子证照平台。"),
    ("Normal", "6月底前完成各部门自建业务系统与统一身份认证平台的对接。"),
    ("Heading 1", "推进数据共享开放"),
    ("Normal", "把数据作为关键生产要素，推动政务数据有序流动和高效利用。"),
    ("Heading 2", "健全数据资源体系"),
    ("Normal", "编制全县政务数据资源目录，数据资源目录挂接率达到95%。"),
    ("Normal", "建成人口、法人、自然资源和空间地理等基础数据库。"),
    ("Heading 2", "深化数据开发利用"),
    ("Normal", "向社会开放公共数据集100个以上。开展公共数据授权运营试点，培育数据应用场景10个。"),
    ("Heading 1", "提升数字治理能力"),
    ("Heading 2", "推进“一网统管”"),
    ("Normal", "建成县级城市运行管理中心，接入城管、应急、交通等领域视频和感知数据。三季度前实现全县重点部位视频监控联网率达到100%。"),
    ("Heading 2", "建设数字机关"),
    ("Normal", "推广使用“松川政务”移动办公平台，全县党政机关公文电子化流转率达到98%。"),
    ("Normal", "开展全县机关干部数字素养培训，全年培训2000人次。"),
]

# (kind, text): "title" and "author" are centred, "h" is a bold heading with
# a hand-typed label, "p" is body text with a two-character first-line indent.
HAND_NUMBERED = [
    ("title", "柳塘县2025年安全生产工作要点"),
    ("author", "柳塘县安全生产委员会办公室"),
    ("p", "2025年全县安全生产工作的总体要求是：坚持人民至上、生命至上，统筹发展和安全，以治本攻坚为主线，全面提升本质安全水平。主要目标是：生产安全事故起数和死亡人数实现“双下降”，坚决遏制较大及以上生产安全事故。"),
    ("h", "一、压紧压实安全生产责任"),
    ("h", "（一）强化党政领导责任"),
    ("p", "严格落实地方党政领导干部安全生产责任制，县委常委会会议、县政府常务会议每季度至少研究一次安全生产工作。将安全生产纳入乡镇和部门年度综合考核，考核权重不低于5%。"),
    ("h", "（二）　落实企业主体责任"),
    ("p", "推动高危行业企业主要负责人安全生产承诺制全覆盖。"),
    ("p", "年底前规模以上工业企业安全生产标准化达标率达到90%以上。"),
    ("h", "二、深化重点行业领域专项整治"),
    ("p", "聚焦事故易发多发的重点行业领域，纵深推进安全生产治本攻坚三年行动。"),
    ("h", "（一）道路交通"),
    ("p", "完成国省道安全隐患点整治40处。开展“两客一危一重货”车辆动态监控专项检查，重点车辆入网率保持100%。"),
    ("h", "（二）危险化学品和矿山"),
    ("p", "6月底前完成全县危险化学品企业重大危险源在线监测预警系统升级。关闭退出不具备安全生产条件的非煤矿山2座。"),
    ("h", "（三）建筑施工和城镇燃气"),
    ("p", "开展建筑施工起重机械、深基坑等危大工程专项检查，检查覆盖率达到100%。"),
    ("p", "年底前完成城镇老旧燃气管道更新改造35公里。"),
    ("h", "三、提升应急救援能力"),
    ("h", "（一）加强应急队伍建设"),
    ("p", "新建乡镇综合应急救援队伍5支，每支队伍不少于20人。"),
    ("h", "（二）开展应急演练"),
    ("p", "全年组织各类应急演练不少于60场，其中县级综合演练2场。汛期前完成全县所有重点企业应急预案修订备案。"),
]


def _east_asian_font(run, name):
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _fix_properties(doc, title):
    props = doc.core_properties
    props.title = title
    props.author = "luoshi corpus"
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = "luoshi corpus"
    props.revision = 1


def build_heading_styles(path):
    doc = Document()
    for style, text in HEADING_STYLES:
        if style == "Normal-center":
            para = doc.add_paragraph(text, style="Normal")
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            para = doc.add_paragraph(text, style=style)
        if style == "Normal":
            para.paragraph_format.first_line_indent = Pt(32)
    _fix_properties(doc, HEADING_STYLES[0][1])
    doc.save(path)


def build_hand_numbered(path):
    doc = Document()
    for kind, text in HAND_NUMBERED:
        para = doc.add_paragraph(style="Normal")
        run = para.add_run(text)
        if kind in ("title", "author"):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.font.size = Pt(22 if kind == "title" else 16)
            _east_asian_font(run, "方正小标宋简体" if kind == "title" else "仿宋_GB2312")
        else:
            run.font.size = Pt(16)
            para.paragraph_format.first_line_indent = Pt(32)
            _east_asian_font(run, "黑体" if kind == "h" else "仿宋_GB2312")
            run.bold = kind == "h"
    _fix_properties(doc, HAND_NUMBERED[0][1])
    doc.save(path)


def _wrap(text, width, font, size, indent):
    """Break a paragraph into lines no wider than ``width`` points, anywhere."""
    lines, line, used = [], "", indent
    for ch in text:
        w = pdfmetrics.stringWidth(ch, font, size)
        if used + w > width and line:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += w
    if line:
        lines.append(line)
    return lines


def build_pdf(source, path):
    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    page_w, page_h = A4
    left, right, top, bottom = 80, 75, 100, 95
    width = page_w - left - right
    size, leading = 15, 27
    header = "青溪县人民政府工作报告"

    paragraphs = [p.strip() for p in source.read_text(encoding="utf-8").splitlines() if p.strip()]
    title, author, body = paragraphs[0], paragraphs[1], paragraphs[2:]

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(title)
    c.setAuthor("luoshi corpus")
    page = 1
    y = page_h - top

    def furniture():
        c.setFont(font, 10.5)
        c.drawCentredString(page_w / 2, page_h - 60, header)
        c.line(left, page_h - 66, page_w - right, page_h - 66)
        c.setFont(font, 14)
        c.drawCentredString(page_w / 2, 50, f"— {page} —")

    def newline():
        nonlocal y, page
        y -= leading
        if y < bottom:
            furniture()
            c.showPage()
            page += 1
            y = page_h - top

    c.setFont(font, 20)
    c.drawCentredString(page_w / 2, y, title)
    newline()
    c.setFont(font, 15)
    c.drawCentredString(page_w / 2, y, author)
    newline()
    newline()
    for para in body:
        indent = 2 * size
        for i, line in enumerate(_wrap(para, width, font, size, indent)):
            c.setFont(font, size)
            c.drawString(left + (indent if i == 0 else 0), y, line)
            newline()
    furniture()
    c.showPage()
    c.save()


def main():
    build_heading_styles(HERE / "heading-styles.docx")
    build_hand_numbered(HERE / "hand-numbered.docx")
    build_pdf(HERE / "work-report.txt", HERE / "from-report.pdf")


if __name__ == "__main__":
    main()
