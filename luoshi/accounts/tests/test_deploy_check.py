"""`luoshi check --deploy` with production settings prints no warnings."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def run_check(tmp_path, **overrides):
    # A clean environment: the test run's own variables (DJANGO_SETTINGS_MODULE,
    # the browser harness's DJANGO_ALLOW_ASYNC_UNSAFE) are not production's.
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "SYSTEMROOT") if k in os.environ}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="luoshi.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        LUOSHI_VAR_DIR=str(tmp_path),
        # Not the demo's settings file, should `make demo` have written one.
        LUOSHI_ENV_FILE="",
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-m", "luoshi", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
