"""The whole Nanhu unit directory for the plans tests, and a second supervisor.

The root conftest's ``units`` holds three units, too few for the unit
suggester to assign the seed's measures; importing ``units`` from here
overrides it in a test module, and the root's named users (``supervisor``,
``leader``, ``reporter_education``, ``reporter_fengqiao``) then belong to
units of the full directory.
"""
import pytest

from luoshi.accounts.models import Role, Unit, User
from luoshi.accounts.services import DEMO_UNITS_PATH, unit_directory_load


@pytest.fixture
def units(db):
    unit_directory_load(path=DEMO_UNITS_PATH)
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def other_supervisor(db, _test_password_hash):
    return User.objects.create(username="supervisor-2", role=Role.SUPERVISOR, display_name="督查室 赵丽",
                               password=_test_password_hash)
