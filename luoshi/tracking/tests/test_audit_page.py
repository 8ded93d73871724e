"""The audit log page: for the supervision office and admins only, filtered and paginated, in words."""
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from zoneinfo import ZoneInfo

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import audit_record
from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.portal.services import task_publish

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
    assert "修改单位信息" in page and "user.create" in page
    assert "名称：教育局 → 区教育局" in page
    assert "督查室 王敏" in page


def test_the_log_filters_by_object_type_actor_and_date(client, supervisor, entries):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit"), {"object_type": "accounts.unit"}).content.decode()
    assert "修改单位信息" in page and "user.create" not in page
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


def body(response):
    page = response.content.decode()
    return page[page.index("<tbody>"):page.index("</tbody>")]


@pytest.fixture
def task(units):
    plan = Plan.objects.create(name="南湖2026", year=2026)
    section = Section.objects.create(plan=plan, number="1", title="教育", level=1, position=0)
    measure = Measure.objects.create(plan=plan, section=section, number="1", text="新建学校两所", position=0)
    return Task.objects.create(plan=plan, measure=measure, title="新建学校两所", lead_unit=units["education"])


def test_a_published_task_reads_in_words_with_a_link_to_its_page(client, supervisor, task):
    task_publish(tasks=[task], actor=supervisor, public=True)
    client.force_login(supervisor)
    rows = body(client.get(reverse("tracking:audit")))
    assert "在政务公开页面公开" in rows
    assert f'href="{reverse("plans:task", args=[task.pk])}"' in rows
    assert "任务" in rows and "新建学校两所" in rows
    assert "在政务公开页面：否 → 是" in rows
    for raw in ("task.publish", "plans.task", "is_public", "{", "False", "True"):
        assert raw not in rows


def test_a_changed_choice_shows_its_label_and_a_new_object_only_its_values(client, supervisor, units):
    audit_record(actor=supervisor, action="unit.update", obj=units["fengqiao"], before={"kind": "town"},
                 after={"kind": "government"})
    audit_record(actor=supervisor, action="unit.create", obj=units["science"], after={"name": "区科技局"})
    client.force_login(supervisor)
    rows = body(client.get(reverse("tracking:audit")))
    assert "类型：镇 → 政府部门" in rows
    assert "新增单位" in rows and "名称：区科技局" in rows and "→ 区科技局" not in rows


def test_an_unknown_action_or_object_type_shows_its_code(client, supervisor, units):
    AuditEntry.objects.create(actor=supervisor, action="gone.thing", object_type="gone.model", object_id="7",
                              object_repr="旧对象", after={"flag": True})
    client.force_login(supervisor)
    rows = body(client.get(reverse("tracking:audit")))
    assert "gone.thing" in rows and "gone.model" in rows and "flag：是" in rows


def test_a_task_merged_away_is_named_without_a_dead_link(client, supervisor, task):
    task_publish(tasks=[task], actor=supervisor, public=True)
    task_id = task.pk
    task.delete()
    client.force_login(supervisor)
    rows = body(client.get(reverse("tracking:audit")))
    assert "新建学校两所" in rows and reverse("plans:task", args=[task_id]) not in rows


def test_the_object_type_filter_names_types_in_words(client, supervisor, entries):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit")).content.decode()
    assert '<option value="accounts.unit">单位</option>' in page


def test_a_logged_key_named_like_a_relation_of_the_model_shows_its_value(client, supervisor, task):
    # Plan has a reverse relation "measures"; plan.import logs a count under that name.
    audit_record(actor=supervisor, action="plan.import", obj=task.plan, after={"name": "南湖2026", "measures": 1})
    client.force_login(supervisor)
    rows = body(client.get(reverse("tracking:audit")))
    assert "导入规划" in rows and "举措数：1" in rows


def test_our_chinese_wins_over_djangos_for_the_same_english_word(client, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("tracking:audit")).content.decode()
    assert "筛选" in page and "过滤器" not in page
