"""Documents the office issues from the live data: the monthly 通报 and the files made for download.

A ``Circular`` is the office's register of 通报 numbers (发文字号): one row
per plan and period, so regenerating a period's 通报 keeps its number, and a
sequence per year of issue that two supervisors cannot both take (the pair
is unique; the loser takes the next one).

A ``GeneratedDocument`` is one request to build a file in the background:
its status and steps are what the status page shows, its file what the
download streams.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Circular(models.Model):
    plan = models.ForeignKey("plans.Plan", models.CASCADE, related_name="circulars")
    period = models.ForeignKey("tracking.ReportingPeriod", models.CASCADE, related_name="circulars")
    year = models.PositiveSmallIntegerField(_("year of issue"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("number"), max_length=60)  # 南湖督通〔2018〕5号
    issued_on = models.DateField(_("issued on"))

    class Meta:
        ordering = ["-year", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="circular_unique_serial"),
            models.UniqueConstraint(fields=["plan", "period"], name="circular_unique_period"),
        ]
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")

    def __str__(self) -> str:
        return self.number


class GeneratedDocument(models.Model):
    class Kind(models.TextChoices):
        CIRCULAR = "circular", _("monthly circular")
        TASK_LIST = "task_list", _("task list")
        HISTORY = "history", _("progress history")

    class Format(models.TextChoices):
        DOCX = "docx", "Word (.docx)"
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "Excel (.xlsx)"

    class Status(models.TextChoices):
        # In context: a delivery's "queued" and "failed" read differently in Chinese.
        QUEUED = "queued", pgettext_lazy("document", "queued")
        RUNNING = "running", pgettext_lazy("document", "running")
        READY = "ready", pgettext_lazy("document", "ready")
        FAILED = "failed", pgettext_lazy("document", "failed")

    plan = models.ForeignKey("plans.Plan", models.CASCADE, related_name="generated_documents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CIRCULAR)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.DOCX)
    period = models.ForeignKey(
        "tracking.ReportingPeriod", models.CASCADE, null=True, blank=True, related_name="generated_documents"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")

    def __str__(self) -> str:
        return self.filename or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
