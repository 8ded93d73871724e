"""Data for the cockpit tests: the seed plan with the demo's half year, loaded once per module."""
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from luoshi.plans.models import Plan
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.reports.models import Circular, GeneratedDocument
from luoshi.tracking.demo import DEMO_TODAY


def demo_world(django_db_blocker):
    """Yield the seed plan after `luoshi demo`, as of the demo's day; everything is rolled back afterwards.

    Importing and reporting the seed takes a second or two, so a module does
    it once; each test's own transaction is a savepoint inside this one.
    The demo's logins (supervisor, leader, reporter-<unit code>…) come with it.
    """
    with django_db_blocker.unblock(), override_settings(LUOSHI_DEMO_TODAY=DEMO_TODAY):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", stdout=StringIO())
            # The circular tests start from an office that has issued none;
            # the demo's own circular is tested in accounts/tests/test_demo.py.
            GeneratedDocument.objects.all().delete()
            Circular.objects.all().delete()
            yield Plan.objects.get(name=SEED_PLAN_NAME)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
