"""Load: 50 unit reporters submitting and 50 leaders reading at once, against gunicorn on PostgreSQL.

    .venv/bin/python bench/load.py [--seconds 60] [--reporters 50] [--leaders 50] [--workers 4]

Everything stays on this machine: a database of its own (``luoshi_load`` on
the PostgreSQL at 127.0.0.1:5432, dropped and made again), gunicorn on a
free port of 127.0.0.1 with production settings (DEBUG off, static files
collected), and ``luoshi db_worker`` beside it. The bench makes one plan
with one task per reporter per possible submission, so every accepted
submission is a new report row; each reporter posts reports for its unit's
tasks through ``POST /api/v1/reports`` and each leader reads task lists,
reports and plans through the API, each with its own token, for the given
time. It prints the requests, the errors (must be 0), the latency
percentiles, and the report rows in the database, which must equal the
successful submissions. The exit status is 1 when either fails.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432"
DATABASE = "luoshi_load"
TASKS_PER_REPORTER = 400


def pg_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
        return True
    except OSError:
        return False


def database_recreate() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")


def database_drop() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class World:
    reporter_tokens: list[tuple[str, list[int]]]  # token, the task ids it may report on
    leader_tokens: list[str]
    plan_id: int


def world_build(*, reporters: int, leaders: int) -> World:
    """Units, users, tokens and a plan with TASKS_PER_REPORTER tasks per reporter, straight through the ORM."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password

    from luoshi.accounts.models import Membership, Role, Unit, UnitKind, User
    from luoshi.api.services import token_create
    from luoshi.plans.models import Measure, Plan, Section, Task

    year = date.today().year
    unusable = make_password(None)
    units = Unit.objects.bulk_create(
        Unit(code=f"load-{n}", name=f"压测单位{n:02d}", kind=UnitKind.GOVERNMENT, sort_order=n) for n in range(reporters)
    )
    reporter_users = User.objects.bulk_create(
        User(username=f"reporter-load-{n}", role=Role.REPORTER, password=unusable) for n in range(reporters)
    )
    Membership.objects.bulk_create(Membership(user=u, unit=unit) for u, unit in zip(reporter_users, units))
    leader_users = User.objects.bulk_create(
        User(username=f"leader-load-{n}", role=Role.LEADER, password=unusable) for n in range(leaders)
    )
    plan = Plan.objects.create(name=f"压测规划{year}", year=year)
    section = Section.objects.create(plan=plan, number="1", level=1, label="一、", title="压测", position=0)
    measures = Measure.objects.bulk_create(
        Measure(plan=plan, section=section, number=f"1.{i + 1}", text=f"压测举措{i + 1}", text_key=f"load-{i}",
                position=i)
        for i in range(reporters * TASKS_PER_REPORTER)
    )
    tasks = Task.objects.bulk_create(
        Task(plan=plan, measure=measure, title=measure.text, lead_unit=units[i // TASKS_PER_REPORTER],
             start_date=date(year, 1, 1), due_date=date(year, 12, 31), weight=Decimal(1))
        for i, measure in enumerate(measures)
    )
    by_unit: dict[int, list[int]] = {}
    for task in tasks:
        by_unit.setdefault(task.lead_unit_id, []).append(task.pk)
    return World(
        reporter_tokens=[(token_create(user=u, days=1)[1], by_unit[unit.pk]) for u, unit in zip(reporter_users, units)],
        leader_tokens=[token_create(user=u, days=1)[1] for u in leader_users],
        plan_id=plan.pk,
    )


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    submissions: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None = None, submitted: bool = False) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)
            if submitted:
                self.submissions += 1


def call(base: str, token: str, path: str, payload: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if payload is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def reporter(base: str, token: str, task_ids: list[int], stop: threading.Event, tally: Tally) -> None:
    for task_id in task_ids:
        if stop.is_set():
            return
        payload = {"task": task_id, "percent": random.randint(5, 95), "work_state": "in_progress",
                   "narrative": "本月完成项目选址与方案论证，签约入驻企业3家。"}
        started = time.perf_counter()
        try:
            status, body = call(base, token, "/api/v1/reports", payload)
        except OSError as error:
            tally.record(time.perf_counter() - started, f"POST report: {error}")
            continue
        ok = status in (200, 201)
        tally.record(time.perf_counter() - started, None if ok else f"POST report {status}: {body[:200]!r}", ok)


def leader(base: str, token: str, plan_id: int, stop: threading.Event, tally: Tally) -> None:
    paths = [f"/api/v1/tasks?plan={plan_id}&page={{page}}", "/api/v1/reports", f"/api/v1/plans/{plan_id}",
             "/api/v1/plans"]
    while not stop.is_set():
        path = random.choice(paths).format(page=random.randint(1, 20))
        started = time.perf_counter()
        try:
            status, body = call(base, token, path)
        except OSError as error:
            tally.record(time.perf_counter() - started, f"GET {path}: {error}")
            continue
        tally.record(time.perf_counter() - started, None if status == 200 else f"GET {path} {status}: {body[:200]!r}")


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reporters", type=int, default=50)
    parser.add_argument("--leaders", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    args = parser.parse_args()
    if not pg_answers():
        print("SKIPPED bench/load.py: nothing answers on 127.0.0.1:5432 (it needs PostgreSQL)")
        return 0

    var = Path(tempfile.mkdtemp(prefix="luoshi-load-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LUOSHI_SSL_REDIRECT": "false",
        "LUOSHI_VAR_DIR": str(var),
        "LUOSHI_DB_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "luoshi.settings",
    }
    os.environ.update(env)
    database_recreate()
    processes: list[subprocess.Popen] = []
    try:
        world = world_build(reporters=args.reporters, leaders=args.leaders)
        base = f"http://127.0.0.1:{port}"
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "luoshi.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--timeout", "120", "--log-level", "warning"],
            env=env, cwd=ROOT,
        ))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "luoshi", "db_worker", "--interval", "1"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL,
        ))
        wait_until_up(base, processes[0])

        stop, tally = threading.Event(), Tally()
        threads = [threading.Thread(target=reporter, args=(base, token, ids, stop, tally))
                   for token, ids in world.reporter_tokens]
        threads += [threading.Thread(target=leader, args=(base, token, world.plan_id, stop, tally))
                    for token in world.leader_tokens]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started

        from luoshi.tracking.models import ProgressReport

        rows = ProgressReport.objects.count()
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        from django.db import connections

        connections.close_all()
        database_drop()

    requests = len(tally.latencies)
    print(f"{args.reporters} reporters and {args.leaders} leaders for {elapsed:.0f} s against gunicorn "
          f"-w {args.workers} on PostgreSQL, with db_worker running")
    print(f"requests: {requests} ({requests / elapsed:.1f}/s)")
    print(f"errors: {len(tally.errors)}")
    for error in tally.errors[:10]:
        print(f"  {error}")
    print(f"latency: median {statistics.median(tally.latencies) * 1000:.0f} ms, "
          f"p95 {percentile(tally.latencies, 0.95) * 1000:.0f} ms, max {max(tally.latencies) * 1000:.0f} ms")
    print(f"successful submissions: {tally.submissions}; report rows in the database: {rows}"
          f" ({'equal' if rows == tally.submissions else 'NOT EQUAL'})")
    exhausted = tally.submissions >= args.reporters * TASKS_PER_REPORTER
    if exhausted:
        print("note: reporters ran out of tasks before the time was up; raise TASKS_PER_REPORTER")
    return 0 if not tally.errors and rows == tally.submissions else 1


if __name__ == "__main__":
    sys.exit(main())
