"""Notification channels and the record of every message sent through them.

Reporting cycles, progress reports and supervision notices (督办单) come in
the next step of issue 5; a notice will point at the deliveries that carried
it, which is why a delivery is a row of its own and is never deleted.
"""
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi import bounds
from luoshi.tracking.channels import validate_webhook_url


class Channel(models.Model):
    """Where notifications go: e-mail, or a DingTalk / WeCom group robot."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        DINGTALK = "dingtalk", _("DingTalk group robot")
        WECOM = "wecom", _("WeCom group robot")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, unique=True)
    webhook_url = models.CharField(
        _("webhook URL"), max_length=500, blank=True, validators=[validate_webhook_url]
    )
    # DingTalk's signed mode (加签): the robot's SEC… secret.
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.EMAIL:
            if self.webhook_url or self.secret:
                raise ValidationError(_("An e-mail channel has no webhook URL or secret."))
            return
        if not self.webhook_url:
            raise ValidationError({"webhook_url": _("A group robot needs its webhook URL.")})
        if self.secret and self.kind != self.Kind.DINGTALK:
            raise ValidationError({"secret": _("Only DingTalk robots use a signing secret.")})


class DeliveryQuerySet(models.QuerySet):
    def delete(self):
        raise TypeError("deliveries are a record and are never deleted")


class Delivery(models.Model):
    """One message on one channel, and what happened to it.

    Queued until sent or until every attempt failed; never deleted, so a
    message that could not be delivered is shown as failed, not lost.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.ForeignKey(Channel, models.PROTECT, related_name="deliveries", verbose_name=_("channel"))
    # An e-mail address for e-mail channels; empty for a group robot, which
    # posts to its group.
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The idempotency key: sent with every attempt (webhook header, e-mail
    # Message-ID), so a receiver can tell a retry of a message it already has.
    key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, unique=True, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient or self.channel.get_kind_display()}: {self.subject}"

    def delete(self, *args, **kwargs):
        raise TypeError("deliveries are a record and are never deleted")


class ReportingCycle(models.Model):
    """How often a plan's units report (monthly by default) and by which day."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    plan = models.OneToOneField("plans.Plan", models.CASCADE, related_name="reporting_cycle")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    # Monthly/quarterly: the day of the month after the period ends by which
    # the report is due (clamped to the month's length, moved to a working
    # day). Weekly: ISO weekday (1 = Monday) of the following week.
    due_day = models.PositiveSmallIntegerField(_("report due day"), default=5)
    # Reminders go out this many working days before a report is due.
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=3)
    # The plan's supervision options; each is also a site setting, and either switches it on.
    notice_needs_approval = models.BooleanField(_("Supervision notices need a leader's approval"), default=False)
    stateful_lights = models.BooleanField(_("stateful lights"), default=False)

    class Meta:
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_frequency_display()}"


class TaskCycle(models.Model):
    """A task that reports less often than its plan: quarterly in a monthly plan, monthly or quarterly in a
    weekly one. It owes a report only in the plan's last period of each of its own cycles
    (supervision.expects_report); a finer cycle than the plan's cannot be had, the plan's periods are the finest."""

    task = models.OneToOneField("plans.Task", models.CASCADE, related_name="cycle")
    frequency = models.CharField(_("frequency"), max_length=10, choices=ReportingCycle.Frequency.choices)

    class Meta:
        verbose_name = _("task reporting cycle")
        verbose_name_plural = _("task reporting cycles")

    def __str__(self) -> str:
        return f"{self.task} · {self.get_frequency_display()}"


class ReportingPeriod(models.Model):
    """One cycle of one plan: "2026年3月", with the date its reports are due."""

    plan = models.ForeignKey("plans.Plan", models.CASCADE, related_name="periods")
    label = models.CharField(_("period"), max_length=40)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    report_due = models.DateField(_("reports due"))

    class Meta:
        ordering = ["plan", "start"]
        constraints = [models.UniqueConstraint(fields=["plan", "start"], name="period_unique_start")]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")

    def __str__(self) -> str:
        return self.label


class ProgressReport(models.Model):
    """A unit's report on one task for one period (反馈).

    Only accepted reports move a task's progress; a returned report goes back
    to the unit, which edits and resubmits the same row.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", _("accepted")

    class WorkState(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("completed")
        DELAYED = "delayed", _("delayed")

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, models.PROTECT, related_name="reports")
    unit = models.ForeignKey("accounts.Unit", models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    percent = models.PositiveSmallIntegerField(_("percent complete"))
    work_state = models.CharField(_("work state"), max_length=12, choices=WorkState.choices)
    narrative = models.TextField(_("progress"))
    milestones_reached = models.ManyToManyField("plans.Milestone", blank=True, related_name="reached_in")
    # Quality-check warnings computed at submission, shown on the review page.
    warnings = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    # The supervisor's optional words on accepting (审核意见), shown on the report.
    accept_note = models.TextField(_("comment on acceptance"), max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1)
    # How many times the unit has sent it: 第2版 after a return and a resubmission. Unlike
    # ``version`` (the optimistic lock, bumped by reviews and added files too), it counts submissions.
    submissions = models.PositiveIntegerField(_("submission"), default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period__start", "task"]
        # The review queue: waiting reports, the longest-waiting first.
        indexes = [models.Index(fields=["status", "submitted_at"], name="report_status_submitted")]
        constraints = [
            models.UniqueConstraint(fields=["task", "period"], name="report_unique_task_period"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="report_percent_max_100"),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.task} · {self.period}"


class IndicatorActual(models.Model):
    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey("plans.Indicator", models.CASCADE, related_name="actuals")
    value = bounds.DecimalField(_("actual"), max_digits=16, decimal_places=4)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="actual_unique")]


