"""Delay notices: drafted from the cause when an order turns late, sent automatically or
after sales approves, reminded and escalated when nobody does, followed up when resolved."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core import clock
from orders.errors import OrderError
from orders.models import (
    DelayNotice,
    DelayNoticeStatus,
    MessageKind,
    OrderEventKind,
    OrderPolicy,
    SalesOrder,
)
from orders.services.notifications import notify, notify_role, users_in_role
from orders.services.outbox import outbox_enqueue

# What we are doing about it, by the constraint that makes the order late.
ACTIONS = {
    "capacity": "We are resequencing work and adding hours where we can, and will confirm "
    "the date as soon as the plan firms up.",
    "material": "We are pressing the supplier to deliver sooner.",
    "lead_time": "We have expedited the material with our supplier.",
    "inspection": "Your order is in final inspection; we ship as soon as it passes.",
}
DEFAULT_ACTION = "We are working to recover the date and will keep you informed."


def _automatic(order: SalesOrder) -> bool:
    if order.customer.delay_notice_policy:
        return order.customer.delay_notice_policy == "auto"
    return OrderPolicy.current().delay_notices_automatic


def _log(order, actor, note, **data):
    from orders.services.lifecycle import order_event_record

    order_event_record(order=order, kind=OrderEventKind.NOTE, actor=actor, note=note, data=data)


def delay_notice_draft(*, order: SalesOrder, finding, now: datetime) -> DelayNotice | None:
    """Draft the notice for an order that turned late, or bring its draft up to date when
    the cause or the revised date changes."""
    revised = datetime.fromisoformat(finding.data["projected"]).date()
    already_told = order.delay_notices.filter(
        status=DelayNoticeStatus.SENT, followed_up_at__isnull=True, revised_date__gte=revised
    ).exists()
    if already_told:
        return None
    # The notice goes to the customer: their words, never our internal numbers.
    cause = finding.data.get("customer_cause") or "Production is behind plan"
    content = {
        "cause": cause[:300],
        "action": ACTIONS.get(finding.data.get("binding"), DEFAULT_ACTION),
        "promised_date": order.promised_date,
        "revised_date": revised,
    }
    # A draft brought up to date keeps its age: reminders and escalation count from drafting.
    notice, created = DelayNotice.objects.update_or_create(
        order=order,
        status=DelayNoticeStatus.DRAFT,
        defaults=content,
        create_defaults={**content, "drafted_at": now},
    )
    if _automatic(order):
        return delay_notice_send(notice=notice, actor=None)
    if created:
        url = reverse("orders:detail", args=[order.pk])
        staff_cause = finding.data.get("cause") or cause
        text = f"{order.number} will be late ({staff_cause}); approve the delay notice."
        if order.owner_id:
            notify(users=[order.owner], text=text, url=url)
        else:
            notify_role(role="sales", text=text, url=url)
    return notice


def delay_notice_send(*, notice: DelayNotice, actor) -> DelayNotice:
    order = notice.order
    message = outbox_enqueue(order=order, kind=MessageKind.DELAY_NOTICE, context={"notice": notice})
    notice.status = DelayNoticeStatus.SENT
    notice.sent_at = clock.now()
    notice.approved_by = actor if actor is not None and actor.is_authenticated else None
    notice.message = message
    notice.save(update_fields=["status", "sent_at", "approved_by", "message"])
    _log(
        order,
        notice.approved_by,
        f"Delay notice to the customer: revised date {notice.revised_date:%a %-d %b %Y}.",
        delay_notice_id=notice.pk,
    )
    return notice


@transaction.atomic
def delay_notice_approve(*, notice_id: int, actor: AbstractBaseUser) -> DelayNotice:
    if not actor.has_perm("orders.change_delaynotice"):
        raise PermissionDenied
    notice = DelayNotice.objects.select_for_update().select_related("order").get(pk=notice_id)
    if notice.status != DelayNoticeStatus.DRAFT:
        raise OrderError("This delay notice was sent or withdrawn already.")
    return delay_notice_send(notice=notice, actor=actor)


def delay_followup(*, order_id: int, now: datetime) -> None:
    """The order is back on track: withdraw drafts, tell customers who were told of a delay."""
    order = SalesOrder.objects.select_related("customer").get(pk=order_id)
    DelayNotice.objects.filter(order=order, status=DelayNoticeStatus.DRAFT).update(
        status=DelayNoticeStatus.WITHDRAWN
    )
    on_track = (
        order.is_open
        and order.promised_date
        and order.projected_delivery_date
        and order.projected_delivery_date <= order.promised_date
    )
    sent = order.delay_notices.filter(status=DelayNoticeStatus.SENT, followed_up_at__isnull=True)
    if not (on_track and sent.exists()):
        return
    outbox_enqueue(order=order, kind=MessageKind.RESOLVED)
    sent.update(followed_up_at=now)
    _log(order, None, "The order is back on track; the customer was told.")


def delay_confirm_new_date(*, order: SalesOrder, now: datetime | None = None) -> None:
    """Sales confirmed a new date after a delay notice: tell the customer (once)."""
    sent = order.delay_notices.filter(status=DelayNoticeStatus.SENT, followed_up_at__isnull=True)
    outbox_enqueue(order=order, kind=MessageKind.REVISED_DATE)
    sent.update(followed_up_at=now or clock.now())


@transaction.atomic
def delay_notice_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the owner of drafts waiting too long; escalate to managers after that."""
    now = now or clock.now()
    policy = OrderPolicy.current()
    counts = {"reminded": 0, "escalated": 0}
    drafts = DelayNotice.objects.select_for_update(of=("self",)).filter(
        status=DelayNoticeStatus.DRAFT
    )
    for notice in drafts.select_related("order", "order__owner"):
        url = reverse("orders:detail", args=[notice.order_id])
        waited = now - notice.drafted_at
        if notice.escalated_at is None and waited >= timedelta(
            hours=policy.delay_notice_escalation_hours
        ):
            notify(
                users=users_in_role("manager"),
                text=f"Escalated: the delay notice for {notice.order.number} has waited "
                f"{int(waited.total_seconds() // 3600)} hours for approval.",
                url=url,
            )
            notice.escalated_at = now
            notice.save(update_fields=["escalated_at"])
            counts["escalated"] += 1
        elif notice.reminded_at is None and waited >= timedelta(
            hours=policy.delay_notice_reminder_hours
        ):
            text = f"Reminder: the delay notice for {notice.order.number} waits for approval."
            if notice.order.owner_id:
                notify(users=[notice.order.owner], text=text, url=url)
            else:
                notify_role(role="sales", text=text, url=url)
            notice.reminded_at = now
            notice.save(update_fields=["reminded_at"])
            counts["reminded"] += 1
    return counts
