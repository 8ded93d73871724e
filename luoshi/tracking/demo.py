"""Demo progress: the seed plan as it stood on 10 July 2018, half a year into its year.

The seed is Nanhu's 2018 work agenda, so the demo's clock is fixed at
``DEMO_TODAY`` (2018-07-10): the June reports were due on 5 July, six monthly
periods (January to June 2018) have ended, and every task is due at the end
of 2018. Run against today's date the plan would be years overdue and every
light red, so ``make demo`` serves with ``LUOSHI_DEMO_TODAY=2018-07-10`` and
the lights are computed for that day.

What a visitor finds (by the measure's number in the seed, which the gold
outline fixes):

- most tasks reported every month and accepted, roughly on schedule: green;
- 1.3.1 and 3.3.1 report low percentages: yellow, behind plan;
- 2.3.1 and 4.4.1 have not sent the June report: yellow, report late;
- 2.3.4 and 3.2.3 sent nothing for May and June: red, two cycles unreported;
  2.3.4 has a supervision notice (督办单) awaiting its reply;
- 2.4.4 missed its milestone of 31 May: red;
- 2.1.3 reached 100 % with evidence and was signed off (销号): completed;
- 2.3.2 has an approved extension to June 2019, 3.1.1 one waiting;
- 2.2.1's June report was returned for saying nothing measurable;
- 2.4.2 and 4.5.1 have June reports waiting for review;
- weak reports (stock phrases, copied text, a percentage that went down)
  show the quality warnings on the review page.

Rows are written directly with their 2018 dates (the services stamp the real
time); the whole load is one audit entry. Running it again changes nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from luoshi.accounts.models import Unit, User
from luoshi.audit.services import audit_record
from luoshi.plans.models import Milestone, Plan, Task
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.tracking.models import (
    Acknowledgement,
    Contribution,
    Evidence,
    ExtensionRequest,
    ProgressReport,
    ReportingPeriod,
    SupervisionNotice,
    TaskTrack,
)
from luoshi.tracking.notices import notice_issue
from luoshi.tracking.periods import periods_ensure
from luoshi.tracking.quality import PreviousReport, report_warnings
from luoshi.tracking.supervision import plan_recompute, snapshots_write

DEMO_TODAY = date(2018, 7, 10)
YEAR_START = date(2018, 1, 1)

ON_TRACK = (8, 16, 25, 33, 42, 50)
BEHIND = (5, 9, 13, 18, 24, 30)


@dataclass
class Profile:
    percents: tuple[int | None, ...] = ON_TRACK  # Jan … Jun; None: no report for that month
    june_status: str = ProgressReport.Status.ACCEPTED
    late_months: tuple[int, ...] = ()  # months whose report came after the due date


PROFILES: dict[str, Profile] = {
    "1.3.1": Profile(percents=BEHIND),
    "3.3.1": Profile(percents=BEHIND),
    "2.3.1": Profile(percents=(8, 17, 25, 34, 45, None)),
    "4.4.1": Profile(percents=(10, 18, 26, 35, 44, None), late_months=(3,)),
    "2.3.4": Profile(percents=(6, 12, 20, 26, None, None), late_months=(2,)),
    "3.2.3": Profile(percents=(8, 15, 21, 28, None, None)),
    "2.4.4": Profile(percents=(5, 12, 20, 28, 36, 44)),
    "2.1.3": Profile(percents=(15, 30, 50, 70, 90, 100)),
    "2.3.2": Profile(percents=(4, 8, 12, 18, 24, 30)),
    "2.2.1": Profile(percents=(10, 18, 27, 36, 45, 52), june_status=ProgressReport.Status.RETURNED),
    "2.4.2": Profile(percents=(9, 17, 26, 34, 43, 52), june_status=ProgressReport.Status.SUBMITTED),
    "4.5.1": Profile(percents=(8, 16, 24, 33, 41, 49), june_status=ProgressReport.Status.SUBMITTED),
    "1.3.3": Profile(percents=(10, 20, 30, 38, 45, 40)),
}

# Concrete work, one line a month, for the tasks a visitor is likely to open.
NARRATIVES: dict[str, tuple[str, ...]] = {
    "2.1.3": (
        "1月完成柔性电子技术研究院二期装修设计方案评审，与浙江大学签订南湖求是驿站共建协议。",
        "2月研究院二期装修进场施工，引进柔性电子研发团队2个、博士5名。",
        "3月未来技术研究院理事会成立，首批3个研究方向立项，落实启动资金800万元。",
        "4月柔性电子技术研究院二期装修完成竣工验收，中试线设备招标完成。",
        "5月中试线安装调试，求是驿站入驻项目7个，举办技术对接会2场。",
        "6月三个合作载体全部建成投用：研究院二期中试线6月18日通线，求是驿站累计入驻项目11个，验收报告见附件。",
    ),
    "2.2.1": (
        "1月赴上海、深圳开展“双招双引”专题招商3次，接洽项目16个。",
        "2月签约亿元以上项目2个，总投资5.6亿元；引进高端人才项目4个。",
        "3月召开全区招商引资推进会，分解年度目标任务至各平台；签约项目3个。",
        "4月举办南湖（上海）投资环境推介会，现场签约项目5个、总投资12.3亿元。",
        "5月新落地外资项目1个，到位外资2100万美元；引进国家级人才2名。",
        "本月双招双引工作稳步推进，各项工作有序开展，取得积极成效。",
    ),
    "2.3.4": (
        "1月完成都市经济产业园规划编制招标，确定设计单位。",
        "2月产业园规划初稿形成，征求街道意见12条。",
        "3月完成规划专家评审，明确文创设计、数字经济两个专业园区方向。",
        "4月启动园区品牌征集，走访意向入驻企业9家。",
    ),
    "2.4.4": (
        "1月制定低效用地再开发年度计划，梳理存量低效用地地块43宗。",
        "2月完成春节前重点项目用地预审3宗。",
        "3月盘活批而未供土地216亩，完成年度目标的18%。",
        "4月低效用地摸底调查完成约六成，剩余地块涉及历史遗留问题较多。",
        "5月摸底调查仍未完成，已报请区政府协调国土、经信等部门会商。",
        "6月累计盘活存量建设用地588亩，摸底调查7月中旬前完成。",
    ),
    "2.3.2": (
        "1月东部新城“十大行动”任务分解到责任单位，明确节点36个。",
        "2月春节期间重点工程停工，完成方案深化设计2项。",
        "3月东部新城综合管廊一期因管线迁改推迟开工。",
        "4月管线迁改方案经专家论证通过，迁改工程招标中。",
        "5月管线迁改完成40%，已提出延期申请。",
        "6月综合管廊一期6月20日开工，十大行动累计完成投资9.8亿元。",
    ),
    "1.2.3": (
        "1月梳理红色资源点位28处，建立“红色资源+”项目库。",
        "2月策划红色文艺精品创作选题6个，启动红色旅游线路设计。",
        "3月完成大型原创话剧剧本初稿，召开专家座谈会1次。",
        "4月红船精神主题实景演出完成招标，签约演出团队。",
        "按计划推进红色资源深度开发，红色文艺创作有序推进，各项工作取得积极成效。",
        "按计划推进红色资源深度开发，红色文艺创作有序推进，各项工作取得积极成效。",
    ),
    "1.3.3": (
        "1月编制全域旅游发展三年行动计划，梳理美丽乡村红色精品线点位15个。",
        "2月春节黄金周接待游客42.6万人次，同比增长11%。",
        "3月启动红色精品线标识系统设计，完成点位改造2个。",
        "4月“红船”系列旅游产品上线5个，清明假期接待游客31万人次。",
        "5月红色精品线串珠成链工程完成45%，新增民宿8家。",
        "6月受梅雨影响，2个点位改造停工返工，进度按实际核减为40%。",
    ),
}

GENERIC = (
    "{m}月召开专题推进会，印发年度工作方案并分解任务{n}项，明确责任科室和时间节点。",
    "{m}月完成{n}个重点项目的现场踏勘和前期论证，形成问题清单并逐项落实责任人。",
    "{m}月走访企业和基层单位{n}家，收集问题{k}条，已解决{j}条，其余纳入下月重点。",
    "{m}月组织业务培训{n}场、参训{k}人次，完成阶段性工作总结并报区委区政府。",
    "{m}月{n}项具体工作按节点完成，形成典型经验材料1篇，在全区工作例会上交流。",
    "{m}月对照年度目标开展半年度自查，完成率达到时序进度，下半年重点攻坚{n}项。",
)
WEAK = "本月工作稳步推进，各项任务扎实推进，取得积极成效。"

RETURN_REASON = "报告只有“稳步推进”“取得积极成效”等表述，请补充6月签约项目数、投资额和到位资金等具体数据后重新报送。"
# A one-page PDF: the completed task's acceptance report.
ACCEPTANCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _narrative(number: str, month: int, index: int) -> str:
    own = NARRATIVES.get(number)
    if own and month <= len(own):
        return own[month - 1]
    seed = int(hashlib.sha256(f"{number}-{month}".encode()).hexdigest(), 16)
    template = GENERIC[(index + month) % len(GENERIC)]
    return template.format(m=month, n=2 + seed % 7, k=20 + seed % 60, j=5 + seed % 9)


def demo_progress_load(*, today: date = DEMO_TODAY) -> Plan | None:
    """Give the seed plan half a year of progress; returns the plan, or None when there is nothing to do."""
    plan = Plan.objects.filter(name=SEED_PLAN_NAME).first()
    if plan is None or ProgressReport.objects.filter(task__plan=plan).exists():
        return None
    supervisor = User.objects.filter(username="supervisor").first()
    reporters = {u.username: u for u in User.objects.filter(username__startswith="reporter-")}
    with transaction.atomic():
        # The breakdown was confirmed in early January: every task runs the whole year.
        Plan.objects.filter(pk=plan.pk).update(created=_at(date(2018, 1, 5)))
        Task.objects.filter(plan=plan).update(created=_at(date(2018, 1, 5)))
        Task.objects.filter(plan=plan, start_date__isnull=True).update(start_date=YEAR_START)
        periods = periods_ensure(plan=plan, until=today)[:6]
        tasks = list(Task.objects.filter(plan=plan).select_related("measure", "lead_unit").prefetch_related("co_units"))
        tasks.sort(key=lambda t: (t.measure.position, t.position, t.pk))
        for index, task in enumerate(tasks):
            if task.lead_unit is None:
                continue
            reporter = reporters.get(f"reporter-{task.lead_unit.code}")
            _task_progress(task, index, periods, reporter, supervisor)
        _milestones_extensions_completion(tasks, supervisor, reporters)
        plan_recompute(plan=plan, today=today)
        snapshots_write(plan=plan, today=today)
        _leaders(tasks)
        _notice(tasks, supervisor, today)
        _acknowledgements(plan, tasks, reporters, today)
        audit_record(actor=supervisor, action="demo.progress", obj=plan, after={"today": today.isoformat()})
    return plan


def _task_progress(task: Task, index: int, periods: list[ReportingPeriod], reporter, supervisor) -> None:
    number = task.measure.number
    profile = PROFILES.get(number, Profile())
    shift = (index * 3) % 7 - 3  # on-track tasks differ by a few points
    previous: ProgressReport | None = None
    for month, (period, percent) in enumerate(zip(periods, profile.percents), start=1):
        if percent is None:
            continue
        if number not in PROFILES:
            percent = max(0, min(100, percent + shift))
        late = month in profile.late_months
        submitted = period.report_due + timedelta(days=3) if late else period.report_due - timedelta(days=1 + index % 3)
        status = profile.june_status if month == 6 else ProgressReport.Status.ACCEPTED
        narrative = _narrative(number, month, index)
        if month == 6 and number not in NARRATIVES and index % 9 == 4:
            narrative = WEAK
        report = ProgressReport.objects.create(
            task=task,
            period=period,
            unit=task.lead_unit,
            status=status,
            percent=percent,
            work_state=ProgressReport.WorkState.DONE if percent == 100 else ProgressReport.WorkState.IN_PROGRESS,
            narrative=narrative,
            submitted_by=reporter,
            submitted_at=_at(submitted, 9 + index % 8),
            reviewed_by=supervisor if status != ProgressReport.Status.SUBMITTED else None,
            reviewed_at=_at(submitted + timedelta(days=1), 15) if status != ProgressReport.Status.SUBMITTED else None,
            return_reason=RETURN_REASON if status == ProgressReport.Status.RETURNED else "",
        )
        if status == ProgressReport.Status.RETURNED:
            # The assessment counts returns from the audit log, as report_return records them.
            audit_record(actor=supervisor, action="report.return", obj=report, note=RETURN_REASON)
        if percent == 100 and reporter is not None:
            evidence = Evidence(
                report=report,
                original_name="合作载体建设验收报告.pdf",
                content_type="application/pdf",
                size=len(ACCEPTANCE_PDF),
                sha256=hashlib.sha256(ACCEPTANCE_PDF).hexdigest(),
                uploaded_by=reporter,
            )
            evidence.file.save("demo-acceptance.pdf", ContentFile(ACCEPTANCE_PDF), save=True)
        warnings = report_warnings(
            narrative=narrative,
            percent=percent,
            previous=PreviousReport(previous.narrative, previous.percent) if previous else None,
            evidence_count=report.evidence.count(),
        )
        report.warnings = [{"code": w.code, "text": w.text} for w in warnings]
        report.save(update_fields=["warnings"])
        if status == ProgressReport.Status.ACCEPTED:
            previous = report
        co_unit = next(iter(task.co_units.all()), None)
        if co_unit is not None and month in (3, 6):
            author = User.objects.filter(username=f"reporter-{co_unit.code}").first()
            if author is not None:
                Contribution.objects.create(
                    task=task, period=period, unit=co_unit, author=author,
                    text=f"{month}月配合牵头单位完成相关数据报送和现场协调{2 + index % 4}次。",
                )


def _by_number(tasks: list[Task], number: str) -> Task | None:
    return next((t for t in tasks if t.measure.number == number and t.lead_unit_id), None)


def _milestones_extensions_completion(tasks: list[Task], supervisor, reporters) -> None:
    land = _by_number(tasks, "2.4.4")
    if land is not None:
        Milestone.objects.create(task=land, title="完成全区低效用地摸底调查", due_date=date(2018, 5, 31))
    done = _by_number(tasks, "2.1.3")
    if done is not None:
        TaskTrack.objects.update_or_create(
            task=done,
            defaults={
                "completion_requested_at": _at(date(2018, 7, 3)),
                "signed_off_by": supervisor,
                "signed_off_at": _at(date(2018, 7, 6), 16),
            },
        )
    for number, requested_due, status in (("2.3.2", date(2019, 6, 28), "approved"), ("3.1.1", date(2019, 3, 29), "pending")):
        task = _by_number(tasks, number)
        if task is None:
            continue
        reporter = reporters.get(f"reporter-{task.lead_unit.code}")
        if reporter is None:
            continue
        extension = ExtensionRequest.objects.create(
            task=task,
            unit=task.lead_unit,
            original_due=task.due_date,
            requested_due=requested_due,
            reason=(
                "综合管廊一期受管线迁改影响推迟开工，十大行动中3项工程无法在年内完工，申请延期至2019年6月底。"
                if number == "2.3.2"
                else "“中国制造2025南湖行动计划”中智能化改造项目设备进口周期延长，申请延期至2019年3月底。"
            ),
            status=status,
            requested_by=reporter,
            decided_by=supervisor if status == "approved" else None,
            decided_at=_at(date(2018, 6, 15), 11) if status == "approved" else None,
            decision_note="经区政府专题会议研究，同意延期。" if status == "approved" else "",
        )
        ExtensionRequest.objects.filter(pk=extension.pk).update(requested_at=_at(date(2018, 6, 12)))
        if status == "approved":
            # As extension_decide does: the approval moves the task's one due date.
            Task.objects.filter(pk=task.pk).update(due_date=requested_due, version=F("version") + 1)
            audit_record(
                actor=supervisor, action="extension.approved", obj=task, note=extension.decision_note,
                before={"status": "pending", "due_date": task.due_date.isoformat()},
                after={"status": "approved", "due_date": requested_due.isoformat()},
            )


def _notice(tasks: list[Task], supervisor, today: date) -> None:
    task = _by_number(tasks, "2.3.4")
    if task is None or supervisor is None:
        return
    track = TaskTrack.objects.filter(task=task, light="red").first()
    if track is None:
        return
    notice = notice_issue(task=task, actor=supervisor, today=today - timedelta(days=1))
    SupervisionNotice.objects.filter(pk=notice.pk).update(issued_at=_at(today - timedelta(days=1), 9))


def _acknowledgements(plan: Plan, tasks: list[Task], reporters, today: date) -> None:
    """Everything given in January was signed for; two items wait, for the visitor to see 签收.

    The 督办单 issued yesterday waits for its unit's signature, and one task,
    given to its lead unit a week ago, is past the chase deadline on the
    office's list (and is chased by `luoshi remind`).
    """
    rows = Acknowledgement.objects.filter(task__plan=plan, notice__isnull=True)
    rows.update(assigned_on=date(2018, 1, 5))
    rows.filter(acked_at__isnull=True).update(acked_at=_at(date(2018, 1, 8), 9))
    waiting = next(
        (t for t in tasks if t.lead_unit is not None and f"reporter-{t.lead_unit.code}" in reporters
         and not t.notices.exists() and t.lead_unit.notices.exists()),
        None,
    ) or next((t for t in tasks if t.lead_unit is not None and f"reporter-{t.lead_unit.code}" in reporters), None)
    if waiting is not None:
        Acknowledgement.objects.filter(task=waiting, unit=waiting.lead_unit, notice__isnull=True).update(
            acked_at=None, assigned_on=today - timedelta(days=7)
        )


def _leaders(tasks: list[Task]) -> None:
    """分管领导: the demo's leader is in charge of the unit that gets the demo's 督办单 and of one more."""
    leader = User.objects.filter(username="leader").first()
    noticed = _by_number(tasks, "2.3.4")
    if leader is None or noticed is None or noticed.lead_unit is None:
        return
    others = [t.lead_unit_id for t in tasks if t.lead_unit_id and t.lead_unit_id != noticed.lead_unit_id][:1]
    Unit.objects.filter(pk__in=[noticed.lead_unit_id, *others], leader__isnull=True).update(leader=leader)
