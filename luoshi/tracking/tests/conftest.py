"""Fixtures for the tracking tests; ``plan``, ``media`` and ``april_3`` belong to the report world (report_world.py).

A module whose tests all happen on 2026-04-03 says so with
``pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3")]``.
"""
import pytest
import time_machine

from luoshi.tracking.tests.receiver import running_receiver
from luoshi.tracking.tests.report_world import APRIL_3, report_plan


@pytest.fixture
def receiver():
    with running_receiver() as state:
        yield state


@pytest.fixture
def plan(units):
    return report_plan(units)


@pytest.fixture
def april_3():
    """The clock stands at 2026-04-03 10:00, when the March period is open for reports."""
    with time_machine.travel(APRIL_3, tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder, so a test can see exactly what was written."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
