"""A measure whose text names its units gets those units; the suggester guesses only where none are named."""
import pytest

from luoshi.plans.models import Section, Task
from luoshi.plans.services import outline_preview, plan_import
from luoshi.plans.sheets import task_sheet_rows
from luoshi.plans.tests.people import units  # noqa: F401

pytestmark = pytest.mark.django_db


def _measure(mid: str, text: str, clause: str = "", lead=(), co=(), form="inline", deadline=None) -> dict:
    responsibility = {"clause": clause, "lead": list(lead), "co": list(co), "form": form} if clause else None
    return {"id": mid, "text": text, "targets": [], "deadline": deadline, "programmes": [], "has_target": False,
            "responsibility": responsibility}


def _outline(*measures, appendices=()) -> dict:
    return {
        "title": "凤桥镇2027年工作要点",
        "sections": [{"id": "1", "level": 1, "label": "一、", "title": "聚焦产业发展", "intro": "",
                      "measures": list(measures), "sections": []}],
        "appendices": list(appendices),
        "warnings": [],
    }


CLAUSE = "（牵头单位：区发改委；配合单位：区财政局、各街镇）"


def test_the_named_lead_and_co_units_are_proposed_with_the_clause_as_the_reason(units):
    outline = _outline(_measure("1.1", "推进重大项目建设，完善项目全生命周期管理。", CLAUSE, ["区发改委"], ["区财政局", "各街镇"]))
    [proposal] = outline_preview(outline=outline, year=2027).proposals
    assert proposal.stated
    assert proposal.lead.unit_name == "区发展和改革局"
    assert [c.unit_name for c in proposal.co] == ["区财政局"]
    assert proposal.reason == f"按原文：{CLAUSE}"
    assert proposal.placeholders == ["各街镇"]
    assert proposal.unmatched == []


def test_without_a_named_lead_the_first_listed_unit_leads_and_the_reason_says_so(units):
    outline = _outline(_measure("1.1", "加强义务教育阶段学校建设，扩大优质学位供给。", "（区教育局、区财政局）", [],
                                ["区教育局", "区财政局"]))
    [proposal] = outline_preview(outline=outline, year=2027).proposals
    assert proposal.lead.unit_name == "区教育局"
    assert [c.unit_name for c in proposal.co] == ["区财政局"]
    assert "按列出顺序" in proposal.reason and "区教育局" in proposal.reason


def test_a_name_outside_the_directory_is_kept_flagged_and_not_replaced_by_a_guess(units):
    clause = "（责任单位：镇乡村振兴服务中心，配合单位：区教育局）"
    outline = _outline(_measure("1.1", "实施义务教育学校结对帮扶，推动城乡教育均衡发展。", clause,
                                ["镇乡村振兴服务中心"], ["区教育局"]))
    [proposal] = outline_preview(outline=outline, year=2027).proposals
    # The suggester would pick 区教育局 as lead from the words; the clause names another lead.
    assert proposal.lead is None
    assert [c.unit_name for c in proposal.co] == ["区教育局"]
    assert [u["name"] for u in proposal.unmatched] == ["镇乡村振兴服务中心"]
    assert any("镇乡村振兴服务中心" in w for w in proposal.warnings)


def test_a_measure_naming_no_unit_is_left_to_the_suggester(units):
    outline = _outline(_measure("1.1", "全面推进义务教育优质均衡发展，新建改扩建中小学校3所。"))
    [proposal] = outline_preview(outline=outline, year=2027).proposals
    assert proposal.source == "suggested"
    assert proposal.lead is not None and proposal.lead.unit_name == "区教育局"


def test_the_preview_warns_next_to_short_long_and_undated_measures(units):
    outline = _outline(
        _measure("1.1", "工作要求。"),
        _measure("1.2", "推进" + "产业园区提质增效，" * 40 + "年内完成。",
                 deadline={"text": "年内", "start": "2027-01-01", "end": "2027-12-31", "kind": "year"}),
        _measure("1.3", "加快推进农村人居环境整治提升，建设美丽乡村示范村。"),
    )
    short, long, undated = outline_preview(outline=outline, year=2027).proposals
    assert any("5" in w and "标题" in w for w in short.warnings)
    assert any("拆分" in w for w in long.warnings)
    assert not any("时限" in w for w in long.warnings)
    assert any("时限" in w for w in undated.warnings)


