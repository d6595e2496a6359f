"""Items with three-level BOMs, work centers, routings and the 60 sellable products."""

from __future__ import annotations

from decimal import Decimal

from config.demo.materials import RAW_MATERIALS, SUBASSEMBLIES, WORK_CENTERS, Op, period
from config.demo.spec_templates import CUSTOM_TEMPLATES, STANDARD_TEMPLATES

MAT = {"al": "AL", "crs": "CRS", "ss": "SS"}
PAINT = {"black": "RM-PC-9005", "grey": "RM-PC-7035"}
PACK_SMALL = ("PACK", "Final inspection and pack", "pack-carton", 10)
PACK_LARGE = ("PACK", "Final inspection and crate", "pack-crate", 30)


def _paint_op(paint: str | None, minutes: float) -> list[Op]:
    return [("PAINT", "Powder coat", f"ral-{paint}", 40, minutes)] if paint else []


def _paint_bom(paint: str | None, kg: float) -> list[tuple[str, float]]:
    return [(PAINT[paint], kg)] if paint else []


def _brackets(p: dict, s: float) -> tuple[list, list]:
    bom = [(f"SA-BLK-{MAT[p['mat']]}", 1), ("RM-FAST-M6", 2), ("RM-CARTON", 0.02)]
    finish = _paint_op(p.get("paint"), 0.3 * s) or [("ASSY", "Brush finish", "brush", 5, 0.8 * s)]
    ops = [("BRAKE", "Bend", f"brake-{p['mat']}", 20, 0.5 * s), *finish, (*PACK_SMALL, 0.2 * s)]
    return bom + _paint_bom(p.get("paint"), 0.05 * s), ops


def _enclosures(p: dict, s: float) -> tuple[list, list]:
    body = "SA-BODY-SS" if p["mat"] == "ss" else "SA-BODY-CRS"
    bom = [(body, 1), ("SA-DOOR", 1), ("RM-GASKET-10", round(1.6 * s, 1)), ("RM-CARTON", 1)]
    weld = ("WELD", "Weld corners", "tig-ss" if p["mat"] == "ss" else "mig-steel", 25, 12 * s)
    finish = _paint_op(p.get("paint"), 6 * s) or [("WELD", "Grind and brush", "brush", 10, 15 * s)]
    ops = [weld, *finish, ("ASSY", "Fit door and gasket", "door-fit", 10, 8 * s), (*PACK_SMALL, 3)]
    return bom + _paint_bom(p.get("paint"), 0.6 * s), ops


def _shafts(p: dict, s: float) -> tuple[list, list]:
    bom = [(f"SA-SHAFT-{p['dia']}", 1), ("RM-CARTON", 0.1)]
    ops = [
        ("TURN", "Finish turn and thread", f"turn-d{p['dia']}", 35, 9 * s),
        ("MILL", "Mill keyway", "mill-keyway", 25, 4 * s),
        (*PACK_SMALL, 1),
    ]
    return bom, ops


def _flanges(p: dict, s: float) -> tuple[list, list]:
    bom = [("SA-FLG-BLK", 1), ("RM-CARTON", 0.1)]
    ops = [
        ("TURN", "Finish turn faces", "turn-flange", 30, 7 * s),
        ("MILL", "Drill bolt circle", "mill-pcd", 20, 4 * s),
        *_paint_op(p.get("paint"), 0.5 * s),
        (*PACK_SMALL, 1),
    ]
    return bom + _paint_bom(p.get("paint"), 0.1 * s), ops


def _housings(p: dict, s: float) -> tuple[list, list]:
    bom = [("SA-HSG-RGH", 1), ("RM-FAST-M10", 4), ("RM-CARTON", 0.2)]
    ops = [
        ("MILL", "Finish mill", "mill-fixture-hsg", 40, 14 * s),
        ("MILL", "Bore bearing seats", "mill-bore", 30, 8 * s),
    ]
    if p.get("bearings"):
        bom.append(("RM-BRG-6206", 2))
        ops.append(("ASSY", "Press in bearings", "bearing-press", 10, 4))
    return bom, [*ops, (*PACK_SMALL, 2)]


