"""A supervisor downloads the task sheet, edits it, and imports it back, in Debian's chromium."""
import pytest

from luoshi.plans.tests.test_sheets import edited, make_plan, make_units

pytestmark = pytest.mark.browser


@pytest.fixture
def units(transactional_db):
    return make_units()


def test_a_supervisor_sees_the_bad_cells_then_applies_the_corrected_sheet(page, screenshot, login, supervisor, units,
                                                                          tmp_path):
    plan = make_plan(units)
    login(page, "supervisor")
    page.goto(page.base_url + f"/plans/{plan.pk}/sheet/")
    with page.expect_download() as download:
        page.click("a[href$='sheet.xlsx']")
    assert download.value.suggested_filename == "南湖区2026年工作要点任务分解表.xlsx"

    bad = tmp_path / "任务分解表.xlsx"
    bad.write_bytes(edited(plan, {(1, "牵头单位"): "区教委", (2, "完成时限"): "年底前", (3, "任务内容"): "保障经费"}))
    page.set_input_files("#id_file", str(bad))
    page.click("button[type=submit].primary")
    page.wait_for_load_state()

    rows = page.locator("table.sheet-errors tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).inner_text().split("\t")[:2] == ["第3行", "牵头单位"]
    assert "找不到单位“区教委”" in rows.nth(0).inner_text()
    assert "发现 2 处问题，未导入任何内容。" in page.inner_text(".sheet-result")
    assert page.locator("button[name=apply]").count() == 0
    screenshot(page, "errors")

    good = tmp_path / "任务分解表-改.xlsx"
    good.write_bytes(edited(plan, {(1, "牵头单位"): "区财政局", (3, "任务内容"): "保障经费"}))
    page.set_input_files("#id_file", str(good))
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator(".sheet-changes li").count() == 2
    assert "将修改 2 项任务" in page.inner_text(".sheet-result")
    screenshot(page, "preview")

    page.click("button[name=apply]")
    page.wait_for_load_state()

    assert page.url.endswith(f"/plans/{plan.pk}/")
    assert "任务分解表已导入：2 项任务已修改。" in page.inner_text(".messages")
    first, _second, third = plan.tasks.all()
    assert (first.lead_unit.code, third.title) == ("finance", "保障经费")
