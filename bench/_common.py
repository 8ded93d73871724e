"""What the PostgreSQL benches share: the server on loopback, a database of their own, Django set up on it.

Each bench runs as ``.venv/bin/python bench/NAME.py``, so this folder is on
the import path and ``from _common import …`` finds this module.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HOST, PORT = "127.0.0.1", 5432


def postgres_answers() -> bool:
    try:
        socket.create_connection((HOST, PORT), 2).close()
        return True
    except OSError:
        return False


def psql(sql: str, *, capture: bool = False) -> str:
    """Run ``sql`` as the postgres user on the server's own database; its output when ``capture``."""
    done = subprocess.run(
        ["psql", "-h", HOST, "-U", "postgres", "-d", "postgres", "-tAq", "-c", sql],
        check=True, capture_output=capture, text=True,
    )
    return (done.stdout or "").strip()


def database_ready(name: str, *, keep: bool = False) -> bool:
    """Make the bench's database empty, or with ``keep`` reuse it if it exists; True when it was reused."""
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True) == "1"
    if exists and not keep:
        psql(f"DROP DATABASE {name}")
        exists = False
    if not exists:
        psql(f"CREATE DATABASE {name}")
    return exists


def django_on(name: str, *, client: bool = False) -> None:
    """Set Django up on database ``name`` with the test settings; ``client`` lets the test client's host in."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.settings_test")
    os.environ["DATABASE_URL"] = f"postgres://postgres@{HOST}:{PORT}/{name}"
    if client:
        os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()


def one_connection() -> None:
    """Keep one database connection across test-client requests, as Django's own tests do: pages are timed, not connecting."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
