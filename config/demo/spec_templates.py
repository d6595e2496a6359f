"""Spec templates of the demo products (format: orders/specs.py) and believable values for them."""

from __future__ import annotations

import random


def dim(key: str, label: str, unit: str = "mm") -> dict:
    return {"key": key, "label": label, "type": "dimension", "unit": unit, "required": True}


def choice(key: str, label: str, choices: list[str], *, required: bool = True) -> dict:
    return {"key": key, "label": label, "type": "choice", "choices": choices, "required": required}


INSPECTION = {"key": "inspection", "label": "Inspection criteria", "type": "text"}
MARKING = {"key": "marking", "label": "Packaging / marking", "type": "text"}
CERTIFICATE = choice(
    "certificate", "Certificate", ["CoC", "CoC + material cert 3.1", "CoC + FAI report"]
)
PAINT_FINISHES = ["Powder coat RAL 7035", "Powder coat RAL 9005", "Primer only"]
STEEL_OR_STAINLESS = ["DC01 steel 2.0 mm", "304 stainless 1.5 mm", "316L stainless 1.5 mm"]

# Custom (configurable) templates per product family: every field is required for them.
CUSTOM_TEMPLATES: dict[str, list[dict]] = {
    "Brackets": [
        dim("length", "Length"),
        dim("width", "Width"),
        dim("hole_pitch", "Hole pitch"),
        choice("material", "Material", ["5052 aluminium 2.0 mm", *STEEL_OR_STAINLESS]),
        choice("finish", "Finish", [*PAINT_FINISHES, "Brushed #4", "Mill finish"]),
        INSPECTION,
        MARKING,
    ],
    "Enclosures": [
        dim("width", "Width"),
        dim("height", "Height"),
        dim("depth", "Depth"),
        choice("material", "Material", STEEL_OR_STAINLESS),
        choice("finish", "Finish", [*PAINT_FINISHES, "Brushed #4"]),
        choice("rating", "Ingress rating", ["IP54", "IP65", "NEMA 4X"]),
        INSPECTION,
        MARKING,
    ],
    "Shafts": [
        dim("diameter", "Journal diameter"),
        dim("length", "Overall length"),
        dim("keyway_width", "Keyway width"),
        choice("material", "Material", ["1045 steel", "4140 QT steel", "303 stainless"]),
        choice("finish", "Finish", ["Black oxide", "Hard chrome journals", "As machined"]),
        INSPECTION,
        MARKING,
    ],
    "Flanges": [
        dim("outer_diameter", "Outer diameter"),
        dim("bore", "Bore"),
        dim("bolt_circle", "Bolt circle diameter"),
        dim("thickness", "Thickness"),
        choice("material", "Material", ["A36 steel", "316L stainless", "6061-T6 aluminium"]),
        choice("finish", "Finish", ["Zinc-nickel plated", "Painted RAL 9005", "As machined"]),
        INSPECTION,
        MARKING,
    ],
    "Machined housings": [
        dim("bore", "Bearing bore"),
        dim("length", "Length"),
        dim("width", "Width"),
        choice(
            "material", "Material", ["6061-T6 aluminium", "7075-T6 aluminium", "GG25 cast iron"]
        ),
        choice("finish", "Finish", ["Clear anodised", "Black anodised", "As machined"]),
        INSPECTION,
        MARKING,
    ],
    "Welded frames": [
        dim("length", "Length"),
        dim("width", "Width"),
        dim("height", "Height"),
        choice("material", "Material", ["S235 square tube 50x50", "S355 rect. tube 80x40"]),
        choice("finish", "Finish", PAINT_FINISHES),
        INSPECTION,
        MARKING,
    ],
    "Sheet-metal panels": [
        dim("width", "Width"),
        dim("height", "Height"),
        dim("thickness", "Sheet thickness"),
        choice("material", "Material", ["5052 aluminium 2.0 mm", *STEEL_OR_STAINLESS]),
        choice("finish", "Finish", [*PAINT_FINISHES, "Clear anodised"]),
        INSPECTION,
        MARKING,
    ],
}

# Standard products: a short template of what still varies per order (optional unless marked).
STANDARD_TEMPLATES: dict[str, list[dict]] = {
    "Brackets": [MARKING],
    "Enclosures": [choice("lock", "Latch", ["Quarter-turn", "Lockable"], required=False), MARKING],
    "Shafts": [CERTIFICATE, MARKING],
    "Flanges": [CERTIFICATE, MARKING],
    "Machined housings": [CERTIFICATE],
    "Welded frames": [MARKING],
    "Sheet-metal panels": [MARKING],
}

# Plausible nominal ranges (mm) and tolerance sets per dimension key.
RANGES: dict[str, tuple[float, float, tuple[float, ...]]] = {
    "length": (40, 2400, (0.1, 0.2, 0.5, 1.0)),
    "width": (30, 1200, (0.1, 0.2, 0.5, 1.0)),
    "height": (30, 1400, (0.2, 0.5, 1.0)),
    "depth": (80, 400, (0.5, 1.0)),
    "hole_pitch": (20, 300, (0.05, 0.1, 0.2)),
    "diameter": (12, 80, (0.005, 0.01, 0.02)),
    "keyway_width": (4, 20, (0.02, 0.05)),
    "outer_diameter": (90, 400, (0.1, 0.2, 0.5)),
    "bore": (20, 160, (0.01, 0.02, 0.05)),
    "bolt_circle": (60, 340, (0.05, 0.1)),
    "thickness": (1.5, 30, (0.05, 0.1, 0.2)),
}

INSPECTION_TEXTS = [
    "First article inspection report per AS9102 with the first lot.",
    "100% visual; dimensional check of critical features per drawing rev B.",
    "CMM report on all bores; sampling per AQL 1.0.",
    "Weld visual per AWS D1.1; dye penetrant on 10% of corner welds.",
    "Coating thickness 60-90 um and cross-cut adhesion test per lot.",
    "Flatness 0.2 mm over full length, checked on the granite table.",
]
MARKING_TEXTS = [
    "Laser-mark part number and lot code; bag and tag per 10 pcs.",
    "Label cartons with PO and line number; max. 20 kg per carton.",
    "Export crate ISPM-15; shipping marks on two sides.",
    "VCI bag with desiccant; one part per carton.",
    "On pallet, stretch-wrapped, corner protection; label facing out.",
    "Customer part number on every part (ink stamp), no paper labels inside.",
]


def spec_values(template: list[dict], rng: random.Random, *, fill_all: bool) -> dict:
    """Values a customer would give; optional fields are left out now and then."""
    specs: dict = {}
    for field in template:
        if not (fill_all or field.get("required")) and rng.random() < 0.5:
            continue
        key, kind = field["key"], field.get("type", "text")
        if kind == "dimension":
            low, high, tolerances = RANGES[key]
            nominal = round(rng.uniform(low, high), 1 if high > 50 else 2)
            tolerance = rng.choice(tolerances)
            specs[key] = {"nominal": nominal, "tol_plus": tolerance, "tol_minus": tolerance}
        elif kind == "choice":
            specs[key] = rng.choice(field["choices"])
        else:
            texts = INSPECTION_TEXTS if key == "inspection" else MARKING_TEXTS
            specs[key] = rng.choice(texts)
    return specs
