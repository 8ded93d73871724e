"""Encodings and formats: every wrong guess is an error that says what is wrong."""
import codecs
import io
import os

import pytest

from luoshi.parsing import ParseError, parse_bytes, parse_file

from .conftest import SEED

PLAN = "区2024年工作要点\n\n一、推进产业升级\n年底前新增规上企业15家。推动数字化改造。\n二、办好民生实事\n新建幼儿园3所。\n"


def test_it_reads_utf8_with_and_without_a_byte_order_mark():
    plain = parse_bytes(PLAN.encode("utf-8"))
    bom = parse_bytes(codecs.BOM_UTF8 + PLAN.encode("utf-8"))
    assert plain.encoding == "utf-8" and bom.encoding == "utf-8-sig"
    assert plain.to_dict()["sections"] == bom.to_dict()["sections"]
    assert bom.title == "区2024年工作要点"


def test_it_reads_gb18030_and_gbk():
    outline = parse_bytes((PLAN + "石㙟村").encode("gb18030"))
    assert outline.encoding == "gb18030"
    assert outline.sections[1].measures[0].text == "新建幼儿园3所。"


def test_it_reads_utf16_with_a_byte_order_mark_and_without_one():
    assert parse_bytes(PLAN.encode("utf-16")).sections[0].title == "推进产业升级"
    assert parse_bytes(PLAN.encode("utf-16-le")).sections[0].title == "推进产业升级"


def test_the_seed_reads_the_same_in_every_encoding():
    text = SEED.read_text(encoding="utf-8")
    expected = parse_bytes(text.encode("utf-8")).to_dict()["sections"]
    for encoding in ("gb18030", "utf-16"):
        assert parse_bytes(text.encode(encoding)).to_dict()["sections"] == expected


def test_an_empty_file_is_an_error_that_says_so():
    for data in (b"", b"   \n\r\n\t", codecs.BOM_UTF8 + b"\n"):
        with pytest.raises(ParseError, match="empty"):
            parse_bytes(data)


def test_binary_junk_is_an_error_not_a_plan():
    with pytest.raises(ParseError, match="binary|does not decode|not text"):
        parse_bytes(os.urandom(4096))


def test_utf8_text_mislabelled_as_something_else_is_never_silently_misread():
    # UTF-8 bytes of Chinese read as Latin-1 and written out again as UTF-8.
    mojibake = PLAN.encode("utf-8").decode("latin-1").encode("utf-8")
    with pytest.raises(ParseError, match="does not decode to Chinese text"):
        parse_bytes(mojibake)


def test_text_that_decodes_to_rare_characters_is_called_nonsense():
    rare = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400))
    with pytest.raises(ParseError, match="nonsense"):
        parse_bytes(rare.encode("utf-8"))


def test_english_text_is_not_a_chinese_plan():
    with pytest.raises(ParseError, match="no Chinese text"):
        parse_bytes(b"Work plan for 2024\n1. Build things.\n")


def test_images_archives_and_legacy_word_files_are_named_in_the_error():
    with pytest.raises(ParseError, match="PNG image"):
        parse_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    with pytest.raises(ParseError, match=r"legacy Word.*\.docx"):
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(100), filename="plan.doc")
    with pytest.raises(ParseError, match="ZIP archive but not a Word"):
        parse_bytes(b"PK\x03\x04" + os.urandom(100), filename="plan.zip")


def test_a_file_named_pdf_that_is_not_one_says_so():
    with pytest.raises(ParseError, match="named plan.pdf but its content is not a PDF"):
        parse_bytes(PLAN.encode("utf-8"), filename="plan.pdf")


def test_a_missing_file_is_an_error_with_its_path(tmp_path):
    with pytest.raises(ParseError, match="no such file"):
        parse_file(tmp_path / "missing.txt")


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    draw(page)
    page.showPage()
    page.save()
    return buffer.getvalue()


def test_a_pdf_without_a_text_layer_is_called_scanned():
    data = _pdf(lambda page: page.rect(100, 100, 300, 400, fill=1))
    with pytest.raises(ParseError, match="no text layer: it looks scanned"):
        parse_bytes(data, filename="scan.pdf")


def test_a_pdf_with_text_is_parsed():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))

    def draw(page):
        page.setFont("STSong-Light", 12)
        for i, line in enumerate(PLAN.splitlines()):
            page.drawString(72, 760 - 18 * i, line)

    outline = parse_bytes(_pdf(draw))
    assert outline.source_format == "pdf"
    assert [s.title for s in outline.sections] == ["推进产业升级", "办好民生实事"]


def test_a_damaged_pdf_is_an_error():
    with pytest.raises(ParseError, match="PDF"):
        parse_bytes(b"%PDF-1.4\n" + os.urandom(500))