class Evidence(models.Model):
    """A file attached to a report, kept under MEDIA_ROOT and streamed only
    to users who may see the task."""

    report = models.ForeignKey(ProgressReport, models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)  # sniffed from the bytes
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class Contribution(models.Model):
    """A co-unit's note on what it did for a task in a period (配合单位反馈)."""

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="contributions")
    period = models.ForeignKey(ReportingPeriod, models.PROTECT, related_name="contributions")
    unit = models.ForeignKey("accounts.Unit", models.PROTECT, related_name="contributions")
    text = models.TextField(_("contribution"))
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "created"]


class ExtensionRequest(models.Model):
    """延期申请: the unit asks for a later due date; the original is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="extension_requests")
    unit = models.ForeignKey("accounts.Unit", models.PROTECT, related_name="+")
    original_due = models.DateField(_("original due date"))
    requested_due = models.DateField(_("requested due date"))
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        # Two reporters pressing 申请延期 at the same moment: the database keeps one.
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status="pending"), name="extension_one_pending_per_task"
            )
        ]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")


class TaskTrack(models.Model):
    """The computed state of one task: what the status engine last said.

    Rewritten by recomputation (nightly and on every accepted report); the
    cockpit and lists read it instead of running the engine per request.
    """

    task = models.OneToOneField("plans.Task", models.CASCADE, related_name="track")
    percent = models.PositiveSmallIntegerField(default=0)  # last accepted report
    light = models.CharField(max_length=10, default="green")
    schedule = models.CharField(max_length=10, blank=True)  # behind / on / ahead
    planned_percent = bounds.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)  # [{code, light, text}]
    effective_due = models.DateField(null=True, blank=True)  # after an approved extension
    # 办结: the unit asked for completion; 销号: a supervisor signed it off.
    completion_requested_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # When the task's last accepted report was accepted: the public pages' "updated on", read
    # from the tracks instead of from every report of a plan.
    last_accepted_at = models.DateTimeField(null=True, blank=True)
    # What the nightly run (luoshi recompute) last saw, so that it rewrites only what changed:
    # a digest of the task's inputs to the engine, the day its light was judged for, and the
    # end of the last period whose snapshot it wrote.
    inputs_key = models.CharField(max_length=32, blank=True)
    judged_on = models.DateField(null=True, blank=True)
    snapshots_through = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["light"])]


class LightSnapshot(models.Model):
    """A task's light and progress at the end of a period: the trend over cycles."""

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="snapshots")
    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="snapshots")
    light = models.CharField(max_length=10)
    percent = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="snapshot_unique")]


