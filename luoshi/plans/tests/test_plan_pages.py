"""The plan pages and who may see them: supervisor, leader, reporters of 区教育局 and 凤桥镇, anonymous."""
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.plans.models import Plan, PlanSource, Task
from luoshi.plans.services import SEED_PLAN_FILE, plan_import
from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.plans.tests.sample_tasks import add_tasks, sample_plan
from luoshi.audit.labels import ACTION_LABELS

pytestmark = pytest.mark.django_db

SEED = SEED_PLAN_FILE.read_bytes()


@pytest.fixture
def plan(units, supervisor):
    return plan_import(name="南湖2018", year=2018, filename="seed.txt", content=SEED, actor=supervisor)


@pytest.fixture
def education_task(plan, units):
    task = plan.tasks.order_by("id").first()
    Task.objects.filter(pk=task.pk).update(lead_unit=units["education"])
    task.co_units.clear()
    return task


@pytest.fixture
def fengqiao_task(plan, units, education_task):
    task = plan.tasks.exclude(pk=education_task.pk).order_by("id").first()
    Task.objects.filter(pk=task.pk).update(lead_unit=units["fengqiao"])
    task.co_units.clear()
    return task


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


# ---------------------------------------------------------------- plan list and tree

def test_the_plan_list_shows_the_plan_and_the_import_button_to_a_supervisor(as_user, supervisor, plan):
    page = as_user(supervisor).get(reverse("plans:list")).content.decode()
    assert "南湖2018" in page
    assert reverse("plans:import") in page


def test_the_plan_list_shows_no_import_button_to_a_leader(as_user, leader, plan):
    page = as_user(leader).get(reverse("plans:list")).content.decode()
    assert "南湖2018" in page
    assert reverse("plans:import") not in page


