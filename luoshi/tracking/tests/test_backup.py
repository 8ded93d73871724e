"""Back up the demo, wipe it, restore it: every plan, report, evidence file and audit entry comes back;
check-data finds nothing wrong with it and names what is wrong with a damaged one."""
import io
import json
import tarfile
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import override_settings

from luoshi.audit.models import AuditEntry
from luoshi.plans.models import Plan
from luoshi.plans.staging import staging_save
from luoshi.tracking.demo import DEMO_TODAY
from luoshi.tracking.models import Evidence, ProgressReport, TaskTrack

# The restore flushes and reloads the database; that needs it committed for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_settings(LUOSHI_DEMO_TODAY=DEMO_TODAY):
        call_command("demo", stdout=StringIO())
        yield


def picture() -> dict:
    """What a user would look for after a restore, by content rather than by count alone."""
    return {
        "plans": sorted(Plan.objects.values_list("id", "name")),
        "reports": sorted(ProgressReport.objects.values_list("id", "task_id", "period__label", "status", "percent")),
        "evidence": sorted(
            (e.id, e.original_name, e.sha256, default_storage.open(e.file.name, "rb").read())
            for e in Evidence.objects.all()
        ),
        "audit": sorted(AuditEntry.objects.values_list("id", "action", "object_type", "object_id", "at", "after")),
    }


def run(command, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_backup_of_the_demo_restores_every_plan_report_evidence_file_and_audit_entry(demo, tmp_path):
    before = picture()
    assert before["plans"] and before["reports"] and before["evidence"] and before["audit"]
    staging_save(content=b"an unconfirmed preview")
    archive = tmp_path / "luoshi.tar.gz"
    assert run("backup", str(archive)).startswith(f"已备份到 {archive}")

    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert manifest["rows"]["plans.plan"] == len(before["plans"])
    assert manifest["rows"]["audit.auditentry"] == len(before["audit"])
    assert {f["name"] for f in manifest["files"]} >= {Evidence.objects.first().file.name}
    assert not any(f["name"].startswith("staging/") for f in manifest["files"])

    # Wipe: the database and the files.
    call_command("flush", interactive=False, verbosity=0)
    for name in [f["name"] for f in manifest["files"]]:
        default_storage.delete(name)
    assert not Plan.objects.exists() and not AuditEntry.objects.exists()

    assert "已从" in run("restore", str(archive))
    assert picture() == before
    with override_settings(LUOSHI_DEMO_TODAY=DEMO_TODAY):
        assert run("check-data").startswith("数据检查通过：")


def test_restore_refuses_a_database_with_data_unless_forced(demo, tmp_path):
    archive = tmp_path / "luoshi.tar.gz"
    run("backup", str(archive))
    Plan.objects.update(name="恢复前改过的名字")
    with pytest.raises(CommandError, match="already holds data"):
        run("restore", str(archive))
    assert Plan.objects.filter(name="恢复前改过的名字").exists()
    run("restore", str(archive), "--force")
    assert not Plan.objects.filter(name="恢复前改过的名字").exists()


def test_a_damaged_archive_changes_nothing(demo, tmp_path):
    archive = tmp_path / "luoshi.tar.gz"
    run("backup", str(archive))
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/evidence/"):
                data = data[:-1] + b"!"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    plans = sorted(Plan.objects.values_list("id", flat=True))
    with pytest.raises(CommandError, match="does not match its checksum"):
        run("restore", str(damaged), "--force")
    assert sorted(Plan.objects.values_list("id", flat=True)) == plans


def test_backup_never_overwrites_an_existing_file(demo, tmp_path):
    archive = tmp_path / "luoshi.tar.gz"
    archive.write_bytes(b"yesterday's backup")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(archive))
    assert archive.read_bytes() == b"yesterday's backup"


def test_check_data_names_each_broken_invariant_and_exits_1(demo):
    evidence = Evidence.objects.first()
    default_storage.delete(evidence.file.name)
    track = TaskTrack.objects.filter(percent__gt=0).first()
    TaskTrack.objects.filter(pk=track.pk).update(percent=track.percent - 1)
    from luoshi.tracking.models import LightSnapshot

    snapshot = LightSnapshot.objects.select_related("period").first()
    snapshot.delete()

    out = StringIO()
    with override_settings(LUOSHI_DEMO_TODAY=DEMO_TODAY), pytest.raises(SystemExit) as exit_:
        call_command("check-data", stdout=out, stderr=StringIO())
    assert exit_.value.code == 1
    lines = out.getvalue().splitlines()
    assert f"佐证材料 {evidence.pk}「{evidence.original_name}」（报告 {evidence.report_id}）：文件 {evidence.file.name} 不存在" in lines
    assert any(line.startswith(f"任务 {track.task_id}「") and f"记录的进度 {track.percent - 1}%" in line for line in lines)
    assert any(snapshot.period.label in line and "1 项缺少红黄绿灯快照" in line for line in lines)
    assert len(lines) == 3
