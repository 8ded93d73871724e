"""Re-importing a revised plan: a diff by measure text; tasks of unchanged measures keep their ids and history."""
import pytest
from django.test import Client
from django.urls import reverse

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Measure, PlanSource, Task
from luoshi.plans.services import SEED_PLAN_FILE, PlanImportError, plan_import, plan_reimport, task_update
from luoshi.plans.tests.people import units  # noqa: F401
from luoshi.plans.tests.test_plan_pages import _upload

pytestmark = pytest.mark.django_db

SEED_TEXT = SEED_PLAN_FILE.read_text(encoding="utf-8")
CHANGED_OLD = "推动红船精神融入全区各行各业实际工作，设计好红船精神的践行载体。"
CHANGED_NEW = "推动红船精神融入全区各行各业实际工作，设计好红船精神的践行载体和宣传平台。"
REMOVED = "打造多层次、多元化、网络化的孵化集群。"
ADDED = "全面推行企业投资项目承诺制，新增投资项目开工50个。"
REVISED = (
    SEED_TEXT.replace("设计好红船精神的践行载体。", "设计好红船精神的践行载体和宣传平台。")
    .replace(REMOVED, "")
    .replace("全面盘活项目建设所需的土地、空间等各类要素保障。",
             "全面盘活项目建设所需的土地、空间等各类要素保障。" + ADDED)
).encode("utf-8")


@pytest.fixture
def plan(units, supervisor):
    return plan_import(name="南湖2018", year=2018, filename="v1.txt", content=SEED_PLAN_FILE.read_bytes(),
                       actor=supervisor)


def test_the_diff_lists_exactly_the_added_removed_and_changed_measures(plan, supervisor):
    diff = plan_reimport(plan=plan, filename="v2.txt", content=REVISED, actor=supervisor, dry_run=True)
    assert [m["text"] for _s, m in diff.added] == [ADDED]
    assert [m.text for m in diff.removed] == [REMOVED]
    assert [(old.text, new["text"]) for old, _s, new in diff.changed] == [(CHANGED_OLD, CHANGED_NEW)]
    assert len(diff.unchanged) == 33
    assert diff.version == 2


def test_a_dry_run_changes_nothing(plan, supervisor):
    before = (Measure.objects.count(), Task.objects.count(), PlanSource.objects.count(), AuditEntry.objects.count())
    plan_reimport(plan=plan, filename="v2.txt", content=REVISED, actor=supervisor, dry_run=True)
    after = (Measure.objects.count(), Task.objects.count(), PlanSource.objects.count(), AuditEntry.objects.count())
    assert before == after


def test_applying_keeps_tasks_and_history_of_unchanged_measures(plan, supervisor):
    original_ids = set(Task.objects.filter(plan=plan).values_list("pk", flat=True))
    kept = Task.objects.get(plan=plan, measure__text__startswith="加快网上网下融合的科技大市场建设")
    task_update(task=kept, actor=supervisor, changes={"supervising_leader": "张三"}, expected_version=1)
    history_before = list(AuditEntry.objects.filter(object_type="plans.task", object_id=str(kept.pk)))

    diff = plan_reimport(plan=plan, filename="v2.txt", content=REVISED, actor=supervisor, dry_run=False)

    assert diff.applied
    kept_after = Task.objects.get(pk=kept.pk)
    assert kept_after.supervising_leader == "张三"
    assert kept_after.measure_id == kept.measure_id
    assert kept_after.measure.number == "2.1.4"  # moved up: the measure before it was removed
    assert list(AuditEntry.objects.filter(object_type="plans.task", object_id=str(kept.pk))) == history_before
    assert original_ids <= set(Task.objects.filter(plan=plan).values_list("pk", flat=True))


