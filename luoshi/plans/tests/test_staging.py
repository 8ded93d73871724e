"""Import previews wait in the shared storage, and the sweep removes those nobody confirmed within a day."""
import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from luoshi.jobs import sweep_run
from luoshi.plans.staging import staging_delete, staging_read, staging_save, staging_write


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_staged_file_reads_back_the_same_bytes_until_deleted(media):
    token = staging_save(content="南湖区2026年工作要点".encode())
    assert staging_read(token=token) == "南湖区2026年工作要点".encode()
    staging_delete(token=token)
    assert staging_read(token=token) is None


def test_a_token_that_is_not_ours_never_becomes_a_path(media):
    (media / "secret.txt").write_text("x")
    assert staging_read(token="../secret.txt") is None
    assert staging_read(token="0" * 31 + "/") is None


@pytest.mark.django_db
def test_the_sweep_removes_previews_older_than_a_day_and_keeps_fresh_ones(media):
    old = staging_save(content=b"old")
    fresh = staging_save(content=b"fresh")
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(f"staging/{old}"), (two_days_ago, two_days_ago))

    assert sweep_run().staged_files_removed == 1
    assert staging_read(token=old) is None
    assert staging_read(token=fresh) == b"fresh"
    assert sweep_run(now=timezone.now() + timedelta(days=1, minutes=1)).staged_files_removed == 1


def test_a_companion_file_is_replaced_in_place_and_deleted_with_its_suffix(media):
    token = staging_save(content=b"plan")
    staging_write(token=token, suffix=".outline.json", content=b"{}")
    staging_write(token=token, suffix=".outline.json", content=b'{"edited": true}')
    assert staging_read(token=token, suffix=".outline.json") == b'{"edited": true}'
    assert sorted(p.name for p in (media / "staging").iterdir()) == [token, f"{token}.outline.json"]
    staging_delete(token=token, suffix=".outline.json")
    assert staging_read(token=token, suffix=".outline.json") is None and staging_read(token=token) == b"plan"
    assert staging_read(token=token, suffix="/../../x") is None
