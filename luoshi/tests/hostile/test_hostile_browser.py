"""In Debian's chromium: hostile names stay text in the cockpit, and nothing inline runs under the CSP."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from luoshi.accounts.models import Unit
from luoshi.accounts.services import DEMO_PASSWORD
from luoshi.api.models import ApiToken
from luoshi.api.services import token_create
from luoshi.plans.models import Plan, Section
from luoshi.plans.services import SEED_PLAN_NAME
from luoshi.tracking.demo import DEMO_TODAY

pytestmark = pytest.mark.browser

CHARTS = (Path(django_settings.BASE_DIR) / "node_modules" / "echarts" / "dist" / "echarts.min.js").exists()
PAYLOAD = "<img src=x onerror=window.__xss=1>"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.mark.skipif(not CHARTS, reason="ECharts is not installed (npm ci): the cockpit shows tables only")
def test_a_hostile_unit_name_and_objective_title_stay_text_in_the_cockpit_tooltips(
    transactional_db, page, login, settings
):
    settings.LUOSHI_DEMO_TODAY = DEMO_TODAY
    call_command("demo", stdout=StringIO())
    plan = Plan.objects.get(name=SEED_PLAN_NAME)
    for number, unit in enumerate(Unit.objects.order_by("pk"), start=1):
        Unit.objects.filter(pk=unit.pk).update(name=f"{PAYLOAD}{number}")
    for section in Section.objects.filter(plan=plan):
        Section.objects.filter(pk=section.pk).update(title=f"<script>window.__xss=2</script>{PAYLOAD}{section.pk}")

    page.add_init_script(RECORD_VIOLATIONS)
    login(page, "leader", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("reports:cockpit", args=[plan.pk]))
    shown = []
    for chart in ("objectives", "units"):
        canvas = page.locator(f"[data-chart={chart}] canvas").first
        canvas.wait_for()
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        for step in range(1, 10):
            page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * step / 10)
            page.wait_for_timeout(100)
            shown.append(page.locator(f"[data-chart={chart}]").inner_text())
    assert any("<img src=x onerror=window.__xss=1>" in text for text in shown)  # the label, shown as text
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []


def test_revoking_a_token_asks_first_with_the_scripts_allowed_by_the_policy(transactional_db, page, login, supervisor):
    token, _raw = token_create(user=supervisor, name="对接系统")
    page.add_init_script(RECORD_VIOLATIONS)
    login(page, "supervisor")
    page.goto(page.base_url + reverse("api_tokens:list"))
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="吊销").click()
    page.wait_for_timeout(300)
    assert ApiToken.objects.get(pk=token.pk).revoked is None
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="吊销").click()
    page.wait_for_load_state()
    assert ApiToken.objects.get(pk=token.pk).revoked is not None
    assert len(questions) == 2 and token.prefix in questions[0]
    assert page.evaluate("window.__violations") == []
