"""A task's history reads in words: every action recorded against a task has a label, and no raw code or Python value shows."""
import pytest
from django.urls import reverse
from django.utils import translation

from luoshi.audit.services import audit_record
from luoshi.plans.services import SEED_PLAN_FILE, plan_import
from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.audit.labels import ACTION_LABELS
from luoshi.portal.services import task_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(units, supervisor):
    plan = plan_import(name="南湖2018", year=2018, filename="seed.txt", content=SEED_PLAN_FILE.read_bytes(),
                       actor=supervisor)
    return plan.tasks.order_by("id").first()


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def history_html(response):
    page = response.content.decode()
    return page[page.index('class="data history"'):]


def test_publishing_a_task_shows_in_its_history_in_chinese_words(as_user, supervisor, task):
    task_publish(tasks=[task], actor=supervisor, public=True)
    history = history_html(as_user(supervisor).get(reverse("plans:task", args=[task.pk])))
    assert "在政务公开页面公开" in history
    assert "在政务公开页面" in history and "是" in history
    for raw in ("task.publish", "is_public", "True", "False"):
        assert raw not in history


def test_an_extension_decision_shows_its_status_in_words(as_user, supervisor, task):
    audit_record(actor=supervisor, action="extension.approved", obj=task,
                 before={"status": "pending", "effective_due": "2018-12-29"},
                 after={"status": "approved", "effective_due": "2019-03-29"})
    history = history_html(as_user(supervisor).get(reverse("plans:task", args=[task.pk])))
    assert "同意延期" in history and "待审核" in history and "已同意" in history
    for raw in ("extension.approved", "effective_due", ">pending<", ">approved<"):
        assert raw not in history


def test_every_action_recorded_against_a_task_has_a_label_in_both_languages():
    # The services that write to a task's log (plans, portal, tracking).
    recorded = {"task.create", "task.update", "task.split", "task.merge", "task.publish", "task.unpublish",
                "contribution.add", "extension.request", "extension.approved", "extension.refused",
                "completion.request", "completion.sign_off"}
    assert recorded <= set(ACTION_LABELS)
    with translation.override("zh-hans"):
        untranslated = [code for code in recorded if str(ACTION_LABELS[code]).isascii()]
    assert not untranslated


def test_each_history_cell_carries_its_column_name_for_the_phone_layout(as_user, supervisor, task):
    history = history_html(as_user(supervisor).get(reverse("plans:task", args=[task.pk])))
    for label in ("时间", "操作人", "操作", "修改前", "修改后"):
        assert f'data-label="{label}"' in history
