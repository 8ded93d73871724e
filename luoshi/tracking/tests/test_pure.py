"""The status engine and the quality check stay plain functions: no database, no models."""
import ast
from pathlib import Path

import pytest

TRACKING = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["status.py", "quality.py"])
def test_the_rules_import_nothing_from_the_database_or_the_models(module):
    tree = ast.parse((TRACKING / module).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not {name for name in imported if name.startswith("django.db") or name.startswith("luoshi")}
