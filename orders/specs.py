"""Spec templates (which fields a product's order line needs) and validation of line specs.

A template is a list of field definitions::

    [{"key": "length", "label": "Length", "type": "dimension", "unit": "mm", "required": true},
     {"key": "material", "label": "Material", "type": "choice", "choices": ["6061-T6"]},
     {"key": "finish", "label": "Finish", "type": "text"}]

A dimension's value is ``{"nominal": 120.0, "tol_plus": 0.1, "tol_minus": 0.1}``; choice and
text values are strings.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

FIELD_TYPES = ("dimension", "choice", "text")


def template_errors(template: Any) -> list[str]:
    """Problems with a product's spec template itself (checked when a product is saved)."""
    if not isinstance(template, list):
        return ["The spec template must be a list of field definitions."]
    errors, seen = [], set()
    for index, field in enumerate(template, start=1):
        if not isinstance(field, dict) or not field.get("key"):
            errors.append(f"Field {index} needs a key.")
            continue
        if field["key"] in seen:
            errors.append(f"Field '{field['key']}' appears twice.")
        seen.add(field["key"])
        if field.get("type", "text") not in FIELD_TYPES:
            errors.append(f"Field '{field['key']}' has an unknown type '{field.get('type')}'.")
        if field.get("type") == "choice" and not field.get("choices"):
            errors.append(f"Field '{field['key']}' is a choice without choices.")
    return errors


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def spec_errors(
    template: list[dict], specs: dict, *, require_all: bool, enforce_required: bool = True
) -> dict[str, str]:
    """Field key -> message for every missing, malformed or inconsistent spec value.

    ``require_all`` makes every field of the template required (custom products);
    otherwise only fields marked ``required`` are. ``enforce_required=False`` checks only
    what was entered (a draft may be incomplete, never malformed).
    """
    errors: dict[str, str] = {}
    specs = specs or {}
    known = {field["key"] for field in template}
    for key in specs:
        if key not in known:
            errors[key] = "This product has no such spec field."
    for field in template:
        key, label = field["key"], field.get("label", field["key"])
        value = specs.get(key)
        required = enforce_required and (require_all or field.get("required", False))
        kind = field.get("type", "text")
        if kind == "dimension":
            raw = value if isinstance(value, dict) else {}
            parts = {k: raw.get(k) for k in ("nominal", "tol_plus", "tol_minus")}
            given = {k: v for k, v in parts.items() if v not in (None, "")}
            numbers = {k: _number(v) for k, v in given.items()}
            nominal = numbers.get("nominal")
            if any(n is None for n in numbers.values()):
                errors[key] = f"{label}: enter numbers."
            elif nominal is None and given:
                errors[key] = f"{label}: a tolerance needs a nominal value."
            elif nominal is not None and nominal <= 0:
                errors[key] = f"{label}: the nominal value must be positive."
            elif any(numbers[k] < 0 for k in ("tol_plus", "tol_minus") if k in numbers):
                errors[key] = f"{label}: tolerances are given as positive amounts."
            elif required and len(given) < len(parts):
                errors[key] = f"{label}: nominal value and both tolerances are required."
        elif kind == "choice":
            if value in (None, ""):
                if required:
                    errors[key] = f"{label} is required."
            elif value not in field.get("choices", []):
                errors[key] = f"{label}: choose one of {', '.join(field.get('choices', []))}."
        elif required and not str(value or "").strip():
            errors[key] = f"{label} is required."
    return errors


def describe(template: list[dict], specs: dict) -> list[tuple[str, str]]:
    """(label, human-readable value) pairs, in template order, for pages and documents."""
    rows = []
    for field in template:
        value = (specs or {}).get(field["key"])
        if value in (None, "", {}):
            continue
        if field.get("type") == "dimension" and isinstance(value, dict):
            unit = field.get("unit", "")
            text = f"{value.get('nominal')} {unit}".strip()
            plus, minus = value.get("tol_plus"), value.get("tol_minus")
            if plus not in (None, "") or minus not in (None, ""):
                text += f" +{plus or 0}/-{minus or 0}"
        else:
            text = str(value)
        rows.append((field.get("label", field["key"]), text))
    return rows
