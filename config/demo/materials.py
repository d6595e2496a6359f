"""Work centers, bought materials and made subassemblies of the demo plant (BOM levels 2 and 3)."""

from __future__ import annotations

# code -> (name, available minutes Monday..Sunday, efficiency)
WORK_CENTERS: dict[str, tuple[str, list[int], str]] = {
    "LASER": ("Laser cutting", [960, 960, 960, 960, 960, 0, 0], "0.95"),
    "BRAKE": ("Press brake", [960, 960, 960, 960, 960, 0, 0], "0.90"),
    "MILL": ("CNC milling", [960, 960, 960, 960, 960, 480, 0], "0.85"),
    "TURN": ("CNC turning", [960, 960, 960, 960, 960, 0, 0], "0.90"),
    # The second welding shift stops early on Fridays.
    "WELD": ("Welding", [960, 960, 960, 960, 480, 0, 0], "0.80"),
    # One shift only: the oven is the plant's known bottleneck.
    "PAINT": ("Paint line", [480, 480, 480, 480, 480, 0, 0], "1.00"),
    "ASSY": ("Assembly", [960, 960, 960, 960, 960, 0, 0], "0.95"),
    "PACK": ("Final inspection & packing", [480, 480, 480, 480, 480, 240, 0], "1.00"),
}

# Lot rules as keyword defaults for Item, named for readability below.
L4L: dict = {}


def fixed(quantity: int) -> dict:
    return {"lot_rule": "fixed", "lot_quantity": quantity}


def min_mult(minimum: int, multiple: int) -> dict:
    return {"lot_rule": "min_mult", "lot_minimum": minimum, "lot_multiple": multiple}


def period(days: int) -> dict:
    return {"lot_rule": "period", "lot_period_days": days}


# code -> (name, unit, purchase lead days, preferred supplier, on hand, lot rule)
RAW_MATERIALS: dict[str, tuple[str, str, int, str, int, dict]] = {
    "RM-AL5052-20": (
        "Aluminium sheet 5052-H32 2.0 mm, 1250x2500",
        "sht",
        7,
        "Ryerson",
        48,
        min_mult(10, 10),
    ),
    "RM-AL6061-BLK": ("Aluminium plate 6061-T6 50 mm", "kg", 10, "Kaiser Alu", 420, fixed(500)),
    "RM-SS304-15": (
        "Stainless sheet 304 2B 1.5 mm, 1250x2500",
        "sht",
        12,
        "Outokumpu",
        22,
        min_mult(5, 5),
    ),
    "RM-CRS-20": (
        "Cold-rolled steel sheet DC01 2.0 mm, 1250x2500",
        "sht",
        4,
        "Ryerson",
        120,
        min_mult(20, 10),
    ),
    "RM-1045-30": ("Steel round bar 1045 dia. 30 mm", "m", 6, "Kloeckner Metals", 60, L4L),
    "RM-4140-65": ("Alloy steel bar 4140 QT dia. 65 mm", "m", 15, "Ellwood Specialty", 18, L4L),
    "RM-A36-12": ("Steel plate A36 12 mm", "kg", 8, "Nucor", 2600, period(14)),
    "RM-TUBE-50": ("Steel square tube 50x50x3 mm", "m", 5, "Atlas Tube", 240, min_mult(60, 6)),
    "RM-TUBE-80": ("Steel rectangular tube 80x40x4 mm", "m", 7, "Atlas Tube", 96, min_mult(48, 6)),
    "RM-PC-9005": ("Powder coat RAL 9005 jet black", "kg", 5, "Tiger Drylac", 140, fixed(100)),
    "RM-PC-7035": ("Powder coat RAL 7035 light grey", "kg", 5, "Tiger Drylac", 95, fixed(100)),
    "RM-FAST-M6": ("Hex bolt M6x20 8.8 zinc", "pcs", 3, "Fastenal", 6500, min_mult(1000, 500)),
    "RM-FAST-M10": ("Socket cap screw M10x30 A2-70", "pcs", 4, "Wurth", 2200, min_mult(500, 250)),
    "RM-PEM-M5": ("Self-clinching nut M5", "pcs", 9, "PEM", 12000, min_mult(5000, 1000)),
    "RM-GASKET-10": ("EPDM sponge gasket 10x6 mm", "m", 12, "Trelleborg", 300, L4L),
    "RM-HINGE-SS": ("Stainless concealed hinge", "pcs", 14, "Southco", 180, min_mult(100, 50)),
    "RM-LATCH": ("Quarter-turn latch, lockable", "pcs", 14, "Southco", 140, min_mult(50, 50)),
    "RM-BRG-6206": ("Ball bearing 6206-2RS", "pcs", 10, "SKF", 220, min_mult(100, 20)),
    "RM-WIRE-ER70": ("MIG wire ER70S-6 1.0 mm", "kg", 3, "Lincoln Electric", 180, L4L),
    "RM-CARTON": ("Double-wall carton 600x400x400", "pcs", 3, "Uline", 400, period(7)),
    "RM-CRATE": ("Export crate, ISPM-15 heat treated", "pcs", 20, "Pallet Pros", 12, L4L),
}

