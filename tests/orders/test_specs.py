import pytest

from orders.specs import describe, spec_errors, template_errors

TEMPLATE = [
    {"key": "length", "label": "Length", "type": "dimension", "unit": "mm", "required": True},
    {"key": "material", "label": "Material", "type": "choice", "choices": ["6061-T6", "304 SS"]},
    {"key": "finish", "label": "Finish", "type": "text"},
]
FULL_LENGTH = {"nominal": "120", "tol_plus": "0.1", "tol_minus": "0.2"}


@pytest.mark.parametrize(
    ("specs", "require_all", "expected"),
    [
        ({"length": FULL_LENGTH}, False, {}),
        ({}, False, {"length": "Length: nominal value and both tolerances are required."}),
        (
            {"length": FULL_LENGTH},
            True,
            {"material": "Material is required.", "finish": "Finish is required."},
        ),
        (
            {"length": {"tol_plus": "0.1"}},
            False,
            {"length": "Length: a tolerance needs a nominal value."},
        ),
        (
            {"length": {**FULL_LENGTH, "nominal": "abc"}},
            False,
            {"length": "Length: enter numbers."},
        ),
        (
            {"length": {**FULL_LENGTH, "nominal": "-3"}},
            False,
            {"length": "Length: the nominal value must be positive."},
        ),
        (
            {"length": {**FULL_LENGTH, "tol_minus": "-0.1"}},
            False,
            {"length": "Length: tolerances are given as positive amounts."},
        ),
        (
            {"length": FULL_LENGTH, "material": "brass"},
            False,
            {"material": "Material: choose one of 6061-T6, 304 SS."},
        ),
        (
            {"length": FULL_LENGTH, "colour": "red"},
            False,
            {"colour": "This product has no such spec field."},
        ),
    ],
)
def test_spec_rules(specs, require_all, expected):
    assert spec_errors(TEMPLATE, specs, require_all=require_all) == expected


def test_a_draft_may_be_incomplete_but_not_malformed():
    assert spec_errors(TEMPLATE, {}, require_all=True, enforce_required=False) == {}
    assert spec_errors(
        TEMPLATE, {"length": {"tol_plus": "1"}}, require_all=True, enforce_required=False
    ) == {"length": "Length: a tolerance needs a nominal value."}


def test_specs_read_as_a_person_writes_them():
    specs = {"length": FULL_LENGTH, "material": "304 SS"}
    assert describe(TEMPLATE, specs) == [("Length", "120 mm +0.1/-0.2"), ("Material", "304 SS")]


def test_a_broken_template_is_explained():
    assert template_errors([{"key": "a"}, {"key": "a"}, {"key": "b", "type": "choice"}]) == [
        "Field 'a' appears twice.",
        "Field 'b' is a choice without choices.",
    ]
