"""An oversized plan document is refused in the browser, before it is sent, so the name and year typed beside it stay."""
import pytest
from django.urls import reverse

from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_import_page_tells_the_browser_the_upload_limit_in_bytes_and_in_words(client, supervisor, settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 3
    client.force_login(supervisor)
    page = client.get(reverse("plans:import")).content.decode()
    assert f'data-max-bytes="{3 * 1024 * 1024}"' in page
    assert "超过了 3 MB 的上限" in page
    assert "plans/upload-limit.js" in page


def test_the_reimport_page_tells_the_browser_the_upload_limit_too(client, supervisor, units, settings):
    from luoshi.plans.services import demo_plan_load

    plan = demo_plan_load(actor=supervisor)
    client.force_login(supervisor)
    page = client.get(reverse("plans:reimport", args=[plan.pk])).content.decode()
    assert f'data-max-bytes="{settings.LUOSHI_MAX_UPLOAD_MB * 1024 * 1024}"' in page
    assert "plans/upload-limit.js" in page


def test_the_import_page_says_utf16_text_is_accepted_as_it_is(client, supervisor):
    client.force_login(supervisor)
    assert "UTF-16" in client.get(reverse("plans:import")).content.decode()
