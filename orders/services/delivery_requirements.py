"""Special delivery requirements of an order, kept by sales and shown to shipping."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from orders.errors import OrderError
from orders.models import (
    Customer,
    DocumentRequirement,
    OrderEventKind,
    RequirableDocument,
    SalesOrder,
)
from orders.services.lifecycle import order_event_record
from orders.states import FINISHED, OrderStatus

REQUIREMENT_FIELDS = (
    "partial_shipments_allowed",
    "delivery_window",
    "delivery_appointment",
    "appointment_required",
    "liftgate_required",
    "site_contact",
    "packing_instructions",
    "label_instructions",
)
# Once the goods left, what the site needs no longer changes anything.
LOCKED = (*FINISHED, OrderStatus.SHIPPED)


@transaction.atomic
def order_delivery_requirements_update(
    *,
    order_id: int,
    actor: AbstractBaseUser,
    partial_shipments_allowed: bool,
    delivery_window: str = "",
    delivery_appointment: datetime | None = None,
    appointment_required: bool = False,
    liftgate_required: bool = False,
    site_contact: str = "",
    packing_instructions: str = "",
    label_instructions: str = "",
) -> SalesOrder:
    """Record how the order must be delivered; the change is noted on its timeline."""
    if not actor.has_perm("orders.change_salesorder"):
        raise PermissionDenied
    order = SalesOrder.objects.select_for_update().get(pk=order_id)
    if order.status in LOCKED:
        raise OrderError(
            f"{order.number} is {order.get_status_display().lower()}: its delivery "
            "requirements can no longer change."
        )
    values = {
        "partial_shipments_allowed": partial_shipments_allowed,
        "delivery_window": delivery_window.strip(),
        "delivery_appointment": delivery_appointment,
        "appointment_required": appointment_required or delivery_appointment is not None,
        "liftgate_required": liftgate_required,
        "site_contact": site_contact.strip(),
        "packing_instructions": packing_instructions.strip(),
        "label_instructions": label_instructions.strip(),
    }
    changed = [name for name, value in values.items() if getattr(order, name) != value]
    if not changed:
        return order
    for name in changed:
        setattr(order, name, values[name])
    order.save(update_fields=[*changed, "updated_at"])
    labels = ", ".join(
        str(SalesOrder._meta.get_field(name).verbose_name).lower() for name in changed
    )
    order_event_record(
        order=order,
        kind=OrderEventKind.NOTE,
        actor=actor,
        note=f"Delivery requirements changed: {labels}.",
        data={"delivery_requirements": changed},
    )
    return order


@transaction.atomic
def customer_shipping_update(
    *,
    customer_id: int,
    actor: AbstractBaseUser,
    required_documents: list[str],
    accepts_partial_shipments: bool,
    packing_instructions: str = "",
    label_instructions: str = "",
) -> Customer:
    """A customer's standing shipping rules: documents with every shipment, defaults for
    new orders (partial shipments, packing and label instructions)."""
    if not (
        actor.has_perm("orders.change_customer")
        and actor.has_perm("orders.add_documentrequirement")
        and actor.has_perm("orders.delete_documentrequirement")
    ):
        raise PermissionDenied
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    unknown = set(required_documents) - set(RequirableDocument.values)
    if unknown:
        raise OrderError(f"Unknown documents: {', '.join(sorted(unknown))}.")
    customer.accepts_partial_shipments = accepts_partial_shipments
    customer.packing_instructions = packing_instructions.strip()
    customer.label_instructions = label_instructions.strip()
    customer.save(
        update_fields=["accepts_partial_shipments", "packing_instructions", "label_instructions"]
    )
    customer.document_requirements.exclude(kind__in=required_documents).delete()
    for kind in required_documents:
        DocumentRequirement.objects.get_or_create(customer=customer, kind=kind)
    return customer
