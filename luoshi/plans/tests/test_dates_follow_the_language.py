"""The task page and the plan tree write due dates the reader's way: 2018年12月29日 in Chinese, Dec. 29, 2018 in English."""
import pytest
from django.urls import reverse

from luoshi.plans.services import SEED_PLAN_FILE, plan_import
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(units, supervisor):
    plan = plan_import(name="南湖2018", year=2018, filename="seed.txt", content=SEED_PLAN_FILE.read_bytes(),
                       actor=supervisor)
    return plan.tasks.order_by("id").first()


def test_the_task_page_in_english_gives_the_due_date_in_english(client, supervisor, task):
    assert str(task.due_date) == "2018-12-29"
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    for url in (reverse("plans:task", args=[task.pk]), reverse("plans:detail", args=[task.plan_id])):
        page = client.get(url).content.decode()
        assert "Dec. 29, 2018" in page, url
        assert "2018年12月29日" not in page, url


def test_the_task_page_in_chinese_gives_the_due_date_in_chinese(client, supervisor, task):
    client.force_login(supervisor)
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "2018年12月29日" in page
