"""On SQLite the task worker waits for a busy database instead of dying with "database is locked"."""
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

pytestmark = [
    # Copying the in-memory test database needs it outside any transaction.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's locking only; PostgreSQL locks rows"),
]
# Longer than SQLite's own 5-second default, which is what the worker used to give up after.
HELD_SECONDS = 9


def test_the_worker_outlasts_a_writer_holding_the_database(tmp_path):
    path = tmp_path / "luoshi.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.ensure_connection()
        connection.connection.backup(copy)
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("BEGIN IMMEDIATE")  # what a burst of report submissions does, for longer
    release = threading.Timer(HELD_SECONDS, lambda: writer.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        worker = subprocess.run(
            [sys.executable, "-m", "luoshi", "db_worker", "--batch", "--interval", "0", "--no-startup-delay"],
            env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "SECRET_KEY": "", "DATABASE_URL": f"sqlite:///{path}",
                 "LUOSHI_VAR_DIR": str(tmp_path)},
            capture_output=True, text=True, timeout=120,
        )
    finally:
        release.join()
        writer.close()
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert "database is locked" not in worker.stderr
    # It did meet the lock: it could only finish after the writer let go.
    assert time.monotonic() - started >= HELD_SECONDS
