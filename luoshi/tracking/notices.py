"""督办单 (supervision notices): issuing one for a red task, the unit's reply, and the Word file.

A notice is issued by a supervisor from the red list, never automatically:
it is an official document with the office's number on it, and whether a
red light deserves one (or a phone call, or an approved extension) is the
office's judgement. The red list shows which red tasks have no open notice.

Numbers read "南湖督〔2026〕3号": the district's short name (LUOSHI_ORG_NAME
without its 区/县/市), 督, the year of issue in 〔〕, and a sequence that starts
at 1 each year. Two supervisors issuing at the same moment cannot get the
same number: the column is unique and the loser takes the next one.

The reply is due 5 working days after issue unless the supervisor sets
another date.

The .docx follows GB/T 9704-2012 as the task sheet does
(luoshi.plans.documents): A4, margins 37/35/28/26 mm; a red 版头
"督查督办通知单" in 方正小标宋简体 with a red rule under the 发文字号; the
title in 方正小标宋简体 二号; the body in 仿宋_GB2312 三号; every run names
its East Asian font.
"""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from luoshi.accounts.permissions import can_change_unit, is_supervisor
from luoshi.audit.services import audit_record
from luoshi.plans import workdays
from luoshi.plans.documents import BODY_FONT, HEADING_FONT, SIZE_2, SIZE_3, TITLE_FONT, set_run_font
from luoshi.plans.models import Task
from luoshi.tracking.models import SupervisionNotice, TaskTrack
from luoshi.tracking.supervision import unit_notify

REPLY_WORKING_DAYS = 5
RED = RGBColor(0xE6, 0x00, 0x12)
MASTHEAD_SIZE = Pt(36)  # the 版头 is set larger than any text on the page
_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        count -= workdays.is_workday(day)
    return day


def notice_prefix() -> str:
    """"南湖区" → "南湖督": an office abbreviates its district's name without 区/县/市."""
    name = settings.LUOSHI_ORG_NAME
    if len(name) > 2 and name[-1] in "区县市":
        name = name[:-1]
    return f"{name}督"


def _next_number(year: int) -> str:
    prefix = notice_prefix()
    used = SupervisionNotice.objects.filter(number__startswith=f"{prefix}〔{year}〕").values_list("number", flat=True)
    last = max((int(m.group(2)) for m in map(_NUMBER.search, used) if m), default=0)
    return f"{prefix}〔{year}〕{last + 1}号"


def notice_issue(*, task: Task, actor, reply_due: date | None = None, today: date | None = None) -> SupervisionNotice:
    """Issue a 督办单 for a red task to its lead unit and send it through the channels.

    Refused (ValidationError) when the task is not red, has no lead unit, or
    already has a notice awaiting reply; PermissionDenied for anyone but the
    supervision office.
    """
    if not is_supervisor(actor):
        raise PermissionDenied(_("Only the supervision office issues supervision notices."))
    today = today or timezone.localdate()
    track = TaskTrack.objects.filter(task=task).first()
    if track is None or track.light != "red":
        raise ValidationError(_("A supervision notice is only issued for a task whose light is red."))
    if task.lead_unit is None:
        raise ValidationError(_("The task has no lead unit to send the notice to."))
    if SupervisionNotice.objects.filter(task=task, status=SupervisionNotice.Status.OPEN).exists():
        raise ValidationError(_("This task already has a supervision notice awaiting reply."))
    reply_due = reply_due or add_working_days(today, REPLY_WORKING_DAYS)
    if reply_due <= today:
        raise ValidationError({"reply_due": [_("The reply deadline must be after today.")]})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                notice = SupervisionNotice.objects.create(
                    task=task,
                    unit=task.lead_unit,
                    number=_next_number(today.year),
                    reasons=track.reasons,
                    issued_by=actor,
                    reply_due=reply_due,
                )
                notice.deliveries.set(unit_notify(unit=task.lead_unit, **_message(notice)))
                audit_record(
                    actor=actor,
                    action="notice.issue",
                    obj=notice,
                    after={"task": task.pk, "unit": task.lead_unit.name, "reply_due": reply_due.isoformat()},
                )
            return notice
        except IntegrityError:
            # Another supervisor took this number in the meantime: take the next.
            continue
    raise ValidationError(_("Could not number the notice; please try again."))


def _message(notice: SupervisionNotice) -> dict:
    task = notice.task
    reasons = "；".join(r["text"] for r in notice.reasons)
    body = "\n".join(
        [
            f"{notice.unit.name}：",
            "",
            f"你单位牵头的“{task.title}”任务亮红灯（{reasons}）。现予督办，"
            f"请于{_chinese_date(notice.reply_due)}前书面反馈整改措施和办理进展。",
            "",
            f"{settings.LUOSHI_ORG_NAME}督查室",
        ]
    )
    return {"subject": f"【督办】{notice.number}", "body": body}


