"""Writes to people and units: the unit directory loader, unit edits, demo set-up."""
from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.hashers import make_password
from django.core.validators import validate_slug
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from luoshi.accounts.models import Membership, Role, Unit, UnitKind, User
from luoshi.audit.services import audit_record
from luoshi.bounds import long_text_value, text_value, words_value

DEMO_UNITS_PATH = Path(__file__).parent / "data" / "nanhu-units.yaml"
DEMO_PASSWORD = "luoshi-demo"

# The fields a directory entry may carry, and the ones it must.
_REQUIRED = ("code", "name", "kind")
_OPTIONAL = ("short_name", "aliases", "parent", "duties", "duty_keywords")
# The fields the loader owns; anything else on Unit (is_active…) is left alone.
_LOADED = ("name", "short_name", "aliases", "kind", "duties", "duty_keywords", "sort_order")


# Values quoted in errors are cut short: YAML aliases can nest a billion items
# into a few lines, and a plain repr would write them all out.
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxlist, _QUOTE.maxdict, _QUOTE.maxstring, _QUOTE.maxother = 2, 3, 3, 40, 40


class UnitDirectoryError(Exception):
    """A unit directory that cannot be loaded; the message names the line or the unit."""


@dataclass
class UnitLoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Units in the database that the file does not mention: kept, since tasks may point at them.
    not_in_file: list[str] = field(default_factory=list)


@dataclass
class _Entry:
    line: int
    values: dict[str, Any]
    parent: str | None

    @property
    def label(self) -> str:
        code = self.values.get("code") or "?"
        name = self.values.get("name")
        if not isinstance(code, str):
            code = _QUOTE.repr(code)
        if not isinstance(name, str):
            name = _QUOTE.repr(name) if name else ""
        return f"line {self.line}: unit {code!r}" + (f" ({name})" if name else "")


def unit_directory_load(*, path: Path | str) -> UnitLoadResult:
    """Create or update units from a YAML directory, matched by code, in one transaction.

    Every problem found is reported at once, and nothing is written unless the
    whole file is valid. Running it again on the same file changes nothing.
    """
    path = Path(path)
    entries = _read_directory(path)
    existing = {unit.code: unit for unit in Unit.objects.all()}
    _validate(entries, existing, where=path.name)

    result = UnitLoadResult()
    try:
        with transaction.atomic():
            by_code: dict[str, Unit] = {}
            changed: set[str] = set()
            for entry in entries:
                code = entry.values["code"]
                unit = existing.get(code)
                if unit is None:
                    unit = Unit.objects.create(code=code, **{f: entry.values[f] for f in _LOADED})
                    result.created.append(code)
                    audit_record(actor=None, action="unit.create", obj=unit, after=_snapshot(unit),
                                 note=f"units load {path.name}")
                else:
                    before = _snapshot(unit)
                    dirty = [f for f in _LOADED if getattr(unit, f) != entry.values[f]]
                    if dirty:
                        for f in dirty:
                            setattr(unit, f, entry.values[f])
                        unit.version += 1
                        unit.save(update_fields=[*dirty, "version"])
                        changed.add(code)
                        audit_record(actor=None, action="unit.update", obj=unit, before=before,
                                     after=_snapshot(unit), note=f"units load {path.name}")
                by_code[code] = unit
            # Parents second, so that a parent may come later in the file.
            for entry in entries:
                unit = by_code[entry.values["code"]]
                parent = None
                if entry.parent:
                    parent = by_code.get(entry.parent) or existing[entry.parent]
                if unit.parent_id != (parent.pk if parent else None):
                    unit.parent = parent
                    unit.version += 1
                    unit.save(update_fields=["parent", "version"])
                    if unit.code not in result.created:
                        changed.add(unit.code)
            for entry in entries:
                code = entry.values["code"]
                if code in result.created:
                    continue
                (result.updated if code in changed else result.unchanged).append(code)
    except IntegrityError as exc:
        # Only reachable through renames that swap names between units; the
        # transaction has rolled back, so the database is as it was.
        raise UnitDirectoryError(f"{path.name}: the units could not be saved ({exc}); nothing was changed") from exc
    in_file = {e.values["code"] for e in entries}
    result.not_in_file = sorted(code for code in existing if code not in in_file)
    return result


