import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.factories.scheduling import (
    BomLineFactory,
    ItemFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
)

# Monday 30 November 2026, 06:00 UTC: before the 07:00 shift.
MONDAY = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


def day(n: int) -> dt.date:
    return MONDAY.date() + dt.timedelta(days=n)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield MONDAY


@pytest.fixture
def plant(db, monday):
    """A frame made from sheet: laser cutting (two alternative lasers) then welding."""
    laser = WorkCenterFactory(code="LASER", name="Laser cutting", capability="laser")
    laser2 = WorkCenterFactory(code="LASER2", name="Fibre laser", capability="laser")
    weld = WorkCenterFactory(code="WELD", name="Welding", capability="welding")
    sheet = ItemFactory(
        code="SHEET",
        name="Aluminium sheet",
        make=False,
        on_hand=Decimal(5),
        lead_time_days=10,
        preferred_supplier="Alu Supply Co",
    )
    frame = ItemFactory(code="FRAME", name="Welded frame", make=True, lead_time_days=0)
    BomLineFactory(parent=frame, component=sheet, quantity_per=Decimal(2))
    RoutingOperationFactory(
        item=frame,
        sequence=10,
        work_center=laser,
        setup_minutes=30,
        run_minutes_per_unit=Decimal(6),
        setup_family="alu",
    )
    RoutingOperationFactory(
        item=frame,
        sequence=20,
        work_center=weld,
        setup_minutes=60,
        run_minutes_per_unit=Decimal(12),
    )
    return {"laser": laser, "laser2": laser2, "weld": weld, "sheet": sheet, "frame": frame}
