"""Open questions about an order: asking one holds the order, answering the last resumes it."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from orders.errors import OrderError
from orders.models import Clarification, OrderEventKind, SalesOrder
from orders.models.orders import HoldKind
from orders.states import HOLDABLE, OrderStatus


@transaction.atomic
def clarification_open(
    *, order_id: int, actor: AbstractBaseUser, question: str, asked_of: str
) -> Clarification:
    """Record a question; an entered or validated order waits on hold until it is answered."""
    from orders.services.lifecycle import order_event_record, order_transition

    if not actor.has_perm("orders.change_salesorder"):
        raise PermissionDenied
    question, asked_of = question.strip(), asked_of.strip()
    if not question or not asked_of:
        raise OrderError("Write the question and who must answer it.")
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status not in (*HOLDABLE, OrderStatus.ON_HOLD, OrderStatus.DRAFT):
        raise OrderError(f"{order.number} is past the point where questions hold it.")
    clarification = Clarification.objects.create(
        order=order, question=question, asked_by=actor, asked_of=asked_of
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Question for {asked_of}: {question}",
        data={"clarification_id": clarification.pk},
    )
    if order.status in HOLDABLE:
        order_transition(
            order_id=order.pk,
            transition="hold",
            actor=actor,
            note=f"Waiting for an answer from {asked_of}.",
            kind=HoldKind.CLARIFICATION,
            check_permission=False,
        )
    return clarification


@transaction.atomic
def clarification_answer(
    *, clarification_id: int, actor: AbstractBaseUser, answer: str
) -> Clarification:
    """Record the answer; with no question left open the order resumes where it was."""
    from orders.services.lifecycle import order_event_record, order_transition

    if not actor.has_perm("orders.change_salesorder"):
        raise PermissionDenied
    clarification = Clarification.objects.select_for_update().get(pk=clarification_id)
    if not clarification.is_open:
        raise OrderError("This question has been answered already.")
    if not answer.strip():
        raise OrderError("Write the answer.")
    clarification.answer = answer.strip()
    clarification.answered_by = actor
    clarification.answered_at = clock.now()
    clarification.save(update_fields=["answer", "answered_by", "answered_at"])
    order = SalesOrder.objects.select_for_update().get(pk=clarification.order_id)
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Answer from {clarification.asked_of}: {clarification.answer}",
        data={"clarification_id": clarification.pk},
    )
    still_open = order.clarifications.filter(answered_at__isnull=True).exists()
    if (
        not still_open
        and order.status == OrderStatus.ON_HOLD
        and order.hold_kind == HoldKind.CLARIFICATION
    ):
        order_transition(
            order_id=order.pk,
            transition="resume",
            actor=actor,
            note="All questions answered.",
            check_permission=False,
        )
    return clarification