def notice_reply(*, notice: SupervisionNotice, actor, reply: str) -> SupervisionNotice:
    """The unit's reply (反馈); it can be revised until the office closes the notice."""
    if not can_change_unit(actor, notice.unit) or is_supervisor(actor):
        raise PermissionDenied(_("Only the unit the notice was sent to replies to it."))
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": [_("Write what your unit has done and will do.")]})
    with transaction.atomic():
        notice = SupervisionNotice.objects.select_for_update().get(pk=notice.pk)
        if notice.status == SupervisionNotice.Status.CLOSED:
            raise ValidationError(_("The notice is closed."))
        before = {"status": notice.status, "reply": notice.reply}
        notice.reply = reply
        notice.replied_by = actor
        notice.replied_at = timezone.now()
        notice.status = SupervisionNotice.Status.REPLIED
        notice.save(update_fields=["reply", "replied_by", "replied_at", "status"])
        audit_record(actor=actor, action="notice.reply", obj=notice, before=before,
                     after={"status": notice.status, "reply": reply})
    return notice


def notice_close(*, notice: SupervisionNotice, actor) -> SupervisionNotice:
    """The office accepts the reply and closes the notice."""
    if not is_supervisor(actor):
        raise PermissionDenied(_("Only the supervision office closes supervision notices."))
    with transaction.atomic():
        closed = SupervisionNotice.objects.filter(pk=notice.pk, status=SupervisionNotice.Status.REPLIED).update(
            status=SupervisionNotice.Status.CLOSED
        )
        notice.refresh_from_db()
        if not closed:
            raise ValidationError(_("Only a replied notice can be closed."))
        audit_record(actor=actor, action="notice.close", obj=notice, before={"status": "replied"},
                     after={"status": notice.status})
    return notice


# ── The Word file ────────────────────────────────────────────────────────


def _chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _paragraph(document, text: str, font: str, size, *, align=None, color=None, bold=False, spacing=None):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if spacing is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing = spacing
    if text:
        run = paragraph.add_run(text)
        set_run_font(run, font, size, bold=bold)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _red_rule(paragraph) -> None:
    """The red line under the 发文字号 (版头中的分隔线), drawn as the paragraph's bottom border."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _cell(cell, text: str, font: str, *, align=None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for index, line in enumerate(text.split("\n") if text else [""]):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if line:
            set_run_font(paragraph.add_run(line), font, SIZE_3)


def notice_rows(notice: SupervisionNotice, percent: int | None) -> list[tuple[str, str]]:
    task = notice.task
    track = TaskTrack.objects.filter(task=task).first()
    due = (track.effective_due if track else None) or task.due_date
    return [
        ("任务", task.title),
        ("牵头单位", notice.unit.name),
        ("完成时限", _chinese_date(due)),
        ("当前进度", f"{percent}%" if percent is not None else "—"),
        ("督办事由", "\n".join(r["text"] for r in notice.reasons) or "—"),
        ("办理要求", "请认真分析滞后原因，落实整改措施，明确完成时间，并将办理情况书面反馈督查室。"),
        ("反馈时限", _chinese_date(notice.reply_due)),
    ]


def notice_docx(*, notice: SupervisionNotice) -> bytes:
    track = TaskTrack.objects.filter(task=notice.task).first()
    document = Document()
    document.core_properties.title = f"督查督办通知单 {notice.number}"

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    _paragraph(document, "督查督办通知单", TITLE_FONT, MASTHEAD_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _paragraph(document, "", BODY_FONT, SIZE_3)
    number = _paragraph(document, notice.number, BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.CENTER)
    _red_rule(number)
    _paragraph(document, "", BODY_FONT, SIZE_3)
    _paragraph(
        document, "关于督促落实滞后任务的督办单", TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, spacing=Pt(36)
    )
    _paragraph(document, "", BODY_FONT, SIZE_3)
    _paragraph(document, f"{notice.unit.name}：", BODY_FONT, SIZE_3)
    opening = _paragraph(
        document,
        "根据任务进度督查情况，你单位牵头的下列任务亮红灯，现予督办。请按要求抓紧落实，并在反馈时限内书面反馈办理情况。",
        BODY_FONT,
        SIZE_3,
    )
    opening.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号

    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for label, value in notice_rows(notice, track.percent if track else None):
        cells = table.add_row().cells
        _cell(cells[0], label, HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell(cells[1], value, BODY_FONT)
    for column, width in zip(table.columns, (35, 121)):
        for cell in column.cells:
            cell.width = Mm(width)

    _paragraph(document, "", BODY_FONT, SIZE_3)
    _paragraph(document, f"{settings.LUOSHI_ORG_NAME}督查室", BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)
    issued = timezone.localdate(notice.issued_at)
    _paragraph(document, _chinese_date(issued), BODY_FONT, SIZE_3, align=WD_ALIGN_PARAGRAPH.RIGHT)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
