"""``luoshi parse FILE``: print a plan's outline as JSON, YAML or an indented text tree."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import parse_file
from .model import Outline, ParseError, Section

EPILOG = """\
examples:
  luoshi parse plan.txt
  luoshi parse 2024年工作要点.docx --format text
  luoshi parse report.pdf --year 2024 --format json --output outline.json

The file may be .txt (UTF-8, GB18030/GBK or UTF-16), .docx or .pdf with a
text layer; the format is recognised from the content. Deadlines are dated in
the plan year: --year, else the year the text names, else this year.
Exit status: 0 on success, 2 when the file cannot be read as a plan.
Errors and warnings are written in Chinese, for the officials who read them;
each warning in the JSON output also has a stable English code.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="luoshi parse",
        description="Parse a Chinese work plan into its outline: sections, measures, "
        "named programmes, targets and deadlines.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", help="the plan: a .txt, .docx or .pdf file")
    parser.add_argument("--format", choices=["json", "yaml", "text"], default="json", help="output format (default: json)")
    parser.add_argument("--year", type=int, help="the plan year deadlines refer to, e.g. 2024")
    parser.add_argument("--output", "-o", metavar="PATH", help="write to PATH instead of standard output")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.year is not None and not 1900 <= args.year <= 2200:
        return _fail(f"--year {args.year} 不是合理的规划年份，请写四位数年份，如 2024。")
    try:
        outline = parse_file(args.file, year=args.year)
    except ParseError as e:
        return _fail(str(e))
    rendered = render(outline, args.format)
    if args.output:
        try:
            Path(args.output).write_text(rendered, encoding="utf-8")
        except OSError as e:
            return _fail(f"无法写入「{args.output}」（{e.strerror}）。请检查路径和写入权限。")
    else:
        sys.stdout.write(rendered)
    return 0


def _fail(message: str) -> int:
    print(f"luoshi parse: error: {message}", file=sys.stderr)
    return 2


def render(outline: Outline, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(outline.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(outline.to_dict(), allow_unicode=True, sort_keys=False, width=1000)
    return _text(outline)


def _text(outline: Outline) -> str:
    lines = [outline.title or "(untitled)"]
    if outline.author:
        lines.append(outline.author)
    lines.append(f"year {outline.year}, {sum(1 for _ in outline.measures())} measures, {len(outline.programmes)} programmes")
    if outline.preamble:
        lines.append(f"preamble: {outline.preamble}")

    def section(s: Section) -> None:
        pad = "  " * (s.level - 1)
        lines.append(f"{pad}{s.id} {s.label}{s.title}")
        if s.intro:
            lines.append(f"{pad}  intro: {s.intro}")
        for m in s.measures:
            facts = [t.text for t in m.targets] + ([f"⏰{m.deadline.text}→{m.deadline.end}"] if m.deadline else [])
            flag = "" if m.has_target else " [no target]"
            lines.append(f"{pad}  {m.id} {m.text}{flag}" + (f"  ({'; '.join(facts)})" if facts else ""))
        for child in s.sections:
            section(child)

    for s in outline.sections:
        section(s)
    if outline.closing:
        lines.append(f"closing: {outline.closing}")
    for p in outline.programmes:
        lines.append(f"programme {p.name}: {', '.join(p.measure_ids) or '-'}")
    for w in outline.warnings:
        where = f" {w.section_id}" if w.section_id else ""
        lines.append(f"warning [{w.code}]{where}: {w.message}")
    return "\n".join(lines) + "\n"
