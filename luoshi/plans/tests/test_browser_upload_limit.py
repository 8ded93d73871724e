"""A supervisor picks a plan document over the limit: the page says so at once and keeps what was typed."""
import pytest

from luoshi.plans.models import Plan

pytestmark = pytest.mark.browser


def test_an_oversized_plan_is_refused_before_sending_and_the_typed_fields_stay(
    transactional_db, page, screenshot, login, supervisor, settings, tmp_path
):
    settings.LUOSHI_MAX_UPLOAD_MB = 1
    big = tmp_path / "规划-扫描合订本.txt"
    big.write_bytes("加快推进。\n".encode() * 200_000)  # about 3 MB
    login(page, "supervisor")
    page.goto(page.base_url + "/plans/import/")
    page.fill("#id_name", "南湖区2027年工作要点")
    page.fill("#id_year", "2027")
    page.fill("#id_issuing_body", "南湖区人民政府")
    page.set_input_files("#id_file", str(big))
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    page.click("button[type=submit].primary")
    error = page.locator("ul.upload-limit")
    error.wait_for()
    assert "规划-扫描合订本.txt" in error.inner_text() and "1 MB" in error.inner_text()
    assert not sent
    assert page.input_value("#id_name") == "南湖区2027年工作要点"
    assert page.input_value("#id_year") == "2027"
    assert page.input_value("#id_issuing_body") == "南湖区人民政府"
    assert not Plan.objects.exists()
    screenshot(page, "too-big")
