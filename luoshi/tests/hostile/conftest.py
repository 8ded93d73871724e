"""The hostile-input suite borrows the report world: a small 2026 plan with three units."""
from luoshi.tracking.tests.conftest import april_3, media, plan  # noqa: F401
