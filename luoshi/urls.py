from django.contrib import admin
from django.urls import include, path

from luoshi import views
from luoshi.api.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("luoshi.accounts.urls")),
    path("plans/", include("luoshi.plans.urls")),
    path("tracking/", include("luoshi.tracking.urls")),
    path("cockpit/", include("luoshi.reports.urls")),
    path("public/", include("luoshi.portal.urls")),
    path("inbox/", include("luoshi.inbox.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/tokens/", include("luoshi.api.urls")),
]

handler500 = "luoshi.views.server_error"
