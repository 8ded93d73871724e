"""Every action a service writes to the audit log has a label in words, in Chinese."""
import re
from pathlib import Path

from django.utils import translation

from luoshi.audit.labels import ACTION_LABELS

LUOSHI = Path(__file__).resolve().parents[2]
# Codes built at run time: action=f"extension.{status}", action=f"reminder.{kind}".
BUILT = {"extension.approved", "extension.refused", "reminder.before", "reminder.chase"}


def recorded_actions() -> set[str]:
    """The quoted codes before ``obj=`` in every audit_record call, both sides of an ``if … else``."""
    codes = set(BUILT)
    for path in LUOSHI.rglob("*.py"):
        if "tests" in path.parts or path.parent.name == "migrations":
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.findall(r"audit_record\((.*?)\)\n", text, flags=re.S):
            codes.update(re.findall(r'"([a-z_]+\.[a-z_]+)"', call.split("obj=")[0]))
    return codes


def test_every_action_a_service_records_has_a_label():
    assert recorded_actions() - set(ACTION_LABELS) == set()


def test_the_scan_finds_the_actions_of_several_apps():
    assert {"task.publish", "task.unpublish", "plan.import", "notice.close", "api_token.revoke"} <= recorded_actions()


def test_every_action_label_is_translated_to_chinese():
    with translation.override("zh-hans"):
        untranslated = [code for code, label in ACTION_LABELS.items() if str(label).isascii()]
    assert not untranslated
