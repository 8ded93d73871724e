from django.urls import path

from luoshi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plans.json", views.plan_list_json, name="plans_json"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>.json", views.plan_detail_json, name="plan_json"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/<int:plan_id>/", views.manage_plan, name="manage_plan"),
]
