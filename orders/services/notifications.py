"""The staff's in-app notifications and their daily digest email."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from core import clock
from orders.models import Alert, ExceptionStatus, Notification, OrderException


def notify(*, users, text: str, url: str = "") -> int:
    """One bell notification per user (call inside the transaction of the cause)."""
    rows = [Notification(user=user, text=text[:300], url=url) for user in users]
    Notification.objects.bulk_create(rows)
    return len(rows)


def users_in_role(role: str):
    return get_user_model().objects.filter(groups__name=role, is_active=True)


def notify_role(*, role: str, text: str, url: str = "") -> int:
    return notify(users=users_in_role(role), text=text, url=url)


def notification_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())


def staff_digest_send(*, now: datetime | None = None) -> int:
    """Email each staff member the open alerts of their roles and the exceptions they own."""
    now = now or clock.now()
    sent = 0
    users = (
        get_user_model().objects.filter(is_active=True).exclude(email="").prefetch_related("groups")
    )
    for user in users:
        roles = [group.name for group in user.groups.all()]
        alerts = list(
            Alert.objects.filter(resolved_at__isnull=True, owner_role__in=roles)
            .select_related("order")
            .order_by("-severity", "order__promised_date")[:50]
        )
        exceptions = list(
            OrderException.objects.filter(status=ExceptionStatus.OPEN)
            .filter(Q(owner=user) | Q(owner__isnull=True, owner_role__in=roles))
            .select_related("exception_type", "order")[:50]
        )
        if not alerts and not exceptions:
            continue
        lines = [f"Good morning {user.get_short_name() or user.username},", ""]
        if alerts:
            lines.append(f"Open alerts for you ({len(alerts)}):")
            lines += [f"- {a.order.number}: {a.get_kind_display()} — {a.message}" for a in alerts]
            lines.append("")
        if exceptions:
            lines.append(f"Open exceptions ({len(exceptions)}):")
            lines += [
                f"- {e.exception_type.name}: {e.description[:80]} (due {e.due_at:%a %-d %b %H:%M})"
                for e in exceptions
            ]
            lines.append("")
        lines.append(f"The at-risk board: {reverse('orders:at_risk')}")
        send_mail(
            subject=f"Ordercraft: {len(alerts)} alerts, {len(exceptions)} exceptions",
            message="\n".join(lines),
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
