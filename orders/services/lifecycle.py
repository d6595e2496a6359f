"""State-changing use cases of orders: plain functions, keyword-only, one transaction each."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from core import clock
from orders.errors import OrderChangedError, OrderError, OrderTransitionError
from orders.models import (
    Address,
    Customer,
    DocumentKind,
    MessageKind,
    OrderEvent,
    OrderEventKind,
    Product,
    SalesOrder,
    SalesOrderLine,
)
from orders.models.orders import TRANSITIONS, HoldKind
from orders.services.demands import (
    order_demands_cancel,
    order_demands_fulfil,
    order_demands_plan,
)
from orders.specs import spec_errors
from orders.states import PROMISED, OrderType, Priority
from scheduling.numbering import number_next

# Transitions that ask the user for a note (why it was held, why it was cancelled).
NOTE_REQUIRED = frozenset({"hold", "cancel", "inspect_fail", "quality_hold"})


def order_event_record(
    *,
    order: SalesOrder,
    kind: str,
    actor: AbstractBaseUser | None,
    transition: str = "",
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> OrderEvent:
    """Append a row to the order's timeline (call inside the transaction of the change)."""
    return OrderEvent.objects.create(
        order=order,
        kind=kind,
        transition=transition,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        data=data or {},
        at=at or clock.now(),
    )


@transaction.atomic
def order_create(
    *,
    customer: Customer,
    actor: AbstractBaseUser,
    order_type: str = OrderType.STANDARD,
    ship_to: Address | None = None,
    customer_po: str = "",
    requested_date: date | None = None,
    lines: Iterable[dict] = (),
    priority: int | None = None,
    owner: AbstractBaseUser | None = None,
) -> SalesOrder:
    """Create a draft order with its lines; payment terms and shipping defaults (partial
    shipments, packing and label instructions) come from the customer.

    Each line is a dict with ``product`` and ``quantity``, and optionally ``unit``,
    ``unit_price`` and ``specs`` (defaults come from the product).
    """
    if ship_to is not None and ship_to.customer_id != customer.pk:
        raise OrderError("The ship-to address belongs to another customer.")
    if priority is None:
        priority = Priority.RUSH if order_type == OrderType.RUSH else Priority.NORMAL
    order = SalesOrder.objects.create(
        number=number_next(prefix="SO"),
        customer=customer,
        order_type=order_type,
        ship_to=ship_to,
        customer_po=customer_po,
        requested_date=requested_date,
        priority=priority,
        payment_terms=customer.payment_terms,
        # The customer's shipping defaults; sales may change them on the order.
        partial_shipments_allowed=customer.accepts_partial_shipments,
        packing_instructions=customer.packing_instructions,
        label_instructions=customer.label_instructions,
        owner=owner or actor,
        created_by=actor,
    )
    for line_no, line in enumerate(lines, start=1):
        product: Product = line["product"]
        SalesOrderLine.objects.create(
            order=order,
            line_no=line_no,
            product=product,
            quantity=Decimal(line["quantity"]),
            unit=line.get("unit") or product.unit,
            unit_price=line.get("unit_price", product.price),
            specs=line.get("specs") or {},
        )
    order_event_record(
        order=order, kind=OrderEventKind.CREATED, actor=actor, to_status=order.status
    )
    return order


def order_readiness_errors(*, order: SalesOrder) -> list[str]:
    """What keeps a draft from being handed in, in words sales can act on."""
    problems = []
    if order.ship_to is None:
        problems.append("Choose a ship-to address.")
    elif not order.ship_to.is_complete:
        problems.append("The ship-to address is incomplete.")
    if order.requested_date is None:
        problems.append("Enter the requested delivery date.")
    lines = list(order.lines.select_related("product"))
    if not lines:
        problems.append("Add at least one line.")
    from orders.services.blankets import blanket_release_errors

    problems.extend(blanket_release_errors(order=order))
    for line in lines:
        errors = spec_errors(
            line.product.spec_template, line.specs, require_all=line.product.is_configurable
        )
        problems.extend(f"Line {line.line_no}: {message}" for message in errors.values())
    return problems


