"""Every page carries a Content-Security-Policy that lets script run only from our own files,
and no template needs more: no inline <script>, no on…= attribute, no javascript: URL."""
import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = sorted(Path(__file__).parents[1].rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if d.strip().startswith("script-src")]
    return directive


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/plans/", "/tracking/review/", "/tracking/notices/", "/cockpit/", "/public/", "/api/tokens/",
     "/api/v1/docs", "/admin/", "/plans/999999/"],
)
def test_every_page_forbids_inline_and_foreign_script(supervisor, path):
    client = Client()
    client.force_login(supervisor)
    response = client.get(path, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert _script_src(response) == "script-src 'self'"


@pytest.mark.django_db
def test_the_login_page_of_an_anonymous_visitor_has_the_policy_too():
    response = Client().get("/accounts/login/")
    assert _script_src(response) == "script-src 'self'"
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_the_templates_are_found():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_template_has_inline_script_or_event_handler_attributes(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.findall(text)
    assert not HANDLER.findall(text)
    assert "javascript:" not in text
