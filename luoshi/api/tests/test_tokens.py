import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.shortcuts import resolve_url
from django.utils import timezone

from luoshi.api.models import ApiToken
from luoshi.api.services import token_authenticate, token_create, token_revoke
from luoshi.audit.models import AuditEntry


def run(*args) -> str:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_token_create_prints_a_token_that_authenticates(reporter_education):
    raw = run("create", reporter_education.username, "--name", "周报导出").strip()

    assert raw.startswith("ls_") and len(raw) == 43
    assert token_authenticate(raw=raw) == reporter_education
    assert ApiToken.objects.get().name == "周报导出"


def test_the_token_is_stored_only_as_its_sha256(reporter_education):
    token, raw = token_create(user=reporter_education)

    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = ApiToken.objects.values_list("prefix", "name", "digest").get()
    assert all(raw not in value for value in stored)
    assert raw.startswith(token.prefix) and len(token.prefix) == 8


def test_token_list_shows_the_prefix_and_state_but_never_the_token(reporter_education, supervisor):
    active, raw = token_create(user=reporter_education, name="导出")
    revoked, _ = token_create(user=reporter_education)
    token_revoke(token=revoked)
    token_create(user=supervisor, name="督查室的")

    listing = run("list", reporter_education.username)

    lines = listing.strip().splitlines()
    assert len(lines) == 2
    assert f"{active.pk}\t{active.prefix}…\t导出" in listing
    assert "active" in listing and "revoked" in listing and "never used" in listing
    assert raw not in listing and "督查室的" not in listing


def test_token_revoke_makes_the_token_fail(reporter_education):
    token, raw = token_create(user=reporter_education)

    output = run("revoke", str(token.pk))

    assert f"Revoked token {token.pk}" in output
    assert token_authenticate(raw=raw) is None
    assert run("revoke", str(token.pk)).startswith(f"Token {token.pk} ({token.prefix}…) was already revoked")


def test_token_commands_name_an_unknown_user_or_id(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("create", "nobody")
    with pytest.raises(CommandError, match="No token with ID 999"):
        run("revoke", "999")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "wrong",
    ["", "ls_", "ls_" + "x" * 40, "Bearer", "not-a-luoshi-token"],
)
def test_a_wrong_token_does_not_authenticate(reporter_education, wrong):
    _, raw = token_create(user=reporter_education)

    assert token_authenticate(raw=wrong) is None
    assert token_authenticate(raw=raw[:-1]) is None


def test_a_token_of_a_deactivated_user_does_not_authenticate(reporter_education):
    _, raw = token_create(user=reporter_education)
    reporter_education.is_active = False
    reporter_education.save()

    assert token_authenticate(raw=raw) is None


def test_last_used_is_recorded_at_most_once_a_minute(reporter_education):
    token, raw = token_create(user=reporter_education)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token_authenticate(raw=raw)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        token_authenticate(raw=raw)
    token.refresh_from_db()
    assert token.last_used == start

    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        token_authenticate(raw=raw)
    token.refresh_from_db()
    assert token.last_used == start + timedelta(minutes=2)


def test_creating_and_revoking_a_token_are_audited(reporter_education, admin_user):
    token, raw = token_create(user=reporter_education, name="导出", actor=admin_user)
    token_revoke(token=token, actor=admin_user)
    token_revoke(token=token, actor=admin_user)

    entries = AuditEntry.objects.filter(object_type="api.apitoken", object_id=str(token.pk)).order_by("id")
    assert [e.action for e in entries] == ["api_token.create", "api_token.revoke"]
    assert entries[0].actor == admin_user
    assert entries[0].after == {"user": reporter_education.username, "name": "导出", "prefix": token.prefix,
                                "expires": token.expires.isoformat()}
    assert raw not in str(entries[0].after)


