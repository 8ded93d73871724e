import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(code):
    return reverse("unit_edit", args=[code])


def form_data(unit, **changes):
    data = {
        "short_name": unit.short_name,
        "aliases": "、".join(unit.aliases),
        "duties": unit.duties,
        "duty_keywords": "、".join(unit.duty_keywords),
        "version": unit.version,
    }
    data.update(changes)
    return data


def test_a_supervisor_edits_keywords_and_the_change_is_audited(client, supervisor, units):
    client.force_login(supervisor)
    unit = units["science"]
    response = client.post(url("science"), form_data(unit, duty_keywords="科技创新，孵化、 研究院\n求是驿站"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.duty_keywords == ["科技创新", "孵化", "研究院", "求是驿站"]
    entry = AuditEntry.objects.get(action="unit.update")
    assert entry.actor == supervisor and entry.after["duty_keywords"][-1] == "求是驿站"


def test_a_stale_form_is_refused_and_changes_nothing(client, supervisor, units):
    client.force_login(supervisor)
    unit = units["science"]
    stale = form_data(unit, duties="旧页面上的修改")
    client.post(url("science"), form_data(unit, duties="另一个标签页先保存了"))
    response = client.post(url("science"), stale)
    assert response.status_code == 409
    assert "您打开此页面后，其他人修改了该单位" in response.content.decode()
    unit.refresh_from_db()
    assert unit.duties == "另一个标签页先保存了"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_leader_gets_403(client, leader, units, method):
    client.force_login(leader)
    response = getattr(client, method)(url("science"), form_data(units["science"], duties="x"))
    assert response.status_code == 403
    units["science"].refresh_from_db()
    assert units["science"].duties == ""


def test_a_reporter_gets_403_even_for_its_own_unit(client, reporter_education, units):
    client.force_login(reporter_education)
    assert client.post(url("education"), form_data(units["education"], duties="x")).status_code == 403


def test_it_sends_anonymous_visitors_to_login(client, units):
    response = client.post(url("education"), {})
    assert response.status_code == 302 and reverse("login") in response["Location"]
