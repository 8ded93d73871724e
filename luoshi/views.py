from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views import defaults

from luoshi.accounts.permissions import reads_everything
from luoshi.plans import selectors


@login_required
def home(request):
    # Those who read every unit's tasks start from the plans; a reporter
    # starts from its own tasks (linked from the template).
    plans = selectors.plan_list(visible_to=request.user) if reads_everything(request.user) else None
    return render(request, "home.html", {"plans": plans})


def server_error(request):
    """The 500 page with the site's header and, for a logged-in user, the navigation.

    Django renders its 500 page without the request, so without the user and
    the menu. Rendering with it may fail in turn (the database may be what
    failed), and then the page is rendered as Django does, header only.
    """
    try:
        return render(request, "500.html", status=500)
    except Exception:
        return defaults.server_error(request)
