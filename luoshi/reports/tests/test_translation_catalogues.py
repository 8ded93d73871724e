"""Every translation catalogue passes gettext's own check (msgfmt -c).

Django's compilemessages runs msgfmt with --check-format only, so a catalogue
that gettext itself rejects (a second plural form when Chinese has one) still
compiles there and is only caught by a translator's tools, or not at all.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))


def plural_count(text):
    match = re.search(r"nplurals\s*=\s*(\d+)", text)
    return int(match.group(1)) if match else 2


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_catalogue_has_more_plural_forms_than_its_language(po):
    text = po.read_text(encoding="utf-8")
    allowed = plural_count(text)
    extra = [int(n) for n in re.findall(r"^msgstr\[(\d+)\]", text, flags=re.M) if int(n) >= allowed]
    assert not extra, f"{po}: msgstr[{extra[0]}] but nplurals={allowed}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalogue_passes_msgfmt_check(po):
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_catalogues_were_found():
    assert len(CATALOGUES) >= 6
