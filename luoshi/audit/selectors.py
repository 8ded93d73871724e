from django.db.models import QuerySet

from luoshi.audit.models import AuditEntry


def audit_entries_for(*, obj) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
