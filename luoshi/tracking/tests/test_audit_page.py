"""The audit log page: for the supervision office and admins only, filtered and paginated."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from zoneinfo import ZoneInfo

from luoshi.audit.services import audit_record

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "who, status",
    [("supervisor", 200), ("admin_user", 200), ("leader", 403), ("reporter_education", 403), ("reporter_fengqiao", 403)],
)
def test_only_the_office_and_admins_read_the_audit_log(client, request, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("tracking:audit")).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("tracking:audit"))
    assert response.status_code == 302
    assert "login" in response.url


@pytest.fixture
def entries(units, supervisor, admin_user):
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=SHANGHAI), tick=False):
        audit_record(actor=supervisor, action="unit.update", obj=units["education"], before={"name": "教育局"},
                     after={"name": "区教育局"})
    with time_machine.travel(datetime(2026, 4, 8, 9, tzinfo=SHANGHAI), tick=False):
        audit_record(actor=admin_user, action="unit.update", obj=units["fengqiao"], after={"name": "凤桥镇"})
        audit_record(actor=supervisor, action="user.create", obj=supervisor, after={"username": "supervisor"})


def test_the_log_shows_who_did_what_with_before_and_after(client, supervisor, entries):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit")).content.decode()
    assert "unit.update" in page and "user.create" in page
    assert "教育局" in page and "区教育局" in page
    assert "督查室 王敏" in page


def test_the_log_filters_by_object_type_actor_and_date(client, supervisor, entries):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit"), {"object_type": "accounts.unit"}).content.decode()
    assert "unit.update" in page and "user.create" not in page
    page = client.get(reverse("tracking:audit"), {"actor": "admin"}).content.decode()
    assert "凤桥镇" in page and "user.create" not in page
    page = client.get(reverse("tracking:audit"), {"since": "2026-04-01", "until": "2026-04-30"}).content.decode()
    assert "user.create" in page and "教育局" not in page.split("<tbody>")[1]


def test_a_bad_date_is_named_and_ignored(client, supervisor, entries):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit"), {"since": "三月"}).content.decode()
    assert "三月" in page
    assert "user.create" in page


def test_the_log_is_paginated_fifty_to_a_page(client, supervisor, units):
    for n in range(60):
        audit_record(actor=supervisor, action=f"test.{n}", obj=units["education"])
    client.force_login(supervisor)
    first = client.get(reverse("tracking:audit")).content.decode()
    assert "test.59" in first and "test.9<" not in first
    second = client.get(reverse("tracking:audit"), {"page": 2}).content.decode()
    assert "test.9<" in second and "test.59" not in second
