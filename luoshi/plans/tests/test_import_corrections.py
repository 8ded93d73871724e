"""Correcting the parsed outline on the preview, before anything is saved."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.plans.models import Plan, PlanSource, Task
from luoshi.plans.services import (
    OutlineEditError,
    outline_measure_drop,
    outline_measure_edit,
    outline_measure_merge,
    outline_measure_split,
    outline_measure_to_heading,
    outline_measures,
    outline_preview,
)
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db


def _measure(mid, text, responsibility=None):
    return {"id": mid, "text": text, "targets": [], "deadline": None, "programmes": [], "has_target": False,
            "responsibility": responsibility}


def _outline():
    return {"title": "凤桥镇2027年工作要点", "warnings": [], "sections": [
        {"id": "1", "level": 1, "label": "一、", "title": "聚焦产业发展", "intro": "", "sections": [], "measures": [
            _measure("1.1", "推进重大项目建设。"),
            _measure("1.2", "完善项目全生命周期管理，6月底前出台实施细则。",
                     {"clause": "（牵头单位：区发改委）", "lead": ["区发改委"], "co": [], "form": "inline"}),
            _measure("1.3", "二、加强社会治理"),
            _measure("1.4", "深化网格化管理。年内建成智慧平安小区20个。"),
        ]},
    ]}


def _texts(outline):
    return [m["text"] for _s, m in outline_measures(outline)]


def test_merging_joins_a_measure_onto_the_one_above_and_keeps_its_clause():
    merged = outline_measure_merge(outline=_outline(), measure_id="1.2", year=2027)
    first = merged["sections"][0]["measures"][0]
    assert first["text"] == "推进重大项目建设。完善项目全生命周期管理，6月底前出台实施细则。"
    assert first["responsibility"]["lead"] == ["区发改委"]
    assert first["deadline"]["text"] == "6月底前"
    assert [m["id"] for _s, m in outline_measures(merged)] == ["1.1", "1.2", "1.3"]


def test_the_first_measure_cannot_be_merged_upwards():
    with pytest.raises(OutlineEditError, match="第一"):
        outline_measure_merge(outline=_outline(), measure_id="1.1", year=2027)


def test_splitting_cuts_after_the_chosen_sentence_and_reads_each_part_again():
    split = outline_measure_split(outline=_outline(), measure_id="1.4", at=1, year=2027)
    assert _texts(split)[3:] == ["深化网格化管理。", "年内建成智慧平安小区20个。"]
    last = outline_measures(split)[-1][1]
    assert last["has_target"] and last["deadline"]["text"] == "年内"
    assert not outline_measures(split)[3][1]["has_target"]


def test_a_split_point_outside_the_measure_is_refused():
    with pytest.raises(OutlineEditError):
        outline_measure_split(outline=_outline(), measure_id="1.1", at=1, year=2027)


def test_dropping_leaves_the_measure_out_and_the_original_untouched():
    original = _outline()
    dropped = outline_measure_drop(outline=original, measure_id="1.1")
    assert _texts(dropped) == _texts(original)[1:]
    assert len(original["sections"][0]["measures"]) == 4


def test_a_measure_made_a_heading_takes_the_measures_after_it():
    fixed = outline_measure_to_heading(outline=_outline(), measure_id="1.3")
    part = fixed["sections"][0]
    assert [m["text"] for m in part["measures"]] == ["推进重大项目建设。", "完善项目全生命周期管理，6月底前出台实施细则。"]
    [heading] = part["sections"]
    assert (heading["label"], heading["title"], heading["level"]) == ("二、", "加强社会治理", 2)
    assert [m["text"] for m in heading["measures"]] == ["深化网格化管理。年内建成智慧平安小区20个。"]
    assert heading["measures"][0]["id"] == f"{heading['id']}.1"


def test_units_and_due_date_chosen_on_the_preview_win_over_the_clause(units):
    edited = outline_measure_edit(outline=_outline(), measure_id="1.2", year=2027, units_chosen=True,
                                  lead_unit_id=units["finance"].pk, co_unit_ids=[units["education"].pk],
                                  due_date=date(2027, 9, 30))
    proposal = outline_preview(outline=edited, year=2027).proposal_for("1.2")
    assert proposal.source == "chosen"
    assert proposal.lead.unit_name == "区财政局"
    assert [c.unit_name for c in proposal.co] == ["区教育局"]
    assert proposal.due_date == date(2027, 9, 30)
    assert not any("时限" in w for w in proposal.warnings)


def test_an_empty_text_is_refused_with_a_hint_to_drop_instead():
    with pytest.raises(OutlineEditError, match="删除"):
        outline_measure_edit(outline=_outline(), measure_id="1.1", year=2027, text="   ")


# ---------------------------------------------------------------- the preview page

PLAN = """2027年凤桥镇工作要点

