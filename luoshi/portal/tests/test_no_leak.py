"""Nothing internal reaches the public page or its JSON: every text and attribute is checked."""
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Everything(HTMLParser):
    """Every piece of text and every attribute value of a page, and its links."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value:
                self.texts.append(value)
                if name in ("href", "src", "action"):
                    self.links.append(value)

    def handle_data(self, data):
        self.texts.append(data)

    def handle_comment(self, data):
        self.texts.append(data)


def page_texts(html: str) -> _Everything:
    parser = _Everything()
    parser.feed(html)
    return parser


def json_texts(value) -> list[str]:
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [key, *json_texts(item)]]
    if isinstance(value, list):
        return [text for item in value for text in json_texts(item)]
    return [str(value)]


def public_texts(client, world) -> dict[str, list[str]]:
    """Every text of the list page, the plan page and both JSON documents, by URL."""
    found = {}
    for name, args in (("portal:plans", []), ("portal:plan", [world.plan.pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        html = response.content.decode()
        found[response.request["PATH_INFO"]] = [html, *page_texts(html).texts]
    for name, args in (("portal:plans_json", []), ("portal:plan_json", [world.plan.pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        found[response.request["PATH_INFO"]] = [response.content.decode(), *json_texts(response.json())]
    return found


def test_the_world_has_secrets_to_keep(world):
    assert len(world.secrets) > 20
    assert all(world.secrets)


def test_no_unpublished_task_user_narrative_evidence_or_notice_reaches_the_public(client, world):
    found = public_texts(client, world)
    leaks = [
        (url, secret)
        for url, texts in found.items()
        for secret in world.secrets
        if any(secret in text for text in texts)
    ]
    assert leaks == []


def test_the_public_does_see_the_published_tasks(client, world):
    found = public_texts(client, world)
    plan_page = "\n".join(found[reverse("portal:plan", args=[world.plan.pk])])
    plan_json = "\n".join(found[reverse("portal:plan_json", args=[world.plan.pk])])
    for text in ("新建幼儿园3所。", "凤桥镇美丽城镇样板创建", "加快凤桥镇特色小镇建设，打造美丽城镇样板。", "区教育局", "凤桥镇"):
        assert text in plan_page
        assert text in plan_json


def test_a_signed_in_official_gets_the_same_public_page_as_a_citizen(client, world, supervisor, reporter_fengqiao):
    # The page may be cached by a proxy and served to anyone: it must not depend on who asked.
    url = reverse("portal:plan", args=[world.plan.pk])
    anonymous = client.get(url).content
    for user in (supervisor, reporter_fengqiao):
        client.force_login(user)
        assert client.get(url).content == anonymous
        client.logout()


def test_the_public_pages_link_only_to_public_pages_static_files_and_login(client, world):
    for url in (reverse("portal:plans"), reverse("portal:plan", args=[world.plan.pk])):
        links = page_texts(client.get(url).content.decode()).links
        assert links
        outside = [
            link for link in links
            if not link.startswith(("/public/", "/static/")) and link != reverse("login")
        ]
        assert outside == []


def test_the_public_pages_have_no_forms_and_set_no_cookies(client, world):
    response = client.get(reverse("portal:plan", args=[world.plan.pk]))
    assert "<form" not in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not response.cookies


def test_the_json_holds_only_the_published_tasks(client, world):
    data = client.get(reverse("portal:plan_json", args=[world.plan.pk])).json()

    def task_ids(section):
        own = [task["id"] for measure in section["measures"] for task in measure["tasks"]]
        return own + [i for child in section["sections"] for i in task_ids(child)]

    ids = [i for section in data["sections"] for i in task_ids(section)]
    assert sorted(ids) == sorted(t.pk for t in world.published)
    assert data["published_tasks"] == 2
    assert [s["title"] for s in data["sections"]] == ["教育与民生", "城镇建设"]
    assert json.dumps(data, ensure_ascii=False).count('"id"') == 3  # the plan and its two tasks
