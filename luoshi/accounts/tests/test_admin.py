"""The Django admin for users, units and memberships."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/?q=教育&role__exact=reporter",
        "/admin/accounts/user/add/",
        "/admin/accounts/unit/",
        "/admin/accounts/unit/?q=凤桥&kind__exact=town",
        "/admin/accounts/unit/add/",
        "/admin/accounts/membership/?q=fengqiao",
    ],
)
def test_the_admin_pages_work_for_an_admin(client, admin_user, reporter_education, reporter_fengqiao, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_a_users_page_shows_its_units_inline(client, admin_user, reporter_education):
    client.force_login(admin_user)
    body = client.get(f"/admin/accounts/user/{reporter_education.pk}/change/").content.decode()
    assert "区教育局" in body


@pytest.mark.parametrize("who", ["supervisor", "leader", "reporter_education"])
def test_people_who_are_not_staff_are_kept_out(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/accounts/unit/").status_code == 302
