"""A task's conversation: comments, a leader's 批示 with its reply deadline, the unit's answer, mentions, the API."""
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from luoshi.api.services import token_create
from luoshi.audit.models import AuditEntry
from luoshi.inbox.models import Notification
from luoshi.tracking.models import TaskComment
from luoshi.tracking.notices import add_working_days
from luoshi.tracking.tests.report_world import task_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]


def post_comment(client, task, **data):
    return client.post(reverse("tracking:comment_add", args=[task.pk]), data)


def test_a_leaders_instruction_gets_a_default_deadline_and_reaches_the_units_to_do(
    client, plan, leader, reporter_education
):
    task = task_of(plan, "education")
    client.force_login(leader)
    response = post_comment(client, task, text="请加快幼儿园建设进度，月底前报送开工情况。", instruction="on")
    instruction = TaskComment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:task", args=[task.pk]) + f"#comment-{instruction.pk}"
    assert instruction.is_instruction and instruction.author == leader
    assert instruction.reply_due == add_working_days(date(2026, 4, 3), 5)
    assert AuditEntry.objects.filter(action="instruction.add", object_id=str(task.pk)).exists()

    client.force_login(reporter_education)
    my_tasks = client.get(reverse("tracking:my_tasks")).content.decode()
    assert "待回复批示" in my_tasks and "请加快幼儿园建设进度" in my_tasks
    page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "领导批示" in page and "回复批示" in page

    post_comment(client, task, text="已部署，4月底前3所全部开工。", reply_to=instruction.pk)
    instruction.refresh_from_db()
    assert instruction.answered_by == reporter_education and instruction.answered_at is not None
    assert "待回复批示" not in client.get(reverse("tracking:my_tasks")).content.decode()
    assert AuditEntry.objects.filter(action="instruction.answer").count() == 1
    heard = Notification.objects.get(user=leader)
    assert heard.subject.startswith("【批示回复】") and "已部署" in heard.body


def test_a_leader_sets_the_reply_date_and_an_unanswered_instruction_is_marked_overdue(
    client, plan, leader, reporter_education
):
    task = task_of(plan, "education")
    client.force_login(leader)
    post_comment(client, task, text="请说明选址滞后原因。", instruction="on", reply_due="2026-04-08")
    assert TaskComment.objects.get().reply_due == date(2026, 4, 8)
    client.force_login(reporter_education)
    with time_machine.travel("2026-04-10 10:00 +08:00", tick=False):
        my_tasks = client.get(reverse("tracking:my_tasks")).content.decode()
        page = client.get(reverse("plans:task", args=[task.pk])).content.decode()
    assert "已逾期：应于2026-04-08前回复" in my_tasks
    assert "已逾期：应于2026-04-08前回复" in page


def test_a_reply_date_in_the_past_is_refused_and_the_text_kept(client, plan, leader):
    task = task_of(plan, "education")
    client.force_login(leader)
    response = post_comment(client, task, text="请说明情况。", instruction="on", reply_due="2026-04-01")
    page = response.content.decode()
    assert response.status_code == 400
    assert "回复时限须晚于今天（2026-04-03）" in page and "请说明情况。" in page
    assert not TaskComment.objects.exists()


def test_only_a_leader_writes_an_instruction(client, plan, supervisor, reporter_education):
    task = task_of(plan, "education")
    for user in (supervisor, reporter_education):
        client.force_login(user)
        assert post_comment(client, task, text="作为批示？", instruction="on").status_code == 403
    assert not TaskComment.objects.exists()


def test_the_units_supervisors_and_leaders_comment_others_cannot(
    client, plan, supervisor, leader, reporter_education, reporter_fengqiao
):
    task = task_of(plan, "education")
    for user in (supervisor, leader, reporter_education, reporter_fengqiao):  # 凤桥镇 is a co-unit
        client.force_login(user)
        assert post_comment(client, task, text=f"{user.username}的意见。").status_code == 302
    assert TaskComment.objects.filter(kind="comment").count() == 4
    client.force_login(reporter_fengqiao)
    assert post_comment(client, task_of(plan, "science"), text="看不到的任务。").status_code == 404
    client.logout()
    response = post_comment(client, task, text="匿名。")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert TaskComment.objects.count() == 4


def test_a_co_units_reply_does_not_settle_the_lead_units_instruction(client, plan, leader, reporter_fengqiao):
    task = task_of(plan, "education")
    client.force_login(leader)
    post_comment(client, task, text="请教育局牵头推进。", instruction="on")
    instruction = TaskComment.objects.get()
    client.force_login(reporter_fengqiao)
    post_comment(client, task, text="凤桥镇配合。", reply_to=instruction.pk)
    instruction.refresh_from_db()
    assert instruction.answered_at is None


def test_a_too_long_comment_is_refused_naming_the_limit_and_nothing_is_lost(client, plan, reporter_education):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    text = "长" * 2001
    response = post_comment(client, task, text=text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "留言最多 2000 个字，现有 2001 个字" in page
    assert text in page
    assert not TaskComment.objects.exists()


def test_mentions_notify_those_who_may_read_the_task_only(
    client, plan, units, leader, supervisor, reporter_education, reporter_fengqiao
):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    response = post_comment(client, task, text="请@凤桥镇 提供用地资料，@leader 知悉；@区科技局 无关。")
    comment = TaskComment.objects.get()
    assert sorted(comment.mentions) == ["fengqiao", "leader"]
    notified = Notification.objects.filter(kind="mention")
    assert sorted(n.user.username for n in notified) == ["leader", "reporter-fengqiao"]
    assert all(n.url == f"/plans/tasks/{task.pk}/#comment-{comment.pk}" for n in notified)
    assert "提供用地资料" in notified.first().body
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("区科技局" in m and "未通知" in m for m in messages)


def test_an_instruction_reaches_the_lead_units_reporters_inbox(client, plan, leader, reporter_education):
    client.force_login(leader)
    post_comment(client, task_of(plan, "education"), text="请加快进度。", instruction="on")
    notification = Notification.objects.get(kind="instruction")
    assert notification.user == reporter_education
    assert notification.subject.startswith("【领导批示】") and "请加快进度。" in notification.body


def test_the_api_lists_and_adds_comments_with_the_same_rules(plan, client, leader, reporter_education, reporter_fengqiao):
    task = task_of(plan, "education")

    def call(user, method, path, body=None):
        _token, raw = token_create(user=user)
        headers = {"Authorization": f"Bearer {raw}"}
        if method == "get":
            return client.get(f"/api/v1{path}", headers=headers)
        return client.post(f"/api/v1{path}", data=body, content_type="application/json", headers=headers)

    path = f"/tasks/{task.pk}/comments"
    response = call(leader, "post", path, {"text": "请加快进度。", "instruction": True})
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "instruction" and body["author"] == "leader"
    assert body["reply_due"] == add_working_days(date(2026, 4, 3), 5).isoformat() and body["overdue"] is False
    answer = call(reporter_education, "post", path, {"text": "已落实。", "reply_to": body["id"]})
    assert answer.status_code == 201 and answer.json()["reply_to"] == body["id"]
    listed = call(reporter_education, "get", path).json()
    assert [c["text"] for c in listed] == ["请加快进度。", "已落实。"]
    assert listed[0]["answered_by"] == "reporter-education"
    assert call(reporter_education, "post", path, {"text": "批示", "instruction": True}).status_code == 403
    assert call(reporter_education, "post", path, {"text": ""}).status_code == 422
    assert call(reporter_fengqiao, "get", f"/tasks/{task_of(plan, 'science').pk}/comments").status_code == 404
