"""The permission rules, one function at a time, with the named cast from conftest."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from luoshi.accounts.models import Unit
from luoshi.accounts.permissions import (
    can_change_unit,
    can_manage_units,
    can_read_unit,
    changeable_unit_ids,
    filter_readable,
    get_object_for_user,
    is_leader,
    is_supervisor,
    readable_unit_ids,
    require_role,
    require_supervisor,
)

pytestmark = pytest.mark.django_db


def test_supervisor_and_admin_read_and_change_every_unit(supervisor, admin_user, units):
    for user in (supervisor, admin_user):
        assert readable_unit_ids(user) is None
        assert changeable_unit_ids(user) is None
        assert all(can_read_unit(user, u) and can_change_unit(user, u) for u in units.values())
        assert is_supervisor(user) and can_manage_units(user)


def test_leader_reads_every_unit_and_changes_none(leader, units):
    assert readable_unit_ids(leader) is None
    assert changeable_unit_ids(leader) == frozenset()
    assert all(can_read_unit(leader, u) for u in units.values())
    assert not any(can_change_unit(leader, u) for u in units.values())
    assert is_leader(leader) and not is_supervisor(leader) and not can_manage_units(leader)


def test_reporter_reads_and_changes_only_its_own_unit(reporter_education, units):
    assert readable_unit_ids(reporter_education) == {units["education"].pk}
    assert can_read_unit(reporter_education, units["education"])
    assert can_change_unit(reporter_education, units["education"])
    assert not can_read_unit(reporter_education, units["fengqiao"])
    assert not can_change_unit(reporter_education, units["fengqiao"])
    assert not can_manage_units(reporter_education)


def test_reporter_of_two_units_reads_both(reporter_education, units):
    reporter_education.memberships.create(unit=units["science"])
    fresh = type(reporter_education).objects.get(pk=reporter_education.pk)
    assert readable_unit_ids(fresh) == {units["education"].pk, units["science"].pk}


def test_anonymous_visitor_reads_nothing(units):
    anonymous = AnonymousUser()
    assert readable_unit_ids(anonymous) == frozenset()
    assert not can_read_unit(anonymous, units["education"])
    assert not can_change_unit(anonymous, units["education"])
    assert not is_supervisor(anonymous)


def test_deactivated_supervisor_has_no_rights(supervisor, units):
    supervisor.is_active = False
    assert not can_read_unit(supervisor, units["education"])


def test_superuser_counts_as_admin_whatever_its_role_field(units, django_user_model):
    root = django_user_model.objects.create(username="root", is_superuser=True, role="reporter")
    assert is_supervisor(root) and readable_unit_ids(root) is None


def test_filter_readable_narrows_a_queryset_to_the_reporters_units(reporter_fengqiao, leader, units):
    assert list(filter_readable(Unit.objects.all(), reporter_fengqiao, "pk")) == [units["fengqiao"]]
    assert filter_readable(Unit.objects.all(), leader, "pk").count() == 3
    assert filter_readable(Unit.objects.all(), AnonymousUser(), "pk").count() == 0


def test_get_object_for_user_gives_404_for_another_units_object(reporter_education, units):
    assert get_object_for_user(Unit, reporter_education, "pk", code="education") == units["education"]
    with pytest.raises(Http404):
        get_object_for_user(Unit, reporter_education, "pk", code="fengqiao")


def _view(request):
    return HttpResponse("ok")


def test_require_supervisor_refuses_leader_and_reporter_with_403(supervisor, leader, reporter_education):
    view = require_supervisor(_view)
    request = RequestFactory().post("/x/")
    request.user = supervisor
    assert view(request).status_code == 200
    for user in (leader, reporter_education):
        request.user = user
        with pytest.raises(PermissionDenied):
            view(request)


def test_require_role_sends_anonymous_visitors_to_the_login_page():
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = require_role("leader")(_view)(request)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
