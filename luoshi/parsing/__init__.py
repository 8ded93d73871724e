"""Luoshi's plan parser: raw Chinese plan text (.txt, .docx, .pdf) to an outline.

A pure library: it imports nothing from Django, so ``luoshi parse FILE`` works
with no settings and no database, and the Django side saves what it returns.

    from luoshi.parsing import parse_file
    outline = parse_file("plan.txt")
    outline.to_dict()  # the JSON schema in docs/outline-schema.md
"""
from .api import parse_bytes, parse_file, parse_text
from .model import Deadline, Measure, Outline, ParseError, ParseWarning, Programme, Section, Target

__all__ = [
    "parse_file", "parse_bytes", "parse_text",
    "ParseError", "ParseWarning", "Outline", "Section", "Measure", "Programme", "Target", "Deadline",
]
