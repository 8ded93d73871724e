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
        with pytest.raises(ParseError, match="是空的") as error:
            parse_bytes(data)
        assert error.value.code == "empty"
    with pytest.raises(ParseError, match="^文件「空.txt」是空的") as error:
        parse_bytes(b"", filename="空.txt")
    assert error.value.code == "empty" and error.value.context == {"filename": "空.txt"}


def test_binary_junk_is_an_error_not_a_plan():
    with pytest.raises(ParseError, match="乱码|二进制|中文") as error:
        parse_bytes(os.urandom(4096))
    assert error.value.code in {"binary", "garbled_text", "no_chinese", "little_chinese", "nonsense_text"}


def test_utf8_text_mislabelled_as_something_else_is_never_silently_misread():
    # UTF-8 bytes of Chinese read as Latin-1 and written out again as UTF-8.
    mojibake = PLAN.encode("utf-8").decode("latin-1").encode("utf-8")
    with pytest.raises(ParseError, match="中文") as error:
        parse_bytes(mojibake)
    assert error.value.code in {"garbled_text", "no_chinese", "little_chinese", "nonsense_text"}


def test_text_that_decodes_to_rare_characters_is_called_nonsense():
    rare = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400))
    with pytest.raises(ParseError, match="生僻字.*乱码") as error:
        parse_bytes(rare.encode("utf-8"))
    assert error.value.code == "nonsense_text"


def test_english_text_is_not_a_chinese_plan():
    with pytest.raises(ParseError, match="没有中文内容") as error:
        parse_bytes(b"Work plan for 2024\n1. Build things.\n")
    assert error.value.code == "no_chinese"


def test_images_archives_and_legacy_word_files_are_named_in_the_error():
    with pytest.raises(ParseError, match="图片（PNG）") as error:
        parse_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(100))
    assert error.value.code == "image"
    with pytest.raises(ParseError, match=r"^文件「plan.doc」是旧版 Word（\.doc）.*另存为 \.docx") as error:
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(100), filename="plan.doc")
    assert error.value.code == "legacy_doc"
    with pytest.raises(ParseError, match="压缩包（ZIP）") as error:
        parse_bytes(b"PK\x03\x04" + os.urandom(100), filename="plan.zip")
    assert error.value.code == "archive"


def test_a_file_named_pdf_or_docx_that_is_not_one_says_so():
    with pytest.raises(ParseError, match="^文件「plan.pdf」的扩展名是 .pdf，但内容不是 PDF 文档") as error:
        parse_bytes(PLAN.encode("utf-8"), filename="plan.pdf")
    assert error.value.code == "not_pdf"
    with pytest.raises(ParseError) as error:
        parse_bytes(PLAN.encode("utf-8"), filename="j.docx")
    assert error.value.code == "not_docx"
    assert str(error.value) == "文件「j.docx」的扩展名是 .docx，但内容不是 Word 文档。请用 Word 或 WPS 另存为 .docx 后重新上传。"


def test_a_missing_file_is_an_error_with_its_path(tmp_path):
    with pytest.raises(ParseError, match="找不到文件") as error:
        parse_file(tmp_path / "missing.txt")
    assert error.value.code == "not_found" and str(tmp_path / "missing.txt") in str(error.value)


def test_a_file_over_the_limit_is_refused_before_it_is_read(monkeypatch):
    from luoshi.parsing import api

    monkeypatch.setattr(api, "MAX_BYTES", 2**20)
    with pytest.raises(ParseError, match="^文件「big.txt」有 2 MB，超过了 1 MB 的上限") as error:
        parse_bytes(b"x" * (3 * 2**19), filename="big.txt")
    assert error.value.code == "too_large"


def test_a_parse_error_pickles_and_serialises_with_its_code():
    import json
    import pickle

    with pytest.raises(ParseError) as error:
        parse_bytes(b"", filename="e.txt")
    again = pickle.loads(pickle.dumps(error.value))
    assert (again.code, str(again), again.context) == ("empty", str(error.value), {"filename": "e.txt"})
    assert json.loads(json.dumps(error.value.to_dict(), ensure_ascii=False)) == {
        "code": "empty", "message": str(error.value), "context": {"filename": "e.txt"},
    }


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
    with pytest.raises(ParseError, match="^文件「scan.pdf」共 1 页，但没有文字层，看起来是扫描件。请先用 OCR") as error:
        parse_bytes(data, filename="scan.pdf")
    assert error.value.code == "scanned_pdf" and error.value.context["pages"] == 1


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
    with pytest.raises(ParseError, match="已损坏.*PDF") as error:
        parse_bytes(b"%PDF-1.4\n" + os.urandom(500))
    assert error.value.code == "damaged_pdf"