def test_the_plan_tree_shows_parts_objectives_sentences_and_tasks(as_user, supervisor, plan):
    response = as_user(supervisor).get(reverse("plans:detail", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "强化“护旗手”担当，着力打造红色领航新高地" in page
    assert "全力打造红色文化示范地" in page
    assert page.count('class="measure-row') == 35
    assert page.count('class="task-card"') == 35
    assert reverse("plans:task_edit", args=[plan.tasks.first().pk]) in page


def test_a_leader_reads_the_tree_without_edit_links(as_user, leader, plan):
    page = as_user(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert page.count('class="task-card"') == 35
    assert "/edit/" not in page
    assert reverse("plans:reimport", args=[plan.pk]) not in page


def test_a_reporter_sees_only_its_units_tasks_in_the_tree(as_user, reporter_education, plan, education_task,
                                                         fengqiao_task, units):
    Task.objects.exclude(pk=education_task.pk).update(lead_unit=None)
    # Nor is 区教育局 a co-unit of any other task.
    for task in Task.objects.exclude(pk=education_task.pk):
        task.co_units.remove(units["education"])
    page = as_user(reporter_education).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert page.count('class="task-card"') == 1
    assert education_task.measure.text in page
    assert fengqiao_task.measure.text not in page


def sheet_links(plan) -> dict[str, str]:
    return {
        "xlsx": reverse("plans:sheet_download", args=[plan.pk, "xlsx"]),
        "docx": reverse("plans:sheet_download", args=[plan.pk, "docx"]),
        "upload": reverse("plans:sheet_upload", args=[plan.pk]),
    }


def test_the_plan_page_offers_a_supervisor_the_task_sheet_downloads_and_upload(as_user, supervisor, plan):
    page = as_user(supervisor).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert all(link in page for link in sheet_links(plan).values())


def test_the_plan_page_offers_a_leader_the_task_sheet_downloads_only(as_user, leader, plan):
    page = as_user(leader).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    links = sheet_links(plan)
    assert links["xlsx"] in page and links["docx"] in page
    assert links["upload"] not in page


def test_the_plan_page_offers_a_reporter_no_task_sheet(as_user, reporter_education, plan, education_task):
    page = as_user(reporter_education).get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert education_task.measure.text in page
    assert not any(link in page for link in sheet_links(plan).values())


def test_the_plan_page_takes_as_many_queries_for_30_tasks_as_for_3_and_never_reads_the_file(as_user, supervisor,
                                                                                            units):
    plan = sample_plan(units)
    content = "南湖区2018年工作要点\n".encode() * 10_000
    PlanSource.objects.create(plan=plan, version=1, filename="plan.txt", content=content,
                              sha256=hashlib.sha256(content).hexdigest(), outline={})
    client = as_user(supervisor)

    def page_queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
        assert "plan.txt" in page
        return [query["sql"] for query in captured]

    few = page_queries()
    add_tasks(plan, count=27, units=units)
    many = page_queries()
    assert len(many) == len(few)
    assert not any('"content"' in sql for sql in many if "plans_plansource" in sql)


def test_a_reporter_without_tasks_in_a_plan_gets_404(as_user, reporter_fengqiao, plan):
    Task.objects.filter(plan=plan).update(lead_unit=None)
    for task in plan.tasks.all():
        task.co_units.clear()
    assert as_user(reporter_fengqiao).get(reverse("plans:detail", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("name", ["plans:list", "plans:import", "plans:import_preview"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitors_are_sent_to_log_in_from_plan_and_task_pages(client, plan):
    task = plan.tasks.first()
    for url in [
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:reimport", args=[plan.pk]),
        reverse("plans:task", args=[task.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:task_split", args=[task.pk]),
        reverse("plans:tasks_merge", args=[task.measure_id]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


# ---------------------------------------------------------------- task pages

def test_the_task_page_shows_source_sentence_units_and_history(as_user, supervisor, education_task):
    page = as_user(supervisor).get(reverse("plans:task", args=[education_task.pk])).content.decode()
    assert education_task.measure.text in page
    assert "区教育局" in page
    assert str(ACTION_LABELS["task.create"]) in page


def test_a_reporter_reads_its_own_task(as_user, reporter_education, education_task):
    response = as_user(reporter_education).get(reverse("plans:task", args=[education_task.pk]))
    assert response.status_code == 200
    assert "/edit/" not in response.content.decode()


def test_a_reporter_of_education_gets_404_for_a_fengqiao_task_on_every_page(as_user, reporter_education,
                                                                            fengqiao_task):
    client = as_user(reporter_education)
    for url in [
        reverse("plans:task", args=[fengqiao_task.pk]),
        reverse("plans:task_edit", args=[fengqiao_task.pk]),
        reverse("plans:task_split", args=[fengqiao_task.pk]),
        reverse("plans:tasks_merge", args=[fengqiao_task.measure_id]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x"}).status_code == 404, url


def test_a_reporter_may_not_edit_even_its_own_task(as_user, reporter_education, education_task):
    client = as_user(reporter_education)
    assert client.get(reverse("plans:task_edit", args=[education_task.pk])).status_code == 403
    assert client.post(reverse("plans:task_edit", args=[education_task.pk]), {"title": "x"}).status_code == 403


def test_a_leader_reads_tasks_but_every_write_page_is_forbidden(as_user, leader, plan):
    task = plan.tasks.first()
    client = as_user(leader)
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
    for url in [
        reverse("plans:import"),
        reverse("plans:import_preview"),
        reverse("plans:reimport", args=[plan.pk]),
        reverse("plans:reimport_preview", args=[plan.pk]),
        reverse("plans:task_edit", args=[task.pk]),
        reverse("plans:task_split", args=[task.pk]),
        reverse("plans:tasks_merge", args=[task.measure_id]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url
    task.refresh_from_db()
    assert task.version == 1


def test_reporters_may_not_import_plans(as_user, reporter_education):
    client = as_user(reporter_education)
    assert client.get(reverse("plans:import")).status_code == 403
    response = client.post(reverse("plans:import"), {"name": "x", "year": 2018,
                                                     "file": _upload("seed.txt", SEED)})
    assert response.status_code == 403
    assert Plan.objects.count() == 0


# ---------------------------------------------------------------- upload → preview → confirm

def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_upload_preview_and_confirm_saves_the_plan(as_user, supervisor, units):
    client = as_user(supervisor)
    response = client.post(reverse("plans:import"), {
        "name": "南湖全力争当弘扬红船精神排头兵", "year": 2018, "issuing_body": "中共嘉兴市南湖区委",
        "file": _upload("nanhu.txt", SEED),
    })
    assert response.status_code == 302 and response.url == reverse("plans:import_preview")
    assert Plan.objects.count() == 0

    preview = client.get(reverse("plans:import_preview")).content.decode()
    assert "35" in preview
    assert "全力打造红色信仰引领地" in preview
    assert "区教育局" in preview  # a suggested lead unit, with the words that matched
    assert "匹配" in preview or "matched" in preview
    # The parser's warning, in Chinese: its message, not the dict it is stored as.
    assert "标题“全力打造红色信仰引领地”后的句号在原文中已损坏" in preview and "heading_recovered" not in preview
    assert Plan.objects.count() == 0

    response = client.post(reverse("plans:import_preview"), {"confirm": "1"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])
    assert plan.tasks.count() == 35
    assert plan.issuing_body == "中共嘉兴市南湖区委"
    assert bytes(PlanSource.objects.get(plan=plan).content) == SEED


def test_confirming_twice_does_not_import_twice(as_user, supervisor, units):
    client = as_user(supervisor)
    client.post(reverse("plans:import"), {"name": "南湖", "year": 2018, "file": _upload("nanhu.txt", SEED)})
    client.post(reverse("plans:import_preview"), {"confirm": "1"})
    response = client.post(reverse("plans:import_preview"), {"confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("plans:import")
    assert Plan.objects.count() == 1


def test_cancelling_the_preview_saves_nothing(as_user, supervisor, units):
    client = as_user(supervisor)
    client.post(reverse("plans:import"), {"name": "南湖", "year": 2018, "file": _upload("nanhu.txt", SEED)})
    client.post(reverse("plans:import_preview"), {"cancel": "1"})
    assert Plan.objects.count() == 0
    assert client.get(reverse("plans:import_preview")).status_code == 302


@pytest.mark.parametrize(
    "filename, content, words",
    [
        ("empty.txt", b"", ["空"]),  # the form refuses an empty upload itself
        ("junk.txt", b"\x00\xff\xfe\x01" * 300, ["文件「junk.txt」", "读不出正常的中文"]),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, ["文件「old.docx」是旧版 Word", "另存为 .docx"]),
    ],
    ids=["empty", "binary junk", ".doc renamed .docx"],
)
def test_a_bad_file_brings_the_form_back_with_the_problem_named(as_user, supervisor, units, filename, content,
                                                                words):
    response = as_user(supervisor).post(reverse("plans:import"), {
        "name": "南湖", "year": 2018, "file": _upload(filename, content),
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="errorlist' in page
    for word in words:
        assert word in page
    assert 'value="南湖"' in page  # what was typed is kept
    assert Plan.objects.count() == 0


def test_an_upload_over_the_limit_is_refused_before_parsing(as_user, supervisor, units, settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    response = as_user(supervisor).post(reverse("plans:import"), {
        "name": "南湖", "year": 2018, "file": _upload("big.txt", SEED * (2 * 1024 * 1024 // len(SEED) + 1)),
    })
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert Plan.objects.count() == 0


def test_the_preview_of_a_plan_for_a_year_without_holiday_data_warns_about_the_calendar(as_user, supervisor, units):
    from luoshi.plans import workdays
    from luoshi.plans.tests.test_import import SMALL_PLAN

    client = as_user(supervisor)
    client.post(reverse("plans:import"), {"name": "2027计划", "year": 2027, "file": _upload("2027.txt", SMALL_PLAN)})
    page = client.get(reverse("plans:import_preview")).content.decode()
    assert workdays.calendar_warning(2027) in page
    assert "无量化目标" in page  # the measure without a number is flagged
