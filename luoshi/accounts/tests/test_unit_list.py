import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("unit_list")


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin_user"])
def test_staff_see_every_unit_grouped_by_kind(client, request, units, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    for name in ("区教育局", "凤桥镇", "区科技局"):
        assert name in body
    # Kinds come in UnitKind order: departments before towns.
    assert body.index("区科技局") < body.index("凤桥镇")
    assert "义务教育" in body and "教育局" in body


def test_a_reporter_sees_only_its_own_unit(client, reporter_education):
    client.force_login(reporter_education)
    body = client.get(URL).content.decode()
    assert "区教育局" in body
    assert "凤桥镇" not in body and "区科技局" not in body


def test_a_reporter_without_units_is_told_so(client, reporter_education):
    reporter_education.memberships.all().delete()
    client.force_login(reporter_education)
    response = client.get(URL)
    assert response.status_code == 200
    assert reverse("unit_detail", args=["education"]) not in response.content.decode()
