from django.urls import path

from luoshi.tracking import views

app_name = "tracking"

urlpatterns = [
    path("my/", views.my_tasks, name="my_tasks"),
    path("my/updates/", views.my_updates, name="my_updates"),
    path("tasks/<int:task_id>/", views.report_form, name="task"),
    path("tasks/<int:task_id>/contribution/", views.contribution_add, name="contribution_add"),
    path("tasks/<int:task_id>/extension/", views.extension_request, name="extension_request"),
    path("tasks/<int:task_id>/completion/", views.completion_request, name="completion_request"),
    path("tasks/<int:task_id>/sign-off/", views.completion_sign_off, name="completion_sign_off"),
    path("review/", views.review_queue, name="review"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
urlpatterns += [
    path("plans/<int:plan_id>/status/", views.plan_status, name="plan_status"),
    path("plans/<int:plan_id>/assessment/", views.assessment, name="assessment"),
    path("plans/<int:plan_id>/assessment.xlsx", views.assessment_export, name="assessment_export"),
    path("tasks/<int:task_id>/notice/", views.notice_issue, name="notice_issue"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice_reply"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice_close"),
    path("notices/<int:pk>/docx/", views.notice_download, name="notice_docx"),
    path("audit/", views.audit_log, name="audit"),
]
urlpatterns += [
    path("status/", views.plan_status_latest, name="status_latest"),
]
urlpatterns += [
    path("tasks/<int:task_id>/comments/", views.comment_add, name="comment_add"),
    path("plans/<int:plan_id>/tasks/", views.plan_tasks, name="plan_tasks"),
    path("plans/<int:plan_id>/tasks/bulk/", views.plan_tasks_bulk, name="plan_tasks_bulk"),
]
