from django.urls import path

from luoshi.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.cockpit_latest, name="cockpit_latest"),
    path("<int:plan_id>/", views.cockpit, name="cockpit"),
    path("<int:plan_id>/tasks/", views.drill, name="drill"),
    path("<int:plan_id>/documents/", views.documents, name="documents"),
    path("<int:plan_id>/circular/", views.circular_request, name="circular_request"),
    path("documents/<int:document_id>/", views.document, name="document"),
    path("documents/<int:document_id>/download/", views.document_download, name="document_download"),
    path("<int:plan_id>/export/tasks.xlsx", views.export_tasks, name="export_tasks"),
    path("<int:plan_id>/export/history.xlsx", views.export_history, name="export_history"),
    path("<int:plan_id>/stratml.xml", views.plan_stratml_xml, name="stratml"),
]
