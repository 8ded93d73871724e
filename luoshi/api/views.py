from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from luoshi.api.selectors import token_list
from luoshi.api.services import token_revoke


@login_required
@require_safe
def tokens(request):
    # Read-only: tokens are made by `luoshi token create`, revoked at their own URL.
    tokens = token_list(visible_to=request.user)
    # An administrator sees everyone's tokens, so the page says whose each is.
    show_owner = tokens.exclude(user=request.user).exists()
    return render(request, "api/tokens.html", {"tokens": tokens, "show_owner": show_owner})


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    token = token_list(visible_to=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404("No such token")
    if token.revoked is None:
        token_revoke(token=token, actor=request.user)
        messages.success(request, _("Token %(prefix)s… revoked; clients using it are refused from now on.") % {"prefix": token.prefix})
    return redirect("api_tokens:list")