# (work center, description, setup family, setup minutes, run minutes per unit)
Op = tuple[str, str, str, int, float]

# code -> (name, on hand, lot rule, [(component, quantity per)], routing)
SUBASSEMBLIES: dict[str, tuple[str, int, dict, list[tuple[str, float]], list[Op]]] = {
    "SA-BLK-AL": (
        "Laser-cut blank, aluminium 2 mm",
        300,
        fixed(200),
        [("RM-AL5052-20", 0.05)],
        [("LASER", "Laser cut nest", "laser-al", 20, 0.4), ("ASSY", "Deburr", "deburr", 5, 0.3)],
    ),
    "SA-BLK-CRS": (
        "Laser-cut blank, steel 2 mm",
        450,
        fixed(250),
        [("RM-CRS-20", 0.06)],
        [("LASER", "Laser cut nest", "laser-crs", 20, 0.35), ("ASSY", "Deburr", "deburr", 5, 0.3)],
    ),
    "SA-BLK-SS": (
        "Laser-cut blank, stainless 1.5 mm",
        120,
        fixed(100),
        [("RM-SS304-15", 0.08)],
        [("LASER", "Laser cut nest", "laser-ss", 25, 0.5), ("ASSY", "Deburr", "deburr", 5, 0.4)],
    ),
    "SA-BODY-SS": (
        "Formed enclosure body, stainless",
        6,
        L4L,
        [("RM-SS304-15", 0.35), ("RM-PEM-M5", 8)],
        [
            ("LASER", "Laser cut body", "laser-ss", 25, 4.0),
            ("BRAKE", "Bend body", "brake-ss-1.5", 30, 6.0),
            ("ASSY", "Press in PEM nuts", "pem", 10, 2.0),
        ],
    ),
    "SA-BODY-CRS": (
        "Formed enclosure body, steel",
        10,
        L4L,
        [("RM-CRS-20", 0.4), ("RM-PEM-M5", 8)],
        [
            ("LASER", "Laser cut body", "laser-crs", 20, 3.5),
            ("BRAKE", "Bend body", "brake-crs-2", 30, 5.0),
            ("ASSY", "Press in PEM nuts", "pem", 10, 2.0),
        ],
    ),
    "SA-DOOR": (
        "Enclosure door with hinges and latch",
        14,
        L4L,
        [("RM-CRS-20", 0.15), ("RM-HINGE-SS", 2), ("RM-LATCH", 1)],
        [
            ("LASER", "Laser cut door", "laser-crs", 20, 2.0),
            ("BRAKE", "Bend door flanges", "brake-crs-2", 25, 3.0),
            ("ASSY", "Fit hinges and latch", "door-fit", 10, 6.0),
        ],
    ),
    "SA-SHAFT-30": (
        "Rough-turned shaft, 1045 dia. 30",
        40,
        min_mult(20, 10),
        [("RM-1045-30", 0.45)],
        [
            ("TURN", "Saw and face", "turn-d30", 15, 2.0),
            ("TURN", "Rough turn", "turn-d30", 30, 6.0),
        ],
    ),
    "SA-SHAFT-65": (
        "Rough-turned shaft, 4140 dia. 65",
        8,
        L4L,
        [("RM-4140-65", 0.6)],
        [
            ("TURN", "Saw and face", "turn-d65", 15, 4.0),
            ("TURN", "Rough turn", "turn-d65", 40, 14.0),
        ],
    ),
    "SA-FLG-BLK": (
        "Flange blank, profiled from plate",
        60,
        fixed(50),
        [("RM-A36-12", 6.5)],
        [
            ("LASER", "Profile cut from plate", "laser-plate", 30, 3.0),
            ("TURN", "Face and bore", "turn-flange", 35, 8.0),
        ],
    ),
    "SA-HSG-RGH": (
        "Rough-milled housing block, 6061",
        25,
        L4L,
        [("RM-AL6061-BLK", 4.2)],
        [
            ("MILL", "Saw and square block", "mill-vise", 20, 5.0),
            ("MILL", "Rough mill pockets", "mill-fixture-hsg", 45, 18.0),
        ],
    ),
    "SA-TUBESET-50": (
        "Cut tube set, 50x50 frame",
        4,
        L4L,
        [("RM-TUBE-50", 6.0)],
        [
            ("LASER", "Tube laser cut", "laser-tube", 30, 12.0),
            ("WELD", "Cope and deburr", "weld-prep", 10, 15.0),
        ],
    ),
    "SA-TUBESET-80": (
        "Cut tube set, 80x40 frame",
        2,
        L4L,
        [("RM-TUBE-80", 8.0)],
        [
            ("LASER", "Tube laser cut", "laser-tube", 30, 16.0),
            ("WELD", "Cope and deburr", "weld-prep", 10, 20.0),
        ],
    ),
}
