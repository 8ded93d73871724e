"""The unit directory (YAML) refuses a billion-laughs file and overlong names without loading anything."""
import tracemalloc

import pytest

from luoshi.accounts.models import Unit
from luoshi.accounts.services import UnitDirectoryError, unit_directory_load

pytestmark = pytest.mark.django_db

# Nine levels of nine references: 387 million strings if anything expands them.
LAUGHS = "\n".join(
    ['l0: &l0 ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]']
    + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    + ["units:", "  - code: education", "    kind: government"]
)


@pytest.mark.parametrize("field", ["aliases", "name"])
def test_a_billion_laughs_directory_is_refused_without_expanding_it(tmp_path, field):
    other = {"aliases": "    name: 区教育局", "name": "    aliases: [教育局]"}[field]
    path = tmp_path / "units.yaml"
    path.write_text(f"{LAUGHS}\n{other}\n    {field}: *l8\n", encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(UnitDirectoryError) as refused:
            unit_directory_load(path=path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f"'{field}' must be" in str(refused.value)
    assert len(str(refused.value)) < 500
    assert peak < 50 * 1024 * 1024
    assert not Unit.objects.exists()


@pytest.mark.parametrize(("field", "length"), [("name", 101), ("short_name", 41), ("code", 200)])
def test_a_name_beyond_its_column_is_refused_with_the_limit(tmp_path, field, length):
    values = {"code": "education", "name": "区教育局", "short_name": "教育局"}
    values[field] = "长" * length if field != "code" else "x" * length
    path = tmp_path / "units.yaml"
    path.write_text(
        "units:\n" + "".join(f"  {'-' if i == 0 else ' '} {k}: {v}\n" for i, (k, v) in enumerate(values.items()))
        + "    kind: government\n",
        encoding="utf-8",
    )
    with pytest.raises(UnitDirectoryError) as refused:
        unit_directory_load(path=path)
    assert f"'{field}' is longer than" in str(refused.value)
    assert not Unit.objects.exists()
