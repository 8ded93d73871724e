"""督办单: issued for red tasks only, numbered per year, seen and answered by its unit alone, and the .docx layout."""
import io
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from luoshi.tracking.models import SupervisionNotice, TaskTrack
from luoshi.tracking.notices import notice_close, notice_issue, notice_reply
from luoshi.tracking.services import channel_create
from luoshi.tracking.tests.supervision_data import plan_make, task_make

pytestmark = pytest.mark.django_db

RED_REASONS = [{"code": "overdue", "light": "red", "text": "已超期 12 天（完成时限 2026-06-30）"}]


@pytest.fixture
def plan():
    return plan_make(year=2026)


def red_task(plan, unit, title="建成区级科技孵化器2家"):
    task = task_make(plan, unit, title=title, due=date(2026, 6, 30))
    TaskTrack.objects.create(task=task, light="red", percent=45, reasons=RED_REASONS)
    return task


@pytest.fixture
def task(plan, units):
    return red_task(plan, units["education"])


@pytest.fixture
def notice(task, supervisor):
    return notice_issue(task=task, actor=supervisor, today=date(2026, 7, 13))


def test_a_notice_gets_the_next_number_of_the_year_and_a_reply_due_in_five_working_days(plan, units, supervisor):
    first = notice_issue(task=red_task(plan, units["education"]), actor=supervisor, today=date(2026, 9, 28))
    second = notice_issue(task=red_task(plan, units["fengqiao"], "凤桥美丽城镇"), actor=supervisor, today=date(2026, 9, 28))
    assert (first.number, second.number) == ("南湖督〔2026〕1号", "南湖督〔2026〕2号")
    # Five working days after Monday 28 September, across the National Day holiday (1–7 October):
    # 29 and 30 September, 8 and 9 October, and Saturday 10 October, an adjusted working day.
    assert first.reply_due == date(2026, 10, 10)
    assert first.unit == units["education"]
    assert first.reasons == RED_REASONS
    next_year = notice_issue(task=red_task(plan, units["science"], "科技"), actor=supervisor, today=date(2027, 1, 6))
    assert next_year.number == "南湖督〔2027〕1号"


def test_a_notice_issued_on_the_demo_day_is_numbered_and_due_in_the_demo_year(plan, units, supervisor, settings):
    settings.LUOSHI_DEMO_TODAY = date(2018, 7, 10)
    notice = notice_issue(task=red_task(plan, units["education"]), actor=supervisor)
    assert notice.number == "南湖督〔2018〕1号"
    assert notice.reply_due == date(2018, 7, 17)


def test_only_a_red_task_gets_a_notice_and_only_one_open_at_a_time(plan, units, task, supervisor):
    green = task_make(plan, units["fengqiao"], title="凤桥水蜜桃")
    TaskTrack.objects.create(task=green, light="green")
    with pytest.raises(ValidationError, match="亮红灯"):
        notice_issue(task=green, actor=supervisor)
    notice_issue(task=task, actor=supervisor)
    with pytest.raises(ValidationError, match="待反馈"):
        notice_issue(task=task, actor=supervisor)


def test_only_the_supervision_office_issues_notices(task, leader, reporter_education):
    for who in (leader, reporter_education):
        with pytest.raises(PermissionDenied):
            notice_issue(task=task, actor=who)


