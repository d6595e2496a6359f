"""Where every order stands: projections from the plan, the at-risk scan and its alerts."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from config.dates import weekday_date
from core import clock
from orders.models import (
    Alert,
    AlertKind,
    Clarification,
    OrderPolicy,
    SalesOrder,
    Severity,
)
from orders.models.orders import HoldKind
from orders.states import OrderStatus as S
from scheduling import selectors as plan

# Orders the scan watches: promised and not yet shipped, plus those waiting before promise.
WATCHED = (
    S.ENTERED,
    S.VALIDATED,
    S.ON_HOLD,
    S.ACKNOWLEDGED,
    S.PLANNED,
    S.RELEASED,
    S.IN_PRODUCTION,
    S.PRODUCED,
    S.QUALITY_HOLD,
    S.QUALITY_RELEASED,
    S.PACKED,
)
NOT_STARTED = (S.ACKNOWLEDGED, S.PLANNED)


def references_of(order: SalesOrder) -> list[str]:
    return [f"{order.number}/{line.line_no}" for line in order.lines.all()]


@transaction.atomic
def order_projections_refresh() -> list[int]:
    """Copy the current plan's projected delivery onto each open order; returns the ids whose
    projection moved."""
    orders = list(SalesOrder.objects.filter(status__in=WATCHED).prefetch_related("lines"))
    refs = {order.pk: references_of(order) for order in orders}
    projections = plan.projections_for(references=[r for rs in refs.values() for r in rs])
    changed = []
    for order in orders:
        dates = [projections[r].projected_delivery for r in refs[order.pk] if r in projections]
        projected = max(dates) if dates else order.projected_delivery_date
        if projected != order.projected_delivery_date:
            order.projected_delivery_date = projected
            changed.append(order)
    SalesOrder.objects.bulk_update(changed, ["projected_delivery_date"], batch_size=1000)
    return [order.pk for order in changed]


@dataclass(frozen=True)
class Finding:
    kind: str
    severity: str
    owner_role: str
    message: str
    data: dict


def customer_cause(projection) -> str:
    """Why an order is late, in the customer's words: what we wait for and until when, never
    our internal numbers (a purchase order number reads as one of theirs)."""
    kind, when = projection.binding_kind, projection.binding_date
    until = f" until {weekday_date(when)}" if when else ""
    if kind in ("material", "lead_time") and projection.binding_item is not None:
        name = projection.binding_item.name
        if when:
            return f"{name} for your order reaches us from our supplier on {weekday_date(when)}"
        return f"We are waiting for {name} for your order from our supplier"
    if kind == "capacity" and projection.binding_work_center is not None:
        return f"Our {projection.binding_work_center.name.lower()} is fully booked{until}"
    if kind == "inspection":
        return "Your order needs more time in final inspection than planned"
    if kind == "transit":
        return "Transport to you takes longer than planned"
    return "Production is behind plan"


def _late(order, projections, refs) -> Finding | None:
    if not (order.promised_date and order.projected_delivery_date):
        return None
    if order.projected_delivery_date <= order.promised_date:
        return None
    days = (order.projected_delivery_date - order.promised_date).days
    binding = max(
        (projections[r] for r in refs if r in projections),
        key=lambda p: p.projected_delivery,
        default=None,
    )
    cause = binding.binding_message if binding else ""
    return Finding(
        AlertKind.LATE,
        Severity.CRITICAL if days > 2 else Severity.WARNING,
        "sales",
        f"Projected {weekday_date(order.projected_delivery_date)}, "
        f"{days} day{'s' if days != 1 else ''} "
        f"after the promised {weekday_date(order.promised_date)}."
        + (f" {cause}." if cause else ""),
        {
            "days": days,
            "cause": cause,
            "customer_cause": customer_cause(binding) if binding else "",
            "binding": binding.binding_kind if binding else "",
            "projected": order.projected_delivery_date.isoformat(),
        },
    )


def _due_soon(order, today, within) -> Finding | None:
    if order.status not in NOT_STARTED or not order.promised_date:
        return None
    days = (order.promised_date - today).days
    if days > within:
        return None
    return Finding(
        AlertKind.DUE_SOON,
        Severity.WARNING,
        "planner",
        f"Due {weekday_date(order.promised_date)} ({days} days) "
        "and not released to production yet.",
        {"days": days},
    )


def _material(order, shortages, refs) -> Finding | None:
    hurting = [s for r in refs for s in shortages.get(r, [])]
    if not hurting or order.status not in (*NOT_STARTED, S.RELEASED, S.IN_PRODUCTION):
        return None
    worst = max(hurting, key=lambda s: s.available_date)
    return Finding(
        AlertKind.MATERIAL,
        Severity.WARNING,
        "planner",
        f"Short of {worst.item.name} ({worst.quantity.normalize():f} {worst.item.unit}) "
        f"until {weekday_date(worst.available_date)}.",
        {"item": worst.item.code, "available": worst.available_date.isoformat()},
    )


def findings_for(order, *, today, within, projections, shortages, open_questions) -> list:
    refs = references_of(order)
    found = [
        _late(order, projections, refs),
        _due_soon(order, today, within),
        _material(order, shortages, refs),
    ]
    if open_questions.get(order.pk):
        found.append(
            Finding(
                AlertKind.INFORMATION,
                Severity.WARNING,
                "sales",
                f"Waiting for an answer: {open_questions[order.pk]}",
                {},
            )
        )
    if order.status == S.QUALITY_HOLD:
        found.append(
            Finding(AlertKind.QUALITY_HOLD, Severity.CRITICAL, "quality", "On quality hold.", {})
        )
    if order.status == S.ON_HOLD and order.hold_kind == HoldKind.CREDIT:
        found.append(
            Finding(
                AlertKind.CREDIT_HOLD,
                Severity.WARNING,
                "credit",
                order.hold_reason or "On credit hold.",
                {},
            )
        )
    return [f for f in found if f is not None]


@transaction.atomic
def at_risk_scan(*, now: datetime | None = None) -> dict[str, int]:
    """Open, update and resolve alerts for every watched order; running it twice in a row
    changes nothing the second time."""
    now = now or clock.now()
    today = timezone.localdate(now)
    within = OrderPolicy.current().due_soon_days
    orders = list(SalesOrder.objects.filter(status__in=WATCHED).prefetch_related("lines"))
    all_refs = [r for order in orders for r in references_of(order)]
    projections = plan.projections_for(references=all_refs)
    shortages = plan.shortages_by_reference(references=all_refs)
    open_questions: dict[int, str] = {}
    for question in Clarification.objects.filter(
        answered_at__isnull=True, order__status__in=WATCHED
    ).order_by("asked_at"):
        open_questions.setdefault(question.order_id, question.question[:200])
    existing = {
        (alert.order_id, alert.kind): alert
        for alert in Alert.objects.select_for_update().filter(resolved_at__isnull=True)
    }
    counts = {"opened": 0, "updated": 0, "resolved": 0}
    firing = set()
    for order in orders:
        for finding in findings_for(
            order,
            today=today,
            within=within,
            projections=projections,
            shortages=shortages,
            open_questions=open_questions,
        ):
            key = (order.pk, finding.kind)
            firing.add(key)
            alert = existing.get(key)
            if alert is None:
                Alert.objects.create(
                    order=order,
                    kind=finding.kind,
                    severity=finding.severity,
                    owner_role=finding.owner_role,
                    message=finding.message[:300],
                    data=finding.data,
                    opened_at=now,
                    updated_at=now,
                )
                counts["opened"] += 1
                if finding.kind == AlertKind.LATE:
                    from orders.services.delays import delay_notice_draft

                    delay_notice_draft(order=order, finding=finding, now=now)
            elif (alert.message, alert.severity) != (finding.message[:300], finding.severity):
                alert.message, alert.severity = finding.message[:300], finding.severity
                alert.data, alert.updated_at = finding.data, now
                alert.save(update_fields=["message", "severity", "data", "updated_at"])
                counts["updated"] += 1
                if finding.kind == AlertKind.LATE:
                    # A draft notice says what is true now, not what was true when drafted.
                    from orders.services.delays import delay_notice_draft

                    delay_notice_draft(order=order, finding=finding, now=now)
    for key, alert in existing.items():
        if key not in firing:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at"])
            counts["resolved"] += 1
            if alert.kind == AlertKind.LATE:
                from orders.services.delays import delay_followup

                delay_followup(order_id=alert.order_id, now=now)
    return counts


@transaction.atomic
def order_expedite(*, order_id: int, actor, note: str = "") -> SalesOrder:
    """Raise the order to rush priority and re-plan it now."""
    from django.core.exceptions import PermissionDenied

    from orders.errors import OrderError
    from orders.models import OrderEventKind
    from orders.services.demands import order_demands_reprioritise
    from orders.services.lifecycle import order_event_record
    from orders.states import PROMISED, Priority

    if not actor.has_perm("orders.expedite_salesorder"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status not in PROMISED or order.status == S.SHIPPED:
        raise OrderError(f"{order.number} is not in production planning; nothing to expedite.")
    if order.priority == Priority.RUSH:
        raise OrderError(f"{order.number} is already at rush priority.")
    order.priority = Priority.RUSH
    order.save(update_fields=["priority", "updated_at"])
    order_demands_reprioritise(order=order, actor=actor)
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Expedited to rush priority.{f' {note.strip()}' if note.strip() else ''}",
    )
    return order
