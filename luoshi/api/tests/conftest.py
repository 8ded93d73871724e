"""People and units for the API tests, named like the rest of the suite."""
import pytest

from luoshi.accounts.models import Membership, Role, Unit, User


@pytest.fixture
def units(db):
    """Four units of the Nanhu directory (luoshi/accounts/data/nanhu-units.yaml), keyed by code.

    Only these four: loading the whole directory would double the time of these tests.
    """
    rows = [
        ("education", "区教育局", "government"),
        ("fengqiao", "凤桥镇", "town"),
        ("science", "区科学技术局", "government"),
        ("approval", "区行政审批局", "government"),
    ]
    return {code: Unit.objects.create(code=code, name=name, kind=kind) for code, name, kind in rows}


def _user(username: str, role: str, units=()) -> User:
    user = User.objects.create_user(username=username, password="pw-" + username, role=role)
    for unit in units:
        Membership.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def supervisor(db):
    return _user("dcs", Role.SUPERVISOR)


@pytest.fixture
def leader(db):
    return _user("leader", Role.LEADER)


@pytest.fixture
def admin_user(db):
    return _user("it", Role.ADMIN)


@pytest.fixture
def reporter_education(units):
    return _user("jiaoyu", Role.REPORTER, [units["education"]])


@pytest.fixture
def reporter_fengqiao(units):
    return _user("fengqiao", Role.REPORTER, [units["fengqiao"]])
