"""`luoshi demo`: the directory and the demo logins, safe to run again."""
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from luoshi.accounts.models import Membership, Unit, User

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts():
    return Unit.objects.count(), User.objects.count(), Membership.objects.count()


def test_it_creates_the_units_and_the_stable_logins(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    output = demo()
    assert counts() == (55, 58, 55)
    for username in ("admin", "supervisor", "leader", "reporter-education", "reporter-fengqiao"):
        assert username in output
    assert "http://127.0.0.1:8123" in output and "luoshi-demo" in output
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.role == "admin"
    assert User.objects.get(username="supervisor").display_name == "督查室 王敏"
    assert list(User.objects.get(username="reporter-fengqiao").units.values_list("code", flat=True)) == ["fengqiao"]
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="reporter-education", password="luoshi-demo") is not None


def test_running_it_twice_changes_nothing():
    demo()
    before = counts(), list(User.objects.values_list("username", "password", "role"))
    output = demo()
    assert (counts(), list(User.objects.values_list("username", "password", "role"))) == before
    assert "0 created, 0 updated, 55 unchanged" in output
    assert "Users: 0 created, 58 already there" in output


def test_it_leaves_a_changed_demo_password_alone():
    demo()
    user = User.objects.get(username="leader")
    user.set_password("changed-by-the-leader")
    user.save()
    demo()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-leader")


def test_it_leaves_a_finished_monthly_circular_for_the_seed_plan():
    from docx import Document

    from luoshi.reports.models import GeneratedDocument

    output = demo()
    document = GeneratedDocument.objects.get()
    assert document.status == GeneratedDocument.Status.READY
    assert document.period.label == "2018年6月"  # the last month ended on the demo's day, 2018-07-10
    assert f"/cockpit/{document.plan_id}/documents/" in output
    with document.file.open("rb") as handle:
        text = "\n".join(p.text for p in Document(handle).paragraphs)
    assert document.plan.name in text or "通报" in text
    demo()
    assert GeneratedDocument.objects.count() == 1
