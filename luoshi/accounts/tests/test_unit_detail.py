import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def url(code):
    return reverse("unit_detail", args=[code])


def test_it_shows_name_kind_duties_keywords_and_members(client, supervisor, reporter_education, units):
    units["education"].duties = "负责全区义务教育。"
    units["education"].save()
    client.force_login(supervisor)
    body = client.get(url("education")).content.decode()
    assert "区教育局" in body and "负责全区义务教育。" in body and "学校" in body
    assert "reporter-education" in body


def test_a_reporter_reads_its_own_unit(client, reporter_education):
    client.force_login(reporter_education)
    assert client.get(url("education")).status_code == 200


def test_a_reporter_of_education_gets_404_for_fengqiao(client, reporter_education):
    client.force_login(reporter_education)
    assert client.get(url("fengqiao")).status_code == 404


def test_a_reporter_of_fengqiao_gets_404_for_education(client, reporter_fengqiao):
    client.force_login(reporter_fengqiao)
    assert client.get(url("education")).status_code == 404


def test_an_unknown_code_is_404(client, supervisor, units):
    client.force_login(supervisor)
    assert client.get(url("nowhere")).status_code == 404


def test_a_leader_reads_any_unit_but_sees_no_edit_control(client, leader, units):
    client.force_login(leader)
    response = client.get(url("fengqiao"))
    assert response.status_code == 200
    assert reverse("unit_edit", args=["fengqiao"]) not in response.content.decode()


def test_a_supervisor_sees_the_edit_control(client, supervisor, units):
    client.force_login(supervisor)
    assert reverse("unit_edit", args=["fengqiao"]) in client.get(url("fengqiao")).content.decode()


def test_it_sends_anonymous_visitors_to_login(client, units):
    response = client.get(url("education"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
