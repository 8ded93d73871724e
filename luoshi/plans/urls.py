from django.urls import path

from luoshi.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("import/preview/", views.plan_import_preview, name="import_preview"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/reimport/", views.plan_reimport, name="reimport"),
    path("<int:pk>/reimport/preview/", views.plan_reimport_preview, name="reimport_preview"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/split/", views.task_split, name="task_split"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/merge/", views.task_merge_into, name="task_merge"),
    path("measures/<int:pk>/merge/", views.tasks_merge, name="tasks_merge"),
    path("<int:pk>/sheet.<str:fmt>", views.plan_sheet_download, name="sheet_download"),
    path("<int:pk>/sheet/", views.plan_sheet_upload, name="sheet_upload"),
    path("learn/", views.unit_learn, name="unit_learn"),
]
