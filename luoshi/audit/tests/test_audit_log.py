"""The audit log keeps every change and can never be rewritten."""
import pytest

from luoshi.accounts.models import Unit
from luoshi.audit.models import AuditEntry
from luoshi.audit.selectors import audit_entries_for
from luoshi.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return Unit.objects.create(code="stats", name="区统计局", kind="government")


def test_it_records_who_changed_what_with_before_and_after(supervisor, unit):
    entry = audit_record(
        actor=supervisor, action="unit.update", obj=unit, before={"short_name": ""}, after={"short_name": "统计局"}
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.object_type, entry.object_id, entry.object_repr) == (
        supervisor,
        "accounts.unit",
        str(unit.pk),
        "区统计局",
    )
    assert (entry.before, entry.after) == ({"short_name": ""}, {"short_name": "统计局"})


def test_a_change_made_by_a_command_has_no_actor(unit):
    from django.contrib.auth.models import AnonymousUser

    assert audit_record(actor=None, action="unit.load", obj=unit).actor is None
    assert audit_record(actor=AnonymousUser(), action="unit.load", obj=unit).actor is None


def test_an_entry_cannot_be_changed_or_deleted(supervisor, unit):
    entry = audit_record(actor=supervisor, action="unit.update", obj=unit)
    entry.note = "rewritten"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.note == ""


def test_the_history_of_one_object_is_newest_first_and_leaves_others_out(supervisor, leader, unit):
    other = Unit.objects.create(code="audit-office", name="区审计局", kind="government")
    first = audit_record(actor=supervisor, action="unit.update", obj=unit)
    audit_record(actor=supervisor, action="unit.update", obj=other)
    second = audit_record(actor=leader, action="unit.update", obj=unit)
    assert list(audit_entries_for(obj=unit)) == [second, first]
