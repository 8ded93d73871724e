from django.urls import path

from luoshi.tracking import views, views_ladder

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
    # The red list's button makes a draft; the draft page sends it or puts it before a leader.
    path("tasks/<int:task_id>/notice/", views_ladder.notice_draft, name="notice_issue"),
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
    path("my/ack/", views_ladder.ack_sign_all, name="ack_all"),
    path("acks/", views_ladder.ack_overdue, name="ack_overdue"),
    path("acks/<int:pk>/", views_ladder.ack_sign, name="ack"),
    path("tasks/<int:task_id>/ack/", views_ladder.task_ack, name="task_ack"),
    path("tasks/<int:task_id>/chase/", views_ladder.task_chase, name="task_chase"),
    path("tasks/<int:task_id>/cycle/", views_ladder.task_cycle, name="task_cycle"),
    path("notices/<int:pk>/edit/", views_ladder.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/submit/", views_ladder.notice_submit, name="notice_submit"),
    path("notices/<int:pk>/send/", views_ladder.notice_send, name="notice_send"),
    path("notices/<int:pk>/approve/", views_ladder.notice_approve, name="notice_approve"),
    path("notices/<int:pk>/return/", views_ladder.notice_return, name="notice_return"),
    path("plans/<int:plan_id>/settings/", views_ladder.plan_settings, name="plan_settings"),
]
