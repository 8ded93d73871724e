"""Logging in and out: the pages, the lockout after wrong passwords, Argon2 hashes."""
import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from luoshi.accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_login_page_is_in_chinese_by_default(client):
    body = client.get(LOGIN).content.decode()
    assert "登录" in body and "落实" in body


def test_a_supervisor_logs_in_and_lands_on_home(client, supervisor):
    response = login(client, "supervisor", TEST_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "督查室 王敏" in client.get(reverse("home")).content.decode()


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client, supervisor):
    response = login(client, "supervisor", "wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist"' in body and 'value="supervisor"' in body


def test_login_follows_next_but_only_to_this_site(client, supervisor):
    response = client.post(LOGIN + "?next=/units/", {"username": "supervisor", "password": TEST_PASSWORD, "next": "/units/"})
    assert response["Location"] == "/units/"
    client.logout()
    response = client.post(LOGIN, {"username": "supervisor", "password": TEST_PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("home")


def test_six_attempts_lock_the_account_even_with_the_right_password(client, supervisor):
    statuses = [login(client, "supervisor", "wrong").status_code for _ in range(5)]
    # The fifth failure already locks: its answer is the lockout page.
    assert statuses == [200, 200, 200, 200, 429]
    response = login(client, "supervisor", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "accounts/locked_out.html" in [t.name for t in response.templates]


def test_the_lockout_is_per_username(client, supervisor, leader):
    for _ in range(5):
        login(client, "supervisor", "wrong")
    assert login(client, "leader", TEST_PASSWORD).status_code == 302


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = settings.PRODUCTION_PASSWORD_HASHERS
    user = User.objects.create_user(username="new", password="a-long-enough-password")
    assert user.password.startswith("argon2")
    assert user.check_password("a-long-enough-password")


def test_logout_is_post_only(client, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_logged_in_user_visiting_login_goes_home(client, leader):
    client.force_login(leader)
    assert client.get(LOGIN)["Location"] == reverse("home")


def test_home_lists_a_reporters_units(client, reporter_education):
    client.force_login(reporter_education)
    body = client.get(reverse("home")).content.decode()
    assert reverse("unit_detail", args=["education"]) in body
    assert reverse("unit_detail", args=["fengqiao"]) not in body
