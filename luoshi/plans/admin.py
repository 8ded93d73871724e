"""Admin views of plans for IT staff; supervisors work in the plan pages, where edits are audited."""
from django.contrib import admin

from luoshi.plans import workdays
from luoshi.plans.models import CalendarDay, CalendarYear, Plan, PlanSource, Programme, Task, UnitCorrection


class ReadOnlyAdmin(admin.ModelAdmin):
    """Plans and tasks change only through the services, which audit and lock; here they are read."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "issuing_body", "created", "created_by"]
    list_filter = ["year"]
    search_fields = ["name", "issuing_body"]


@admin.register(PlanSource)
class PlanSourceAdmin(ReadOnlyAdmin):
    list_display = ["plan", "version", "filename", "sha256", "uploaded", "uploaded_by"]
    exclude = ["content", "outline"]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["name", "plan", "text"]
    list_filter = ["plan"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "lead_unit", "due_date", "version"]
    list_filter = ["plan", "lead_unit"]
    search_fields = ["title", "measure__text"]
    list_select_related = ["plan", "lead_unit"]


@admin.register(UnitCorrection)
class UnitCorrectionAdmin(admin.ModelAdmin):
    """A wrong correction teaches the suggester wrong things: an admin may delete it."""

    list_display = ["unit", "role", "text", "created_by", "created"]
    list_filter = ["role", "unit"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CalendarCacheAdmin(admin.ModelAdmin):
    """The working-day calendar: the State Council publishes each year's holidays in the autumn, and an
    admin records them here or with `luoshi holidays load` (docs/holidays.md). Every save forgets the
    cached year, so due dates computed next use the new days."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.calendar_cache_clear()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.calendar_cache_clear()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        workdays.calendar_cache_clear()


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarCacheAdmin):
    list_display = ["year", "source"]


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarCacheAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday", "date"]
    date_hierarchy = "date"
    search_fields = ["name"]
