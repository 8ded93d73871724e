from django import forms
from django.contrib import admin

from luoshi.tracking.models import Acknowledgement, Channel, Delivery, LadderStep, ReportingCycle, TaskCycle


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


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    """A plan's cycle and options; the 督查设置 page does the same with its checks (periods redrawn)."""

    list_display = ["plan", "frequency", "due_day", "remind_days_before", "notice_needs_approval", "stateful_lights"]
    list_filter = ["frequency", "notice_needs_approval", "stateful_lights"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["task", "unit", "notice", "assigned_on", "acked_at", "acked_by", "chases", "chased_on"]
    list_filter = ["acked_at"]
    search_fields = ["task__title", "unit__name"]
    list_select_related = ["task", "unit", "notice", "acked_by"]
    readonly_fields = ["task", "unit", "notice", "assigned_on", "acked_at", "acked_by", "chases", "chased_on",
                       "deliveries"]

    def has_add_permission(self, request):
        return False


@admin.register(LadderStep)
class LadderStepAdmin(admin.ModelAdmin):
    list_display = ["task", "rung", "happened_on", "actor", "text"]
    list_filter = ["rung"]
    search_fields = ["task__title", "text"]
    list_select_related = ["task", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskCycleForm(forms.ModelForm):
    class Meta:
        model = TaskCycle
        fields = ["task", "frequency"]

    def clean(self):
        from luoshi.tracking.services import task_cycle_check

        data = super().clean()
        if data.get("task") is not None:
            task_cycle_check(task=data["task"], frequency=data.get("frequency", ""))
        return data


@admin.register(TaskCycle)
class TaskCycleAdmin(admin.ModelAdmin):
    """A task reporting less often than its plan; the task page sets it too, with its checks and audit entry."""

    form = TaskCycleForm
    list_display = ["task", "frequency"]
    list_filter = ["frequency", "task__plan"]
    search_fields = ["task__title"]
    list_select_related = ["task"]
    autocomplete_fields = ["task"]

    def save_model(self, request, obj, form, change):
        from luoshi.tracking.services import task_cycle_set

        task_cycle_set(task=obj.task, actor=request.user, frequency=obj.frequency)

    def delete_model(self, request, obj):
        from luoshi.tracking.services import task_cycle_set

        task_cycle_set(task=obj.task, actor=request.user, frequency="")
