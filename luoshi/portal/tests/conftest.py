import pytest

from luoshi.portal.tests.public_world import public_world


@pytest.fixture
def world(units, supervisor, leader, admin_user, reporter_education, reporter_fengqiao, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return public_world(
        units=units, supervisor=supervisor, leader=leader, admin_user=admin_user,
        reporter_education=reporter_education, reporter_fengqiao=reporter_fengqiao,
    )
