"""The API's answer to a request body or query its schema refuses, in the user's language.

django-ninja answers such a request with 422 and pydantic's own messages,
which are English ("Input should be a finite number") and echo the input
back, however large. A clerk's script or an integrator in the district reads
these messages, so each is rewritten from its error type, in Chinese under
the default language, keeping ``loc`` (where) and ``type`` (the machine-readable
kind) and dropping the echoed input.
"""
from __future__ import annotations

from django.utils.translation import gettext as _


def _bound(ctx: dict, key: str) -> str:
    return str(ctx.get(key, ""))


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "finite_number":
        return _("Must be a finite number (not NaN or infinity).")
    if kind.startswith("int_") or kind == "int_from_float":
        return _("Must be a whole number.")
    if kind.startswith(("float_", "decimal_")):
        return _("Must be a number.")
    if kind.startswith("string_too_long"):
        return _("At most %(limit)s characters.") % {"limit": _bound(ctx, "max_length")}
    if kind.startswith("string_too_short"):
        return _("At least %(limit)s characters.") % {"limit": _bound(ctx, "min_length")}
    if kind.startswith("string_"):
        return _("Must be text.")
    if kind == "too_long":
        return _("At most %(limit)s entries.") % {"limit": _bound(ctx, "max_length")}
    if kind == "too_short":
        return _("At least %(limit)s entries.") % {"limit": _bound(ctx, "min_length")}
    if kind in ("greater_than_equal", "greater_than"):
        limit = _bound(ctx, "ge") or _bound(ctx, "gt")
        return _("Must be at least %(limit)s.") % {"limit": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = _bound(ctx, "le") or _bound(ctx, "lt")
        return _("Must be at most %(limit)s.") % {"limit": limit}
    if kind.startswith(("date_", "datetime_")):
        return _("Must be a date written as YYYY-MM-DD.")
    if kind.startswith("bool_"):
        return _("Must be true or false.")
    if kind in ("list_type", "set_type", "tuple_type"):
        return _("Must be a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Must be an object.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind in ("literal_error", "enum"):
        return _("Must be one of: %(choices)s.") % {"choices": _bound(ctx, "expected")}
    if kind == "value_error":
        # Raised by our own validators, whose text is already translated.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    return _("This value is not valid.")


def schema_errors(errors: list[dict]) -> list[dict]:
    """pydantic's error list as the API answers it: loc, type and a translated msg, no echoed input."""
    return [
        {"loc": list(error.get("loc", ())), "type": error.get("type", ""), "msg": _message(error)}
        for error in errors
    ]
