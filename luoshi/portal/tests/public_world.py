"""A 2026 plan with published and unpublished tasks, and every kind of internal record on both.

    一、教育与民生
      1.1 "新建幼儿园3所。"            lead 区教育局, co 凤桥镇   PUBLISHED (title = sentence), accepted report, evidence
      1.2 "建成区级科技孵化器2家。"     lead 区科技局               unpublished, submitted report, red, notice
    二、城镇建设
      2.1 "加快凤桥镇特色小镇建设…"     lead 凤桥镇                 PUBLISHED (own title), returned report, yellow, notice
    三、内部事项
      3.1 "完成机关内部巡察整改…"       lead 区科技局               unpublished, signed off

``SECRETS`` lists every string that must never reach the public page or its JSON.
"""
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from luoshi.plans.models import Measure, Plan, Section, Task
from luoshi.tracking.models import (
    Contribution,
    Evidence,
    ExtensionRequest,
    ProgressReport,
    SupervisionNotice,
    TaskTrack,
)
from luoshi.tracking.periods import periods_ensure

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class World:
    plan: Plan
    published: list[Task]
    unpublished: list[Task]
    secrets: list[str] = field(default_factory=list)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def _task(plan, section, number, text, unit, *, title=None, public=False, co=()) -> Task:
    measure = Measure.objects.create(
        plan=plan, section=section, number=number, text=text, text_key=f"k-{number}", position=int(number.replace(".", ""))
    )
    task = Task.objects.create(
        plan=plan, measure=measure, title=title or text, lead_unit=unit, is_public=public,
        start_date=date(2026, 1, 1), due_date=date(2026, 12, 31),
    )
    task.co_units.set(co)
    return task


def _report(task, period, *, status, percent, narrative, by, reviewer=None, return_reason="") -> ProgressReport:
    return ProgressReport.objects.create(
        task=task, period=period, unit=task.lead_unit, status=status, percent=percent,
        work_state=ProgressReport.WorkState.IN_PROGRESS, narrative=narrative,
        submitted_by=by, submitted_at=_at(period.report_due),
        reviewed_by=reviewer, reviewed_at=_at(period.report_due) if reviewer else None,
        return_reason=return_reason,
    )


def public_world(*, units, supervisor, leader, admin_user, reporter_education, reporter_fengqiao) -> World:
    plan = Plan.objects.create(name="南湖区2026年民生实事", year=2026, issuing_body="南湖区人民政府")
    one = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="教育与民生", position=1)
    two = Section.objects.create(plan=plan, number="2", level=1, label="二、", title="城镇建设", position=2)
    three = Section.objects.create(plan=plan, number="3", level=1, label="三、", title="机关内部事项", position=3)
    kindergartens = _task(plan, one, "1.1", "新建幼儿园3所。", units["education"], public=True, co=[units["fengqiao"]])
    incubator = _task(plan, one, "1.2", "建成区级科技孵化器2家。", units["science"])
    town = _task(
        plan, two, "2.1", "加快凤桥镇特色小镇建设，打造美丽城镇样板。", units["fengqiao"],
        title="凤桥镇美丽城镇样板创建", public=True,
    )
    inspection = _task(plan, three, "3.1", "完成机关内部巡察整改销号。", units["science"])

    march, april = periods_ensure(plan=plan, until=date(2026, 4, 30))[2:4]
    accepted = _report(
        kindergartens, march, status=ProgressReport.Status.ACCEPTED, percent=40,
        narrative="三月完成幼儿园选址，园长人选尚在内部考察。", by=reporter_education, reviewer=supervisor,
    )
    evidence = Evidence(
        report=accepted, original_name="幼儿园选址内部会议纪要.pdf", content_type="application/pdf",
        size=len(PDF), sha256="0" * 64, uploaded_by=reporter_education,
    )
    evidence.file.save("minutes-kindergarten.pdf", ContentFile(PDF), save=True)
    returned = _report(
        town, march, status=ProgressReport.Status.RETURNED, percent=35,
        narrative="特色小镇项目征迁协调困难，三户拒签。", by=reporter_fengqiao, reviewer=supervisor,
        return_reason="请补充征迁户数和资金到位情况后重新报送。",
    )
    _report(
        incubator, april, status=ProgressReport.Status.SUBMITTED, percent=10,
        narrative="孵化器选址受阻，拟调整地块。", by=reporter_education,
    )
    Contribution.objects.create(
        task=kindergartens, period=march, unit=units["fengqiao"], author=reporter_fengqiao,
        text="凤桥镇配合提供幼儿园用地红线图。",
    )
    ExtensionRequest.objects.create(
        task=town, unit=units["fengqiao"], original_due=date(2026, 12, 31), requested_due=date(2027, 6, 30),
        reason="征迁进度滞后，申请延期半年。", requested_by=reporter_fengqiao,
    )

    TaskTrack.objects.create(
        task=kindergartens, percent=40, light="green", reasons=[], last_accepted_at=accepted.reviewed_at
    )
    TaskTrack.objects.create(
        task=town, percent=20, light="yellow",
        reasons=[{"code": "behind_plan", "light": "yellow", "text": "进度落后计划12.5个百分点（计划32.5%，实际20%）"}],
    )
    TaskTrack.objects.create(
        task=incubator, percent=5, light="red",
        reasons=[{"code": "unreported", "light": "red", "text": "连续 2 个周期未报送"}],
    )
    TaskTrack.objects.create(
        task=inspection, percent=100, light="green", signed_off_by=supervisor, signed_off_at=_at(date(2026, 4, 8))
    )
    notices = [
        SupervisionNotice.objects.create(
            task=task, unit=task.lead_unit, number=number, reasons=task.track.reasons, issued_by=supervisor,
            reply_due=date(2026, 4, 20), reply="已召开专题会研究整改。", replied_by=reporter_fengqiao,
        )
        for task, number in ((town, "南督〔2026〕7号"), (incubator, "南督〔2026〕8号"))
    ]

    people = [supervisor, leader, admin_user, reporter_education, reporter_fengqiao]
    secrets = [incubator.title, incubator.measure.text, inspection.title, inspection.measure.text, three.title]
    secrets += [u.username for u in people] + [u.display_name for u in people]
    secrets += [r.narrative for r in ProgressReport.objects.filter(task__plan=plan)]
    secrets += [returned.return_reason, evidence.original_name, evidence.file.name, evidence.file.url]
    secrets += [f"/tracking/evidence/{evidence.pk}/", "minutes-kindergarten"]
    secrets += [n.number for n in notices] + [notices[0].reply]
    secrets += ["进度落后计划12.5个百分点", "连续 2 个周期未报送", "凤桥镇配合提供幼儿园用地红线图", "征迁进度滞后，申请延期半年"]
    # 区科技局 leads only unpublished tasks: naming it would tell that they exist.
    secrets += [units["science"].name]
    return World(plan=plan, published=[kindergartens, town], unpublished=[incubator, inspection], secrets=secrets)
