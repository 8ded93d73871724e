"""The seed plan (Nanhu, 2018) parsed through the real command, scored against its gold."""
import json
import subprocess
from pathlib import Path

import pytest

from luoshi.parsing import parse_file, parse_text

from .conftest import SEED, SEED_GOLD, luoshi_command, outline_f1

SHARED_SCORER = Path(__file__).resolve().parents[3].parent / "shared" / "tools" / "outline_score.py"


@pytest.fixture(scope="module")
def parsed_json(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "seed.json"
    result = subprocess.run(
        luoshi_command() + ["parse", str(SEED), "--format", "json", "--output", str(out)],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_the_cli_parse_of_the_seed_scores_a_perfect_outline_f1(parsed_json, seed_gold):
    assert outline_f1(seed_gold, json.loads(parsed_json.read_text(encoding="utf-8"))) == 1.0


@pytest.mark.skipif(not SHARED_SCORER.exists(), reason="../shared/tools/outline_score.py is not in this checkout")
def test_the_projects_own_scorer_agrees(parsed_json):
    result = subprocess.run(
        ["python3", str(SHARED_SCORER), str(SEED_GOLD), str(parsed_json), "--min", "1.0"],
        capture_output=True, text=True, timeout=60,
    )
    assert "outline F1 = 1.000" in result.stdout, result.stdout
    assert result.returncode == 0


def test_it_recovers_a_heading_whose_full_stop_became_a_digit():
    outline = parse_file(SEED)
    first = outline.sections[0].sections[0]
    assert first.title == "全力打造红色信仰引领地"
    assert first.measures[0].text.startswith("坚定从红船精神中汲取")
    recovered = [w for w in outline.warnings if w.code == "heading_recovered"]
    assert [(w.section_id, w.context["title"], w.context["damage"]) for w in recovered] == [("1.1", "全力打造红色信仰引领地", "3")]
    assert "标题“全力打造红色信仰引领地”后的句号" in recovered[0].message and "恢复为标题" in recovered[0].message


def test_it_rejects_the_closing_that_breaks_the_parallel_objectives():
    outline = parse_file(SEED)
    part_four = outline.sections[3]
    assert [s.title for s in part_four.sections] == [
        "实施“学在南湖”品牌行动", "实施“健康南湖”建设行动", "实施“美丽南湖”塑造行动",
        "实施“大爱南湖”构筑行动", "实施“平安南湖”共建行动",
    ]
    assert outline.closing.startswith("新时代开启新征程。")


def test_the_seed_has_ids_programmes_and_the_measures_that_serve_them():
    outline = parse_file(SEED)
    assert [s.id for s in outline.sections[1].sections] == ["2.1", "2.2", "2.3", "2.4"]
    assert outline.sections[2].sections[1].measures[2].id == "3.2.3"
    programmes = {p.name: p for p in outline.programmes}
    assert {"四个年", "五个南湖", "最多跑一次", "三改一拆", "五水共治", "1341产业体系", "双招双引"} <= set(programmes)
    assert programmes["1341产业体系"].text == "“1341”产业体系"
    # “四个年” heads part 二, so every measure under it serves the programme.
    assert programmes["四个年"].measure_ids == [m.id for s in outline.sections[1].sections for m in s.measures]
    assert programmes["最多跑一次"].measure_ids == ["2.4.2"]
    assert not {"全面小康", "红船", "第一个百年目标"} & set(programmes)


def test_the_seed_programmes_are_the_named_lines_of_work_a_supervisor_tracks():
    assert [p.name for p in parse_file(SEED).programmes] == [
        "四个区", "四个年", "红色资源+", "科技创新攻坚年", "双招双引", "四百行动", "平台载体提升年", "十大行动",
        "优质服务示范年", "最多跑一次", "中国制造2025南湖行动计划", "1341产业体系", "五个南湖", "学在南湖",
        "健康南湖", "美丽南湖", "三改一拆", "五水共治", "五气共治", "大爱南湖", "平安南湖", "五大体系",
    ]


def test_the_seed_flags_measures_without_a_measurable_deliverable():
    outline = parse_file(SEED)
    measure = outline.sections[3].sections[0].measures[0]
    assert measure.has_target and measure.targets[0].text == "争创全国义务教育优质均衡发展区"
    assert not outline.sections[0].sections[0].measures[0].has_target


def _seed_paragraphs(gold):
    """The seed as an office would type it: one paragraph per line, from its gold outline."""
    out = [gold["title"], gold["author"], *gold["preamble"].split("\n")]

    def walk(sections):
        for s in sections:
            if s["label"]:
                out.append(s["label"] + s["title"])
                out.extend(p for p in s["intro"].split("\n") if p)
            else:
                out.append(s["title"] + "。" + "".join(m["text"] for m in s["measures"]))
            walk(s["sections"])

    walk(gold["sections"])
    out.append(gold["closing"])
    return out


def _wrap(paragraphs, width, indent):
    lines = []
    for p in paragraphs:
        text = indent + p
        lines += [text[i:i + width] for i in range(0, len(text), width)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("layout", [
    "one per line", "one per line, CRLF", "indented, blank lines", "wrapped at 38", "wrapped at 45, no indent", "original, CRLF",
])
def test_the_seed_in_other_layouts_scores_a_perfect_outline_f1(layout, seed_gold):
    paragraphs = _seed_paragraphs(seed_gold)
    text = {
        "one per line": "\n".join(paragraphs),
        "one per line, CRLF": "\r\n".join(paragraphs),
        "indented, blank lines": "\n\n".join("　　" + p for p in paragraphs),
        "wrapped at 38": _wrap(paragraphs, 38, "　　"),
        "wrapped at 45, no indent": _wrap(paragraphs, 45, ""),
        "original, CRLF": SEED.read_text(encoding="utf-8").replace("\n", "\r\n"),
    }[layout]
    outline = parse_text(text, year=2018)
    assert outline_f1(seed_gold, outline.to_dict()) == 1.0
