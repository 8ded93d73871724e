"""Settings from a file: what `make demo` writes so commands run by hand see the demo's settings."""
import json
import os
import subprocess
import sys

import pytest

PROBE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.DEBUG, str(settings.LUOSHI_DEMO_TODAY), settings.LUOSHI_ORG_NAME]))"
)


def settings_seen(env_file, **environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LUOSHI_", "DEBUG", "SECRET_KEY"))}
    env.update(DJANGO_SETTINGS_MODULE="luoshi.settings", LUOSHI_ENV_FILE=str(env_file), **environ)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def demo_env(tmp_path):
    path = tmp_path / "luoshi.env"
    path.write_text("# written by make demo\nDEBUG=true\nLUOSHI_DEMO_TODAY=2018-07-10\n", encoding="utf-8")
    return path


def test_a_command_run_by_hand_reads_the_demo_settings_from_the_file(demo_env):
    assert settings_seen(demo_env) == [True, "2018-07-10", "南湖区"]


def test_the_process_environment_wins_over_the_file(demo_env):
    assert settings_seen(demo_env, LUOSHI_DEMO_TODAY="2019-01-02", LUOSHI_ORG_NAME="秀洲区") == [
        True, "2019-01-02", "秀洲区",
    ]


def test_without_the_file_production_still_demands_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LUOSHI_", "DEBUG", "SECRET_KEY"))}
    env.update(DJANGO_SETTINGS_MODULE="luoshi.settings", LUOSHI_ENV_FILE=str(tmp_path / "missing.env"))
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr


def test_the_test_suite_ignores_the_demo_file():
    from django.conf import settings

    assert settings.LUOSHI_DEMO_TODAY is None
