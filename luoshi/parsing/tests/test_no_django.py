import subprocess
import sys


def test_the_parser_and_its_cli_import_nothing_from_django():
    code = (
        "import sys, luoshi.parsing, luoshi.parsing.cli\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('django'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_luoshi_parse_runs_without_django_settings():
    code = (
        "import sys\n"
        "from luoshi.__main__ import main\n"
        "main(['luoshi', 'parse', '--help'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path)},
    )
    assert "usage: luoshi parse" in result.stdout, result.stderr
