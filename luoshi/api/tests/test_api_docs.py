import json
import re

import pytest
from django.contrib.staticfiles import finders

from luoshi.api.api import api

ENDPOINTS = {
    ("get", "/api/v1/plans"),
    ("get", "/api/v1/plans/{plan_id}"),
    ("get", "/api/v1/plans/{plan_id}/sections"),
    ("get", "/api/v1/plans/{plan_id}/measures"),
    ("get", "/api/v1/measures/{measure_id}"),
    ("get", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/{task_id}"),
    ("patch", "/api/v1/tasks/{task_id}"),
    ("delete", "/api/v1/tasks/{task_id}"),
    ("get", "/api/v1/tasks/{task_id}/comments"),
    ("post", "/api/v1/tasks/{task_id}/comments"),
    ("post", "/api/v1/tasks/{task_id}/ack"),
    ("get", "/api/v1/reports"),
    ("post", "/api/v1/reports"),
    ("get", "/api/v1/reports/{report_id}"),
    ("post", "/api/v1/reports/{report_id}/evidence"),
    ("get", "/api/v1/reports/evidence/{evidence_id}"),
    ("post", "/api/v1/reports/{report_id}/review"),
    ("get", "/api/v1/my/updates"),
    ("post", "/api/v1/my/updates"),
}


def registered_operations() -> set[tuple[str, str]]:
    return {
        (method.lower(), "/api/v1" + prefix + path)
        for prefix, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }


def test_the_openapi_document_lists_every_endpoint(client, db):
    document = client.get("/api/v1/openapi.json").json()

    documented = {(method, path) for path, item in document["paths"].items() for method in item}
    assert documented == ENDPOINTS == registered_operations()
    assert document["info"]["title"] == "Luoshi API"
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}


def test_the_openapi_document_describes_the_task_filters_and_the_conflict(client, db):
    document = client.get("/api/v1/openapi.json").json()

    parameters = {p["name"] for p in document["paths"]["/api/v1/tasks"]["get"]["parameters"]}
    assert {"plan", "unit", "programme", "due_before", "due_after", "page", "page_size"} <= parameters
    assert {"200", "403", "404", "409", "422"} <= set(document["paths"]["/api/v1/tasks/{task_id}"]["patch"]["responses"])


def test_the_docs_page_works_without_internet(client, db):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I), "the docs page must not load from a CDN"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a local static file"


def test_the_docs_page_does_not_ask_swaggers_online_validator(client, db):
    html = client.get("/api/v1/docs").content.decode()

    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S).group(1))
    assert settings["validatorUrl"] is None
    assert settings["url"] == "/api/v1/openapi.json"


@pytest.mark.browser
def test_the_docs_page_renders_every_operation_in_a_browser_cut_off_from_the_internet(page, screenshot):
    outside = []

    def only_local(route):
        if route.request.url.startswith(page.base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.goto("/api/v1/docs")

    page.get_by_text("/api/v1/tasks/{task_id}").first.wait_for()
    rendered = page.locator(".opblock-summary-path").all_inner_texts()
    screenshot(page)
    assert {text.replace("\u200b", "") for text in rendered} == {path for _, path in ENDPOINTS}
    assert outside == []
