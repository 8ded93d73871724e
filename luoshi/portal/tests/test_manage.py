"""The supervisor's publish page: who may use it, and what each button does."""
import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan, Task

pytestmark = pytest.mark.django_db


def published(world) -> set[str]:
    return set(Task.objects.filter(plan=world.plan, is_public=True).values_list("measure__number", flat=True))


@pytest.mark.parametrize("user", ["supervisor", "admin_user"])
def test_the_supervision_office_sees_every_task_and_whether_it_is_public(client, world, request, user):
    client.force_login(request.getfixturevalue(user))
    page = client.get(reverse("portal:manage_plan", args=[world.plan.pk])).content.decode()
    for task in world.published + world.unpublished:
        assert f'value="{task.pk}"' in page
    assert page.count("已公开") >= 2 and "未公开" in page
    listing = client.get(reverse("portal:manage")).content.decode()
    assert "南湖区2026年民生实事" in listing


@pytest.mark.parametrize("user", ["leader", "reporter_education", "reporter_fengqiao"])
@pytest.mark.parametrize("name", ["portal:manage", "portal:manage_plan"])
def test_leaders_and_reporters_may_not_publish(client, world, request, user, name):
    client.force_login(request.getfixturevalue(user))
    args = [world.plan.pk] if name == "portal:manage_plan" else []
    assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse(name, args=args), {"action": "publish_all"}).status_code == 403
    assert published(world) == {"1.1", "2.1"}


@pytest.mark.parametrize("name", ["portal:manage", "portal:manage_plan"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, world, name):
    args = [world.plan.pk] if name == "portal:manage_plan" else []
    response = client.post(reverse(name, args=args), {"action": "publish_all"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert published(world) == {"1.1", "2.1"}


def test_the_manage_pages_are_never_cached(client, world, supervisor):
    client.force_login(supervisor)
    for url in (reverse("portal:manage"), reverse("portal:manage_plan", args=[world.plan.pk])):
        cache = client.get(url)["Cache-Control"]
        assert "private" in cache and "no-store" in cache and "public" not in cache


def test_an_unknown_plan_is_not_found(client, world, supervisor):
    client.force_login(supervisor)
    assert client.get(reverse("portal:manage_plan", args=[world.plan.pk + 100])).status_code == 404


def test_publish_selected_publishes_the_ticked_tasks_and_audits_each(client, world, supervisor):
    client.force_login(supervisor)
    incubator, inspection = world.unpublished
    response = client.post(
        reverse("portal:manage_plan", args=[world.plan.pk]),
        {"action": "publish", "task": [incubator.pk, world.published[0].pk]},
        follow=True,
    )
    assert "已公开 1 项任务。" in response.content.decode()
    assert published(world) == {"1.1", "1.2", "2.1"}
    entries = AuditEntry.objects.filter(action="task.publish")
    assert [(e.object_id, e.actor, e.before, e.after) for e in entries] == [
        (str(incubator.pk), supervisor, {"is_public": False}, {"is_public": True})
    ]


def test_withdraw_selected_takes_tasks_off_the_public_page(client, world, supervisor):
    client.force_login(supervisor)
    kindergartens, town = world.published
    client.post(reverse("portal:manage_plan", args=[world.plan.pk]), {"action": "unpublish", "task": [town.pk]})
    assert published(world) == {"1.1"}
    assert AuditEntry.objects.filter(action="task.unpublish", object_id=str(town.pk)).exists()
    assert "凤桥镇美丽城镇样板创建" not in client.get(reverse("portal:plan", args=[world.plan.pk])).content.decode()


def test_the_whole_plan_can_be_published_and_withdrawn(client, world, supervisor):
    client.force_login(supervisor)
    url = reverse("portal:manage_plan", args=[world.plan.pk])
    client.post(url, {"action": "publish_all"})
    assert published(world) == {"1.1", "1.2", "2.1", "3.1"}
    client.post(url, {"action": "unpublish_all"})
    assert published(world) == set()
    assert client.get(reverse("portal:plan", args=[world.plan.pk])).status_code == 404


def test_tasks_of_another_plan_are_left_alone(client, world, supervisor):
    other = Plan.objects.create(name="另一个规划", year=2026)
    Task.objects.filter(pk=world.unpublished[0].pk).update(plan=other)
    client.force_login(supervisor)
    client.post(
        reverse("portal:manage_plan", args=[world.plan.pk]), {"action": "publish", "task": [world.unpublished[0].pk]}
    )
    assert not Task.objects.get(pk=world.unpublished[0].pk).is_public


def test_publishing_nothing_or_an_unknown_action_says_what_is_wrong(client, world, supervisor):
    client.force_login(supervisor)
    url = reverse("portal:manage_plan", args=[world.plan.pk])
    assert "请至少选择一项任务。" in client.post(url, {"action": "publish"}, follow=True).content.decode()
    assert "请选择要对任务执行的操作。" in client.post(url, {"action": "delete"}, follow=True).content.decode()
    assert published(world) == {"1.1", "2.1"}


def test_publishing_leaves_the_task_edit_version_alone(client, world, supervisor):
    # A supervisor editing the task in another tab must not get a stale-edit refusal because of it.
    incubator = world.unpublished[0]
    client.force_login(supervisor)
    client.post(reverse("portal:manage_plan", args=[world.plan.pk]), {"action": "publish", "task": [incubator.pk]})
    assert Task.objects.get(pk=incubator.pk).version == incubator.version


def test_the_supervision_office_finds_the_publish_page_in_the_menu(client, supervisor, leader):
    client.force_login(supervisor)
    assert f'href="{reverse("portal:manage")}"' in client.get(reverse("home")).content.decode()
    client.force_login(leader)
    assert f'href="{reverse("portal:manage")}"' not in client.get(reverse("home")).content.decode()
