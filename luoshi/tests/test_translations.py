"""Every string is Chinese: no catalogue holds an untranslated or fuzzy entry, and
``make messages`` keeps every working translation while finding every string of the code."""
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = "locale/zh_Hans/LC_MESSAGES/django.po"


def _catalogues(root: Path) -> list[Path]:
    return sorted([root / "luoshi" / CATALOGUE, *(root / "luoshi").glob("*/" + CATALOGUE)])


def _po_entries(po: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry but the header; multi-line strings joined, a context prefixed."""
    entries, current, field, fuzzy = [], {}, None, False

    def flush():
        if "msgid" in current:
            # A context is part of the key, as in the compiled catalogue.
            key = f"{current['msgctxt']}\x04{current['msgid']}" if "msgctxt" in current else current["msgid"]
            entries.append((key, current.get("msgstr", ""), fuzzy))

    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#~"):
            continue
        # An entry ends at a blank line, or where the next one starts (msgfmt needs no blank line).
        if not line.strip() or ("msgstr" in current and line.startswith(("#", "msgctxt ", "msgid "))):
            flush()
            current, field, fuzzy = {}, None, False
        if line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith(("msgid ", "msgstr ", "msgctxt ", "msgid_plural ", "msgstr[")):
            field, _, value = line.partition(" ")
            field = "msgstr" if field.startswith("msgstr") else field
            current[field] = current.get(field, "") + value.strip()[1:-1]
        elif line.startswith('"') and field:
            current[field] += line.strip()[1:-1]
    return [entry for entry in entries if entry[0] and not entry[0].endswith("\x04")]


def _compiled(fh) -> dict[str, str]:
    """msgid → translation of a compiled catalogue; a plural entry by its singular msgid."""
    return {(k[0] if isinstance(k, tuple) else k): v for k, v in gettext.GNUTranslations(fh)._catalog.items() if k}


def _translated(root: Path) -> dict[str, str]:
    """Every msgid some catalogue translates (Django merges them all at run time), as msgfmt compiles it."""
    found = {}
    for po in _catalogues(root):
        mo = po.with_suffix(".checked.mo")
        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
        with mo.open("rb") as fh:
            found.update(_compiled(fh))
        mo.unlink()
    return found


def test_every_catalogue_entry_is_translated_and_none_is_fuzzy():
    problems = [
        f"{po.relative_to(ROOT)}: {'fuzzy' if fuzzy else 'untranslated'} “{msgid}”"
        for po in _catalogues(ROOT)
        for msgid, msgstr, fuzzy in _po_entries(po)
        if fuzzy or not msgstr
    ]
    assert problems == []


def test_each_compiled_catalogue_matches_its_source():
    if not shutil.which("msgfmt"):
        pytest.skip("gettext is not installed (make system-deps)")
    for po in _catalogues(ROOT):
        compiled = po.with_suffix(".mo")
        with compiled.open("rb") as fh:
            shipped = _compiled(fh)
        expected = {msgid: msgstr for msgid, msgstr, fuzzy in _po_entries(po) if msgstr and not fuzzy}
        missing = sorted(set(expected) - set(shipped))
        assert missing == [], f"{compiled.relative_to(ROOT)} is older than its .po: msgfmt -o {compiled} {po}"


def test_make_messages_keeps_every_translation_and_finds_every_string(tmp_path):
    if not (shutil.which("make") and shutil.which("msgmerge")):
        pytest.skip("make or gettext is not installed (make system-deps)")
    tree = tmp_path / "tree"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    tree.mkdir()
    for name in filter(None, files.decode().split("\0")):
        if (ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, tree / name)
    before = _translated(tree)
    venv = Path(sys.executable).parent.parent
    # -o: the virtualenv is there already; the copy must not be installed over the real tree.
    run = subprocess.run(
        ["make", "-o", f"{venv}/.installed", "messages", f"VENV={venv}"],
        cwd=tree, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    after = _translated(tree)
    now_used = {msgid for po in _catalogues(tree) for msgid, _s, _f in _po_entries(po)}
    lost = sorted(msgid for msgid in before if msgid in now_used and msgid not in after)
    assert lost == [], "make messages lost these working translations"
    untranslated = sorted(msgid for msgid in now_used if msgid not in after)
    assert untranslated == [], "strings of the code that no catalogue translates"
