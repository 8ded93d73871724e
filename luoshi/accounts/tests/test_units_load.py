"""`luoshi units load FILE`: good files load idempotently, bad ones change nothing."""
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from luoshi.accounts.models import Unit
from luoshi.accounts.services import DEMO_UNITS_PATH
from luoshi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = """\
# two departments and a centre under one of them
units:
  - code: education
    name: 区教育局
    short_name: 区教育局
    aliases: [教育局, 教体局]
    kind: government
    duties: >-
      负责全区义务教育。
    duty_keywords: [义务教育, 学校, 学校]
  - code: talent
    name: 区委人才办
    kind: party
    parent: organization
  - code: organization
    name: 区委组织部
    kind: party
    duty_keywords: [主题教育]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(path) -> str:
    out = StringIO()
    call_command("units", "load", str(path), stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(tmp_path):
    load(write(tmp_path, GOOD))
    return tmp_path


def test_it_creates_units_with_every_field(tmp_path):
    output = load(write(tmp_path, GOOD))
    assert "3 created, 0 updated, 0 unchanged" in output
    education = Unit.objects.get(code="education")
    assert (education.name, education.kind, education.aliases) == ("区教育局", "government", ["教育局", "教体局"])
    assert education.duties == "负责全区义务教育。"
    assert education.duty_keywords == ["义务教育", "学校"]
    # A parent may come later in the file.
    assert Unit.objects.get(code="talent").parent.code == "organization"
    assert list(Unit.objects.values_list("code", flat=True)) == ["education", "talent", "organization"]


def test_loading_the_same_file_again_changes_nothing(loaded):
    before = list(Unit.objects.values())
    audit_count = AuditEntry.objects.count()
    output = load(loaded / "units.yaml")
    assert "0 created, 0 updated, 3 unchanged" in output
    assert list(Unit.objects.values()) == before
    assert AuditEntry.objects.count() == audit_count


def test_an_edited_unit_is_updated_by_code(loaded):
    load(write(loaded, GOOD.replace("负责全区义务教育。", "负责全区基础教育。").replace("    parent: organization\n", "")))
    assert Unit.objects.get(code="education").duties == "负责全区基础教育。"
    assert Unit.objects.get(code="talent").parent is None
    assert Unit.objects.count() == 3


def test_units_missing_from_the_file_are_kept_and_reported(loaded):
    text = GOOD.split("  - code: talent")[0]
    output = load(write(loaded, text))
    assert Unit.objects.count() == 3
    assert "left as they are: organization, talent" in output


def assert_refused(path, *fragments):
    with pytest.raises(CommandError) as caught:
        load(path)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_malformed_yaml_is_refused_with_the_line_and_nothing_changes(loaded):
    bad = GOOD.replace("duty_keywords: [义务教育, 学校, 学校]", "duty_keywords: [义务教育, 学校\n    kind: x")
    bad = bad.replace("负责全区义务教育。", "改了")
    assert_refused(write(loaded, bad), "malformed YAML", "line 11, column 9")
    assert Unit.objects.count() == 3
    assert Unit.objects.get(code="education").duties == "负责全区义务教育。"


def test_a_tab_indent_names_line_and_column(tmp_path):
    message = assert_refused(write(tmp_path, "units:\n\t- code: x\n"), "line 2, column 1")
    assert Unit.objects.count() == 0, message


def test_a_duplicate_name_is_refused_naming_both_lines_and_nothing_changes(loaded):
    bad = GOOD.replace("name: 区委组织部", "name: 区教育局").replace("负责全区义务教育。", "改了")
    message = assert_refused(write(loaded, bad), "unit 'organization' (区教育局)", "duplicate name '区教育局'", "line 3")
    assert "line 15" in message
    assert Unit.objects.count() == 3
    assert Unit.objects.get(code="organization").name == "区委组织部"
    assert Unit.objects.get(code="education").duties == "负责全区义务教育。"


def test_a_duplicate_code_is_refused(tmp_path):
    bad = GOOD.replace("code: talent", "code: education")
    assert_refused(write(tmp_path, bad), "duplicate code, first used on line 3")
    assert Unit.objects.count() == 0


def test_a_parent_that_does_not_exist_is_refused_naming_the_unit(loaded):
    bad = GOOD.replace("parent: organization", "parent: nowhere").replace("负责全区义务教育。", "改了")
    assert_refused(write(loaded, bad), "unit 'talent' (区委人才办)", "parent 'nowhere' does not exist")
    assert Unit.objects.get(code="education").duties == "负责全区义务教育。"
    assert Unit.objects.get(code="talent").parent.code == "organization"


def test_a_parent_may_already_be_in_the_database(loaded):
    text = "units:\n  - code: talent-office\n    name: 人才服务中心\n    kind: government\n    parent: talent\n"
    assert "1 created" in load(write(loaded, text))
    assert Unit.objects.get(code="talent-office").parent.code == "talent"


def test_a_parent_loop_is_refused(tmp_path):
    bad = GOOD.replace("    duty_keywords: [主题教育]", "    parent: talent")
    assert_refused(write(tmp_path, bad), "leads back to the unit itself")
    assert Unit.objects.count() == 0


@pytest.mark.parametrize(
    "change, expected",
    [
        (("kind: government", "kind: bureau"), "unknown kind 'bureau'"),
        (("    kind: party\n    parent", "    parent"), "missing field 'kind'"),
        (("code: education", "code: Education"), "code 'Education' must be lowercase"),
        (("short_name: 区教育局", "short_nmae: 区教育局"), "unknown field(s) short_nmae"),
        (("[主题教育]", "[1341]"), "quote numbers"),
    ],
)
def test_bad_fields_are_refused_naming_the_unit(tmp_path, change, expected):
    assert_refused(write(tmp_path, GOOD.replace(*change)), expected, "nothing was changed")
    assert Unit.objects.count() == 0


def test_every_problem_is_reported_at_once(tmp_path):
    bad = GOOD.replace("kind: government", "kind: bureau").replace("parent: organization", "parent: nowhere")
    assert_refused(write(tmp_path, bad), "2 problems", "unknown kind", "parent 'nowhere'")


def test_a_name_held_by_another_unit_in_the_database_is_refused(loaded):
    text = "units:\n  - code: jiaoyu\n    name: 区教育局\n    kind: government\n"
    assert_refused(write(loaded, text), "name '区教育局' already belongs to unit 'education'")
    assert not Unit.objects.filter(code="jiaoyu").exists()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "expected a mapping with a 'units' list"),
        (b"- code: x\n", "expected a mapping with a 'units' list"),
        ("units:\n  - code: x\n".encode("gb18030") + "名".encode("gb18030"), "not UTF-8"),
        (b"units:\n  - just a string\n", "line 2: each unit must be a mapping"),
    ],
)
def test_files_of_the_wrong_shape_are_refused(tmp_path, content, expected):
    path = tmp_path / "units.yaml"
    path.write_bytes(content)
    assert_refused(path, expected)


def test_a_missing_file_is_refused(tmp_path):
    assert_refused(tmp_path / "nope.yaml", "no such file")


def test_the_nanhu_directory_loads(tmp_path):
    output = load(DEMO_UNITS_PATH)
    assert "55 created" in output
    assert Unit.objects.get(code="jijinxiaozhen").parent.code == "financial-affairs"
