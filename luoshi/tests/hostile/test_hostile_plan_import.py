"""A hostile plan document imports without storing any text or number beyond its column, or is refused in Chinese."""
import pytest
from django.apps import apps
from django.db import models

from luoshi.plans.models import Plan
from luoshi.plans.services import PlanImportError, plan_import

pytestmark = pytest.mark.django_db

HOSTILE_PLAN = "\n".join([
    "南湖区2026年工作要点",
    "一、" + "加快建设" * 150,
    "（一）" + "推进" * 300,
    "1.新建幼儿园123456789012345678901234567890所，2026年底前完成。",
    "2.全区绿化覆盖率达到99999999999999999%，" + "并" * 700 + "。",
    "3.<script>alert(1)</script>=HYPERLINK(\"http://evil.example\")，6月底前完成。",
]).encode("utf-8")


def _overlong_values():
    """Every stored text longer than its column allows, and every decimal with more digits than it has."""
    found = []
    for model in apps.get_app_config("plans").get_models():
        for field in model._meta.concrete_fields:
            for pk, value in model.objects.values_list("pk", field.attname):
                if isinstance(field, models.CharField) and value and len(value) > field.max_length:
                    found.append((model.__name__, field.name, pk, len(value)))
                if isinstance(field, models.DecimalField) and value is not None:
                    if abs(value) >= 10 ** (field.max_digits - field.decimal_places):
                        found.append((model.__name__, field.name, pk, str(value)))
    return found


def test_a_plan_with_overlong_headings_and_giant_numbers_stores_nothing_beyond_its_columns(supervisor):
    try:
        plan = plan_import(name="南湖区2026年工作要点", year=2026, filename="要点.txt", content=HOSTILE_PLAN,
                           actor=supervisor)
    except PlanImportError as refused:
        assert "要点.txt" in str(refused)
        assert not Plan.objects.exists()
        return
    assert plan.tasks.count() == 3
    assert _overlong_values() == []
    # The number too big for the column is kept as written.
    assert plan.tasks.filter(indicators__target_text__contains="123456789012345678901234567890").exists()
    assert plan.sections.filter(title__contains="<script>alert(1)</script>").exists()

