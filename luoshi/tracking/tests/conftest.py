import pytest

from luoshi.tracking.tests.receiver import running_receiver


@pytest.fixture
def receiver():
    with running_receiver() as state:
        yield state
