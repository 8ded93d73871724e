from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from luoshi.accounts import views

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
            extra_context={"org_name": settings.LUOSHI_ORG_NAME},
        ),
        name="login",
    ),
    # Django's LogoutView answers POST only, so a link or a prefetch cannot log anyone out.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<slug:code>/", views.unit_detail, name="unit_detail"),
    path("units/<slug:code>/edit/", views.unit_edit, name="unit_edit"),
]
