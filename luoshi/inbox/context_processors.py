from django.utils.functional import SimpleLazyObject

from luoshi.inbox.selectors import unread_count


def unread(request):
    """``inbox_unread`` for the page header; counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user=user))}
