"""The admin shows deliveries read-only and never deletes a channel."""
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from luoshi.accounts.models import User
from luoshi.tracking.models import Channel, Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_by_admin():
    request = RequestFactory().get("/admin/")
    request.user = User.objects.create_superuser("admin", "admin@example.com", "x")
    return request


def test_deliveries_can_be_read_but_not_added_changed_or_deleted(request_by_admin):
    delivery_admin = site._registry[Delivery]
    assert delivery_admin.has_view_permission(request_by_admin)
    assert not delivery_admin.has_add_permission(request_by_admin)
    assert not delivery_admin.has_change_permission(request_by_admin)
    assert not delivery_admin.has_delete_permission(request_by_admin)


def test_channels_can_be_added_and_edited_but_not_deleted(request_by_admin):
    channel_admin = site._registry[Channel]
    assert channel_admin.has_add_permission(request_by_admin)
    assert channel_admin.has_change_permission(request_by_admin)
    assert not channel_admin.has_delete_permission(request_by_admin)
