"""The plan tree (规划 → 板块/目标 → 举措) and the work cut from it (任务).

Glossary (docs/glossary.md): Plan 规划/工作要点, Section 板块 (any depth),
Measure 举措 (one sentence of the plan), Task 任务 (what a unit is asked to
do for a measure), lead unit 牵头单位, co-unit 配合单位, Milestone 节点,
Indicator 指标, Programme 专项/品牌工程 (a named slogan such as “五水共治”).
"""
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi import bounds
from luoshi.accounts.models import Unit


class Plan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    issuing_body = models.CharField(_("issuing body"), max_length=100, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.name

    @property
    def current_source(self):
        """The newest version's file name, checksum and uploader; the document and its outline,
        which can be megabytes, are read only when used."""
        return self.sources.order_by("-version").defer("content", "outline").first()


class PlanSource(models.Model):
    """A source document exactly as uploaded; every import adds a version."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sources")
    version = models.PositiveIntegerField(_("version"))
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    outline = models.JSONField(_("parsed outline"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plansource_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"


class Section(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    number = models.CharField(_("number"), max_length=40)  # "2.1", the parser's id
    level = models.PositiveSmallIntegerField(_("level"))
    label = models.CharField(_("label"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=500)
    intro = models.TextField(_("intro"), blank=True)
    position = models.PositiveIntegerField(_("position"))
    # 附件: a glossary, a 民生实事 list or a task table after the body, kept apart from the plan's tree.
    is_appendix = models.BooleanField(_("appendix"), default=False)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.label}{self.title}"


class Programme(models.Model):
    """A named programme that cuts across the tree: “四个年”, “五水共治”."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=100)
    text = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="programme_unique")]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name


class Measure(models.Model):
    """One sentence of the plan, kept verbatim with its place in the tree."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="measures")
    section = models.ForeignKey(Section, models.PROTECT, related_name="measures")
    number = models.CharField(_("number"), max_length=40)  # "2.1.3"
    text = models.TextField(_("source sentence"))
    # The text with whitespace removed, hashed: how a re-import recognises an
    # unchanged measure.
    text_key = models.CharField(max_length=64, db_index=True)
    position = models.PositiveIntegerField(_("position"))
    targets = models.JSONField(_("targets"), default=list, blank=True)
    has_target = models.BooleanField(_("has a measurable target"), default=False)
    deadline_text = models.CharField(_("deadline as written"), max_length=100, blank=True)
    deadline_start = models.DateField(null=True, blank=True)
    deadline_end = models.DateField(null=True, blank=True)
    programmes = models.ManyToManyField(Programme, related_name="measures", blank=True)
    # Set when a later version of the plan no longer contains the sentence;
    # the row stays so that its tasks and their history survive.
    removed_in_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"


class Task(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks")
    measure = models.ForeignKey(Measure, models.PROTECT, related_name="tasks")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("task"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="led_tasks", verbose_name=_("lead unit")
    )
    co_units = models.ManyToManyField(Unit, related_name="co_tasks", blank=True, verbose_name=_("co-units"))
    supervising_leader = models.CharField(_("supervising leader"), max_length=60, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    weight = bounds.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    programmes = models.ManyToManyField(Programme, related_name="tasks", blank=True, verbose_name=_("programmes"))
    is_public = models.BooleanField(_("published"), default=False)
    # What the unit suggester proposed when the task was imported: a later
    # edit that chooses otherwise is a correction to learn, found by
    # comparing with these instead of running the suggester again.
    suggested_lead_unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("suggested lead unit")
    )
    suggested_co_units = models.JSONField(_("suggested co-units"), default=list, blank=True)  # unit ids
    # The plan's own responsibility clause, as written: （牵头单位：…；配合单位：…）.
    unit_text = models.CharField(_("units as written"), max_length=500, blank=True)
    # Names in that clause that match no unit of the directory: kept, never guessed away.
    unmatched_units = models.JSONField(_("unmatched unit names"), default=list, blank=True)
    # Optimistic locking: every save bumps it; a form posts the version it
    # was loaded with and a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "measure__position", "position", "id"]
        # The task lists filter and sort by due date, within a plan (任务清单) and across plans (我的任务, the API).
        indexes = [
            models.Index(fields=["plan", "due_date"], name="task_plan_due"),
            models.Index(fields=["due_date"], name="task_due"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title[:60]


class Milestone(models.Model):
    task = models.ForeignKey(Task, models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=300)
    due_date = models.DateField(_("due date"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["task", "due_date", "position"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.due_date} {self.title}"


class Indicator(models.Model):
    task = models.ForeignKey(Task, models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=30, blank=True)
    baseline = bounds.DecimalField(_("baseline"), max_digits=16, decimal_places=4, null=True, blank=True)
    target = bounds.DecimalField(_("target"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(_("target as written"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["task", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class UnitCorrection(models.Model):
    """A unit chosen for a measure: a supervisor's correction, or a row of a past 任务分解表 learned.

    Either way it is reused for similar measures later.
    """

    class Role(models.TextChoices):
        LEAD = "lead", _("lead unit")
        CO = "co", _("co-unit")

    class Source(models.TextChoices):
        CORRECTION = "correction", _("supervisor's correction")
        LEARNED = "learned", _("learned from a past task table")

    text = models.TextField(_("measure text"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="corrections")
    role = models.CharField(max_length=10, choices=Role.choices)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.CORRECTION)
    # The file a learned row came from, so that learning it again replaces it.
    origin = models.CharField(_("learned from"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]


class CalendarYear(models.Model):
    """A year whose official holiday arrangement (国务院办公厅通知) is recorded."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("published in"), max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday arrangement year")
        verbose_name_plural = _("holiday arrangement years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A public holiday on a weekday, or a weekend day made a working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked for a weekend day worked in exchange (调休), empty for a holiday.")
    )
    name = models.CharField(_("holiday name"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or adjusted workday")
        verbose_name_plural = _("holidays and adjusted workdays")

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'} {self.name}"
