from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Leader")
    REPORTER = "reporter", _("Unit reporter")


class UnitKind(models.TextChoices):
    PARTY = "party", _("Party body")
    GOVERNMENT = "government", _("Government department")
    TOWN = "town", _("Town")
    STREET = "street", _("Street")
    ZONE = "zone", _("Functional zone")
    OTHER = "other", _("Other")


class Unit(models.Model):
    """An organisation that carries out tasks (组织单位): a bureau, a town, a zone."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    duties = models.TextField(_("duties (三定职责)"), blank=True)
    duty_keywords = models.JSONField(_("duty keywords"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # 分管领导: the leader in charge of the unit, who gets a copy (抄送) of every
    # 督办单 sent to it.
    leader = models.ForeignKey(
        "User", models.SET_NULL, null=True, blank=True, related_name="led_units",
        limit_choices_to={"role": "leader"}, verbose_name=_("leader in charge (分管领导)"),
    )
    # Optimistic locking, as on tasks: every edit bumps it; a page or admin
    # form posts the version it was loaded with and a stale one is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REPORTER)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    units = models.ManyToManyField(Unit, through="Membership", related_name="members", blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(models.Model):
    """A user reports for a unit. A reporter may belong to several units."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"