class TestTokensPage:
    def test_it_lists_only_the_users_own_tokens(self, client, reporter_education, reporter_fengqiao):
        mine, _ = token_create(user=reporter_education, name="我的导出")
        token_create(user=reporter_fengqiao, name="凤桥的")
        client.force_login(reporter_education)

        page = client.get("/api/tokens/").content.decode()

        assert mine.prefix in page and "我的导出" in page
        assert "凤桥的" not in page

    def test_an_admin_sees_every_token_with_its_owner(self, client, admin_user, reporter_fengqiao):
        token_create(user=reporter_fengqiao, name="凤桥的")
        client.force_login(admin_user)

        page = client.get("/api/tokens/").content.decode()

        assert "凤桥的" in page and f"({reporter_fengqiao.username})" in page

    def test_a_user_revokes_their_own_token(self, client, reporter_education):
        token, raw = token_create(user=reporter_education)
        client.force_login(reporter_education)

        response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)

        assert response.redirect_chain[-1][0] == "/api/tokens/"
        token.refresh_from_db()
        assert token.revoked is not None
        assert token_authenticate(raw=raw) is None
        assert AuditEntry.objects.get(action="api_token.revoke").actor == reporter_education

    def test_a_user_cannot_revoke_someone_elses_token(self, client, reporter_education, reporter_fengqiao):
        theirs, raw = token_create(user=reporter_fengqiao)
        client.force_login(reporter_education)

        assert client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
        assert token_authenticate(raw=raw) == reporter_fengqiao

    def test_revoking_needs_a_post(self, client, reporter_education):
        token, raw = token_create(user=reporter_education)
        client.force_login(reporter_education)

        assert client.get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
        assert token_authenticate(raw=raw) == reporter_education

    def test_the_list_answers_a_post_with_405_since_tokens_are_made_by_the_command(self, client, leader):
        client.force_login(leader)

        assert client.post("/api/tokens/", {"name": "导出"}).status_code == 405
        assert not leader.api_tokens.exists()

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, reporter_education):
        token, raw = token_create(user=reporter_education)

        login = resolve_url(settings.LOGIN_URL)
        assert client.get("/api/tokens/")["Location"].startswith(login)
        assert client.post(f"/api/tokens/{token.pk}/revoke/")["Location"].startswith(login)
        assert token_authenticate(raw=raw) == reporter_education


@pytest.mark.browser
def test_a_reporter_revokes_a_token_in_the_browser(page, screenshot, login, reporter_education):
    token, raw = token_create(user=reporter_education, name="周报导出脚本")
    page.goto("/api/tokens/")
    login(page, reporter_education.username)

    row = page.locator("tr", has_text="周报导出脚本")
    row.get_by_text("有效").wait_for()
    screenshot(page, "before")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="吊销").click()

    page.get_by_text(f"令牌 {token.prefix}… 已吊销").wait_for()
    screenshot(page, "after")
    assert "已于" in row.inner_text()
    assert token_authenticate(raw=raw) is None


class TestExpiry:
    def test_a_new_token_expires_after_the_configured_days(self, reporter_education, settings):
        settings.LUOSHI_API_TOKEN_DAYS = 180
        with time_machine.travel(timezone.now(), tick=False):
            token, _ = token_create(user=reporter_education)
            assert token.expires == timezone.now() + timedelta(days=180)
            shorter, _ = token_create(user=reporter_education, days=7)
            assert shorter.expires == timezone.now() + timedelta(days=7)

    def test_an_expired_token_gets_a_401_saying_when_it_expired(self, client, reporter_education):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            token, raw = token_create(user=reporter_education, days=1)
            headers = {"Authorization": f"Bearer {raw}"}
            assert client.get("/api/v1/plans", headers=headers).status_code == 200
            clock.shift(timedelta(days=1, seconds=1))
            response = client.get("/api/v1/plans", headers=headers)
        expired = timezone.localtime(token.expires)
        assert response.status_code == 401
        assert response.json() == {
            "detail": f"API 令牌 {token.prefix}… 已于 {expired:%Y-%m-%d %H:%M} 过期，请向督查室申请新的令牌。"
        }

    def test_the_token_list_and_the_command_show_the_expiry_and_expired_tokens(self, client, reporter_education):
        token, _ = token_create(user=reporter_education, name="周报", days=30)
        old, _ = token_create(user=reporter_education, name="旧脚本", days=1)
        ApiToken.objects.filter(pk=old.pk).update(expires=timezone.now() - timedelta(hours=1))
        expires = timezone.localtime(token.expires)

        client.force_login(reporter_education)
        page = client.get("/api/tokens/").content.decode()
        assert "有效期至" in page and f"{expires:%Y-%m-%d %H:%M}" in page
        assert "已过期" in page

        listing = run("list", reporter_education.username)
        line = next(row for row in listing.splitlines() if "周报" in row)
        assert f"expires {expires:%Y-%m-%d %H:%M}" in line and line.endswith("active")
        assert next(row for row in listing.splitlines() if "旧脚本" in row).endswith("expired")

    def test_the_command_refuses_a_token_valid_for_no_days(self, reporter_education):
        with pytest.raises(CommandError, match="--days"):
            run("create", reporter_education.username, "--days", "0")
