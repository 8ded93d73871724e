"""Unit names as real plans write them find the directory's unit, or say why not."""
import json
from pathlib import Path

import pytest

from luoshi.accounts.models import Unit
from luoshi.accounts.unitnames import UnitNameIndex, is_placeholder, unit_match, units_match

CORPUS_UNITS = Path(__file__).resolve().parents[2] / "parsing" / "tests" / "corpus" / "real" / "units"

# A Shanghai district's directory as it spells its units: full official names only,
# no short names or aliases, so every abbreviation below has to be derived.
DISTRICT = [
    "区发展和改革委员会", "区建设和管理委员会", "区规划和自然资源局", "区人力资源和社会保障局",
    "区住房保障和房屋管理局", "区市场监督管理局", "区生态环境局", "区卫生健康委员会", "区教育局",
    "区财政局", "区绿化和市容管理局", "区国有资产监督管理委员会", "区科学技术委员会", "区应急管理局",
    "区机关事务管理局", "区民政局", "区商务委员会", "区水务局", "区委宣传部", "区委组织部",
    "区政府办公室", "区农业农村委员会",
]


@pytest.fixture(scope="module")
def district():
    return UnitNameIndex([Unit(name=name, short_name="", aliases=[]) for name in DISTRICT])


def _corpus_names() -> set[str]:
    names: set[str] = set()
    assert any(CORPUS_UNITS.glob("*.json")), CORPUS_UNITS
    for path in CORPUS_UNITS.glob("*.json"):
        for record in json.loads(path.read_text(encoding="utf-8")):
            names.update(record["lead"])
            names.update(record["co"])
    return names


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("区发展改革委", "区发展和改革委员会"),
        ("区建管委", "区建设和管理委员会"),
        ("区建设管理委", "区建设和管理委员会"),
        ("区规划资源局", "区规划和自然资源局"),
        ("区卫健委", "区卫生健康委员会"),
        ("区卫生健康委", "区卫生健康委员会"),
        ("区市场监管局", "区市场监督管理局"),
        ("区国资委", "区国有资产监督管理委员会"),
        ("区绿化市容局", "区绿化和市容管理局"),
        ("区应急局", "区应急管理局"),
        ("区机管局", "区机关事务管理局"),
        ("区科委", "区科学技术委员会"),
        ("区农业农村委", "区农业农村委员会"),
        ("区住房保障房屋管理局", "区住房保障和房屋管理局"),
        ("区委宣传部（区文明办、区政府新闻办、区委网信办）", "区委宣传部"),
        ("区委组织部（区公务员局）", "区委组织部"),
        ("区生态环境局", "区生态环境局"),
    ],
)
def test_names_from_real_clauses_find_the_unit_under_its_full_name(district, written, unit):
    assert written in _corpus_names()
    match = district.match(written)
    assert match.unit is not None, match.reason
    assert match.unit.name == unit


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("区发改委", "区发展和改革局"),
        ("发展改革委", "区发展和改革局"),
        ("规资局", "区规划和自然资源局"),
        ("区人社局", "区人力资源和社会保障局"),
        ("住建局", "区住房和城乡建设局"),
        ("市场监管局", "区市场监督管理局"),
        ("区建设管理委", "区建设和管理委员会"),
        ("镇经济发展办", "镇经济发展办公室"),
    ],
)
def test_common_abbreviations_and_prefixes_are_derived_by_rule(written, unit):
    names = ["区发展和改革局", "区规划和自然资源局", "区人力资源和社会保障局", "区住房和城乡建设局",
             "区市场监督管理局", "区建设和管理委员会", "镇经济发展办公室", "区财政局"]
    assert unit_match(written, [Unit(name=n, short_name="", aliases=[]) for n in names]).name == unit


def test_short_names_and_aliases_of_the_directory_are_matched_as_written():
    units = [Unit(name="区投资促进中心", short_name="区投促中心", aliases=["招商局", "双招双引办"]),
             Unit(name="区水利局", short_name="区水利局（区治水办）", aliases=["五水共治办"])]
    assert unit_match("区招商局", units).name == "区投资促进中心"
    assert unit_match("区治水办", units).name == "区水利局"
    assert unit_match("五水共治办", units).name == "区水利局"


def test_a_name_two_units_could_carry_is_unmatched_with_both_named_in_the_reason():
    units = [Unit(name="区经济发展办公室", short_name="", aliases=[]),
             Unit(name="镇经济发展办公室", short_name="", aliases=[])]
    [match] = units_match(["经济发展办"], units)
    assert match.unit is None
    assert "区经济发展办公室" in match.reason and "镇经济发展办公室" in match.reason


def test_an_exact_name_wins_over_a_derived_abbreviation_of_another_unit():
    units = [Unit(name="区科委", short_name="", aliases=[]), Unit(name="区科学技术局", short_name="", aliases=[])]
    assert unit_match("区科委", units).name == "区科委"


def test_names_of_bodies_outside_the_directory_are_unmatched_and_say_so(district):
    for written in ("区城管执法局", "区妇联", "久事集团", "区重大办"):
        match = district.match(written)
        assert match.unit is None and not match.placeholder
        assert written in match.reason


def test_placeholders_are_kept_as_text_and_never_matched(district):
    for written in ("各街镇", "各街镇（园区）", "各相关部门和单位", "各联席会议成员单位", "区内各相关行政审批部门"):
        assert is_placeholder(written)
        match = district.match(written)
        assert match.placeholder and match.unit is None


def test_a_trailing_deng_and_spaces_do_not_stop_a_match(district):
    assert district.match("区财政局 等").unit.name == "区财政局"
    assert district.match("区教育局等相关部门").unit.name == "区教育局"


def test_nanhu_directory_units_are_found_by_the_names_a_clause_uses(db):
    from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load

    unit_directory_load(path=DEMO_UNITS_PATH)
    index = UnitNameIndex(Unit.objects.all())
    expected = {"区发改委": "区发展和改革局", "区财政局": "区财政局", "区人社局": "区人力资源和社会保障局",
                "区住建局": "区住房和城乡建设局", "区市场监管局": "区市场监督管理局", "区投资促进中心": "区投资促进中心",
                "凤桥镇": "凤桥镇", "区卫健委": "区卫生健康局"}
    assert {written: index.match(written).unit.name for written in expected} == expected


def test_a_town_office_is_preferred_to_a_district_office_of_the_same_name():
    units = [Unit(name="区委政法委员会", short_name="区委政法委", aliases=["区平安办", "平安办"]),
             Unit(name="镇平安办公室", short_name="", aliases=[])]
    assert unit_match("镇平安办", units).name == "镇平安办公室"
    assert unit_match("区平安办", units).name == "区委政法委员会"
