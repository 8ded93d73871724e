from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from luoshi.api.models import ApiToken
from luoshi.api.services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "created", "last_used", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = ["user", "name", "prefix", "digest", "created", "last_used", "revoked"]
    actions = ["revoke"]

    # Tokens are made by `luoshi token create`, which shows the secret once,
    # and revoked through the service so that the audit log records it.
    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked__isnull=True):
            token_revoke(token=token, actor=request.user)
