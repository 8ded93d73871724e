"""Settings for the test suite: the production settings plus a throwaway key.

``DATABASE_URL`` still chooses the backend, so ``make test`` runs the same
suite on SQLite and on PostgreSQL.
"""
import os

os.environ.setdefault("SECRET_KEY", "luoshi-test-suite-only-" + "k" * 40)
# The demo's settings file (var/luoshi.env) must not leak its fixed day or
# DEBUG into the tests.
os.environ["LUOSHI_ENV_FILE"] = ""

from luoshi.settings import *  # noqa: E402,F403

VAR_DIR = VAR_DIR / "test"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "media"
# Tests serve static files through the finders; there is nothing collected.
STATIC_ROOT = None
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Argon2 is slow on purpose; the suite logs people in thousands of times. The
# test of the production hasher restores the production list itself.
PRODUCTION_PASSWORD_HASHERS = PASSWORD_HASHERS  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_PASSWORD_HASHERS]