def test_applying_adds_a_version_marks_removed_revises_changed_and_creates_added(plan, supervisor):
    removed_task = Task.objects.get(plan=plan, measure__text=REMOVED)
    changed_task = Task.objects.get(plan=plan, measure__text=CHANGED_OLD)
    plan_reimport(plan=plan, filename="v2.txt", content=REVISED, actor=supervisor, dry_run=False)

    source = plan.current_source
    assert (source.version, source.filename, bytes(source.content)) == (2, "v2.txt", REVISED)
    removed_task.refresh_from_db()
    assert removed_task.measure.removed_in_version == 2  # the task stays, shown as removed
    changed_task.refresh_from_db()
    assert changed_task.measure.text == CHANGED_NEW
    assert changed_task.title == CHANGED_NEW  # it was still the sentence, so it follows the revision
    added = Task.objects.get(plan=plan, measure__text=ADDED)
    assert added.due_date is not None
    assert added.suggested_lead_unit_id == added.lead_unit_id  # so that editing it learns without the suggester
    assert [(i.target, i.unit) for i in added.indicators.all()] == [(50, "个")]
    assert Task.objects.filter(plan=plan).count() == 36
    assert Measure.objects.filter(plan=plan, removed_in_version__isnull=True).count() == 35


def test_a_title_the_supervisor_shortened_is_not_overwritten_by_a_revision(plan, supervisor):
    task = Task.objects.get(plan=plan, measure__text=CHANGED_OLD)
    task_update(task=task, actor=supervisor, changes={"title": "设计红船精神践行载体"}, expected_version=1)
    plan_reimport(plan=plan, filename="v2.txt", content=REVISED, actor=supervisor, dry_run=False)
    task.refresh_from_db()
    assert task.title == "设计红船精神践行载体"


def test_a_rewrapped_document_differs_in_no_measure(plan, supervisor):
    rewrapped = SEED_TEXT.replace("\n\n", "\n").encode("utf-8")
    diff = plan_reimport(plan=plan, filename="v2.txt", content=rewrapped, actor=supervisor, dry_run=True)
    assert diff.is_empty
    assert len(diff.unchanged) == 35


def test_the_same_file_again_is_refused(plan, supervisor):
    with pytest.raises(PlanImportError, match="v1"):
        plan_reimport(plan=plan, filename="v1.txt", content=SEED_PLAN_FILE.read_bytes(), actor=supervisor,
                      dry_run=True)


def test_a_revision_that_fails_to_parse_changes_nothing(plan, supervisor):
    with pytest.raises(PlanImportError):
        plan_reimport(plan=plan, filename="v2.docx", content=b"PK\x03\x04 not really", actor=supervisor,
                      dry_run=False)
    assert PlanSource.objects.filter(plan=plan).count() == 1


def test_the_reimport_pages_show_the_diff_then_apply_it_on_confirm(plan, supervisor):
    client = Client()
    client.force_login(supervisor)
    assert reverse("plans:reimport", args=[plan.pk]) in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    response = client.post(reverse("plans:reimport", args=[plan.pk]), {"file": _upload("v2.txt", REVISED)})
    assert response.status_code == 302
    page = client.get(reverse("plans:reimport_preview", args=[plan.pk])).content.decode()
    assert ADDED in page and REMOVED in page and CHANGED_OLD in page and CHANGED_NEW in page
    assert PlanSource.objects.filter(plan=plan).count() == 1

    response = client.post(reverse("plans:reimport_preview", args=[plan.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert PlanSource.objects.filter(plan=plan).count() == 2
    tree = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'class="measure-row removed"' in tree


def test_a_new_objective_in_the_revision_joins_the_section_tree_with_its_measure(plan, supervisor):
    revised = SEED_TEXT.replace(
        "新时代开启新征程。", "实施“数字南湖”建设行动。加快政务数据共享，推进“掌上办事”全覆盖。\n\n新时代开启新征程。", 1
    ).encode("utf-8")
    diff = plan_reimport(plan=plan, filename="v2.txt", content=revised, actor=supervisor, dry_run=False)
    assert [m["text"] for _s, m in diff.added] == ["加快政务数据共享，推进“掌上办事”全覆盖。"]
    section = plan.sections.get(title="实施“数字南湖”建设行动")
    assert section.parent.label == "四、"
    assert section.level == 2
    assert [m.text for m in section.measures.all()] == ["加快政务数据共享，推进“掌上办事”全覆盖。"]
    assert plan.sections.count() == 4 + 16
    assert Task.objects.filter(measure__section=section).count() == 1
