"""``manage.py metrics_rebuild --from 2026-01-01 --to 2026-03-31``: rebuild the snapshot."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Min
from django.utils import timezone

from core import clock
from metrics.services import SnapshotError, snapshot_build
from orders.models import SalesOrder

CHUNK_DAYS = 31


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Rebuild the dashboard snapshot for a range of days (default: from the first order "
        "to yesterday). Idempotent: each day is replaced."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="start", type=_day, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", type=_day, help="Last day (default yesterday).")

    def handle(self, *args, start: date | None, end: date | None, **options) -> None:
        yesterday = clock.today() - timedelta(days=1)
        end = min(end or yesterday, yesterday)
        if start is None:
            first = SalesOrder.objects.aggregate(first=Min("created_at"))["first"]
            start = timezone.localdate(first) if first else end
        if start > end:
            raise CommandError(f"--from {start} is after the last day that can be built, {end}.")
        totals = {"days": 0, "rows": 0, "bars": 0}
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(chunk_start + timedelta(days=CHUNK_DAYS - 1), end)
            try:
                built = snapshot_build(start=chunk_start, end=chunk_end)
            except SnapshotError as error:
                raise CommandError(str(error)) from error
            for name in totals:
                totals[name] += built[name]
            chunk_start = chunk_end + timedelta(days=1)
        self.stdout.write(
            f"Snapshot rebuilt from {start} to {end}: {totals['days']} days, "
            f"{totals['rows']} rows, {totals['bars']} histogram bars."
        )
