"""Two people at the same moment: one 督办单 per red task, one pending extension request, no silent
overwrite of a unit. The database decides; the one who comes second reads why, in Chinese."""
import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from luoshi.accounts.models import Unit
from luoshi.accounts.services import StaleUnitEdit, unit_update
from luoshi.tracking import notices, services
from luoshi.tracking.models import ExtensionRequest, SupervisionNotice, TaskTrack
from luoshi.tracking.notices import notice_issue
from luoshi.tracking.services import extension_request
from luoshi.tracking.tests.report_world import task_of
from luoshi.tracking.tests.supervision_data import plan_make, task_make

AT_ONCE = 20
needs_concurrent_writers = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the SQLite test database is one in-memory file whose shared cache refuses a second writer "
    "at once instead of waiting; `make test` runs these on PostgreSQL",
)


def red_task(units):
    task = task_make(plan_make(year=2026), units["education"], title="建成区级科技孵化器2家", due=date(2026, 6, 30))
    TaskTrack.objects.create(task=task, light="red", percent=45, reasons=[{"code": "overdue", "light": "red", "text": "已超期 12 天"}])
    return task


def all_at_once(count: int, action) -> list:
    """Run ``action`` in ``count`` threads released together; what each returned or raised."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # noqa: BLE001 — the outcome under test
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def passing_once(monkeypatch, module, name, value):
    """The check before the insert passes once, as when a colleague's insert commits right after it ran."""
    real = getattr(module, name)
    calls = []

    def once(*args):
        calls.append(args)
        return value if len(calls) == 1 else real(*args)

    monkeypatch.setattr(module, name, once)


# ── The IntegrityError path, on both databases ───────────────────────────


@pytest.mark.django_db
def test_a_draft_sent_a_moment_after_a_colleagues_notice_is_refused_naming_it_and_stays_a_draft(
    client, units, supervisor, monkeypatch, settings
):
    settings.LUOSHI_DEMO_TODAY = date(2026, 7, 13)
    task = red_task(units)
    # A colleague's draft, made before the first notice was sent.
    draft = SupervisionNotice.objects.create(task=task, unit=task.lead_unit, status="draft",
                                             drafted_by=supervisor, reply_due=date(2026, 7, 20))
    first = SupervisionNotice.objects.create(task=task, unit=task.lead_unit, status="open", number="南湖督〔2026〕1号",
                                             issued_by=supervisor, reply_due=date(2026, 7, 20))
    passing_once(monkeypatch, notices, "_refuse_second_open_notice", None)
    client.force_login(supervisor)
    response = client.post(reverse("tracking:notice_send", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert f"该任务已有一份待反馈的督办单：{first.number}，由 督查室 王敏 签发。" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.number is None


@pytest.mark.django_db
@pytest.mark.usefixtures("april_3")
def test_an_extension_request_a_moment_after_a_colleagues_is_refused_in_chinese(client, plan, reporter_education,
                                                                                monkeypatch):
    task = task_of(plan, "education")
    extension_request(task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。")
    passing_once(monkeypatch, services, "_pending_extension_exists", False)
    client.force_login(reporter_education)
    response = client.post(reverse("tracking:extension_request", args=[task.pk]),
                           {"requested_due": "2027-06-30", "reason": "再延。"})
    assert response.status_code == 400
    assert "已有一份延期申请" in response.content.decode()
    assert ExtensionRequest.objects.filter(task=task).count() == 1


@pytest.mark.django_db
def test_a_unit_edit_based_on_a_stale_version_is_refused_and_changes_nothing(units, supervisor):
    unit = units["science"]
    unit_update(unit=unit, actor=supervisor, short_name="科技局", aliases=[], duties="先保存的", duty_keywords=[],
                expected_version=1)
    with pytest.raises(StaleUnitEdit):
        unit_update(unit=unit, actor=supervisor, short_name="科技局", aliases=[], duties="后保存的",
                    duty_keywords=[], expected_version=1)
    unit.refresh_from_db()
    assert (unit.duties, unit.version) == ("先保存的", 2)


@pytest.mark.django_db
def test_the_admin_refuses_to_save_a_unit_someone_changed_meanwhile(admin_client, units, supervisor):
    unit = units["science"]
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    unit_update(unit=unit, actor=supervisor, short_name="科技局", aliases=[], duties="同事刚保存", duty_keywords=[],
                expected_version=1)
    data = {"code": "science", "name": "区科技局", "short_name": "科技局", "aliases": "[]", "kind": unit.kind,
            "parent": "", "duties": "旧页面", "duty_keywords": "[]", "sort_order": 3, "is_active": "on",
            "version": 1}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "您打开此页面后，其他人修改了该单位" in response.content.decode()
    unit.refresh_from_db()
    assert unit.duties == "同事刚保存"

    data["version"] = 2
    assert admin_client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert (unit.duties, unit.version) == ("旧页面", 3)


# ── Real threads on PostgreSQL ───────────────────────────────────────────


@needs_concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_twenty_supervisors_issuing_at_once_make_one_notice(units, supervisor):
    task = red_task(units)
    outcomes = all_at_once(AT_ONCE, lambda: notice_issue(task=task, actor=supervisor, today=date(2026, 7, 13)))
    issued = [o for o in outcomes if isinstance(o, SupervisionNotice)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(issued), len(refused)) == (1, AT_ONCE - 1), outcomes
    assert all("待反馈的督办单" in " ".join(error.messages) for error in refused)
    assert SupervisionNotice.objects.filter(task=task).count() == 1
    # Only the notice that stands sent messages: the others' rolled back with them.
    assert issued[0].deliveries.count() == sum(n.deliveries.count() for n in SupervisionNotice.objects.all())


@needs_concurrent_writers
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("april_3")
def test_two_reporters_asking_for_an_extension_at_once_make_one_request(plan, reporter_education):
    task = task_of(plan, "education")
    outcomes = all_at_once(2, lambda: extension_request(
        task=task, actor=reporter_education, requested_due=date(2027, 3, 31), reason="征迁延后。"))
    assert sorted(type(o).__name__ for o in outcomes) == ["ExtensionRequest", "ValidationError"], outcomes
    assert ExtensionRequest.objects.filter(task=task, status="pending").count() == 1


@needs_concurrent_writers
@pytest.mark.django_db(transaction=True)
def test_of_twenty_simultaneous_unit_edits_one_is_saved_and_nineteen_are_told(units, supervisor):
    unit = units["science"]

    def edit():
        return unit_update(unit=Unit.objects.get(pk=unit.pk), actor=supervisor, short_name="科技局", aliases=[],
                           duties=f"{threading.get_ident()}", duty_keywords=[], expected_version=1)

    outcomes = all_at_once(AT_ONCE, edit)
    saved = [o for o in outcomes if isinstance(o, Unit)]
    assert len(saved) == 1 and sum(isinstance(o, StaleUnitEdit) for o in outcomes) == AT_ONCE - 1, outcomes
    unit.refresh_from_db()
    assert (unit.version, unit.duties) == (2, saved[0].duties)