def _frames(p: dict, s: float) -> tuple[list, list]:
    bom = [
        (f"SA-TUBESET-{p['tube']}", 1),
        ("RM-A36-12", round(4 * s, 1)),
        ("RM-WIRE-ER70", round(0.8 * s, 2)),
        ("RM-CRATE", 1),
    ]
    ops = [
        ("WELD", "Tack and weld frame", "weld-frame", 30, 90 * s),
        ("WELD", "Grind and straighten", "weld-frame", 10, 30 * s),
        *_paint_op(p.get("paint"), 25 * s),
        (*PACK_LARGE, 20),
    ]
    return bom + _paint_bom(p.get("paint"), 1.5 * s), ops


def _panels(p: dict, s: float) -> tuple[list, list]:
    bom = [(f"SA-BLK-{MAT[p['mat']]}", 1), ("RM-PEM-M5", 4), ("RM-CARTON", 0.05)]
    ops = [
        ("BRAKE", "Bend flanges", f"brake-{p['mat']}", 20, 1.5 * s),
        *_paint_op(p.get("paint"), 1.0 * s),
        (*PACK_SMALL, 0.5),
    ]
    return bom + _paint_bom(p.get("paint"), 0.15 * s), ops


# family -> (builder of (BOM, routing), sku prefix)
FAMILIES = {
    "Brackets": (_brackets, "BRK"),
    "Enclosures": (_enclosures, "ENC"),
    "Shafts": (_shafts, "SHF"),
    "Flanges": (_flanges, "FLG"),
    "Machined housings": (_housings, "HSG"),
    "Welded frames": (_frames, "FRM"),
    "Sheet-metal panels": (_panels, "PNL"),
}

