"""The inbox page and the unread count in the page header."""
import pytest
from django.urls import reverse

from luoshi.inbox.models import Notification, Preference
from luoshi.inbox.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(reporter_education):
    first = notify(reporter_education, kind="reminder", subject="【报送提醒】请报送2026年3月工作进度", body="共2项任务。",
                   url="/tracking/my/updates/")
    second = notify(reporter_education, kind="notice", subject="【督办】南湖督〔2026〕1号", url="/tracking/notices/1/")
    return first, second


def test_the_header_shows_the_unread_count_and_the_page_lists_them(client, reporter_education, two):
    client.force_login(reporter_education)
    page = client.get(reverse("home")).content.decode()
    assert '<span class="unread-badge">2</span>' in page
    assert 'aria-label="消息，2 条未读"' in page
    page = client.get(reverse("inbox:list")).content.decode()
    assert "【报送提醒】请报送2026年3月工作进度" in page and "共2项任务。" in page
    assert "报送提醒" in page and "督办单" in page
    assert "2 条未读" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, reporter_education, two):
    first, _second = two
    client.force_login(reporter_education)
    response = client.post(reverse("inbox:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/tracking/my/updates/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert '<span class="unread-badge">1</span>' in client.get(reverse("home")).content.decode()


def test_mark_all_read_clears_the_count(client, reporter_education, two):
    client.force_login(reporter_education)
    client.post(reverse("inbox:read_all"))
    assert not Notification.objects.filter(read_at=None).exists()
    assert "unread-badge" not in client.get(reverse("home")).content.decode()


def test_another_persons_notification_is_a_404_and_not_listed(client, reporter_fengqiao, two):
    first, _second = two
    client.force_login(reporter_fengqiao)
    assert client.post(reverse("inbox:open", args=[first.pk])).status_code == 404
    assert "请报送2026年3月" not in client.get(reverse("inbox:list")).content.decode()
    first.refresh_from_db()
    assert first.read_at is None


def test_a_person_chooses_immediately_or_the_daily_digest(client, leader):
    client.force_login(leader)
    assert "每天汇总为一条发送" in client.get(reverse("inbox:list")).content.decode()
    client.post(reverse("inbox:preference"), {"mode": "immediate", "robot": ""})
    assert Preference.objects.get(user=leader).mode == "immediate"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("inbox:list"))
    assert response.status_code == 302 and "login" in response["Location"]
