"""Every value is checked against its column before it reaches the database.

SQLite stores whatever it is given: a 600-character title in a 500-character
column, 1e30 in a decimal(16, 4) one. PostgreSQL refuses the same values with
an error, i.e. a 500, and on SQLite a stored 1e30 breaks every page that reads
it afterwards. So the services check each value against its model field, the
one place the form, the JSON API and the sheet import all pass through, with
one function per kind of value and a Chinese message that names the field
and the limit.
"""
from __future__ import annotations

import decimal
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

# The range of a BigAutoField, the primary keys of every table.
MAX_ID = 2**63 - 1


class DecimalField(models.DecimalField):
    """A DecimalField that reads back a value beyond its digits instead of failing on it.

    SQLite's converter rounds every value it reads with the field's context,
    whose precision is ``max_digits``: one value stored past the column (as
    1e30 was, before these checks) raised on every read, so every page that
    listed it answered 500. This context is wide enough for any number SQLite
    can hold, so such a value reads back as it is and can be seen and
    corrected. Migrations see a plain DecimalField.
    """

    @cached_property
    def context(self):
        # The largest double is about 1.8e308; add room for the decimal places.
        return decimal.Context(prec=self.max_digits + 320)

    def to_python(self, value):
        # A float keeps the column's precision, as with a plain DecimalField.
        if isinstance(value, float):
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def _label(field) -> str:
    return str(field.verbose_name)


def decimal_value(raw, *, field: models.DecimalField, label: str | None = None) -> Decimal:
    """``raw`` (text, number or Decimal) as a Decimal that ``field`` can store, or a ValidationError.

    NaN, infinities, exponents beyond the column and more decimal places than
    it keeps are refused; ``-0`` becomes 0.
    """
    label = label or _label(field)
    text = str(raw).strip() if raw is not None else ""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(text)
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": text}) from None
    if not value.is_finite():
        raise ValidationError(_("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": text})
    whole_digits = field.max_digits - field.decimal_places
    limit = Decimal(10) ** whole_digits
    if abs(value) >= limit:
        raise ValidationError(
            _("%(label)s: “%(value)s” is too large; at most %(digits)s digits before the decimal point.")
            % {"label": label, "value": text, "digits": whole_digits}
        )
    if value != value.quantize(Decimal(1).scaleb(-field.decimal_places), context=decimal.Context(prec=60)):
        raise ValidationError(
            _("%(label)s: “%(value)s” has more than %(places)s decimal places.")
            % {"label": label, "value": text, "places": field.decimal_places}
        )
    return value + 0  # -0 is 0


def text_value(raw, *, field: models.CharField, label: str | None = None) -> str:
    """``raw`` as text that fits ``field``, or a ValidationError saying how long it is and may be."""
    text = "" if raw is None else str(raw)
    limit = field.max_length
    if limit is not None and len(text) > limit:
        raise ValidationError(
            _("%(label)s may have at most %(limit)s characters; this one has %(length)s.")
            % {"label": label or _label(field), "limit": limit, "length": len(text)}
        )
    return text


# The longest free text one person writes in one field: a progress
# narrative, a reason, a reply. Ten thousand characters is some fifteen
# printed pages; anything longer is a paste gone wrong, and storing it would
# make every page that lists it heavy.
LONG_TEXT = 10_000
# A unit's aliases and duty keywords: short words, a few dozen at most.
WORD_LIMIT = 40
WORDS_LIMIT = 200


def long_text_value(raw, *, label: str, limit: int = LONG_TEXT, field: str | None = None) -> str:
    """``raw`` stripped, if it has at most ``limit`` characters, or a ValidationError naming ``label``.

    With ``field`` the error is keyed by that form field, as a service raises it.
    """
    text = ("" if raw is None else str(raw)).strip()
    if len(text) > limit:
        message = _("%(label)s may have at most %(limit)s characters; this one has %(length)s.") % {
            "label": label, "limit": limit, "length": len(text)
        }
        raise ValidationError({field: [message]} if field else message)
    return text


def words_value(words, *, label: str, word_limit: int = WORD_LIMIT, count_limit: int = WORDS_LIMIT) -> list[str]:
    """A list of short words (aliases, keywords), each and all bounded, or a ValidationError naming ``label``."""
    words = [str(word) for word in words or []]
    if len(words) > count_limit:
        raise ValidationError(
            _("%(label)s: at most %(limit)s entries; these are %(count)s.")
            % {"label": label, "limit": count_limit, "count": len(words)}
        )
    for word in words:
        if len(word.strip()) > word_limit:
            raise ValidationError(
                _("%(label)s: “%(word)s…” is longer than %(limit)s characters.")
                % {"label": label, "word": word.strip()[:12], "limit": word_limit}
            )
    return words


def integer_value(raw, *, field: models.IntegerField, label: str | None = None) -> int:
    """``raw`` as an integer within ``field``'s validators (and a 64-bit column), or a ValidationError."""
    label = label or _label(field)
    text = str(raw).strip() if raw is not None else ""
    try:
        value = Decimal(text) if not isinstance(raw, int) else Decimal(raw)
    except (InvalidOperation, ValueError, TypeError):
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise ValidationError(_("%(label)s: “%(value)s” is not a whole number.") % {"label": label, "value": text})
    low, high = -MAX_ID, MAX_ID
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(limit, int):
            if validator.code == "min_value":
                low = max(low, limit)
            elif validator.code == "max_value":
                high = min(high, limit)
    if not low <= value <= high:
        raise ValidationError(
            _("%(label)s must be from %(low)s to %(high)s, not %(value)s.")
            % {"label": label, "low": low, "high": high, "value": text}
        )
    return int(value)


def values_check(model: type[models.Model], values: dict, *, labels: dict | None = None) -> dict[str, list[str]]:
    """The errors, by field name, of ``values`` (field name → value) against ``model``'s columns.

    Text is checked for length, decimals for digits, integers for range;
    fields of other kinds and names that are not fields are left alone.
    """
    labels = labels or {}
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if value is None or value == "":
            continue
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        check = _CHECKS.get(type(field)) or next(
            (fn for kind, fn in _CHECKS.items() if isinstance(field, kind)), None
        )
        if check is None:
            continue
        try:
            check(value, field=field, label=labels.get(name))
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)
    return errors


_CHECKS = {
    models.DecimalField: decimal_value,
    models.CharField: text_value,
    models.IntegerField: integer_value,
}


def id_values(values) -> list[int]:
    """The ids among ``values`` (form or query strings): plain ASCII digits that fit a primary key.

    Anything else cannot be the id of a row, so it is dropped rather than
    passed to the database, where SQLite overflows on a 20-digit number.
    """
    ids = []
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            ids.append(int(text))
    return ids
