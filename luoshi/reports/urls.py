from django.urls import path

from luoshi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.cockpit_latest, name="cockpit_latest"),
    path("<int:plan_id>/", views.cockpit, name="cockpit"),
    path("<int:plan_id>/tasks/", views.drill, name="drill"),
]
