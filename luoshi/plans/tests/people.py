"""Named people and the Nanhu unit directory for the plans page tests.

Imported by name into each test module that needs them, so the suite reads
like the healthchecks tests: a supervisor, a leader, a reporter of 区教育局,
a reporter of 凤桥镇.
"""
import pytest

from luoshi.accounts.models import Membership, Role, Unit, User
from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load


@pytest.fixture
def units(db):
    unit_directory_load(path=DEMO_UNITS_PATH)
    return {u.code: u for u in Unit.objects.all()}


def _user(username: str, role: str, units=()) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, role=role,
                                    display_name=username)
    for unit in units:
        Membership.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def supervisor(db):
    return _user("wangmin", Role.SUPERVISOR)


@pytest.fixture
def other_supervisor(db):
    return _user("zhaoli", Role.SUPERVISOR)


@pytest.fixture
def leader(db):
    return _user("lijianguo", Role.LEADER)


@pytest.fixture
def reporter_education(units):
    return _user("jiaoyu", Role.REPORTER, [units["education"]])


@pytest.fixture
def reporter_fengqiao(units):
    return _user("fengqiao", Role.REPORTER, [units["fengqiao"]])
