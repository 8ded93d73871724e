"""The job queue seen from the operator's side: what a killed worker leaves behind, and the sweep that picks it up.

``db_worker`` marks a job RUNNING when it claims it and SUCCESSFUL or FAILED
when it ends. A worker killed in between (``kill -9``, a lost machine, an
out-of-memory kill) leaves the row RUNNING for ever, and whatever the job was
doing (a delivery, a circular showing 生成中) waits with it. ``sweep_run``
puts such jobs back in the queue and re-queues every piece of work that has
no live job; ``luoshi sweep`` runs it, and so do ``luoshi remind`` and
``luoshi recompute``, which cron runs anyway.

Re-running a job is safe because every job claims its work with a
conditional update: a delivery is sent at least once, never lost, and each
message carries its idempotency key so that a receiver can drop a repeat
(docs/notifications.md).
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

LIVE = (TaskResultStatus.READY, TaskResultStatus.RUNNING)


@dataclass(frozen=True)
class SweepResult:
    jobs_requeued: int
    deliveries_requeued: int
    documents_requeued: int
    staged_files_removed: int

    def __str__(self) -> str:
        return (
            f"清理：重新排队卡住的后台作业 {self.jobs_requeued} 个、无作业的消息 {self.deliveries_requeued} 条、"
            f"待重新生成的文件 {self.documents_requeued} 个；删除过期的导入预览文件 {self.staged_files_removed} 个"
        )


def job_timeout() -> timedelta:
    return timedelta(minutes=settings.LUOSHI_JOB_TIMEOUT_MINUTES)


def jobs_requeue_stale(*, now: datetime) -> int:
    """Put jobs that have been RUNNING longer than any job takes back in the queue."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - job_timeout()
    ).update(status=TaskResultStatus.READY, started_at=None, run_after=now)


def live_job_args(task, *, statuses=LIVE) -> set:
    """The first argument of every queued or running job of ``task``: the ids it will work on."""
    rows = DBTaskResult.objects.filter(task_path=task.module_path, status__in=statuses)
    return {row["args"][0] for row in rows.values_list("args_kwargs", flat=True) if row.get("args")}


def sweep_run(*, now: datetime | None = None) -> SweepResult:
    """Requeue stale jobs, then every delivery and document left without a job; remove old staged previews."""
    # Imported here: these modules import this one for live_job_args.
    from luoshi.plans.staging import staging_cleanup
    from luoshi.reports.circular import documents_requeue
    from luoshi.tracking.services import deliveries_requeue

    now = now or timezone.now()
    jobs = jobs_requeue_stale(now=now)
    # Work created in the last minutes may still be on its way into the queue
    # (jobs are enqueued when the creating transaction commits).
    settled = now - timedelta(minutes=settings.LUOSHI_SWEEP_GRACE_MINUTES)
    return SweepResult(
        jobs_requeued=jobs,
        deliveries_requeued=deliveries_requeue(created_before=settled),
        documents_requeued=documents_requeue(created_before=settled),
        staged_files_removed=staging_cleanup(older_than=now - timedelta(days=1)),
    )