# family -> [(name, price, lead days, configurable, scale, variant tokens)]; the tokens pick
# material (al/crs/ss), paint (black/grey), bar (d30/d65), tube (t50/t80), bearings (brg).
PRODUCTS: dict[str, list[tuple[str, str, int, bool, float, str]]] = {
    "Brackets": [
        ("L-bracket 50x50x3, steel, black", "4.80", 8, False, 1.0, "crs black"),
        ("L-bracket 75x75x5, steel, black", "7.90", 8, False, 1.4, "crs black"),
        ("Z-bracket 40 mm offset, aluminium", "6.20", 8, False, 1.0, "al"),
        ("Motor mount bracket NEMA 23, aluminium", "14.50", 10, False, 1.6, "al"),
        ("Sensor bracket, stainless 304", "9.75", 10, False, 0.8, "ss"),
        ("Shelf bracket 200 mm, gusseted, grey", "11.40", 9, False, 1.8, "crs grey"),
        ("Conveyor side bracket, black", "8.60", 9, False, 1.2, "crs black"),
        ("Custom formed bracket to drawing", "18.00", 15, True, 1.5, "crs grey"),
        ("Custom stainless mounting bracket", "24.00", 16, True, 1.5, "ss"),
        ("Custom aluminium bracket kit", "21.00", 15, True, 2.0, "al"),
    ],
    "Enclosures": [
        ("Wall enclosure 300x300x150, RAL 7035", "185.00", 15, False, 1.0, "crs grey"),
        ("Wall enclosure 400x400x200, RAL 7035", "245.00", 15, False, 1.3, "crs grey"),
        ("Wall enclosure 600x400x250, RAL 7035", "329.00", 16, False, 1.7, "crs grey"),
        ("Stainless enclosure 300x300x150, brushed", "395.00", 18, False, 1.0, "ss"),
        ("Stainless enclosure 500x400x200, brushed", "560.00", 18, False, 1.5, "ss"),
        ("Junction box 200x150x100, RAL 9005", "96.00", 12, False, 0.6, "crs black"),
        ("Custom NEMA 4X stainless enclosure", "890.00", 25, True, 2.0, "ss"),
        ("Custom control cabinet to drawing", "950.00", 25, True, 2.5, "crs grey"),
        ("Custom operator console housing", "720.00", 22, True, 1.8, "crs black"),
    ],
    "Shafts": [
        ("Drive shaft dia. 25 x 300, keyed", "48.00", 10, False, 1.0, "d30"),
        ("Drive shaft dia. 25 x 500, keyed", "62.00", 10, False, 1.4, "d30"),
        ("Idler shaft dia. 20 x 250", "39.00", 10, False, 0.8, "d30"),
        ("Stepped shaft dia. 60 x 450, 4140", "185.00", 14, False, 1.6, "d65"),
        ("Spline shaft dia. 55 x 600, 4140", "320.00", 15, False, 2.2, "d65"),
        ("Custom drive shaft to drawing", "140.00", 18, True, 1.5, "d30"),
        ("Custom stepped shaft, alloy steel", "290.00", 20, True, 2.0, "d65"),
        ("Custom conveyor roller shaft", "115.00", 16, True, 1.3, "d30"),
    ],
    "Flanges": [
        ("Slip-on flange DN50 PN16", "36.00", 10, False, 0.8, ""),
        ("Slip-on flange DN80 PN16", "52.00", 10, False, 1.0, ""),
        ("Blind flange DN100 PN16", "74.00", 11, False, 1.3, ""),
        ("Blind flange DN150 PN16", "118.00", 12, False, 1.8, ""),
        ("Weld-neck flange DN65 PN40", "96.00", 12, False, 1.4, ""),
        ("Motor adapter flange IEC 90, black", "88.00", 12, False, 1.2, "black"),
        ("Custom adapter flange to drawing", "165.00", 18, True, 1.6, ""),
        ("Custom bearing flange", "210.00", 18, True, 1.8, "black"),
    ],
    "Machined housings": [
        ("Bearing housing 6206, aluminium", "145.00", 14, False, 1.0, "brg"),
        ("Pillow block housing 30 mm", "128.00", 14, False, 0.9, "brg"),
        ("Gearbox cover, aluminium", "210.00", 15, False, 1.4, ""),
        ("Sensor housing M18, aluminium", "85.00", 12, False, 0.5, ""),
        ("Pump adapter housing", "265.00", 16, False, 1.6, ""),
        ("Hydraulic manifold block, 4 ports", "340.00", 16, False, 1.8, ""),
        ("Custom bearing housing", "380.00", 22, True, 1.8, "brg"),
        ("Custom gearbox housing", "640.00", 24, True, 2.6, ""),
        ("Custom manifold block", "495.00", 22, True, 2.0, ""),
    ],
    "Welded frames": [
        ("Machine base frame 1200x800", "1450.00", 20, False, 1.0, "t80 grey"),
        ("Machine base frame 1600x1000", "1890.00", 20, False, 1.4, "t80 grey"),
        ("Conveyor support stand 900 mm", "420.00", 18, False, 0.5, "t50 black"),
        ("Pump skid 1000x600", "1180.00", 20, False, 0.9, "t80 black"),
        ("Operator platform frame", "2350.00", 22, False, 1.8, "t80 grey"),
        ("Custom welded frame to drawing", "2900.00", 28, True, 2.0, "t80 grey"),
        ("Custom equipment skid", "3800.00", 30, True, 2.6, "t80 black"),
        ("Custom machine guard frame", "980.00", 24, True, 0.8, "t50 black"),
    ],
    "Sheet-metal panels": [
        ("Access panel 400x300, RAL 7035", "24.00", 8, False, 1.0, "crs grey"),
        ("Access panel 600x400, RAL 7035", "36.00", 8, False, 1.4, "crs grey"),
        ("Machine guard panel 800x600", "68.00", 10, False, 2.0, "crs black"),
        ("Cover plate 300x200, aluminium", "19.00", 8, False, 0.7, "al"),
        ('Rear panel 19" 3U, aluminium black', "42.00", 9, False, 0.9, "al black"),
        ('Chassis tray 19" 2U, steel', "58.00", 10, False, 1.5, "crs grey"),
        ("Custom panel set to drawing", "140.00", 15, True, 2.0, "crs grey"),
        ("Custom aluminium front panel", "95.00", 14, True, 1.2, "al black"),
    ],
}


