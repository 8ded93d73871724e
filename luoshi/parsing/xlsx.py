"""Excel task lists (.xlsx): the rows of the first sheet that has a task header.

Sheets are read with openpyxl in read-only mode, row by row, so a large sheet
is never held as a tree. Read-only sheets do not report merged cells, so the
merge ranges are read from the sheet's XML and each merged cell takes the
value of its top-left cell, as Word's tables do.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from . import safezip
from .model import ParseError
from .tables import is_task_header

# A task header sits near the top; rows past this are not searched for it.
_HEADER_SEARCH_ROWS = 20
# Beyond these a sheet is a data dump, not a plan's task list.
MAX_ROWS = 20000
MAX_COLUMNS = 60
# What openpyxl raises on a broken workbook: its own error, the zip's, or
# whatever a malformed part makes its parser trip over.
_DAMAGED = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, IndexError, AttributeError,
            OSError, EOFError, SyntaxError, etree.XMLSyntaxError)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def xlsx_task_sheet(data: bytes) -> tuple[str, list[list[str]]]:
    """The name and rows (cell texts) of the first sheet with a task header.

    A workbook without one is a ParseError that names the headers looked for.
    """
    import openpyxl

    safezip.check_office(data, damaged_code="damaged_xlsx")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED as e:
        raise ParseError("damaged_xlsx", detail=str(e)) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for sheet in workbook.worksheets:
                rows = _rows(sheet)
                if any(is_task_header(row) for row in rows[:_HEADER_SEARCH_ROWS]):
                    _fill_merges(rows, _merges(archive, getattr(sheet, "_worksheet_path", "")))
                    return sheet.title, rows
    except _DAMAGED as e:
        raise ParseError("damaged_xlsx", detail=str(e)) from None
    finally:
        workbook.close()
    raise ParseError("xlsx_no_tasks", sheets="、".join(f"「{s}」" for s in workbook.sheetnames))


def _rows(sheet) -> list[list[str]]:
    rows = []
    for i, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)):
        if i >= MAX_ROWS:
            raise ParseError("xlsx_too_many_rows", sheet=sheet.title, limit=MAX_ROWS)
        rows.append([_text(v) for v in values])
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year}年{value.month}月{value.day}日" if hasattr(value, "day") else f"{value.year}年{value.month}月"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _merges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range in a sheet's XML, 1-based."""
    if not path:
        return []
    try:
        stream = archive.open(path.lstrip("/"))
    except KeyError:
        return []
    ranges = []
    with stream:
        for _, element in etree.iterparse(stream, tag=f"{{{_MAIN_NS}}}mergeCell", resolve_entities=False, no_network=True):
            ref = element.get("ref")
            if ref and ":" in ref:
                ranges.append(range_boundaries(ref))
            element.clear()
    return ranges


def _fill_merges(rows: list[list[str]], merges: list[tuple[int, int, int, int]]) -> None:
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col - 1 < len(top) else ""
        for r in range(min_row - 1, min(max_row, len(rows))):
            row = rows[r]
            for c in range(min_col - 1, min(max_col, MAX_COLUMNS)):
                while len(row) <= c:
                    row.append("")
                if not row[c]:
                    row[c] = value
