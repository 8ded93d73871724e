"""The demo directory itself: complete and well-formed.

That its words come from the units' remits and not from the seed plan is
checked in luoshi/plans/tests/test_unit_directories.py.
"""
import pytest
import yaml

from luoshi.accounts.models import UnitKind
from luoshi.accounts.services import DEMO_UNITS_PATH

UNITS = yaml.safe_load(DEMO_UNITS_PATH.read_text(encoding="utf-8"))["units"]
BY_CODE = {unit["code"]: unit for unit in UNITS}


def test_it_has_the_towns_streets_and_zones_of_nanhu():
    names = {unit["name"] for unit in UNITS}
    for name in ["凤桥镇", "余新镇", "新丰镇", "大桥镇", "建设街道", "新嘉街道", "南湖街道", "新兴街道",
                 "城南街道", "解放街道", "东栅街道", "长水街道", "七星街道"]:
        assert name in names
    zones = {unit["short_name"] for unit in UNITS if unit["kind"] == UnitKind.ZONE}
    assert zones == {"嘉兴科技城", "湘家荡", "东部新城", "南湖基金小镇"}


@pytest.mark.parametrize("unit", UNITS, ids=[unit["code"] for unit in UNITS])
def test_every_unit_has_duties_aliases_and_five_to_sixteen_keywords(unit):
    assert unit["duties"].strip() and unit["aliases"]
    keywords = unit["duty_keywords"]
    assert 5 <= len(keywords) <= 16
    assert all(isinstance(word, str) for word in keywords)
    assert len(set(keywords)) == len(keywords)
