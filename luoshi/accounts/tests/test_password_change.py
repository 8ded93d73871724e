"""A user changes their own password on a page linked from the header, in Chinese."""
import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD

pytestmark = pytest.mark.django_db
PAGE = reverse("password_change")


def test_the_header_links_to_the_page_which_is_in_chinese(client, reporter_education):
    client.force_login(reporter_education)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{PAGE}"' in home and "修改密码" in home
    page = client.get(PAGE).content.decode()
    assert "旧密码" in page and "新密码" in page


def test_a_user_changes_their_password_stays_logged_in_and_the_new_one_works(client, reporter_education):
    client.force_login(reporter_education)
    response = client.post(PAGE, {"old_password": TEST_PASSWORD, "new_password1": "桃花源-2026-南湖",
                                  "new_password2": "桃花源-2026-南湖"}, follow=True)
    assert "密码已修改。" in response.content.decode()
    assert "_auth_user_id" in client.session
    reporter_education.refresh_from_db()
    assert reporter_education.check_password("桃花源-2026-南湖")


def test_a_wrong_old_password_or_a_weak_new_one_is_refused_in_chinese(client, reporter_education):
    client.force_login(reporter_education)
    wrong_old = client.post(PAGE, {"old_password": "nope", "new_password1": "桃花源-2026-南湖",
                                   "new_password2": "桃花源-2026-南湖"}).content.decode()
    assert "旧密码不正确" in wrong_old
    weak = client.post(PAGE, {"old_password": TEST_PASSWORD, "new_password1": "12345678",
                              "new_password2": "12345678"}).content.decode()
    assert "密码全是数字" in weak or "这个密码太常见了" in weak
    reporter_education.refresh_from_db()
    assert reporter_education.check_password(TEST_PASSWORD)


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
