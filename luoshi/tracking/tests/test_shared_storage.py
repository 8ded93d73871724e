"""With LUOSHI_STORAGE=s3 every worker sees the same files: evidence, import previews and backups go to
the bucket (an S3 API served in-process by moto, as MinIO would serve it)."""
from datetime import timedelta

import boto3
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws

from luoshi.jobs import sweep_run
from luoshi.plans.staging import staging_read, staging_save
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_submit
from luoshi.tracking.tests.report_world import APRIL_3, PDF_BYTES, task_of, upload

BUCKET = "luoshi-files"


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "region_name": "us-east-1", "file_overwrite": False,
                            "default_acl": "private", "location": "nanhu"},
            },
        }
        yield s3


def keys(s3) -> list[str]:
    return sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_evidence_goes_to_the_bucket_and_is_streamed_back_to_those_who_may_see_it(
    bucket, client, plan, reporter_education, supervisor
):
    task = task_of(plan, "education")
    with time_machine.travel(APRIL_3, tick=False):
        report = report_submit(
            task=task, actor=reporter_education, period=period_for(plan=plan, day=task.start_date.replace(month=4, day=3)),
            percent=20, work_state="in_progress", narrative="完成选址2处。", files=[upload("批复.pdf", PDF_BYTES)],
        )
    evidence = report.evidence.get()
    assert keys(bucket) == [f"nanhu/{evidence.file.name}"]
    client.force_login(supervisor)
    response = client.get(reverse("tracking:evidence", args=[evidence.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_import_previews_wait_in_the_bucket_and_the_sweep_removes_them_after_a_day(bucket):
    token = staging_save(content="南湖区工作要点".encode())
    assert keys(bucket) == [f"nanhu/staging/{token}"]
    assert staging_read(token=token) == "南湖区工作要点".encode()
    assert sweep_run().staged_files_removed == 0
    assert sweep_run(now=timezone.now() + timedelta(days=1, minutes=1)).staged_files_removed == 1
    assert keys(bucket) == []