def _snapshot(unit: Unit) -> dict[str, Any]:
    data = {f: getattr(unit, f) for f in _LOADED}
    data["parent"] = unit.parent.code if unit.parent_id else None
    return data


def _read_directory(path: Path) -> list[_Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnitDirectoryError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise UnitDirectoryError(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    try:
        # The node tree knows where each unit starts; the data does not.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise UnitDirectoryError(f"{path.name}, {where}malformed YAML: {problem}") from None
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise UnitDirectoryError(f"{path.name}: expected a mapping with a 'units' list at the top")
    units_node = next(value for key, value in root.value if key.value == "units")
    entries = []
    for item, node in zip(data["units"], units_node.value):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise UnitDirectoryError(f"{path.name}, line {line}: each unit must be a mapping of fields")
        entries.append(_Entry(line=line, values=item, parent=None))
    return entries


def _validate(entries: list[_Entry], existing: dict[str, Unit], *, where: str) -> None:
    """Normalise each entry in place and raise one error listing every problem."""
    errors: list[str] = []
    kinds = [k.value for k in UnitKind]
    seen_codes: dict[str, _Entry] = {}
    seen_names: dict[str, _Entry] = {}
    max_len = {f: Unit._meta.get_field(f).max_length for f in ("code", "name", "short_name")}

    for position, entry in enumerate(entries, start=1):
        raw = entry.values
        problems: list[str] = []
        for name in _REQUIRED:
            if raw.get(name) in (None, ""):
                problems.append(f"missing field '{name}'")
        unknown = sorted(set(raw) - set(_REQUIRED) - set(_OPTIONAL))
        if unknown:
            problems.append(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(_REQUIRED + _OPTIONAL)}")
        for name in ("code", "name", "kind", "short_name", "duties", "parent"):
            if raw.get(name) is not None and not isinstance(raw[name], str):
                problems.append(f"'{name}' must be text, got {_QUOTE.repr(raw[name])}")
        for name in ("aliases", "duty_keywords"):
            value = raw.get(name, [])
            if value is None:
                value = []
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(f"'{name}' must be a list of words (quote numbers such as \"1341\")")
        if problems:
            errors.append(f"{entry.label}: " + "; ".join(problems))
            continue

        code, name = raw["code"].strip(), raw["name"].strip()
        try:
            validate_slug(code)
            if code != code.lower():
                raise ValidationError("uppercase")
        except ValidationError:
            problems.append(f"code {code!r} must be lowercase letters, digits and hyphens")
        for f, limit in max_len.items():
            if len((raw.get(f) or "").strip()) > limit:
                problems.append(f"'{f}' is longer than {limit} characters")
        if raw["kind"] not in kinds:
            problems.append(f"unknown kind {raw['kind']!r}; expected one of {', '.join(kinds)}")
        if code in seen_codes:
            problems.append(f"duplicate code, first used on line {seen_codes[code].line}")
        if name in seen_names:
            problems.append(f"duplicate name {name!r}, first used on line {seen_names[name].line}")
        holder = next((u for u in existing.values() if u.name == name and u.code != code), None)
        if holder is not None and holder.code not in {e.values.get("code") for e in entries}:
            problems.append(f"name {name!r} already belongs to unit {holder.code!r} in the database")
        seen_codes.setdefault(code, entry)
        seen_names.setdefault(name, entry)
        if problems:
            errors.append(f"{entry.label}: " + "; ".join(problems))
            continue

        entry.parent = (raw.get("parent") or "").strip() or None
        entry.values = {
            "code": code,
            "name": name,
            "short_name": (raw.get("short_name") or "").strip(),
            "aliases": _unique_words(raw.get("aliases")),
            "kind": raw["kind"],
            "duties": " ".join((raw.get("duties") or "").split()),
            "duty_keywords": _unique_words(raw.get("duty_keywords")),
            "sort_order": position,
        }

    known = set(seen_codes) | set(existing)
    parents = {e.values["code"]: e.parent for e in entries if e.parent}
    for entry in entries:
        if not entry.parent:
            continue
        code = entry.values["code"]
        if entry.parent == code:
            errors.append(f"{entry.label}: a unit cannot be its own parent")
        elif entry.parent not in known:
            errors.append(f"{entry.label}: parent {entry.parent!r} does not exist in the file or the database")
        else:
            # Walk up the file's parents (then the database's) looking for a loop.
            seen, cursor = {code}, entry.parent
            while cursor and cursor not in seen:
                seen.add(cursor)
                if cursor in parents:
                    cursor = parents[cursor]
                else:
                    unit = existing.get(cursor)
                    cursor = unit.parent.code if unit and unit.parent_id else None
            if cursor:
                errors.append(f"{entry.label}: parent {entry.parent!r} leads back to the unit itself")

    if errors:
        count = len(errors)
        raise UnitDirectoryError(
            f"{where}: {count} problem{'s' if count > 1 else ''}, nothing was changed:\n  " + "\n  ".join(errors)
        )


def _unique_words(words: list[str] | None) -> list[str]:
    out: list[str] = []
    for word in words or []:
        word = word.strip()
        if word not in out:
            out.append(word)
    return out


class StaleUnitEdit(Exception):
    """Someone saved the unit after the editor loaded it."""


def unit_update(*, unit: Unit, actor: User, short_name: str, aliases: list[str], duties: str,
                duty_keywords: list[str], expected_version: int) -> Unit:
    """A supervisor edits what a unit is called and what it does; the change is audited.

    Raises StaleUnitEdit when the unit was saved since ``expected_version``:
    of two people editing at once, the second is told instead of silently
    overwriting the first.
    """
    errors: dict[str, list[str]] = {}
    checks = {
        "short_name": lambda: text_value(short_name.strip(), field=Unit._meta.get_field("short_name")),
        "aliases": lambda: words_value(aliases, label=_("Aliases")),
        "duties": lambda: long_text_value(duties, label=_("Duties")),
        "duty_keywords": lambda: words_value(duty_keywords, label=_("Duty keywords")),
    }
    for name, check in checks.items():
        try:
            check()
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if unit.version != expected_version:
            raise StaleUnitEdit()
        before = _snapshot(unit)
        unit.short_name = short_name.strip()
        unit.aliases = _unique_words(aliases)
        unit.duties = duties.strip()
        unit.duty_keywords = _unique_words(duty_keywords)
        unit.version += 1
        unit.save(update_fields=["short_name", "aliases", "duties", "duty_keywords", "version"])
        after = _snapshot(unit)
        if after != before:
            audit_record(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


@dataclass
class DemoLogin:
    username: str
    display_name: str
    role: str
    unit: str = ""


@dataclass
class DemoResult:
    units: UnitLoadResult
    logins: list[DemoLogin]
    users_created: int
    users_existing: int


# The demo's people: a username, a Chinese display name, a role.
_DEMO_STAFF = [
    ("admin", "信息中心 陈刚", Role.ADMIN),
    ("supervisor", "督查室 王敏", Role.SUPERVISOR),
    ("leader", "区领导 李建国", Role.LEADER),
]


def demo_setup(*, units_path: Path | str = DEMO_UNITS_PATH, password: str = DEMO_PASSWORD) -> DemoResult:
    """Load the demo directory and make sure every demo login exists.

    Existing users are left exactly as they are (their passwords included),
    so running it again changes nothing.
    """
    units = unit_directory_load(path=units_path)
    wanted: list[tuple[DemoLogin, Unit | None]] = [
        (DemoLogin(username, display_name, role.label), None) for username, display_name, role in _DEMO_STAFF
    ]
    for unit in Unit.objects.filter(is_active=True).order_by("sort_order", "id"):
        login = DemoLogin(f"reporter-{unit.code}", f"{unit.display_name} 联络员", Role.REPORTER.label, unit.name)
        wanted.append((login, unit))

    existing = set(User.objects.filter(username__in=[w.username for w, _ in wanted]).values_list("username", flat=True))
    # The demo password is public, so one Argon2 hash serves every new demo
    # user: hashing sixty times would only make `make demo` slower.
    hashed = make_password(password) if len(existing) < len(wanted) else ""
    created = 0
    with transaction.atomic():
        for login, unit in wanted:
            if login.username in existing:
                continue
            role = {"admin": Role.ADMIN, "supervisor": Role.SUPERVISOR, "leader": Role.LEADER}.get(
                login.username, Role.REPORTER
            )
            user = User.objects.create(
                username=login.username,
                display_name=login.display_name,
                role=role,
                password=hashed,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            if unit is not None:
                Membership.objects.create(user=user, unit=unit)
            created += 1
    return DemoResult(units=units, logins=[w for w, _ in wanted], users_created=created,
                      users_existing=len(existing))
