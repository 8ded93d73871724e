"""A circular left 生成中 by a killed worker is built again by the sweep, not shown as running for ever."""
from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.jobs import sweep_run
from luoshi.reports import circular
from luoshi.reports.models import GeneratedDocument
from luoshi.reports.tests.cockpit_world import demo_world


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    yield from demo_world(django_db_blocker)


def stuck_document(plan, *, minutes_ago: int) -> GeneratedDocument:
    document = GeneratedDocument.objects.create(
        plan=plan, period=circular.circular_period(plan=plan, spec="latest"), steps_total=circular.STEPS,
        status=GeneratedDocument.Status.RUNNING, steps_done=2,
    )
    GeneratedDocument.objects.filter(pk=document.pk).update(created=timezone.now() - timedelta(minutes=minutes_ago))
    return document


def test_a_circular_stuck_generating_without_a_job_is_built_again(db, seed_plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = stuck_document(seed_plan, minutes_ago=40)
    assert sweep_run().documents_requeued == 1
    document.refresh_from_db()
    assert (document.status, document.steps_done) == ("ready", document.steps_total)
    assert document.file.name.startswith("reports/") and document.file.size > 0


def test_a_circular_requested_a_moment_ago_is_left_alone(db, seed_plan):
    document = stuck_document(seed_plan, minutes_ago=1)
    assert sweep_run().documents_requeued == 0
    document.refresh_from_db()
    assert (document.status, document.steps_done) == ("running", 2)
