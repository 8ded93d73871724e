import pytest

from luoshi.tracking.tests.receiver import running_receiver


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that records what robots would get."""
    with running_receiver() as state:
        yield state


@pytest.fixture
def plan(units):
    from luoshi.tracking.tests.report_world import report_plan

    return report_plan(units)