def test_a_notice_is_sent_to_the_units_reporters_and_robots_and_linked_to_its_deliveries(
    task, supervisor, reporter_education, receiver, django_capture_on_commit_callbacks
):
    reporter_education.email = "jyj@nanhu.gov.cn"
    reporter_education.save()
    channel_create(actor=None, kind="email", name="邮件")
    channel_create(actor=None, kind="dingtalk", name="督查钉钉群", webhook_url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_issue(task=task, actor=supervisor, today=date(2026, 7, 13))
    assert notice.deliveries.count() == 2
    assert set(notice.deliveries.values_list("status", flat=True)) == {"sent"}
    assert mail.outbox[0].subject == "【督办】南湖督〔2026〕1号"
    assert "请于2026年7月20日前书面反馈" in mail.outbox[0].body
    assert "已超期 12 天" in receiver.received[0].json["markdown"]["text"]


def test_the_unit_replies_and_the_office_closes(notice, reporter_education, reporter_fengqiao, supervisor):
    with pytest.raises(PermissionDenied):
        notice_reply(notice=notice, actor=reporter_fengqiao, reply="与我无关")
    with pytest.raises(ValidationError):
        notice_close(notice=notice, actor=supervisor)
    notice = notice_reply(notice=notice, actor=reporter_education, reply="已落实场地，9月底前建成。")
    assert notice.status == "replied"
    notice = notice_close(notice=notice, actor=supervisor)
    assert notice.status == "closed"


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    "who, status",
    [("supervisor", 200), ("leader", 200), ("reporter_education", 200), ("reporter_fengqiao", 404), (None, 302)],
)
def test_the_notice_page_and_its_docx_are_for_the_office_leaders_and_the_unit(client, request, notice, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    for name in ("tracking:notice", "tracking:notice_docx"):
        assert client.get(reverse(name, args=[notice.pk])).status_code == status


def test_the_unit_sees_the_reply_form_and_others_do_not(client, notice, reporter_education, supervisor):
    client.force_login(reporter_education)
    page = client.get(reverse("tracking:notice", args=[notice.pk])).content.decode()
    assert "南湖督〔2026〕1号" in page
    assert 'name="reply"' in page
    client.post(reverse("tracking:notice_reply", args=[notice.pk]), {"reply": "已落实场地，9月底前建成。"})
    assert SupervisionNotice.objects.get(pk=notice.pk).status == "replied"
    client.force_login(supervisor)
    page = client.get(reverse("tracking:notice", args=[notice.pk])).content.decode()
    assert 'name="reply"' not in page
    assert "已落实场地" in page


def test_a_supervisor_issues_from_the_red_list_and_a_leader_cannot(client, task, supervisor, leader):
    client.force_login(leader)
    assert client.post(reverse("tracking:notice_issue", args=[task.pk])).status_code == 403
    client.force_login(supervisor)
    response = client.post(reverse("tracking:notice_issue", args=[task.pk]))
    notice = SupervisionNotice.objects.get(task=task)
    assert response.url == reverse("tracking:notice", args=[notice.pk])


def test_a_reporter_cannot_issue_a_notice(client, task, reporter_education, reporter_fengqiao):
    client.force_login(reporter_education)
    assert client.post(reverse("tracking:notice_issue", args=[task.pk])).status_code == 403
    client.force_login(reporter_fengqiao)
    assert client.post(reverse("tracking:notice_issue", args=[task.pk])).status_code == 404
    assert not SupervisionNotice.objects.exists()


def test_the_notice_list_shows_a_reporter_only_its_units_notices(client, plan, units, notice, supervisor, reporter_fengqiao):
    other = notice_issue(task=red_task(plan, units["fengqiao"], "凤桥美丽城镇"), actor=supervisor)
    client.force_login(reporter_fengqiao)
    page = client.get(reverse("tracking:notices")).content.decode()
    assert other.number in page and notice.number not in page


# ---------------------------------------------------------------- the .docx


def test_the_docx_is_laid_out_to_gb_t_9704(client, notice, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("tracking:notice_docx", args=[notice.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    # Word keeps sizes in twentieths of a point: compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    paragraphs = [p for p in document.paragraphs if p.text]
    masthead, number, title = paragraphs[0], paragraphs[1], paragraphs[2]
    assert masthead.text == "督查督办通知单"
    assert str(masthead.runs[0].font.color.rgb) == "E60012"
    assert number.text == "南湖督〔2026〕1号"
    assert number._p.pPr.find(qn("w:pBdr")) is not None  # the red rule
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = paragraphs[3]
    assert body.text == "区教育局："
    assert body.runs[0].font.size == Pt(16)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    table = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert list(table) == ["任务", "牵头单位", "完成时限", "当前进度", "督办事由", "办理要求", "反馈时限"]
    assert table["任务"] == "建成区级科技孵化器2家"
    assert table["完成时限"] == "2026年6月30日"
    assert table["当前进度"] == "45%"
    assert table["督办事由"] == "已超期 12 天（完成时限 2026-06-30）"
    assert table["反馈时限"] == "2026年7月20日"
    for row in document.tables[0].rows:
        for run in (r for p in row.cells[1].paragraphs for r in p.runs):
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
