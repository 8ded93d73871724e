"""Notification channels and the record of every message sent through them.

Reporting cycles, progress reports and supervision notices (督办单) come in
the next step of issue 5; a notice will point at the deliveries that carried
it, which is why a delivery is a row of its own and is never deleted.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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