class SupervisionNotice(models.Model):
    """督办单 for a red task: drafted, approved when the office asks for it, sent, replied to, closed.

    A draft has no number and has not been sent; it is numbered when it is
    sent. A task has at most one draft (or draft awaiting approval) and at
    most one notice awaiting reply.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PENDING = "pending", _("awaiting approval")
        OPEN = "open", _("awaiting reply")
        REPLIED = "replied", _("replied")
        CLOSED = "closed", _("closed")

    DRAFT_STATUSES = (Status.DRAFT, Status.PENDING)

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="notices")
    unit = models.ForeignKey("accounts.Unit", models.PROTECT, related_name="notices")
    # Empty until sent; then "南湖督〔2026〕3号".
    number = models.CharField(_("number"), max_length=60, unique=True, null=True, blank=True)
    reasons = models.JSONField(default=list)
    # The message's text, prefilled from the reasons and editable while a draft.
    text = models.TextField(_("text"), blank=True)
    drafted_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    drafted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # A leader's note when returning a draft to the office.
    return_note = models.TextField(_("note"), blank=True)
    issued_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    # When it was sent (for a draft: when it was created).
    issued_at = models.DateTimeField(default=timezone.now)
    # The day it was sent by the office's clock (the demo day in the demo).
    issued_on = models.DateField(null=True, blank=True)
    reply_due = models.DateField(_("reply due"))
    # 抄送: the names of the leaders in charge who got a copy.
    copied_to = models.JSONField(default=list, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    deliveries = models.ManyToManyField(Delivery, blank=True, related_name="notices")

    class Meta:
        ordering = ["-issued_at"]
        # Two supervisors issuing for the same red task at once: the database keeps one.
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="open"), name="notice_one_open_per_task"),
            models.UniqueConstraint(
                fields=["task"], condition=models.Q(status__in=["draft", "pending"]), name="notice_one_draft_per_task"
            ),
        ]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return self.number or str(_("draft"))

    @property
    def is_draft(self) -> bool:
        return self.status in self.DRAFT_STATUSES


class Reminder(models.Model):
    """One reminder or chase (催办) for one unit and period, so that
    `luoshi remind` run twice sends nothing twice."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("reminder")
        CHASE = "chase", _("chase")

    period = models.ForeignKey(ReportingPeriod, models.CASCADE, related_name="reminders")
    unit = models.ForeignKey("accounts.Unit", models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created = models.DateTimeField(auto_now_add=True)
    deliveries = models.ManyToManyField(Delivery, blank=True, related_name="reminders")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit", "kind"], name="reminder_unique")]


class TaskComment(models.Model):
    """A message in a task's conversation; a leader's 批示 is one with a reply deadline.

    A 批示 stays on the lead unit's to-do (我的任务) until a reporter of that
    unit answers it: the answer is a comment whose ``reply_to`` is the 批示.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        INSTRUCTION = "instruction", _("leader's instruction")

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("text"), max_length=2000)
    reply_to = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("in reply to")
    )
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    # Logins and unit codes the text mentioned (@…) and that were notified.
    mentions = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["task", "created"], name="comment_task_created")]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.task_id} · {self.text[:30]}"

    @property
    def is_instruction(self) -> bool:
        return self.kind == self.Kind.INSTRUCTION


class Acknowledgement(models.Model):
    """签收: a unit confirms it has received a task it was given (lead or co-unit) or a 督办单.

    A row is made when the unit is given the task (import, edit, sheet,
    reassignment) or when the notice is sent; it stays pending until a
    reporter of the unit signs for it. Pending rows older than
    LUOSHI_ACK_CHASE_WORKING_DAYS working days are chased once a day.
    """

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="acknowledgements")
    unit = models.ForeignKey("accounts.Unit", models.CASCADE, related_name="acknowledgements")
    notice = models.ForeignKey(
        SupervisionNotice, models.CASCADE, null=True, blank=True, related_name="acknowledgements"
    )
    assigned_on = models.DateField(_("assigned on"))
    created = models.DateTimeField(auto_now_add=True)
    acked_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acked_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    # The last day it was chased, and how often: one chase per item per day.
    chased_on = models.DateField(null=True, blank=True)
    chases = models.PositiveSmallIntegerField(default=0)
    deliveries = models.ManyToManyField(Delivery, blank=True, related_name="acknowledgements")

    class Meta:
        ordering = ["assigned_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "unit"], condition=models.Q(notice__isnull=True), name="ack_one_per_task_unit"
            ),
            models.UniqueConstraint(
                fields=["notice"], condition=models.Q(notice__isnull=False), name="ack_one_per_notice"
            ),
        ]
        indexes = [models.Index(fields=["unit", "acked_at"], name="ack_unit_pending")]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")

    def __str__(self) -> str:
        return f"{self.unit} · {self.notice or self.task}"


class LadderStep(models.Model):
    """One rung of the escalation ladder reached by a task: 提醒 → 催办 → 督办单 → 通报.

    Written as it happens: a reminder or deadline chase by `luoshi remind`,
    a supervisor's 催办, a 督办单 sent, the task named red in a 通报.
    """

    class Rung(models.TextChoices):
        REMINDER = "reminder", _("reminder")
        CHASE = "chase", _("chase")
        NOTICE = "notice", _("supervision notice")
        CIRCULAR = "circular", _("circular")

    task = models.ForeignKey("plans.Task", models.CASCADE, related_name="ladder_steps")
    rung = models.CharField(_("rung"), max_length=10, choices=Rung.choices)
    happened_on = models.DateField(_("date"))
    created = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    # What it was: the reminder's subject, the chase's note, the notice's or circular's number.
    text = models.CharField(_("text"), max_length=300, blank=True)
    ref = models.CharField(max_length=60, blank=True)  # dedup: a circular regenerated names the task once
    notice = models.ForeignKey(SupervisionNotice, models.SET_NULL, null=True, blank=True, related_name="+")
    deliveries = models.ManyToManyField(Delivery, blank=True, related_name="ladder_steps")

    class Meta:
        ordering = ["happened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "rung", "ref"], condition=~models.Q(ref=""), name="ladder_step_unique_ref"
            ),
        ]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
