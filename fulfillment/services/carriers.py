"""Carrier choice: rank every carrier service for a shipment and record the one chosen.

Ranking: services that arrive by the order's current promised date come first, cheapest
first; then the late ones, earliest first; services lacking what the site requires (a
liftgate, a booked appointment) are shown last, marked unsuitable. A service without a lane
to the ship-to's region cannot take the shipment and is left out with a note.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from config.dates import weekday_date
from core import clock
from fulfillment.models import Carrier, CarrierService, ServiceRate, Shipment, ShipmentStatus
from fulfillment.selectors import carrier_services_for_choice, pack_lines, weight_estimate
from orders.errors import OrderError
from orders.models import OrderEventKind
from orders.services.lifecycle import order_event_record

SATURDAY = 5


@dataclass(frozen=True)
class CarrierOption:
    carrier: Carrier
    service: CarrierService
    transit_days: int
    ship_date: date
    arrival: date
    cost: Decimal | None  # None: no rate band covers the weight
    on_time: bool
    suitable: bool
    reason: str
    suggested: bool = False


@dataclass(frozen=True)
class CarrierChoice:
    options: list[CarrierOption]
    excluded: list[str]  # services left out, with why
    weight_kg: Decimal
    weight_from_packages: bool
    region: str


def next_working_day(day: date) -> date:
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


def add_working_days(day: date, days: int) -> date:
    """``days`` working days after ``day`` (Saturdays and Sundays do not count)."""
    for _ in range(days):
        day = next_working_day(day + timedelta(days=1))
    return day


def rate_for(rates: list[ServiceRate], weight_kg: Decimal) -> ServiceRate | None:
    """The band for ``weight_kg``: the highest minimum weight at or below it."""
    bands = [rate for rate in rates if rate.min_weight_kg <= weight_kg]
    return max(bands, key=lambda rate: rate.min_weight_kg) if bands else None


def shipment_weight(*, shipment: Shipment) -> tuple[Decimal, bool]:
    """Gross weight of the packages, or the product-weight estimate before any is packed."""
    packages = list(shipment.packages.all())
    if packages:
        return sum((p.weight_kg for p in packages), Decimal(0)), True
    estimate, _missing = weight_estimate(rows=pack_lines(order=shipment.order, shipment=shipment))
    return estimate, False


def _missing_capabilities(service: CarrierService, order) -> list[str]:
    missing = []
    if order.liftgate_required and not service.liftgate:
        missing.append("no liftgate")
    if (order.appointment_required or order.delivery_appointment) and not service.appointments:
        missing.append("does not book appointments")
    return missing


def _money(value: Decimal | None) -> str:
    return "no rate for this weight" if value is None else f"{value:,.2f}"


def carrier_choice(*, shipment: Shipment, today: date | None = None) -> CarrierChoice:
    """Every carrier service ranked for ``shipment``, plus the ones left out and why."""
    order = shipment.order
    region = order.ship_to.region if order.ship_to_id else ""
    weight, from_packages = shipment_weight(shipment=shipment)
    ship_date = next_working_day(today or clock.today())
    promised = order.promised_date
    ranked, excluded = [], []
    for service in carrier_services_for_choice():
        lane = next((lane for lane in service.lanes.all() if lane.region == region), None)
        if lane is None:
            excluded.append(f"{service}: no lane to {region or 'the ship-to region'}.")
            continue
        arrival = add_working_days(ship_date, lane.transit_days)
        rate = rate_for(list(service.rates.all()), weight)
        cost = rate.cost(weight) if rate else None
        on_time = promised is None or arrival <= promised
        missing = _missing_capabilities(service, order)
        if promised is None:
            timing = "no promised date to meet"
        elif on_time:
            spare = (promised - arrival).days
            timing = (
                f"arrives on the promised {weekday_date(promised)}"
                if spare == 0
                else f"arrives {spare} day{'s' if spare != 1 else ''} before the promised "
                f"{weekday_date(promised)}"
            )
        else:
            late = (arrival - promised).days
            timing = (
                f"{late} day{'s' if late != 1 else ''} after the promised {weekday_date(promised)}"
            )
        reason = f"{timing[0].upper()}{timing[1:]}; {_money(cost)} for {weight.normalize():f} kg"
        if missing:
            reason = f"Unsuitable: {', '.join(missing)}. {reason}"
        group = 2 if missing else (0 if on_time else 1)
        no_cost = cost is None
        key = (
            (group, no_cost, cost or 0, arrival)
            if group == 0
            else (group, arrival, no_cost, cost or 0)
        )
        option = CarrierOption(
            carrier=service.carrier,
            service=service,
            transit_days=lane.transit_days,
            ship_date=ship_date,
            arrival=arrival,
            cost=cost,
            on_time=on_time,
            suitable=not missing,
            reason=reason + ".",
        )
        ranked.append((key, service.carrier.name, service.name, option))
    ranked.sort(key=lambda item: item[:3])
    options = [item[3] for item in ranked]
    if options and options[0].suitable:
        options[0] = replace(options[0], suggested=True)
    return CarrierChoice(
        options=options,
        excluded=excluded,
        weight_kg=weight,
        weight_from_packages=from_packages,
        region=region,
    )


def carrier_options(*, shipment: Shipment, today: date | None = None) -> list[CarrierOption]:
    """The services that can take ``shipment``, best first (see the module docstring)."""
    return carrier_choice(shipment=shipment, today=today).options


@transaction.atomic
def shipment_choose_carrier(
    *, shipment_id: int, actor: AbstractBaseUser, service_id: int, today: date | None = None
) -> Shipment:
    """Record the chosen service on the shipment: carrier, freight cost, estimated delivery."""
    if not actor.has_perm("fulfillment.change_shipment"):
        raise PermissionDenied
    shipment = (
        Shipment.objects.select_for_update(of=("self",))
        .select_related("order", "order__ship_to")
        .get(pk=shipment_id)
    )
    if shipment.status not in (ShipmentStatus.PACKING, ShipmentStatus.PACKED):
        raise OrderError(
            f"{shipment.number} is {shipment.get_status_display().lower()}; its carrier is set."
        )
    choice = carrier_choice(shipment=shipment, today=today)
    option = next((o for o in choice.options if o.service.pk == service_id), None)
    if option is None:
        raise OrderError(
            "That service cannot take this shipment (inactive, or no lane to "
            f"{choice.region or 'the ship-to region'})."
        )
    if not option.suitable:
        raise OrderError(f"{option.service} is unsuitable: {option.reason}")
    shipment.carrier = option.carrier
    shipment.service = option.service
    shipment.freight_cost = option.cost
    shipment.estimated_delivery = option.arrival
    shipment.save(update_fields=["carrier", "service", "freight_cost", "estimated_delivery"])
    late = "" if option.on_time else " (after the promised date)"
    order_event_record(
        order=shipment.order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=(
            f"Carrier for {shipment.number}: {option.service}, freight {_money(option.cost)}, "
            f"estimated delivery {weekday_date(option.arrival, year=True)}{late}."
        ),
        data={
            "shipment": shipment.pk,
            "service": option.service.pk,
            "freight_cost": str(option.cost) if option.cost is not None else None,
            "estimated_delivery": option.arrival.isoformat(),
        },
    )
    return shipment
