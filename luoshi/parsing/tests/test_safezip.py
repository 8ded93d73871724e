"""Zip bombs and damaged archives are refused, in Chinese, before python-docx inflates anything."""
import io
import tracemalloc
import zipfile

import docx
import pytest

from luoshi.parsing import ParseError, parse_bytes, safezip

from .zipbombs import GIB, Entry, deflated, document_xml_bomb, rebuild

DOCUMENT = "word/document.xml"


@pytest.fixture(scope="module")
def plan_docx():
    document = docx.Document()
    document.add_paragraph("关于推进基层治理的实施方案")
    document.add_paragraph("一、总体要求")
    document.add_paragraph("1.健全网格化管理体系，2026年底前覆盖全部社区。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _refusal(data, **kwargs):
    """The ParseError parse_bytes raises, and the most memory Python held while it worked."""
    tracemalloc.start()
    try:
        with pytest.raises(ParseError) as caught:
            parse_bytes(data, **kwargs)
        return caught.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_ordinary_word_document_passes_and_is_parsed(plan_docx):
    safezip.check(plan_docx)
    outline = parse_bytes(plan_docx, filename="方案.docx")
    assert [s.title for s in outline.sections] == ["总体要求"]


def test_a_megabyte_that_inflates_to_a_gigabyte_is_refused_without_being_inflated(plan_docx):
    bomb = rebuild(plan_docx, replace={DOCUMENT: document_xml_bomb(GIB)})
    assert len(bomb) < 1.5 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(DOCUMENT).file_size > GIB
        with archive.open(DOCUMENT) as stream:
            assert stream.read(200).startswith(b"<?xml")  # a real, readable bomb
    error, peak = _refusal(bomb, filename="规划.docx")
    assert error.code == "zip_entry"
    assert str(error).startswith("文件「规划.docx」中的部件「word/document.xml」解压后有 1024 MB，超过了单个部件 64 MB 的上限")
    assert peak < 8 * 1024 * 1024


def test_a_bomb_whose_headers_understate_its_size_is_stopped_at_the_stated_size(plan_docx):
    bomb = rebuild(plan_docx, replace={DOCUMENT: document_xml_bomb(GIB)}, declare={DOCUMENT: 4096})
    error, peak = _refusal(bomb, filename="规划.docx")
    assert error.code == "zip_lying"
    assert "「word/document.xml」解压出的内容多于它声明的 4096 字节" in str(error)
    assert peak < 8 * 1024 * 1024


def test_a_small_part_that_compresses_a_thousand_times_is_refused_by_its_ratio(plan_docx):
    bomb = rebuild(plan_docx, replace={DOCUMENT: document_xml_bomb(32 * 1024 * 1024)})
    error, _ = _refusal(bomb, filename="规划.docx")
    assert error.code == "zip_ratio"
    assert "超过了 100 倍的上限" in str(error) and "压缩炸弹" in str(error)


def test_the_entry_count_and_total_size_have_limits_of_their_own(plan_docx):
    entries = len(zipfile.ZipFile(io.BytesIO(plan_docx)).namelist())
    with pytest.raises(ParseError) as caught:
        safezip.check(plan_docx, filename="a.docx", limits=safezip.Limits(entries=entries - 1))
    assert caught.value.code == "zip_entries"
    assert f"中有 {entries} 个部件，超过了 {entries - 1} 个的上限" in str(caught.value)
    with pytest.raises(ParseError) as caught:
        safezip.check(plan_docx, limits=safezip.Limits(total_bytes=512 * 1024))
    assert caught.value.code == "zip_total"
    assert "解压后有 0.8 MB，超过了 0.5 MB 的上限" in str(caught.value)


def test_broken_xml_inside_a_word_document_is_a_damaged_document_not_a_traceback(plan_docx):
    broken = rebuild(plan_docx, replace={DOCUMENT: deflated(b"<w:document><w:body><w:p>unclosed")})
    error, _ = _refusal(broken, filename="规划.docx")
    assert error.code == "damaged_docx"
    assert str(error).startswith("文件「规划.docx」已损坏，无法作为 Word 文档打开")


def test_an_entry_whose_checksum_is_wrong_is_a_damaged_zip_and_to_the_parser_a_damaged_document(plan_docx):
    good = deflated(zipfile.ZipFile(io.BytesIO(plan_docx)).read(DOCUMENT))
    corrupt = rebuild(plan_docx, replace={DOCUMENT: Entry(good.raw, good.crc ^ 1, good.size)})
    with pytest.raises(ParseError) as caught:
        safezip.check(corrupt, filename="佐证.docx")
    assert caught.value.code == "damaged_zip"
    assert str(caught.value).startswith("文件「佐证.docx」已损坏，无法解压读取")
    error, _ = _refusal(corrupt, filename="规划.docx")
    assert error.code == "damaged_docx"
    assert str(error).startswith("文件「规划.docx」已损坏，无法作为 Word 文档打开")


def test_a_task_table_workbook_that_is_a_zip_bomb_is_refused_before_openpyxl_opens_it():
    from openpyxl import Workbook

    from .zipbombs import sheet_xml_bomb

    book = Workbook()
    book.active.append(["序号", "工作任务", "牵头单位", "完成时限"])
    out = io.BytesIO()
    book.save(out)
    bomb = rebuild(out.getvalue(), replace={"xl/worksheets/sheet1.xml": sheet_xml_bomb(GIB)})
    error, peak = _refusal(bomb, filename="任务表.xlsx")
    assert error.code == "zip_entry"
    assert str(error).startswith("文件「任务表.xlsx」中的部件「xl/worksheets/sheet1.xml」解压后有 1024 MB")
    assert peak < 8 * 1024 * 1024
