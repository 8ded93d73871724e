import hashlib
from datetime import date

import pytest

from luoshi.api.services import token_create
from luoshi.plans.models import Measure, PlanSource
from luoshi.plans.services import SEED_PLAN_FILE, plan_import
from luoshi.plans.tests.sample_tasks import sample_plan


@pytest.fixture
def get(client, supervisor):
    _, raw = token_create(user=supervisor)

    def fetch(path):
        response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 200, response.content
        return response.json()

    return fetch


def test_a_plan_shows_its_programmes_and_the_checksum_of_its_latest_source(get, units):
    plan = sample_plan(units)
    for version, content in enumerate([b"first", "南湖区2018年工作要点".encode()], start=1):
        PlanSource.objects.create(
            plan=plan, version=version, filename=f"v{version}.txt", content=content,
            sha256=hashlib.sha256(content).hexdigest(), outline={},
        )

    body = get(f"/plans/{plan.pk}")

    assert body["name"] == "南湖区2018年工作要点" and body["year"] == 2018
    assert [p["name"] for p in body["programmes"]] == ["学在南湖", "最多跑一次"]
    assert body["source"] | {"uploaded": None} == {
        "version": 2, "filename": "v2.txt", "uploaded": None,
        "sha256": hashlib.sha256("南湖区2018年工作要点".encode()).hexdigest(),
    }


def test_a_measure_shows_its_sentence_deadline_targets_and_programmes(get, units):
    plan = sample_plan(units)
    measure = plan.measures.get(number="1.1.1")
    Measure.objects.filter(pk=measure.pk).update(
        deadline_text="年底前", deadline_end=date(2018, 12, 31), has_target=True,
        targets=[{"kind": "quantity", "text": "新建幼儿园3所", "value": 3, "unit": "所", "comparison": None}],
    )

    body = get(f"/measures/{measure.pk}")

    assert body["text"] == "全面推进教育现代化，新建幼儿园3所。"
    assert body["number"] == "1.1.1" and body["section_number"] == "1.1"
    assert body["deadline"] == {"text": "年底前", "start": None, "end": "2018-12-31"}
    assert body["targets"][0]["value"] == 3 and body["has_target"] is True
    assert body["programmes"] == ["学在南湖"]
    assert body["task_ids"] == [plan.tasks.get(measure=measure).pk]
    assert get(f"/measures/{plan.measures.get(number='1.1.2').pk}")["deadline"] is None


def test_the_seed_plan_imported_by_the_pipeline_reads_back_through_the_api(get, supervisor, units):
    plan = plan_import(
        name="南湖全力争当弘扬红船精神排头兵", year=2018, filename=SEED_PLAN_FILE.name,
        content=SEED_PLAN_FILE.read_bytes(), actor=supervisor,
    )

    tree = get(f"/plans/{plan.pk}/sections")
    measures = get(f"/plans/{plan.pk}/measures")
    tasks = get(f"/tasks?plan={plan.pk}&page_size=500")

    def walk(sections):
        for section in sections:
            yield section
            yield from walk(section["children"])

    in_tree = [m["id"] for s in walk(tree) for m in s["measures"]]
    assert sorted(in_tree) == sorted(m["id"] for m in measures) == sorted(plan.measures.values_list("id", flat=True))
    assert len(list(walk(tree))) == plan.sections.count()
    assert tasks["count"] == plan.tasks.count() >= len(measures)
    by_id = {m["id"]: m["text"] for m in measures}
    assert all(task["measure"]["text"] == by_id[task["measure"]["id"]] for task in tasks["items"])
