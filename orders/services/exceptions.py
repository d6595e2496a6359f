"""Exceptions: problems that need a decision, with an owner and an escalation path."""

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core import clock
from orders.errors import OrderError
from orders.models import (
    EscalationLevel,
    ExceptionStatus,
    ExceptionType,
    OrderEventKind,
    OrderException,
    SalesOrder,
)
from orders.services.notifications import notify_role


def _level(exception_type: ExceptionType, level: int) -> EscalationLevel | None:
    return exception_type.levels.filter(level=level).first()


@transaction.atomic
def exception_open(
    *,
    actor: AbstractBaseUser,
    exception_type: ExceptionType,
    description: str,
    order: SalesOrder | None = None,
    now: datetime | None = None,
) -> OrderException:
    if not actor.has_perm("orders.add_orderexception"):
        raise PermissionDenied
    if not description.strip():
        raise OrderError("Describe the problem.")
    first = _level(exception_type, 1)
    if first is None:
        raise OrderError(f"'{exception_type.name}' has no escalation path; set one in the admin.")
    now = now or clock.now()
    exception = OrderException.objects.create(
        exception_type=exception_type,
        order=order,
        description=description.strip(),
        owner_role=first.role,
        level=1,
        due_at=now + timedelta(hours=first.hours_to_act),
        opened_by=actor,
        opened_at=now,
    )
    notify_role(
        role=first.role,
        text=f"New exception for you ({first.title}): {exception_type.name} — {description[:120]}",
        url=reverse("orders:exception_detail", args=[exception.pk]),
    )
    if order is not None:
        from orders.services.lifecycle import order_event_record

        order_event_record(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Exception opened: {exception_type.name} — {description.strip()}",
            data={"exception_id": exception.pk},
        )
    return exception


@transaction.atomic
def exception_escalate_overdue(*, now: datetime | None = None) -> int:
    """Move every overdue exception to the next level of its path and tell that level."""
    now = now or clock.now()
    escalated = 0
    overdue = OrderException.objects.select_for_update().filter(
        status=ExceptionStatus.OPEN, due_at__lt=now
    )
    for exception in overdue.select_related("exception_type"):
        following = _level(exception.exception_type, exception.level + 1)
        if following is None:
            continue  # the top of the path: it stays overdue and visible there
        exception.level = following.level
        exception.owner_role = following.role
        exception.owner = None
        exception.due_at = now + timedelta(hours=following.hours_to_act)
        exception.save(update_fields=["level", "owner_role", "owner", "due_at"])
        notify_role(
            role=following.role,
            text=f"Escalated to you ({following.title}): {exception.exception_type.name} — "
            f"{exception.description[:120]}",
            url=reverse("orders:exception_detail", args=[exception.pk]),
        )
        escalated += 1
    return escalated


@transaction.atomic
def exception_resolve(
    *,
    exception_id: int,
    actor: AbstractBaseUser,
    decision: str,
    resolution: str,
    lessons_learned: str = "",
) -> OrderException:
    if not actor.has_perm("orders.change_orderexception"):
        raise PermissionDenied
    exception = OrderException.objects.select_for_update().get(pk=exception_id)
    if exception.status != ExceptionStatus.OPEN:
        raise OrderError("This exception is resolved already.")
    if not decision.strip() or not resolution.strip():
        raise OrderError("Record the decision and how it was resolved.")
    exception.decision = decision.strip()
    exception.resolution = resolution.strip()
    exception.lessons_learned = lessons_learned.strip()
    exception.status = ExceptionStatus.RESOLVED
    exception.resolved_by = actor
    exception.resolved_at = clock.now()
    exception.save()
    return exception


@transaction.atomic
def exception_take(*, exception_id: int, actor: AbstractBaseUser) -> OrderException:
    """A person of the owning role takes the exception on."""
    exception = OrderException.objects.select_for_update().get(pk=exception_id)
    if not actor.groups.filter(name=exception.owner_role).exists() and not actor.is_superuser:
        raise PermissionDenied
    exception.owner = actor
    exception.save(update_fields=["owner"])
    return exception
