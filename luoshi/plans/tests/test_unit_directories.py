"""The unit directories are written from the units' remits, and suggestions from them are measured honestly.

The demo directory must not carry the seed plan's words: a suggester tuned on
phrases copied from the plan it is scored on proves nothing. The corpus
directory serves the real plans' gold unit records, on which the suggester
must beat a plain TF-IDF ranking and learn from past tables.
"""
from pathlib import Path

import pytest
import yaml

from luoshi.accounts.models import Unit
from luoshi.accounts.services import unit_directory_load
from luoshi.plans.suggest import UnitSuggester
from luoshi.plans.tests.unit_accuracy import (
    CORPUS_UNITS,
    TfidfBaseline,
    accuracy,
    corpus_records,
    corpus_targets,
)

DEMO_UNITS = Path(__file__).parents[2] / "accounts" / "data" / "nanhu-units.yaml"
SEED = Path(__file__).parents[2] / "parsing" / "tests" / "data" / "seed.txt"

# Remit phrases of four characters or more that the demo directory shares
# with the seed plan. Each is the standard wording of a 三定 regulation for
# the unit that lists it (区域协调发展 for 发改, 爱国卫生 for 卫健, 食品安全
# for 市场监管, 招商引资 for a zone's management committee), or the unit's
# own name (东部新城, 南湖基金小镇). A new phrase taken from the seed fails
# the test below until it is justified here.
REMIT_TERMS_IN_SEED = {
    "development": {"营商环境", "区域协调发展"},
    "economy": {"传统产业", "转型升级", "新兴产业", "数字经济"},
    "science": {"科技创新", "科技成果", "知识产权"},
    "education": {"义务教育", "优质均衡"},
    "public-security": {"社会治安", "治安防控"},
    "agriculture": {"农业农村", "乡村振兴"},
    "commerce": {"商业街区", "电子商务", "现代物流"},
    "health": {"爱国卫生"},
    "market": {"食品安全"},
    "investment": {"招商引资"},
    "financial-affairs": {"实体经济"},
    "fengqiao": {"基层治理", "村级集体经济"},
    "yuxin": {"基层治理"},
    "xinfeng": {"基层治理"},
    "daqiao": {"基层治理"},
    "jianshe": {"公共服务"},
    "xinjia": {"公共服务"},
    "nanhu-street": {"公共服务"},
    "xinxing": {"公共服务"},
    "chengnan": {"公共服务"},
    "jiefang": {"公共服务", "商业街区"},
    "dongzha": {"公共服务"},
    "changshui": {"公共服务"},
    "qixing": {"公共服务", "集体经济"},
    "kejicheng": {"嘉兴科技城", "招商引资"},
    "xiangjiadang": {"开发建设", "招商引资"},
    "dongbuxincheng": {"东部新城", "开发建设", "招商引资"},
    "jijinxiaozhen": {"南湖基金小镇", "基金投资", "实体经济"},
}


def compact(text: str) -> str:
    return "".join((text or "").split())


def directory(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["units"]


@pytest.mark.parametrize("path", [DEMO_UNITS, CORPUS_UNITS], ids=["demo", "corpus"])
def test_every_duty_keyword_is_a_phrase_of_the_units_own_remit(path):
    not_in_remit = [
        f"{unit['code']}: {keyword}"
        for unit in directory(path)
        for keyword in unit.get("duty_keywords", [])
        if compact(keyword) not in compact(unit.get("duties"))
    ]

    assert not_in_remit == []


@pytest.mark.parametrize("path", [DEMO_UNITS, CORPUS_UNITS], ids=["demo", "corpus"])
def test_every_unit_has_a_remit_paragraph(path):
    thin = [unit["code"] for unit in directory(path) if len(compact(unit.get("duties"))) < 30]

    assert thin == []


def test_the_demo_directory_shares_with_the_seed_only_the_remit_terms_listed():
    seed = compact(SEED.read_text(encoding="utf-8"))

    shared = {}
    for unit in directory(DEMO_UNITS):
        phrases = {k for k in unit["duty_keywords"] if len(k) >= 4 and compact(k) in seed}
        if phrases:
            shared[unit["code"]] = phrases

    assert shared == REMIT_TERMS_IN_SEED


def test_no_remit_paragraph_of_the_demo_directory_copies_a_seed_clause():
    # Eight characters in a row is a clause, not a term: 全面提高国内外来宾
    # or 加快培育壮大街道经济 would be the plan's sentence in the remit.
    seed = compact(SEED.read_text(encoding="utf-8"))
    copied = []
    for unit in directory(DEMO_UNITS):
        duties = compact(unit["duties"])
        copied += [f"{unit['code']}: {duties[i:i + 8]}" for i in range(len(duties) - 7) if duties[i:i + 8] in seed]

    assert copied == []


@pytest.fixture
def corpus_directory(db):
    unit_directory_load(path=CORPUS_UNITS)
    return list(Unit.objects.filter(is_active=True).order_by("sort_order", "code"))


def test_every_unit_the_corpus_gold_names_is_in_the_corpus_directory(corpus_directory):
    records = corpus_records()
    scored, skipped, unplaced = corpus_targets(records, corpus_directory)

    assert len(records) == 153
    # What is left is placeholders: groups of units, never one unit.
    assert unplaced == {
        "各区", "各区属集团", "各相关街镇", "各相关部门", "各相关部门和单位", "各联席会议成员单位",
        "各行业主管部门", "各街道管理办", "各街镇", "各街镇（园区）", "各项目公司", "区内各相关行政审批部门",
        "区属国企", "区党政机关", "公共机构", "行业协会",
    }
    assert (len(scored), len(skipped)) == (149, 4)


def test_the_suggester_beats_plain_tfidf_on_the_corpus_measures_with_their_clauses_hidden(corpus_directory):
    scored, _skipped, _unplaced = corpus_targets(corpus_records(), corpus_directory)
    suggester = UnitSuggester.from_db()

    baseline = accuracy(TfidfBaseline(corpus_directory).ranked, scored)
    ours = accuracy(lambda text: [s.unit_code for s in suggester.suggest(text).lead], scored)

    print(f"top-1/top-3 of {len(scored)}: TF-IDF {baseline}, ours {ours}")
    assert ours[0] >= baseline[0] * 1.25
    assert ours[1] > baseline[1]
