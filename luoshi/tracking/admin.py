from django.contrib import admin

from luoshi.tracking.models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "webhook_url", "is_active", "created"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # Deliveries keep their channel; a channel is switched off instead.
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created", "channel", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "subject", "last_error"]
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
