"""The task sheet pages: download for readers of every unit, upload for the supervision office."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.sheets import task_sheet_export
from luoshi.plans.tests.test_sheets import edited, make_plan, make_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def plan(units):
    return make_plan(units)


def download(client, plan, fmt="xlsx"):
    return client.get(reverse("plans:sheet_download", args=[plan.pk, fmt]))


def upload_page(plan):
    return reverse("plans:sheet_upload", args=[plan.pk])


def upload(client, plan, data: bytes, name="任务分解表.xlsx"):
    return client.post(upload_page(plan), {"file": SimpleUploadedFile(name, data)})


# Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["supervisor", "leader", "admin_user"])
def test_readers_of_every_unit_download_the_sheet_in_both_formats(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))

    xlsx, docx = download(client, plan, "xlsx"), download(client, plan, "docx")

    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in xlsx["Content-Disposition"]
    assert "%E4%BB%BB%E5%8A%A1%E5%88%86%E8%A7%A3%E8%A1%A8.xlsx" in xlsx["Content-Disposition"]  # 任务分解表.xlsx
    assert xlsx.content[:2] == b"PK"
    assert docx.status_code == 200
    assert docx["Content-Type"].endswith("wordprocessingml.document")


def test_a_reporter_may_not_download_the_whole_plans_sheet(client, plan, reporter_education):
    client.force_login(reporter_education)

    assert download(client, plan).status_code == 403
    assert download(client, plan, "docx").status_code == 403


def test_a_reporter_of_a_unit_without_tasks_in_the_plan_does_not_see_it(client, plan, reporter_fengqiao, units):
    plan.tasks.filter(co_units=units["fengqiao"]).delete()
    client.force_login(reporter_fengqiao)

    assert download(client, plan).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, plan):
    response = download(client, plan)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get(upload_page(plan)).status_code == 302


def test_an_unknown_format_is_not_found(client, plan, supervisor):
    client.force_login(supervisor)

    assert client.get(f"/plans/{plan.pk}/sheet.pdf").status_code == 404


@pytest.mark.parametrize("who", ["leader", "reporter_education"])
def test_only_the_supervision_office_uploads_a_sheet(client, plan, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(upload_page(plan)).status_code == 403
    assert upload(client, plan, edited(plan, {(1, "任务内容"): "改"})).status_code == 403
    assert plan.tasks.first().version == 1


# Upload, preview, apply ------------------------------------------------------------


def test_the_upload_page_offers_the_downloads_and_a_file_field(client, plan, supervisor):
    client.force_login(supervisor)

    page = client.get(upload_page(plan)).content.decode()

    assert 'type="file" name="file"' in page
    assert reverse("plans:sheet_download", args=[plan.pk, "xlsx"]) in page
    assert reverse("plans:sheet_download", args=[plan.pk, "docx"]) in page


def test_an_edited_sheet_is_previewed_then_applied(client, plan, supervisor):
    client.force_login(supervisor)

    preview = upload(client, plan, edited(plan, {(2, "牵头单位"): "区财政局"}))

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "牵头单位 “区科学技术局” → “区财政局”" in page
    assert 'name="apply"' in page
    assert plan.tasks.all()[1].lead_unit.code == "science"

    applied = client.post(upload_page(plan), {"apply": ""})

    assert applied.status_code == 302
    assert applied["Location"] == reverse("plans:detail", args=[plan.pk])
    task = plan.tasks.all()[1]
    assert (task.lead_unit.code, task.version) == ("finance", 2)
    assert AuditEntry.objects.get().actor == supervisor


def test_a_sheet_with_bad_cells_lists_them_and_cannot_be_applied(client, plan, supervisor):
    client.force_login(supervisor)

    response = upload(client, plan, edited(plan, {(1, "任务内容"): "有效修改", (2, "牵头单位"): "区教委"}))

    assert response.status_code == 400
    page = response.content.decode()
    assert "找不到单位“区教委”" in page
    assert 'name="apply"' not in page
    assert client.post(upload_page(plan), {"apply": ""}).status_code == 400
    assert [t.version for t in plan.tasks.all()] == [1, 1, 1]


def test_an_unedited_sheet_says_there_is_nothing_to_apply(client, plan, supervisor):
    client.force_login(supervisor)

    response = upload(client, plan, task_sheet_export(plan=plan))

    assert response.status_code == 200
    assert 'name="apply"' not in response.content.decode()


def test_a_file_that_is_not_a_sheet_is_refused_with_the_reason(client, plan, supervisor):
    client.force_login(supervisor)

    response = upload(client, plan, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, name="计划.xlsx")

    assert response.status_code == 400
    assert "不是有效的 Excel 文件" in response.content.decode()


def test_posting_without_a_file_asks_for_one(client, plan, supervisor):
    client.force_login(supervisor)

    response = client.post(upload_page(plan), {})

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()


def test_a_sheet_changed_by_someone_between_preview_and_apply_is_refused(client, plan, supervisor):
    client.force_login(supervisor)
    upload(client, plan, edited(plan, {(1, "任务内容"): "表格中的修改"}))
    task = plan.tasks.first()
    type(task).objects.filter(pk=task.pk).update(title="同时在系统中修改", version=2)

    response = client.post(upload_page(plan), {"apply": ""})

    assert response.status_code == 400
    assert "导出后已在系统中修改" in response.content.decode()
    assert type(task).objects.get(pk=task.pk).title == "同时在系统中修改"