def parse_variant(tokens: str) -> dict:
    variant: dict = {}
    for word in tokens.split():
        if word in MAT:
            variant["mat"] = word
        elif word in PAINT:
            variant["paint"] = word
        elif word == "brg":
            variant["bearings"] = True
        else:
            variant["dia" if word[0] == "d" else "tube"] = word[1:]
    return variant


def _upsert_item(code: str, **fields):
    from scheduling.models import Item

    item, _created = Item.objects.update_or_create(code=code, defaults=fields)
    return item


def _set_structure(item, bom: list[tuple[str, float]], ops: list[Op], items: dict, centers: dict):
    from scheduling.models import BomLine, RoutingOperation

    for component, quantity in bom:
        BomLine.objects.update_or_create(
            parent=item,
            component=items[component],
            defaults={"quantity_per": Decimal(str(quantity))},
        )
    for index, (center, description, family, setup, run) in enumerate(ops, start=1):
        RoutingOperation.objects.update_or_create(
            item=item,
            sequence=index * 10,
            defaults={
                "work_center": centers[center],
                "description": description,
                "setup_minutes": setup,
                "run_minutes_per_unit": Decimal(str(round(run, 3))),
                "setup_family": family,
            },
        )


# Export data per family: Harmonized System heading and a typical net weight per piece (kg).
EXPORT_DATA = {
    "Brackets": ("7326.90", "0.35"),
    "Enclosures": ("8538.10", "9.5"),
    "Shafts": ("8483.10", "2.4"),
    "Flanges": ("7307.91", "1.8"),
    "Machined housings": ("8487.90", "4.2"),
    "Welded frames": ("7308.90", "38"),
    "Sheet-metal panels": ("7326.90", "3.1"),
}


def seed_catalog() -> list:
    """Work centers, items, BOMs, routings and products; returns the products."""
    from orders.models import Product
    from scheduling.models import WorkCenter

    centers = {
        code: WorkCenter.objects.update_or_create(
            code=code,
            defaults={"name": name, "minutes_per_weekday": week, "efficiency": Decimal(eff)},
        )[0]
        for code, (name, week, eff) in WORK_CENTERS.items()
    }
    items = {}
    for code, (name, unit, lead, supplier, on_hand, lot) in RAW_MATERIALS.items():
        items[code] = _upsert_item(
            code, name=name, make=False, unit=unit, lead_time_days=lead,
            preferred_supplier=supplier, on_hand=on_hand, **lot,
        )  # fmt: skip
    for code, (name, on_hand, lot, bom, ops) in SUBASSEMBLIES.items():
        items[code] = _upsert_item(code, name=name, lead_time_days=2, on_hand=on_hand, **lot)
        _set_structure(items[code], bom, ops, items, centers)
    products = []
    for family, rows in PRODUCTS.items():
        build, prefix = FAMILIES[family]
        for number, (name, price, lead, custom, scale, tokens) in enumerate(rows, start=1):
            sku = f"{prefix}-{100 + number}"
            stock = {"on_hand": (number * 7) % 40, "safety_stock": 5}
            if family == "Brackets":
                # Cheap, high-volume parts: a week's demand is cut in one laser nest.
                stock.update(period(5))
            # Custom work is made to order, so there is never finished stock of it.
            item = _upsert_item(
                f"FG-{sku}",
                name=name,
                lead_time_days=lead // 2,
                **({"on_hand": 0, "safety_stock": 0} if custom else stock),
            )
            _set_structure(item, *build(parse_variant(tokens), scale), items, centers)
            standard = STANDARD_TEMPLATES[family] if number % 3 else []
            product, _created = Product.objects.update_or_create(
                sku=sku,
                defaults={
                    "name": name,
                    "family": family,
                    "unit": "pcs",
                    "price": Decimal(price),
                    "lead_time_days": lead,
                    "is_configurable": custom,
                    "spec_template": CUSTOM_TEMPLATES[family] if custom else standard,
                    "item": item,
                    "active": True,
                    "hs_code": EXPORT_DATA[family][0],
                    "country_of_origin": "US",
                    "unit_weight_kg": Decimal(EXPORT_DATA[family][1]),
                },
            )
            products.append(product)
    return products
