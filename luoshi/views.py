from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from luoshi.accounts.permissions import reads_everything
from luoshi.plans import selectors


@login_required
def home(request):
    # Those who read every unit's tasks start from the plans; a reporter
    # starts from its own tasks (linked from the template).
    plans = selectors.plan_list(visible_to=request.user) if reads_everything(request.user) else None
    return render(request, "home.html", {"plans": plans})
