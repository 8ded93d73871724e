from django.db.models import QuerySet

from luoshi.accounts.models import Role
from luoshi.api.models import ApiToken


def token_list(*, visible_to) -> QuerySet[ApiToken]:
    """A user's own tokens; an administrator sees everyone's."""
    tokens = ApiToken.objects.select_related("user")
    if not getattr(visible_to, "is_authenticated", False):
        return tokens.none()
    if visible_to.role == Role.ADMIN or visible_to.is_superuser:
        return tokens
    return tokens.filter(user=visible_to)
