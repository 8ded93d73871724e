"""Evidence files: the type judged from the content, the size capped before the disk fills,
and downloads only for users who may see the task."""
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from luoshi.tracking.evidence import DOCX, JPEG, PDF, PNG, XLSX, evidence_check
from luoshi.tracking.models import ProgressReport
from luoshi.tracking.services import report_submit
from luoshi.tracking.tests.report_world import (
    APRIL_3,
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    docx_bytes,
    fake_office_zip,
    files_under,
    task_of,
    upload,
    xlsx_bytes,
)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("批复.pdf", PDF_BYTES, PDF),
        ("现场.png", PNG_BYTES, PNG),
        ("现场.jpg", JPEG_BYTES, JPEG),
        ("方案.docx", docx_bytes(), DOCX),
        ("台账.xlsx", xlsx_bytes(), XLSX),
        # The name is not what decides: a Word file called .xlsx is a Word file.
        ("台账.xlsx", docx_bytes(), DOCX),
        ("scan", PDF_BYTES, PDF),
    ],
)
def test_accepted_files_are_recognised_from_their_content(name, content, kind):
    assert evidence_check(upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("报告.pdf", EXE_BYTES),
        ("方案.docx", fake_office_zip()),
        ("说明.pdf", "这是一段文字".encode()),
        ("空.pdf", b""),
    ],
)
def test_other_content_is_refused_naming_the_file(name, content):
    with pytest.raises(ValidationError) as refused:
        evidence_check(upload(name, content, "application/pdf"))
    assert f"“{name}”" in refused.value.messages[0]


def test_a_file_over_the_limit_is_refused_by_the_check(settings):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="每个文件 1 MB 的上限"):
        evidence_check(upload("大.pdf", PDF_BYTES + b"\x00" * (1024 * 1024)))


# ── Size: refused while the body streams in ─────────────────────────────

BOUNDARY = "luoshi-test-boundary"


class StreamedBody:
    """A multipart body made on demand, so a test can send "1 GB" without holding it,
    and count how much of it the server read."""

    def __init__(self, fields: dict, file_name: str, file_size: int):
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        )
        self.head = head.encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(self.head) + file_size + len(self.tail)
        self.position = 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.length - self.position
        size = min(size, self.length - self.position)
        start, self.position = self.position, self.position + size
        out = bytearray()
        for offset in range(start, start + size):
            if offset < len(self.head):
                out.append(self.head[offset])
            elif offset >= self.length - len(self.tail):
                out.append(self.tail[offset - (self.length - len(self.tail))])
            else:
                out.append(0x20)
        return bytes(out)

    def readline(self, size=-1):
        return self.read(size)


