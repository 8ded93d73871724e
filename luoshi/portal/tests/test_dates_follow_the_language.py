"""The public pages write dates the reader's way: 2026年4月7日 in Chinese, April 7, 2026 in English."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_plan_page_in_english_gives_due_and_confirmation_days_in_english(client, world):
    client.cookies["django_language"] = "en"
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert "Dec. 31, 2026" in page and "April 7, 2026" in page
    assert "2026年12月31日" not in page and "2026年4月7日" not in page


def test_the_public_plan_page_in_chinese_keeps_chinese_dates(client, world):
    page = client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()
    assert "2026年12月31日" in page and "2026年4月7日" in page
