"""What a customer contact does from the portal: complain, answer the survey, accept, reorder.

Each use case checks that the actor is a portal contact of the order's own customer; a
customer never holds a staff permission, so nothing here asks for one.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from orders.errors import OrderError
from orders.models import (
    Complaint,
    ComplaintType,
    Contact,
    DeliveryAcceptance,
    MessageKind,
    OrderEventKind,
    SalesOrder,
    SurveyAnswer,
)
from orders.services.lifecycle import order_create, order_event_record
from orders.states import OrderStatus, OrderType

SURVEY_OPEN = (OrderStatus.DELIVERED, OrderStatus.CLOSED)
# Past orders a customer may order again: anything that got as far as being confirmed.
REORDERABLE = (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED)


def _locked_order_and_contact(*, order_id: int, actor: AbstractBaseUser) -> tuple:
    order = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order_id)
    contact = Contact.objects.filter(user_id=actor.pk, customer_id=order.customer_id).first()
    if contact is None or not actor.has_perm("orders.access_portal"):
        raise PermissionDenied
    if order.status == OrderStatus.DRAFT:
        raise PermissionDenied
    return order, contact


def _portal_note(*, order: SalesOrder, actor, note: str, data: dict) -> None:
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=note,
        data={"source": "portal", **data},
    )


@transaction.atomic
def complaint_create(
    *, order_id: int, actor: AbstractBaseUser, complaint_type: str, text: str
) -> Complaint:
    """Record a customer's complaint about one of their orders, on the order's timeline."""
    order, contact = _locked_order_and_contact(order_id=order_id, actor=actor)
    if complaint_type not in ComplaintType.values:
        raise OrderError("Choose what the complaint is about.")
    text = text.strip()
    if not text:
        raise OrderError("Please tell us what went wrong.")
    complaint = Complaint.objects.create(
        order=order, contact=contact, complaint_type=complaint_type, text=text, created_by=actor
    )
    _portal_note(
        order=order,
        actor=actor,
        note=f"Complaint ({complaint.get_complaint_type_display()}): {text}",
        data={"complaint_id": complaint.pk},
    )
    return complaint


@transaction.atomic
def survey_answer_create(
    *, order_id: int, actor: AbstractBaseUser, score: int, comment: str = ""
) -> SurveyAnswer:
    """Record the contact's 1-5 satisfaction score for a delivered order (once per contact)."""
    order, contact = _locked_order_and_contact(order_id=order_id, actor=actor)
    if order.status not in SURVEY_OPEN:
        raise OrderError("The survey opens once the order is delivered.")
    if score not in range(1, 6):
        raise OrderError("Choose a score from 1 to 5.")
    try:
        with transaction.atomic():
            answer = SurveyAnswer.objects.create(
                order=order, contact=contact, score=score, comment=comment.strip()
            )
    except IntegrityError as exc:
        raise OrderError("You have already answered the survey for this order.") from exc
    _portal_note(
        order=order,
        actor=actor,
        note=f"Satisfaction survey: {score}/5" + (f" — {answer.comment}" if answer.comment else ""),
        data={"survey_answer_id": answer.pk, "score": score},
    )
    return answer


@transaction.atomic
def delivery_accept(*, order_id: int, actor: AbstractBaseUser, note: str = "") -> SalesOrder:
    """The customer accepts a delivered order (recorded once; closing it is fulfillment's call).

    Fulfillment closes the order on acceptance unless a backorder, an undelivered shipment or
    an open delivery report still keeps it open; then it closes once those are settled.
    """
    order, contact = _locked_order_and_contact(order_id=order_id, actor=actor)
    if order.status != OrderStatus.DELIVERED:
        raise OrderError(f"{order.number} can be accepted once it is delivered.")
    if DeliveryAcceptance.objects.filter(order=order).exists():
        raise OrderError(f"{order.number} is already accepted.")
    acceptance = DeliveryAcceptance.objects.create(order=order, contact=contact, note=note.strip())
    _portal_note(
        order=order,
        actor=actor,
        note="Delivery accepted by the customer" + (f": {acceptance.note}" if note else ""),
        data={"acceptance_id": acceptance.pk},
    )
    return order


@transaction.atomic
def order_reorder(*, order_id: int, actor: AbstractBaseUser) -> SalesOrder:
    """Copy a past order's lines into a new draft for sales to check and submit."""
    order, _contact = _locked_order_and_contact(order_id=order_id, actor=actor)
    if order.status not in REORDERABLE:
        raise OrderError(f"{order.number} can be reordered once it has shipped.")
    lines = [
        {
            "product": line.product,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "specs": line.specs,
        }
        for line in order.lines.select_related("product").order_by("line_no")
    ]
    # A blanket release draws on an agreement that may be used up: the copy stands alone.
    order_type = OrderType.STANDARD if order.order_type == OrderType.BLANKET_RELEASE else None
    draft = order_create(
        customer=order.customer,
        actor=actor,
        order_type=order_type or order.order_type,
        ship_to=order.ship_to,
        customer_po="",
        lines=lines,
        # The draft goes to the salesperson of the original order, not to the customer.
        owner=order.owner,
    )
    _portal_note(
        order=draft,
        actor=actor,
        note=f"Reorder of {order.number} from the customer portal; to check and submit.",
        data={"reorder_of": order.pk},
    )
    _portal_note(
        order=order,
        actor=actor,
        note=f"Reordered by the customer as {draft.number}.",
        data={"reordered_as": draft.pk},
    )
    return draft


@transaction.atomic
def contact_preferences_update(
    *,
    contact_id: int,
    actor: AbstractBaseUser,
    wanted_kinds: list[str],
    extra_emails: list[str] | None = None,
) -> Contact:
    """Which kinds of customer message this contact receives; only they may change it."""
    contact = Contact.objects.select_for_update().get(pk=contact_id)
    if contact.user_id != actor.pk or not actor.has_perm("orders.access_portal"):
        raise PermissionDenied
    unknown = set(wanted_kinds) - set(MessageKind.values)
    if unknown:
        raise OrderError(f"Unknown message kinds: {', '.join(sorted(unknown))}.")
    contact.notification_preferences = {
        **contact.notification_preferences,
        **{kind: kind in wanted_kinds for kind in MessageKind.values},
    }
    if extra_emails is not None:
        contact.notification_preferences["extra_emails"] = list(extra_emails)
    contact.save(update_fields=["notification_preferences"])
    return contact