@transaction.atomic
def order_transition(
    *,
    order_id: int,
    transition: str,
    actor: AbstractBaseUser,
    expected_status: str | None = None,
    note: str = "",
    check_permission: bool = True,
    **params,
) -> SalesOrder:
    """Fire one lifecycle transition for ``actor`` and write its timeline event.

    ``check_permission=False`` is for a transition the system makes as the consequence of
    another one the actor may make (a failed credit check holds the order being validated).

    ``expected_status`` is the status the user saw; if the order moved on meanwhile the
    user is told to reload rather than acting on a state they never saw.
    """
    if transition not in TRANSITIONS:
        raise OrderError(f"Unknown action '{transition}'.")
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if expected_status and order.status != expected_status:
        raise OrderChangedError
    method = getattr(order, transition)
    if not can_proceed(method):
        raise OrderTransitionError(order=order, transition=transition)
    if check_permission and not has_transition_perm(method, actor):
        raise PermissionDenied
    note = note.strip()
    if transition in NOTE_REQUIRED and not note:
        raise OrderError("Please say why, in the note.")
    if transition == "hold":
        params.setdefault("reason", note)
    if transition == "acknowledge":
        if not (params.get("promised_date") or order.promised_date):
            raise OrderError("Enter the delivery date you promise the customer.")
        if order.clarifications.filter(answered_at__isnull=True).exists():
            raise OrderError("Answer the open clarifications before acknowledging.")
        from orders.services.credit import deposit_missing

        if missing := deposit_missing(order=order):
            raise OrderError(
                f"A deposit is required before acknowledging: {missing:,.2f} still to receive."
            )
    if transition == "resume" and order.hold_kind == HoldKind.CREDIT:
        raise OrderError("Only the credit department releases a credit hold.")
    if transition == "submit" and (problems := order_readiness_errors(order=order)):
        raise OrderError("Not ready to submit: " + " ".join(problems))
    from_status = order.status
    method(**params)
    try:
        order.save()
    except ConcurrentTransition as exc:
        raise OrderChangedError from exc
    order_event_record(
        order=order,
        kind=OrderEventKind.TRANSITION,
        actor=actor,
        transition=transition,
        from_status=from_status,
        to_status=order.status,
        note=note,
    )
    # The plan holds only what is still owed.
    if transition == "cancel":
        order_demands_cancel(order=order)
    elif transition == "close":
        order_demands_fulfil(order=order)
    return order


@transaction.atomic
def order_acknowledge(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    promised_date: date | None,
    expected_status: str | None = None,
    note: str = "",
    quoted_date: date | None = None,
    override_reason: str = "",
) -> SalesOrder:
    """Commit the promised date, hand the lines to planning and send the acknowledgment.

    ``quoted_date`` is the delivery date the plan can make: promising later is sales' call,
    promising earlier is a manager's override, with the reason on the order's timeline.
    The PDF is rendered and emailed by a task after commit, through the outbox.
    """
    from orders.services.outbox import outbox_enqueue

    order = order_transition(
        order_id=order_id,
        transition="acknowledge",
        actor=actor,
        expected_status=expected_status,
        note=note,
        promised_date=promised_date,
    )
    if quoted_date is not None and order.promised_date < quoted_date:
        quoted = f"{quoted_date:%a} {quoted_date.day} {quoted_date:%b %Y}"
        override_reason = override_reason.strip()
        if not actor.has_perm("orders.override_promise"):
            raise OrderError(
                f"You cannot promise earlier than the quoted {quoted}; "
                "a manager can override with a reason."
            )
        if not override_reason:
            raise OrderError(f"Say why you promise earlier than the quoted {quoted}.")
        order_event_record(
            order=order,
            kind=OrderEventKind.NOTE,
            actor=actor,
            note=f"Promised before the quoted date: {override_reason}",
            data={
                "override": True,
                "quoted": quoted_date.isoformat(),
                "promised": order.promised_date.isoformat(),
            },
        )
    order_demands_plan(order=order)
    outbox_enqueue(order=order, kind=MessageKind.ACKNOWLEDGMENT)
    return order


@transaction.atomic
def order_acknowledgment_resend(*, order_id: int, actor: AbstractBaseUser) -> None:
    """Send the current acknowledgment again (the customer lost it, a new contact)."""
    from orders.services.outbox import outbox_enqueue

    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if not actor.has_perm("orders.acknowledge_salesorder"):
        raise PermissionDenied
    if order.acknowledged_at is None:
        raise OrderError(f"{order.number} has not been acknowledged yet.")
    latest = order.documents.filter(kind=DocumentKind.ACKNOWLEDGMENT).order_by("-revision").first()
    outbox_enqueue(
        order=order,
        kind=MessageKind.ACKNOWLEDGMENT,
        attachment_revision=latest.revision if latest else 1,
    )
    order_event_record(
        order=order, kind=OrderEventKind.NOTE, actor=actor, note="Acknowledgment sent again."
    )


@transaction.atomic
def order_repromise(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    new_date: date,
    reason: str,
    customer_told: bool,
) -> SalesOrder:
    """Move the current promised date, with the reason on record; the first promise stays.

    Planning gets the new due date of every line that followed the order's date.
    """
    order = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order_id)
    if not actor.has_perm("orders.acknowledge_salesorder"):
        raise PermissionDenied
    if order.status not in PROMISED:
        raise OrderError(f"{order.number} has no promise to change while it is {order.status}.")
    reason = reason.strip()
    if not reason:
        raise OrderError("Say why the date changes; the customer and the metrics need it.")
    old_date = order.promised_date
    if new_date == old_date:
        raise OrderError("That is the date already promised.")
    order.promised_date = new_date
    order.save(update_fields=["promised_date", "updated_at"])
    order_event_record(
        order=order,
        kind=OrderEventKind.REPROMISE,
        actor=actor,
        note=reason,
        data={
            "from": old_date.isoformat(),
            "to": new_date.isoformat(),
            "customer_told": customer_told,
        },
    )
    if (
        customer_told
        and order.delay_notices.filter(status="sent", followed_up_at__isnull=True).exists()
    ):
        from orders.services.delays import delay_confirm_new_date

        delay_confirm_new_date(order=order)
    order_demands_plan(order=order)
    return order
