import os

from django.core.management.base import BaseCommand

from luoshi.accounts.models import User
from luoshi.accounts.services import DEMO_PASSWORD, DEMO_UNITS_PATH, demo_setup
from luoshi.plans.services import SEED_PLAN_NAME, demo_plan_load
from luoshi.portal.services import portal_demo_publish
from luoshi.reports.circular import demo_circular_load
from luoshi.tracking.demo import DEMO_TODAY, demo_progress_load


class Command(BaseCommand):
    help = (
        "Set up the Nanhu demo: load the demo unit directory and create the demo logins "
        "(admin, supervisor, leader, reporter-<unit code>), all with the password "
        f"'{DEMO_PASSWORD}'. Safe to run again: what exists is left as it is.\n\n"
        "Example: DEBUG=true luoshi demo"
    )

    def handle(self, *args, **options):
        result = demo_setup(units_path=DEMO_UNITS_PATH, password=DEMO_PASSWORD)
        units = result.units
        self.stdout.write(
            f"Units: {len(units.created)} created, {len(units.updated)} updated, "
            f"{len(units.unchanged)} unchanged."
        )
        self.stdout.write(
            f"Users: {result.users_created} created, {result.users_existing} already there."
        )
        supervisor = User.objects.get(username="supervisor")
        # The seed plan goes through the same import a supervisor uses, so the
        # demo shows what the parser and the unit suggester really produce.
        plan = demo_plan_load(actor=supervisor)
        if plan is None:
            self.stdout.write(f"Plan: {SEED_PLAN_NAME} is already there.")
        else:
            self.stdout.write(f"Plan: {plan.name} imported with {plan.tasks.count()} tasks (id {plan.pk}).")

        # Half a year of reports, lights and a supervision notice, as of the
        # demo's fixed day (luoshi.tracking.demo explains why it is fixed).
        progress = demo_progress_load()
        if progress is not None:
            self.stdout.write(f"Progress: January–June 2018 reported; lights as of {DEMO_TODAY} (LUOSHI_DEMO_TODAY).")

        published = portal_demo_publish(actor=supervisor)
        if published:
            self.stdout.write(f"Public page: {published} tasks of parts 三 and 四 published at /public/.")

        circular = demo_circular_load(actor=supervisor, today=DEMO_TODAY)
        if circular is not None:
            self.stdout.write(f"Circular: {circular.filename} generated; download it at /cockpit/{circular.plan_id}/documents/.")

        # The logins come last, where the person who ran `make demo` looks.
        port = os.environ.get("PORT", "8000")
        staff = [login for login in result.logins if not login.unit]
        reporters = [login for login in result.logins if login.unit]
        width = max(len(login.username) for login in result.logins)
        lines = [
            "",
            "=" * 64,
            f"  Luoshi demo: http://127.0.0.1:{port}",
            f"  Password for every login: {DEMO_PASSWORD}",
            "",
        ]
        lines += [f"  {login.username:<{width}}  {login.display_name} ({login.role})" for login in staff]
        lines.append(f"  … and {len(reporters)} unit reporters, one per unit:")
        lines += [f"  {login.username:<{width}}  {login.unit}" for login in reporters]
        lines += ["=" * 64, ""]
        self.stdout.write("\n".join(lines))

