"""Three carriers with their services, a lane to every demo region, and weight rate bands.

(The products' HS codes and unit weights are set with the catalog.)"""

from __future__ import annotations

import secrets
from decimal import Decimal

from config.demo.planning import TRANSIT_DAYS

# code -> (name, tracking URL, services); a service is
# (code, name, liftgate, appointments, extra transit days over the lane, rate bands).
# A rate band is (from kg, base, per kg).
CARRIERS = {
    "RIVET": (
        "Rivet Freight Lines",
        "https://track.rivetfreight.example/?pro={tracking}",
        [
            ("LTL", "LTL Standard", True, True, 1, [(0, "95.00", "0.40"), (250, "150.00", "0.28")]),
            (
                "LTLX",
                "LTL Guaranteed",
                True,
                True,
                0,
                [(0, "140.00", "0.55"), (250, "210.00", "0.40")],
            ),
        ],
    ),
    "PARCELPRO": (
        "ParcelPro",
        "https://parcelpro.example/track/{tracking}",
        [
            ("GROUND", "Ground", False, False, 1, [(0, "18.00", "1.10"), (30, "30.00", "0.95")]),
            (
                "EXPRESS",
                "Express 2-day",
                False,
                False,
                -1,
                [(0, "42.00", "2.20"), (30, "70.00", "1.90")],
            ),
            ("OVERNIGHT", "Overnight", False, False, -9, [(0, "85.00", "3.80")]),
        ],
    ),
    "NORTHSTAR": (
        "Northstar Logistics",
        "https://northstar.example/shipments/{tracking}",
        [
            (
                "FREIGHT",
                "Economy freight",
                True,
                False,
                2,
                [(0, "70.00", "0.30"), (500, "190.00", "0.22")],
            ),
            ("WHITE", "White glove", True, True, 1, [(0, "160.00", "0.60")]),
        ],
    ),
}
# Calendar transit to a region becomes working days on the road, at least one.
ABROAD = {"Europe", "Mexico", "Canada-East"}


def _lane_days(region: str, extra: int) -> int:
    base = TRANSIT_DAYS[region]
    if region in ABROAD:
        # The express services fly abroad; freight goes by road or sea.
        return max(2, base + extra) if extra >= 0 else max(2, base // 3)
    return max(1, base + extra)


def seed_carriers() -> int:
    """Carriers, services, lanes and rates (idempotent); returns the number of services."""
    from fulfillment.models import Carrier, CarrierService, ServiceLane, ServiceRate

    count = 0
    for code, (name, tracking_url, services) in CARRIERS.items():
        carrier, _created = Carrier.objects.update_or_create(
            code=code,
            defaults={"name": name, "tracking_url": tracking_url},
            # Each installation gets its own secret; the admin shows it to give the carrier.
            create_defaults={
                "name": name,
                "tracking_url": tracking_url,
                "webhook_secret": secrets.token_urlsafe(32),
            },
        )
        for service_code, service_name, liftgate, appointments, extra, bands in services:
            service, _created = CarrierService.objects.update_or_create(
                carrier=carrier,
                code=service_code,
                defaults={"name": service_name, "liftgate": liftgate, "appointments": appointments},
            )
            count += 1
            for region in TRANSIT_DAYS:
                ServiceLane.objects.update_or_create(
                    service=service,
                    region=region,
                    defaults={"transit_days": _lane_days(region, extra)},
                )
            for min_kg, base, per_kg in bands:
                ServiceRate.objects.update_or_create(
                    service=service,
                    min_weight_kg=Decimal(min_kg),
                    defaults={"base": Decimal(base), "per_kg": Decimal(per_kg)},
                )
    return count
