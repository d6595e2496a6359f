"""Read queries behind the tracking screens: the order's tracking panel, the at-risk board,
alerts, exceptions and notifications. Each page costs a constant number of SQL queries."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.shortcuts import get_object_or_404

from orders.models import (
    Alert,
    DelayNotice,
    DelayNoticeStatus,
    EscalationLevel,
    ExceptionStatus,
    Notification,
    OrderException,
    SalesOrder,
)
from orders.services.tracking import WATCHED, references_of
from orders.states import PROMISED, Priority
from orders.states import OrderStatus as S
from scheduling import selectors as plan

# The board shows watched orders with an open alert or at most this many days of slack.
AT_RISK_SLACK_DAYS = 2
BELL_SIZE = 8


def user_roles(user: AbstractBaseUser) -> list[str]:
    """The role (group) names of ``user``; uses the groups the menu has loaded, if any."""
    return sorted(group.name for group in user.groups.all())


def can_expedite(order: SalesOrder) -> bool:
    """What ``order_expedite`` accepts, so the button only shows where it can work."""
    return (
        order.status in PROMISED and order.status != S.SHIPPED and order.priority != Priority.RUSH
    )


# -- The order page ------------------------------------------------------------------------


@dataclass
class Milestone:
    label: str
    at: datetime | date | None = None
    planned: datetime | date | None = None
    detail: str = ""

    @property
    def done(self) -> bool:
        return self.at is not None


@dataclass
class Tracking:
    stage: str
    progress_done: int = 0
    progress_total: int = 0
    work_center: str | None = None
    work_orders: list[str] = field(default_factory=list)
    projected_completion: date | None = None
    projected_delivery: date | None = None
    promised: date | None = None
    binding: str = ""
    milestones: list[Milestone] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    draft_notice: DelayNotice | None = None
    sent_notices: list[DelayNotice] = field(default_factory=list)
    can_expedite: bool = False

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return round(100 * self.progress_done / self.progress_total)

    @property
    def slack(self) -> int | None:
        if not (self.promised and self.projected_delivery):
            return None
        return (self.promised - self.projected_delivery).days


def _transition_at(events, *names: str) -> datetime | None:
    """When the last of these transitions happened (from the already loaded timeline)."""
    times = [event.at for event in events if event.transition in names]
    return max(times) if times else None


def _operations(work_orders: list[str]) -> list:
    # orders may read scheduling's rows (imports point down); the progress selector gives
    # only work order numbers, and the timeline needs each operation's finish.
    from scheduling.models import WorkOrderOperation

    if not work_orders:
        return []
    return list(
        WorkOrderOperation.objects.filter(work_order__number__in=work_orders)
        .select_related("work_order", "work_center")
        .order_by("work_order__number", "sequence")
    )


def _milestones(order: SalesOrder, operations: list) -> list[Milestone]:
    events = list(order.events.all())
    milestones = [
        Milestone("Entered", order.submitted_at or _transition_at(events, "submit")),
        Milestone("Acknowledged", order.acknowledged_at),
        Milestone("Released to production", order.released_at),
    ]
    for op in operations:
        what = op.description or op.work_center.name
        milestones.append(
            Milestone(
                f"{what} done",
                op.actual_end,
                planned=op.planned_end,
                detail=f"{op.work_order.number} op {op.sequence} at {op.work_center.name}",
            )
        )
    inspected = _transition_at(events, "inspect_pass", "quality_release")
    milestones += [
        Milestone("Inspected and released by quality", inspected),
        Milestone("Shipped", order.shipped_at),
        Milestone("Delivered", order.delivered_at or order.actual_delivery_date),
    ]
    return milestones


def order_tracking(*, order: SalesOrder) -> dict:
    """Context of the order page's tracking panel: progress, projection, milestones, alerts
    and delay notices (seven queries, whatever the size of the order)."""
    refs = references_of(order)
    projections = plan.projections_for(references=refs)
    progress = plan.progress_for(references=refs)
    tracking = Tracking(
        stage=order.get_status_display(),
        promised=order.promised_date,
        projected_delivery=order.projected_delivery_date,
        can_expedite=can_expedite(order),
    )
    for ref in refs:
        entry = progress.get(ref)
        if entry:
            tracking.progress_done += entry["done"]
            tracking.progress_total += entry["total"]
            tracking.work_center = tracking.work_center or entry["work_center"]
            tracking.work_orders += [
                n for n in entry["work_orders"] if n not in tracking.work_orders
            ]
    mine = [projections[r] for r in refs if r in projections]
    if mine:
        latest = max(mine, key=lambda p: (p.projected_delivery, p.reference))
        tracking.projected_completion = max(p.projected_completion for p in mine)
        tracking.projected_delivery = order.projected_delivery_date or latest.projected_delivery
        tracking.binding = latest.binding_message
    tracking.milestones = _milestones(order, _operations(tracking.work_orders))
    tracking.alerts = list(order.alerts.filter(resolved_at__isnull=True).order_by("-opened_at"))
    for notice in order.delay_notices.select_related("approved_by", "message"):
        if notice.status == DelayNoticeStatus.DRAFT:
            tracking.draft_notice = notice
        elif notice.status == DelayNoticeStatus.SENT:
            tracking.sent_notices.append(notice)
    return {"tracking": tracking}


# -- The at-risk board --------------------------------------------------------------------


def _open_alerts() -> Prefetch:
    return Prefetch(
        "alerts",
        queryset=Alert.objects.filter(resolved_at__isnull=True).order_by("-severity", "kind"),
        to_attr="open_alerts",
    )


def _draft_notices() -> Prefetch:
    return Prefetch(
        "delay_notices",
        queryset=DelayNotice.objects.filter(status=DelayNoticeStatus.DRAFT),
        to_attr="draft_notices",
    )


def at_risk_list() -> QuerySet[SalesOrder]:
    """Watched orders with an open alert or little slack, most negative slack first; orders
    without a projection (e.g. on hold) come last."""
    slack = ExpressionWrapper(
        F("promised_date") - F("projected_delivery_date"), output_field=DurationField()
    )
    open_alert = Alert.objects.filter(order=OuterRef("pk"), resolved_at__isnull=True)
    return (
        SalesOrder.objects.filter(status__in=WATCHED)
        .annotate(slack_interval=slack, has_open_alert=Exists(open_alert))
        .filter(Q(has_open_alert=True) | Q(slack_interval__lte=timedelta(days=AT_RISK_SLACK_DAYS)))
        .select_related("customer", "owner")
        .prefetch_related(_open_alerts(), _draft_notices())
        .order_by(F("slack_interval").asc(nulls_last=True), "promised_date", "number")
    )


def at_risk_row(*, order_id: int) -> SalesOrder:
    """One board row, loaded as the board loads it (after an action re-renders it)."""
    order = get_object_or_404(
        SalesOrder.objects.select_related("customer", "owner").prefetch_related(
            _open_alerts(), _draft_notices()
        ),
        pk=order_id,
    )
    order.can_expedite = can_expedite(order)
    return order


# -- Alerts, exceptions, notifications ----------------------------------------------------


def alert_list(*, user: AbstractBaseUser, resolved: bool = False) -> QuerySet[Alert]:
    """Alerts for the user's roles (every alert for a superuser): open ones newest first, or
    the resolved history, last resolved first."""
    alerts = Alert.objects.select_related("order", "order__customer")
    if not user.is_superuser:
        alerts = alerts.filter(owner_role__in=user_roles(user))
    if resolved:
        return alerts.filter(resolved_at__isnull=False).order_by("-resolved_at", "-pk")
    return alerts.filter(resolved_at__isnull=True).order_by("-opened_at", "-pk")


def exception_list() -> QuerySet[OrderException]:
    return OrderException.objects.select_related(
        "exception_type", "order", "order__customer", "owner"
    ).order_by("status", "due_at", "pk")


def exception_get(*, exception_id: int) -> OrderException:
    """One exception with its escalation path (``exception.path``)."""
    exception = get_object_or_404(
        OrderException.objects.select_related(
            "exception_type", "order", "order__customer", "owner", "opened_by", "resolved_by"
        ),
        pk=exception_id,
    )
    exception.path = list(
        EscalationLevel.objects.filter(exception_type_id=exception.exception_type_id).order_by(
            "level"
        )
    )
    return exception


def exception_is_open(exception: OrderException) -> bool:
    return exception.status == ExceptionStatus.OPEN


def notification_list(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notification_bell(*, user: AbstractBaseUser) -> dict:
    """The unread count and the latest notifications, in one query."""
    latest = list(
        Notification.objects.filter(user=user)
        .annotate(
            unread_total=Window(Count("pk", filter=Q(read_at__isnull=True))),
        )
        .order_by("-created_at", "-pk")[:BELL_SIZE]
    )
    return {"unread": latest[0].unread_total if latest else 0, "latest": latest}
