from django.contrib import admin

from luoshi.inbox.models import Digest, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "user", "kind", "created", "read_at", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "user__username"]
    readonly_fields = ["user", "kind", "subject", "body", "url", "created", "read_at", "dedup_key", "sent_at", "digest", "deliveries"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode", "robot"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "created"]
    readonly_fields = ["user", "day", "created", "deliveries"]