def test_importing_saves_the_clause_and_unmatched_names_on_the_task_and_in_the_task_sheet(units, supervisor):
    clause = "（牵头单位：区发改委、镇招商服务中心；配合单位：区财政局）"
    outline = _outline(_measure("1.1", "推进重大项目建设，完善项目全生命周期管理。", clause,
                                ["区发改委", "镇招商服务中心"], ["区财政局"]))
    plan = plan_import(name="凤桥镇2027年工作要点", year=2027, filename="plan.txt", content=b"x", actor=supervisor,
                       outline=outline)
    task = Task.objects.get(plan=plan)
    assert task.lead_unit == units["development"]
    assert task.suggested_lead_unit == units["development"]
    assert set(task.co_units.values_list("name", flat=True)) == {"区财政局"}
    assert task.unit_text == clause
    assert task.unmatched_units == ["镇招商服务中心"]
    [row] = task_sheet_rows(plan=plan)
    assert row.stated_units == f"{clause}（名录中无：镇招商服务中心）"


def test_the_task_page_shows_the_clause_and_the_names_not_in_the_directory(units, supervisor, client):
    clause = "（责任单位：镇招商服务中心，配合单位：区财政局）"
    outline = _outline(_measure("1.1", "推进重大项目建设，完善项目全生命周期管理。", clause, ["镇招商服务中心"], ["区财政局"]))
    plan = plan_import(name="凤桥镇2027年工作要点", year=2027, filename="plan.txt", content=b"x", actor=supervisor,
                       outline=outline)
    client.force_login(supervisor)
    page = client.get(f"/plans/tasks/{Task.objects.get(plan=plan).pk}/").content.decode()
    assert clause in page
    assert "镇招商服务中心" in page.split("unmatched-units", 1)[1]


def test_appendix_sections_are_saved_after_the_body_and_flagged(units, supervisor, client):
    appendix = {"id": "A1", "level": 1, "label": "附件", "title": "重点任务分解表", "intro": "", "appendix": True,
                "measures": [_measure("A1.1", "完成老旧小区综合改造20个。", "区住建局\n\n区财政局", ["区住建局"], ["区财政局"],
                                      form="table")],
                "sections": []}
    outline = _outline(_measure("1.1", "推进重大项目建设，完善项目全生命周期管理。"), appendices=[appendix])
    plan = plan_import(name="凤桥镇2027年工作要点", year=2027, filename="plan.txt", content=b"x", actor=supervisor,
                       outline=outline)
    body, annex = Section.objects.filter(plan=plan).order_by("position")
    assert not body.is_appendix
    assert annex.is_appendix and annex.title == "重点任务分解表"
    task = Task.objects.get(measure__section=annex)
    assert task.lead_unit.name == "区住房和城乡建设局"
    assert task.unit_text == "区住建局\n\n区财政局"
    [proposal] = [p for p in outline_preview(outline=outline, year=2027).proposals if p.measure["id"] == "A1.1"]
    assert proposal.reason == "按原文：区住建局／区财政局"
    client.force_login(supervisor)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    appendix_heading = page.split(f'id="section-{annex.pk}"', 1)[1].split("</h2>", 1)[0]
    assert "附件" in appendix_heading and "重点任务分解表" in appendix_heading
    assert "附件" not in page.split(f'id="section-{body.pk}"', 1)[1].split("</h2>", 1)[0]


def test_a_parser_warning_about_one_section_is_shown_beside_it_not_at_the_top(units):
    outline = _outline(_measure("1.1", "推进重大项目建设，完善项目全生命周期管理。"))
    outline["warnings"] = [
        {"code": "numbering_jump", "message": "编号从 （二） 跳到了 （四）", "section_id": "1", "context": {}},
        {"code": "no_sections", "message": "没有找到可识别的标题", "section_id": "", "context": {}},
    ]
    preview = outline_preview(outline=outline, year=2027)
    assert preview.section_warnings == {"1": ["编号从 （二） 跳到了 （四）"]}
    assert "没有找到可识别的标题" in preview.warnings
    assert "编号从 （二） 跳到了 （四）" not in preview.warnings


def test_when_the_first_listed_unit_is_unknown_the_lead_stays_open_instead_of_passing_to_the_second(units):
    clause = "（责任单位：区建设管理委、区财政局，各街镇）"
    outline = _outline(_measure("1.1", "全域推进海绵城市项目建设，完善排水防涝设施。", clause, [],
                                ["区建设管理委", "区财政局", "各街镇"]))
    [proposal] = outline_preview(outline=outline, year=2027).proposals
    assert proposal.lead is None
    assert [c.unit_name for c in proposal.co] == ["区财政局"]
    assert [u["name"] for u in proposal.unmatched] == ["区建设管理委"]
    assert proposal.placeholders == ["各街镇"]
