"""User text in the .xlsx files Luoshi writes stays text: Excel never evaluates it.

openpyxl stores any string that starts with ``=`` as a formula, so a task
titled ``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would be live in every
sheet that lists it. Excel also reads ``+ - @`` (and a leading tab or
carriage return) as the start of a formula once someone edits the cell.
Such a value is written typed as text and with Excel's quote prefix (the
leading apostrophe, which is not part of the value), so it reads back, and
imports back, exactly as it was written.
"""
from __future__ import annotations

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def as_text(cell):
    """``cell``, typed as quote-prefixed text when its value could be taken for a formula."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def text_row(sheet, values: list) -> list:
    """``values`` for ``sheet.append``, each string that could be taken for a formula made a text cell."""
    return [as_text(WriteOnlyCell(sheet, value=value)) if looks_like_formula(value) else value for value in values]
