"""Password guessing is stopped per user and per address, and the address is the one the proxy saw."""
import pytest
from django.urls import reverse

from conftest import TEST_PASSWORD
from luoshi.accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = reverse("login")


def login(client, username, password, address="198.51.100.7", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


@pytest.fixture
def ten_accounts(_test_password_hash):
    return [User.objects.create(username=f"staff-{n}", password=_test_password_hash) for n in range(10)]


def test_spraying_forty_passwords_over_ten_accounts_locks_the_address(client, ten_accounts, supervisor):
    statuses = [
        login(client, user.username, f"guess-{n}").status_code for n in range(4) for user in ten_accounts
    ]
    # Four tries per account stay under the per-account limit; the twentieth failure locks the address.
    assert statuses[:19] == [200] * 19 and set(statuses[19:]) == {429}
    assert login(client, "supervisor", TEST_PASSWORD).status_code == 429
    assert login(client, "supervisor", TEST_PASSWORD, address="198.51.100.8").status_code == 302


def test_a_sprayer_who_knows_one_password_cannot_reset_the_count_by_logging_in(client, ten_accounts, supervisor):
    for n in range(19):
        assert login(client, ten_accounts[n % 9].username, f"guess-{n}").status_code == 200
    assert login(client, "staff-9", TEST_PASSWORD).status_code == 302
    client.logout()
    assert login(client, "staff-0", "guess-19").status_code == 429
    assert login(client, "supervisor", TEST_PASSWORD).status_code == 429


def test_a_few_mistakes_by_different_people_in_one_office_lock_nobody(client, ten_accounts):
    for user in ten_accounts[:6]:
        assert login(client, user.username, "typo").status_code == 200
    assert login(client, "staff-9", TEST_PASSWORD).status_code == 302


@pytest.fixture
def behind_proxy(settings):
    settings.LUOSHI_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.LUOSHI_TRUSTED_PROXY_COUNT = 1


def through_proxy(client, username, password, client_address, forwarded_before=""):
    forwarded = f"{forwarded_before}, {client_address}" if forwarded_before else client_address
    return login(client, username, password, address="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_the_proxy_only_the_guessing_client_is_locked(client, supervisor, behind_proxy):
    for _ in range(5):
        through_proxy(client, "supervisor", "wrong", "203.0.113.5")
    assert through_proxy(client, "supervisor", TEST_PASSWORD, "203.0.113.5").status_code == 429
    # The same user at another desk, through the same proxy, still logs in.
    assert through_proxy(client, "supervisor", TEST_PASSWORD, "203.0.113.9").status_code == 302


def test_an_address_the_client_wrote_into_the_header_is_not_believed(client, supervisor, behind_proxy):
    for n in range(5):
        through_proxy(client, "supervisor", "wrong", "203.0.113.5", forwarded_before=f"192.0.2.{n}")
    assert through_proxy(client, "supervisor", TEST_PASSWORD, "203.0.113.5",
                         forwarded_before="192.0.2.77").status_code == 429


def test_without_the_setting_the_header_is_ignored(client, supervisor):
    for n in range(5):
        login(client, "supervisor", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert login(client, "supervisor", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
