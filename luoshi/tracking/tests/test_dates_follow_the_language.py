"""Dates on the reporter's pages are written the reader's way: 4月7日 in Chinese, April 7 in English."""
import pytest
from django.urls import reverse

from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def test_my_tasks_in_english_gives_the_report_due_day_in_english(client, plan, reporter_education):
    client.force_login(reporter_education)
    page = in_english(client).get(reverse("tracking:my_tasks")).content.decode()
    assert "report due by April 7" in page
    assert "4月7日" not in page


def test_the_report_page_in_english_gives_the_due_day_in_english(client, plan, reporter_education):
    client.force_login(reporter_education)
    page = in_english(client).get(reverse("plans:task", args=[task_of(plan, "education").pk])).content.decode()
    assert "Due by April 7, 2026." in page
    assert "2026年4月7日" not in page


def test_the_report_page_in_chinese_keeps_the_chinese_date(client, plan, reporter_education):
    client.force_login(reporter_education)
    page = client.get(reverse("plans:task", args=[task_of(plan, "education").pk])).content.decode()
    assert "2026年4月7日" in page
