from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from luoshi.accounts import selectors
from luoshi.accounts.forms import STALE_UNIT_MESSAGE, UnitForm
from luoshi.accounts.permissions import can_manage_units, get_unit_for_user, require_supervisor
from luoshi.accounts.services import StaleUnitEdit, unit_update


@login_required
def unit_list(request):
    groups = selectors.units_by_kind(visible_to=request.user)
    return render(
        request,
        "accounts/unit_list.html",
        {
            "groups": groups,
            "unit_count": sum(len(units) for _, units in groups),
            "can_learn": can_manage_units(request.user),
        },
    )


@login_required
def unit_detail(request, code):
    unit = get_unit_for_user(request.user, code)
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "members": selectors.unit_members(unit=unit),
            "children": selectors.unit_children(unit=unit, visible_to=request.user),
            "can_edit": can_manage_units(request.user),
        },
    )


@require_supervisor
def unit_edit(request, code):
    unit = get_unit_for_user(request.user, code)
    form = UnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit_update(
                unit=unit,
                actor=request.user,
                short_name=data["short_name"],
                aliases=data["aliases"],
                duties=data["duties"],
                duty_keywords=data["duty_keywords"],
                expected_version=data["version"],
            )
        except StaleUnitEdit:
            form.add_error(None, STALE_UNIT_MESSAGE)
            return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form}, status=409)
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field, field_messages)
            return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form}, status=400)
        messages.success(request, _("Saved %(unit)s.") % {"unit": unit.name})
        return redirect("unit_detail", code=unit.code)
    return render(request, "accounts/unit_edit.html", {"unit": unit, "form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view (old password checked, validators applied, session kept) in our page."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response