一、聚焦产业发展
（一）推进重大项目建设。完善项目全生命周期管理。
（二）提升营商环境。6月底前出台惠企政策。
（三）抄送：区委办、区府办
""".encode()


@pytest.fixture
def staged(client, supervisor, units):
    client.force_login(supervisor)
    response = client.post(reverse("plans:import"), {
        "name": "凤桥镇2027年工作要点", "year": 2027, "issuing_body": "凤桥镇人民政府",
        "file": SimpleUploadedFile("fq.txt", PLAN, content_type="text/plain"),
    })
    assert response.status_code == 302
    return client


def _preview_ids(client):
    page = client.get(reverse("plans:import_preview")).content.decode()
    return [chunk.split('"', 1)[0] for chunk in page.split('data-measure="')[1:]]


def test_corrections_on_the_page_are_what_the_confirmation_saves(staged, units):
    client = staged
    first, second, third = _preview_ids(client)
    url = reverse("plans:import_preview")
    assert client.post(url, {"action": "drop", "measure": third}).status_code == 302
    client.post(url, {"action": "merge", "measure": second})
    [only] = _preview_ids(client)
    client.post(url, {"action": "edit", "measure": only, "lead": units["commerce"].pk, "lead_shown": "",
                      "text": "推进重大项目建设。提升营商环境。"})
    assert Plan.objects.count() == 0
    page = client.get(url).content.decode()
    assert "在预览中选定" in page and "区委办、区府办" not in page

    client.post(url, {"confirm": "1"})
    plan = Plan.objects.get()
    task = Task.objects.get(plan=plan)
    assert task.title == "推进重大项目建设。提升营商环境。"
    assert task.lead_unit == units["commerce"]
    assert bytes(PlanSource.objects.get(plan=plan).content) == PLAN


def test_a_correction_that_cannot_apply_is_explained_and_changes_nothing(staged):
    client = staged
    first, *_rest = _preview_ids(client)
    response = client.post(reverse("plans:import_preview"), {"action": "merge", "measure": first}, follow=True)
    assert "第一" in response.content.decode()
    assert _preview_ids(client) == [first, *_rest]


def test_a_unit_outside_the_directory_is_refused(staged):
    client = staged
    first, *_rest = _preview_ids(client)
    response = client.post(reverse("plans:import_preview"),
                           {"action": "edit", "measure": first, "lead": "999999"}, follow=True)
    assert "名录" in response.content.decode()


def test_correcting_only_the_text_keeps_the_proposed_units_and_deadline_unpinned(staged, units):
    client = staged
    first, *_rest = _preview_ids(client)
    client.post(reverse("plans:import_preview"), {
        "action": "edit", "measure": first, "text": "完善项目全生命周期管理，9月底前出台实施细则。",
        "lead": units["development"].pk, "lead_shown": units["development"].pk, "co_shown": "",
        "due_date": "2027-12-31", "due_shown": "2027-12-31",
    })
    outline = client.get(reverse("plans:import_preview")).context["preview"].outline
    measure = outline["sections"][0]["sections"][0]["measures"][0]
    assert "units" not in measure and "due_date" not in measure
    assert measure["deadline"]["text"] == "9月底前"


def test_the_confirm_button_is_at_the_top_and_at_the_bottom(staged):
    page = staged.get(reverse("plans:import_preview")).content.decode()
    assert 'id="confirm-top"' in page and 'id="confirm-bottom"' in page
    assert page.index('id="confirm-top"') < page.index("data-measure=") < page.index('id="confirm-bottom"')


def test_cancelling_removes_the_staged_outline_too(staged, settings):
    from pathlib import Path

    outline = Path(settings.MEDIA_ROOT) / "staging" / f"{staged.session['plan_import']['token']}.outline.json"
    assert outline.is_file()
    staged.post(reverse("plans:import_preview"), {"cancel": "1"})
    assert not outline.exists()


def test_leaders_and_reporters_may_not_correct_a_preview(client, leader, reporter_education, reporter_fengqiao):
    for user in (leader, reporter_education, reporter_fengqiao):
        client.force_login(user)
        response = client.post(reverse("plans:import_preview"), {"action": "drop", "measure": "1.1.1"})
        assert response.status_code == 403


def test_anonymous_corrections_are_sent_to_log_in(client):
    response = client.post(reverse("plans:import_preview"), {"action": "drop", "measure": "1.1.1"})
    assert response.status_code == 302 and "/login/" in response.url
