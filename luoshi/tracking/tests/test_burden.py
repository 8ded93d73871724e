"""The burden figure (填报负担): reports, fields and files asked of each unit for a period, and delivered."""
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from luoshi.plans.models import Task
from luoshi.tracking.periods import period_for
from luoshi.tracking.services import report_submit
from luoshi.tracking.tests.report_world import PDF_BYTES, task_of, upload
from luoshi.tracking.updates import own_burden, unit_burden

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("april_3", "media")]


@pytest.fixture
def march(plan):
    return period_for(plan=plan, day=date(2026, 4, 3))


@pytest.fixture
def delivered(plan, march, reporter_education):
    """区教育局 reports its task with the milestone reached, the indicator's actual and one file; nobody else reports."""
    task = task_of(plan, "education")
    return report_submit(
        task=task, actor=reporter_education, period=march, percent=30, work_state="in_progress",
        narrative="完成选址。", milestone_ids=[task.milestones.get().pk], actuals={task.indicators.get().pk: "1"},
        files=[upload("照片.pdf", PDF_BYTES)],
    )


def figures(burden):
    return {b.unit.code: (b.reports_delivered, b.reports_asked, b.fields_delivered, b.fields_asked,
                          b.files_delivered, b.files_asked) for b in burden}


def test_known_numbers(plan, march, delivered):
    # 区教育局: 1 report; percent, narrative, 1 milestone, 1 indicator = 4 fields; the milestone is due
    # in March (31 March), so 1 file; all delivered. 凤桥镇 and 区科技局: 1 report, 2 fields, nothing delivered.
    assert figures(unit_burden(period=march)) == {
        "education": (1, 1, 4, 4, 1, 1),
        "fengqiao": (0, 1, 0, 2, 0, 0),
        "science": (0, 1, 0, 2, 0, 0),
    }
    # The most fields asked first.
    assert [b.unit.code for b in unit_burden(period=march)][0] == "education"


def test_a_task_due_within_the_period_asks_for_a_file_and_one_not_yet_started_asks_nothing(plan, march, units):
    fengqiao = task_of(plan, "fengqiao")
    Task.objects.filter(pk=fengqiao.pk).update(due_date=date(2026, 3, 20))
    Task.objects.create(plan=plan, measure=fengqiao.measure, title="下半年启动", lead_unit=units["fengqiao"],
                        start_date=date(2026, 7, 1), due_date=date(2026, 12, 31))
    assert figures(unit_burden(period=march))["fengqiao"] == (0, 1, 0, 2, 0, 1)


def test_the_queries_do_not_grow_with_the_tasks(plan, march, units):
    def count():
        with CaptureQueriesContext(connection) as captured:
            unit_burden(period=march)
        return len(captured)

    few = count()
    measure = task_of(plan, "education").measure
    for n in range(30):
        task = Task.objects.create(plan=plan, measure=measure, title=f"任务{n}", lead_unit=units["science"],
                                   due_date=date(2026, 12, 31))
        task.milestones.create(title="节点", due_date=date(2026, 3, 15))
        task.indicators.create(name="指标", target=1)
    assert count() == few
    assert figures(unit_burden(period=march))["science"] == (0, 31, 0, 2 * 31 + 60, 0, 30)


def test_a_reporter_sees_its_own_units_burden_on_my_updates(client, plan, delivered, reporter_education):
    assert figures(own_burden(user=reporter_education, today=date(2026, 4, 3))) == {"education": (1, 1, 4, 4, 1, 1)}
    client.force_login(reporter_education)
    page = client.get(reverse("tracking:my_updates")).content.decode()
    assert "本期填报负担" in page and "区教育局" in page and "4 / 4" in page
    assert "凤桥镇" not in page.split("本期填报负担")[1].split("</table>")[0]


def test_the_cockpit_shows_the_burden_table_to_readers_of_everything(client, plan, delivered, supervisor):
    client.force_login(supervisor)
    with time_machine.travel("2026-04-10 10:00 +08:00", tick=False):
        page = client.get(reverse("reports:cockpit", args=[plan.pk])).content.decode()
    section = page.split('id="burden-title"')[1].split("</section>")[0]
    assert "填报负担" in page and "2026年3月" in section
    assert section.index("区教育局") < section.index("凤桥镇")
    assert "1 / 1" in section and "4 / 4" in section and "0 / 2" in section
