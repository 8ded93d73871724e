"""``luoshi parse``: formats, options and errors."""
import json

import pytest
import yaml

from luoshi.parsing.cli import main

from .conftest import SEED


def test_it_prints_json_in_the_gold_schema_with_chinese_unescaped(capsys):
    assert main([str(SEED), "--year", "2018"]) == 0
    out = capsys.readouterr().out
    assert "南湖全力争当弘扬红船精神排头兵" in out
    doc = json.loads(out)
    assert {"title", "author", "preamble", "closing", "sections", "programmes", "year", "warnings"} <= set(doc)
    section = doc["sections"][0]
    assert {"id", "level", "label", "title", "intro", "measures", "sections"} <= set(section)
    measure = section["sections"][0]["measures"][0]
    assert {"id", "text", "targets", "deadline", "programmes", "has_target"} <= set(measure)
    assert doc["year"] == 2018
    # The seed names no year of its own: every deadline is dated in the one given.
    deadlines = [m["deadline"] for part in doc["sections"] for s in part["sections"] for m in s["measures"] if m["deadline"]]
    assert deadlines and {(d["start"][:4], d["end"][:4]) for d in deadlines} == {("2018", "2018")}


def test_it_prints_yaml_that_loads_to_the_same_outline(capsys):
    main([str(SEED), "--format", "json"])
    as_json = json.loads(capsys.readouterr().out)
    main([str(SEED), "--format", "yaml"])
    assert yaml.safe_load(capsys.readouterr().out) == as_json


def test_it_prints_an_indented_text_tree(capsys):
    main([str(SEED), "--format", "text"])
    out = capsys.readouterr().out
    assert "\n1 一、强化“护旗手”担当，着力打造红色领航新高地\n" in out
    assert "\n  1.1 全力打造红色信仰引领地\n" in out
    assert "[no target]" in out and "closing: 新时代开启新征程。" in out


def test_it_writes_to_the_output_path(tmp_path, capsys):
    out = tmp_path / "outline.json"
    assert main([str(SEED), "--output", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "南湖全力争当弘扬红船精神排头兵"


def test_an_unreadable_file_exits_2_with_a_message_on_stderr(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert main([str(empty)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("luoshi parse: error: 文件「empty.txt」是空的")


def test_a_missing_file_exits_2(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert capsys.readouterr().err.startswith("luoshi parse: error: 找不到文件「")


def test_an_implausible_year_exits_2(capsys):
    assert main([str(SEED), "--year", "18"]) == 2
    assert "luoshi parse: error: --year 18 不是合理的规划年份" in capsys.readouterr().err


def test_warnings_carry_a_code_a_chinese_message_and_their_section(capsys):
    main([str(SEED), "--format", "json"])
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert warnings == [{
        "code": "heading_recovered",
        "message": "标题“全力打造红色信仰引领地”后的句号在原文中已损坏（成了“3”），已按同级标题的排比句式恢复为标题。请核对原文。",
        "section_id": "1.1",
        "context": {"title": "全力打造红色信仰引领地", "damage": "3"},
    }]
    main([str(SEED), "--format", "text"])
    assert "\nwarning [heading_recovered] 1.1: 标题“全力打造红色信仰引领地”后的句号" in capsys.readouterr().out


def test_help_explains_the_command_with_an_example(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert "usage: luoshi parse" in out and "examples:" in out and "--format" in out and "--year" in out
