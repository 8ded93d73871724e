"""Reads of the inbox: a person sees their own notifications and nobody else's."""
from django.db.models import QuerySet

from luoshi.inbox.models import Notification


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    notifications = Notification.objects.filter(user=user)
    return notifications.filter(read_at__isnull=True) if unread_only else notifications


def unread_count(*, user) -> int:
    return notification_list(user=user, unread_only=True).count()
