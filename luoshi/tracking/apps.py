from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "luoshi.tracking"
    label = "tracking"
    verbose_name = _("Progress tracking and supervision")

    def ready(self) -> None:
        from luoshi.tracking.acks import connect_signals

        connect_signals()
