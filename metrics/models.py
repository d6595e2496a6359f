"""The daily snapshot behind the manager dashboards.

``SnapshotDay`` says a day was built; ``DailyFigures`` holds, per day and per combination of
the dashboard's filters (customer, product family, order type, sales owner, planner), the
counts every KPI is computed from; ``DailyDistribution`` holds the histograms (cycle days,
days early or late, survey scores, complaints and date slips by kind) that medians and
percentiles need. A filtered dashboard is a sum over these rows. Counts are defined in
``metrics/kpis.py`` and nowhere else.

``DailyFigures`` hardly compresses (about one row per order), so the same counts are also
rolled up per day and per whole week (``RollupFigures``, bars in ``RollupBar``): once over all
orders, and once per value of each single filter. A dashboard with at most one filter sums a
few hundred rollup rows instead of one row per order.
"""

from django.conf import settings
from django.db import models

from core import clock

# The counts of one ``DailyFigures`` row, in the order of ``kpis.COUNT_NAMES``.
_COUNT = {"default": 0}


class SnapshotDay(models.Model):
    """A day whose figures were built; days without a row are computed live."""

    day = models.DateField(unique=True)
    built_at = models.DateTimeField(default=clock.now)
    delivered = models.PositiveIntegerField(default=0, help_text="Orders delivered that day.")
    entered = models.PositiveIntegerField(default=0, help_text="Orders entered that day.")

    class Meta:
        ordering = ["-day"]
        permissions = [("view_dashboard", "Can view the manager dashboards")]

    def __str__(self) -> str:
        return f"Snapshot of {self.day:%a %-d %b %Y}"


class FigureCounts(models.Model):
    """The counts every KPI is computed from (``kpis.COUNT_NAMES`` and ``kpis.UNIT_NAMES``)."""

    # Orders delivered that day and how they fared (see kpis.py for each definition).
    delivered = models.PositiveIntegerField(**_COUNT)
    on_time_first = models.PositiveIntegerField(**_COUNT)
    on_time_current = models.PositiveIntegerField(**_COUNT)
    repromised = models.PositiveIntegerField(**_COUNT)
    repromises = models.PositiveIntegerField(**_COUNT)
    complete = models.PositiveIntegerField(**_COUNT)
    damage_free = models.PositiveIntegerField(**_COUNT)
    documentation_ok = models.PositiveIntegerField(**_COUNT)
    quality_ok = models.PositiveIntegerField(**_COUNT)
    perfect = models.PositiveIntegerField(**_COUNT)
    otif = models.PositiveIntegerField(**_COUNT)
    shipped_first = models.PositiveIntegerField(**_COUNT)
    lines = models.PositiveIntegerField(**_COUNT)
    lines_complete_first = models.PositiveIntegerField(**_COUNT)
    units = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    units_first = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    cycle_days = models.PositiveIntegerField(**_COUNT)
    quoted = models.PositiveIntegerField(**_COUNT)
    quoted_lead_days = models.IntegerField(**_COUNT)
    requested_lead_days = models.IntegerField(**_COUNT)
    promised_by_request = models.PositiveIntegerField(**_COUNT)
    late_first = models.PositiveIntegerField(**_COUNT)
    late_told = models.PositiveIntegerField(**_COUNT)
    notice_days = models.IntegerField(**_COUNT)
    change_requests = models.PositiveIntegerField(**_COUNT)
    changed = models.PositiveIntegerField(**_COUNT)
    slips = models.PositiveIntegerField(**_COUNT)
    slip_days = models.IntegerField(**_COUNT)
    change_slips = models.PositiveIntegerField(**_COUNT)
    complained = models.PositiveIntegerField(**_COUNT)
    complaints = models.PositiveIntegerField(**_COUNT)
    surveyed = models.PositiveIntegerField(**_COUNT)
    survey_answers = models.PositiveIntegerField(**_COUNT)
    survey_points = models.PositiveIntegerField(**_COUNT)
    # Orders entered that day.
    entered = models.PositiveIntegerField(**_COUNT)
    repeat_orders = models.PositiveIntegerField(**_COUNT)

    class Meta:
        abstract = True


class DailyFigures(FigureCounts):
    """Counts of the orders delivered (and entered) on one day, for one filter combination."""

    day = models.DateField(db_index=True)
    customer = models.ForeignKey("orders.Customer", on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=60, blank=True)
    order_type = models.CharField(max_length=20)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    planner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "pk"]
        verbose_name_plural = "daily figures"
        indexes = [models.Index(fields=["day", "customer"])]

    def __str__(self) -> str:
        return f"{self.day} {self.customer_id} {self.family} {self.order_type}"


class DailyDistribution(models.Model):
    """One bar of a histogram of one ``DailyFigures`` row: ``count`` orders at ``value``."""

    figures = models.ForeignKey(DailyFigures, on_delete=models.CASCADE, related_name="bars")
    # Denormalised so that a histogram over a period is one indexed query without a join.
    day = models.DateField(db_index=True)
    measure = models.CharField(max_length=20)
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["day", "measure", "value"]

    def __str__(self) -> str:
        return f"{self.day} {self.measure}={self.value}: {self.count}"


class Period(models.TextChoices):
    DAY = "day", "Day"
    WEEK = "week", "Week (Monday to Sunday)"


class Dimension(models.TextChoices):
    ALL = "", "All orders"
    CUSTOMER = "customer_id", "Customer"
    FAMILY = "family", "Product family"
    ORDER_TYPE = "order_type", "Order type"
    OWNER = "owner_id", "Sales owner"
    PLANNER = "planner_id", "Planner"


class RollupFigures(FigureCounts):
    """The counts of a day or a whole week, over all orders or one value of one filter.

    A week is stored only once its seven days are built; it is the sum of its day rollups.
    """

    period = models.CharField(max_length=4, choices=Period.choices)
    start = models.DateField(help_text="The day, or the Monday of the week.")
    dimension = models.CharField(max_length=20, choices=Dimension.choices, blank=True)
    # The filter's value as text: a customer or user id, a family, an order type ("" = none).
    value = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["period", "dimension", "value", "start"]
        verbose_name_plural = "rollup figures"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "dimension", "value", "start"], name="unique_rollup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start} {self.dimension or 'all'}={self.value}"


# Rollup bars that feed the repeat-order table: orders entered and repeat orders per customer.
ENTERED_BY = "entered_by"
REPEAT_BY = "repeat_by"


class RollupBar(models.Model):
    """One histogram bar of a rollup (also entered and repeat orders per customer)."""

    rollup = models.ForeignKey(RollupFigures, on_delete=models.CASCADE, related_name="bars")
    measure = models.CharField(max_length=20)
    value = models.CharField(max_length=30)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["rollup", "measure", "value"]

    def __str__(self) -> str:
        return f"{self.rollup_id} {self.measure}={self.value}: {self.count}"