def post_streamed(client, url, body: StreamedBody):
    return client.generic(
        "POST", url, b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


@pytest.mark.django_db
@time_machine.travel(APRIL_3, tick=False)
def test_a_1_gb_upload_is_refused_before_any_of_it_is_read(client, plan, reporter_education, media):
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    body = StreamedBody({"percent": "30"}, "全部照片.pdf", 1024**3)
    response = post_streamed(client, reverse("tracking:task", args=[task.pk]), body)
    assert response.status_code == 413
    assert "本次提交未保存任何内容" in response.content.decode()
    assert body.position == 0
    assert files_under(media) == []
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
@time_machine.travel(APRIL_3, tick=False)
def test_a_file_over_the_limit_stops_the_upload_at_the_limit_and_keeps_the_typed_text(
    client, plan, reporter_education, media, settings
):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    fields = {"percent": "30", "work_state": "in_progress", "narrative": "新建幼儿园2所已开工。"}
    # Under the request limit (10 files of 1 MB), so only the streaming cap can stop it.
    body = StreamedBody(fields, "航拍.pdf", 6 * 1024 * 1024)
    response = post_streamed(client, reverse("tracking:task", args=[task.pk]), body)
    assert response.status_code == 413
    page = response.content.decode()
    assert "“航拍.pdf”超过每个文件 1 MB 的上限" in page
    assert "新建幼儿园2所已开工。" in page
    # Read up to the limit and one chunk more, never the rest.
    assert body.position < 2 * 1024 * 1024
    assert files_under(media) == []
    assert not ProgressReport.objects.exists()


# ── Downloads ────────────────────────────────────────────────────────────

@pytest.fixture
def evidence_of(plan, media, reporter_education, reporter_fengqiao, units):
    """``evidence_of("education")``: a file on a report of the task that unit leads."""
    from luoshi.accounts.models import Membership, Role, User
    from luoshi.tracking.periods import period_for

    science_reporter = User.objects.create(username="reporter-science", role=Role.REPORTER)
    Membership.objects.create(user=science_reporter, unit=units["science"])
    authors = {"education": reporter_education, "fengqiao": reporter_fengqiao, "science": science_reporter}

    def make(code: str):
        task = task_of(plan, code)
        with time_machine.travel(APRIL_3, tick=False):
            report = report_submit(
                task=task, actor=authors[code], period=period_for(plan=plan, day=task.start_date.replace(month=4, day=3)),
                percent=20, work_state="in_progress", narrative="完成选址2处。",
                files=[upload(f"{code}-批复.pdf", PDF_BYTES)],
            )
        return report.evidence.get()

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reporter_education", "reporter_fengqiao", "supervisor", "leader"])
def test_those_who_may_see_the_task_download_its_evidence(client, evidence_of, who, request):
    item = evidence_of("education")  # 凤桥镇 is a co-unit of this task
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("tracking:evidence", args=[item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_reporter_of_another_unit_gets_404_for_the_evidence(client, evidence_of, reporter_education, reporter_fengqiao):
    science_file = evidence_of("science")
    fengqiao_file = evidence_of("fengqiao")
    client.force_login(reporter_fengqiao)
    assert client.get(reverse("tracking:evidence", args=[science_file.pk])).status_code == 404
    client.force_login(reporter_education)
    assert client.get(reverse("tracking:evidence", args=[fengqiao_file.pk])).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_cannot_download_evidence(client, evidence_of):
    item = evidence_of("education")
    response = client.get(reverse("tracking:evidence", args=[item.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_evidence_is_stored_under_media_root_with_a_random_name_and_its_checksum(evidence_of, media):
    import hashlib

    item = evidence_of("education")
    stored = files_under(media)
    assert len(stored) == 1 and stored[0].suffix == ".pdf"
    assert "批复" not in stored[0].name
    assert item.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


# Kept across a refused form, and shown inline -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("april_3")
def test_files_chosen_on_a_refused_form_are_kept_and_sent_with_the_next_attempt(client, plan, reporter_education, media):
    from luoshi.tracking.models import ProgressReport
    from luoshi.tracking.tests.report_world import PNG_BYTES

    task = task_of(plan, "education")
    client.force_login(reporter_education)
    url = reverse("tracking:task", args=[task.pk])
    first = client.post(url, {"percent": "30", "work_state": "in_progress", "narrative": "",
                              "files": [upload("选址批复.pdf", PDF_BYTES), upload("现场.png", PNG_BYTES)]})
    page = first.content.decode()
    assert first.status_code == 400 and not ProgressReport.objects.exists()
    assert "上次已选的佐证材料" in page and "选址批复.pdf" in page and "现场.png" in page
    tokens = re.findall(r'name="held" value="([0-9a-f]+)" checked', page)
    assert len(tokens) == 2
    # The user fixes the text and leaves the photo out, choosing no file again.
    second = client.post(url, {"percent": "30", "work_state": "in_progress", "narrative": "完成选址。",
                               "held": [tokens[0]]})
    assert second.status_code == 302
    report = ProgressReport.objects.get()
    assert [(e.original_name, e.file.read()) for e in report.evidence.all()] == [("选址批复.pdf", PDF_BYTES)]
    assert not any(p.parent.name == "staging" for p in files_under(media))
    assert "上次已选的佐证材料" not in client.get(reverse("plans:task", args=[task.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("april_3")
def test_a_token_of_another_session_is_not_taken(client, plan, reporter_education, media):
    from luoshi.plans.staging import staging_save
    from luoshi.tracking.models import ProgressReport

    token = staging_save(content=PDF_BYTES)
    task = task_of(plan, "education")
    client.force_login(reporter_education)
    client.post(reverse("tracking:task", args=[task.pk]),
                {"percent": "30", "work_state": "in_progress", "narrative": "完成选址。", "held": [token]})
    assert not ProgressReport.objects.get().evidence.exists()


@pytest.mark.django_db
def test_a_pdf_or_a_photo_opens_in_the_browser_for_those_who_may_see_it(client, evidence_of, reporter_education,
                                                                       reporter_fengqiao, supervisor):
    item = evidence_of("education")
    url = reverse("tracking:evidence", args=[item.pk])
    client.force_login(reporter_education)
    response = client.get(url + "?inline=1")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert client.get(url)["Content-Disposition"].startswith("attachment")
    client.force_login(supervisor)
    page = client.get(reverse("plans:task", args=[item.report.task_id])).content.decode()
    assert f'{url}?inline=1' in page
    client.force_login(reporter_fengqiao)
    assert client.get(reverse("tracking:evidence", args=[evidence_of("science").pk]) + "?inline=1").status_code == 404
