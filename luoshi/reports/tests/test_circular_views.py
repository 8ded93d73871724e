"""The circulars page, generation in the background with its progress, the download, and who may do what."""
import io

import pytest
from django.urls import reverse
from docx import Document

from luoshi.accounts.models import User
from luoshi.reports import circular
from luoshi.reports.models import GeneratedDocument
from luoshi.reports.tests.cockpit_world import demo_world

READERS = ["supervisor", "leader"]
REPORTERS = ["reporter-education", "reporter-fengqiao"]


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def supervisor_client(db, client, seed_plan):
    return login(client, "supervisor")


def generate(client, plan, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("reports:circular_request", args=[plan.pk]), data)


def test_a_supervisor_generates_the_circular_and_downloads_it(supervisor_client, seed_plan,
                                                              django_capture_on_commit_callbacks):
    response = generate(supervisor_client, seed_plan, django_capture_on_commit_callbacks, period="latest")
    document = GeneratedDocument.objects.get()
    assert response["Location"] == reverse("reports:document", args=[document.pk])
    assert (document.status, document.steps_done, document.steps_total) == ("ready", 5, 5)
    assert document.period.label == "2018年6月"
    page = supervisor_client.get(response["Location"]).content.decode()
    assert "http-equiv=\"refresh\"" not in page
    assert reverse("reports:document_download", args=[document.pk]) in page
    download = supervisor_client.get(reverse("reports:document_download", args=[document.pk]))
    assert "attachment" in download["Content-Disposition"]
    docx = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any(p.text.startswith("关于《南湖全力争当弘扬红船精神排头兵》2018年6月") for p in docx.paragraphs)


def test_a_chosen_month_is_the_circulars_period(supervisor_client, seed_plan, django_capture_on_commit_callbacks):
    generate(supervisor_client, seed_plan, django_capture_on_commit_callbacks, period="2018-04")
    assert GeneratedDocument.objects.get().period.label == "2018年4月"


def test_a_queued_circular_shows_its_state_and_refreshes_until_ready(supervisor_client, seed_plan):
    # Without running the on-commit hook the job is never enqueued: the row stays queued.
    response = supervisor_client.post(reverse("reports:circular_request", args=[seed_plan.pk]), {"period": "latest"})
    page = supervisor_client.get(response["Location"]).content.decode()
    assert "排队中" in page
    assert 'http-equiv="refresh"' in page


def test_progress_is_recorded_step_by_step(db, seed_plan, monkeypatch):
    document = GeneratedDocument.objects.create(plan=seed_plan, period=circular.circular_period(
        plan=seed_plan, spec="latest"), steps_total=circular.STEPS)
    seen = []
    real = circular.circular_docx

    def watching(**kwargs):
        progress = kwargs.pop("progress")

        def record(step):
            progress(step)
            seen.append(GeneratedDocument.objects.values_list("status", "steps_done").get(pk=document.pk))

        return real(progress=record, **kwargs)

    monkeypatch.setattr(circular, "circular_docx", watching)
    circular.document_generate(document_id=document.pk)
    assert seen == [("running", step) for step in range(1, 6)]
    assert GeneratedDocument.objects.get(pk=document.pk).status == "ready"


def test_a_failed_generation_says_why(supervisor_client, seed_plan, django_capture_on_commit_callbacks, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(circular, "circular_docx", broken)
    response = generate(supervisor_client, seed_plan, django_capture_on_commit_callbacks, period="latest")
    document = GeneratedDocument.objects.get()
    assert (document.status, document.error) == ("failed", "disk full")
    assert "disk full" in supervisor_client.get(response["Location"]).content.decode()
    download = supervisor_client.get(reverse("reports:document_download", args=[document.pk]))
    assert download.status_code == 404


def test_a_job_run_twice_builds_once(db, seed_plan):
    document = GeneratedDocument.objects.create(plan=seed_plan, period=circular.circular_period(
        plan=seed_plan, spec="latest"), steps_total=circular.STEPS, status="ready")
    assert circular.document_generate(document_id=document.pk).status == "ready"
    assert not GeneratedDocument.objects.get(pk=document.pk).file


def test_a_period_that_does_not_exist_is_an_error_message(supervisor_client, seed_plan):
    response = supervisor_client.post(
        reverse("reports:circular_request", args=[seed_plan.pk]), {"period": "2030-01"}, follow=True
    )
    assert "没有包含2030-01的报送周期" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_asking_for_a_pdf_without_libreoffice_is_refused_in_chinese(supervisor_client, seed_plan, monkeypatch):
    monkeypatch.setattr(circular, "pdf_converter", lambda: None)
    response = supervisor_client.post(
        reverse("reports:circular_request", args=[seed_plan.pk]), {"period": "latest", "format": "pdf"}, follow=True
    )
    page = response.content.decode()
    assert "生成 PDF 需要 LibreOffice" in page and "LibreOffice (soffice), which" not in page
    assert not GeneratedDocument.objects.exists()


@pytest.mark.parametrize("username", READERS)
def test_readers_see_the_documents_page_with_the_exports(db, client, seed_plan, username):
    login(client, username)
    page = client.get(reverse("reports:documents", args=[seed_plan.pk])).content.decode()
    assert reverse("reports:export_tasks", args=[seed_plan.pk]) in page
    assert reverse("reports:stratml", args=[seed_plan.pk]) in page
    issues = reverse("reports:circular_request", args=[seed_plan.pk]) in page
    assert issues == (username == "supervisor")
    assert ('<option value="2018-06">2018年6月</option>' in page) == (username == "supervisor")


def test_a_leader_may_not_issue_a_circular_but_may_download_one(db, client, seed_plan, django_capture_on_commit_callbacks):
    generate(login(client, "supervisor"), seed_plan, django_capture_on_commit_callbacks)
    document = GeneratedDocument.objects.get()
    login(client, "leader")
    assert client.post(reverse("reports:circular_request", args=[seed_plan.pk])).status_code == 403
    assert client.get(reverse("reports:document_download", args=[document.pk])).status_code == 200


@pytest.mark.parametrize("username", REPORTERS)
def test_reporters_get_403_on_every_document_page(db, client, seed_plan, username, django_capture_on_commit_callbacks):
    generate(login(client, "supervisor"), seed_plan, django_capture_on_commit_callbacks)
    document = GeneratedDocument.objects.get()
    login(client, username)
    for url in (
        reverse("reports:documents", args=[seed_plan.pk]),
        reverse("reports:document", args=[document.pk]),
        reverse("reports:document_download", args=[document.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("reports:circular_request", args=[seed_plan.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(db, client, seed_plan):
    for url in (
        reverse("reports:documents", args=[seed_plan.pk]),
        reverse("reports:circular_request", args=[seed_plan.pk]),
        reverse("reports:document", args=[1]),
        reverse("reports:document_download", args=[1]),
    ):
        response = client.post(url) if "circular" in url else client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
