"""What a person is told: the in-app inbox, how they want messages, and the daily digests.

Every message to a person goes through ``luoshi.inbox.services.notify``: it
lands in the inbox and then goes out by e-mail (or the person's robot
channel) at once or in the next daily digest, as the person's preference and
the kind of message say. docs/notifications.md has the rules.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The kinds callers use today, with their labels; a kind not listed is shown as it is.
KIND_LABELS = {
    "reminder": _("Reporting reminder"),
    "chase": _("Chase"),
    "notice": _("Supervision notice"),
    "returned": _("Report returned"),
    "comment": _("Comment"),
    "mention": _("Mention"),
    "instruction": _("Leader's instruction"),
}


class Preference(models.Model):
    """How one person wants messages that need not reach them at once."""

    class Mode(models.TextChoices):
        DIGEST = "digest", _("in one daily digest")
        IMMEDIATE = "immediate", _("immediately, one message each")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference", verbose_name=_("user")
    )
    mode = models.CharField(_("send messages"), max_length=10, choices=Mode.choices, default=Mode.DIGEST)
    # Empty: e-mail to the person's address. Otherwise a DingTalk or WeCom robot
    # (a group of one, as many officials keep for themselves) that gets them instead.
    robot = models.ForeignKey(
        "tracking.Channel", models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"kind__in": ["dingtalk", "wecom"]}, verbose_name=_("robot channel"),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_mode_display()}"


class Digest(models.Model):
    """The one message a person got on one day, gathering what was not yet sent to them.

    Unique per person and day: ``luoshi digest`` run twice the same day sends once.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="digests")
    day = models.DateField(_("day"))
    created = models.DateTimeField(auto_now_add=True)
    deliveries = models.ManyToManyField("tracking.Delivery", blank=True, related_name="digests")

    class Meta:
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_one_per_user_and_day")]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"


class Notification(models.Model):
    """One thing a person was told, shown in their inbox until read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=30)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The caller's name for the event ("reminder:12"): told twice, a person gets one notification.
    dedup_key = models.CharField(max_length=200, null=True, blank=True)
    # When it went out by e-mail or robot: at once, or in ``digest``.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    digest = models.ForeignKey(Digest, models.SET_NULL, null=True, blank=True, related_name="notifications")
    deliveries = models.ManyToManyField("tracking.Delivery", blank=True, related_name="notifications")

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedup_key"], condition=Q(dedup_key__isnull=False), name="notification_dedup_per_user"
            )
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.subject

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))
