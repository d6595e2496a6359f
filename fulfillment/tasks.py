"""Celery tasks of fulfillment: thin wrappers over services, safe to run twice."""

import logging

from celery import shared_task

from fulfillment.services import documents as shipping_documents
from orders.errors import OrderError
from orders.models import DocumentKind

logger = logging.getLogger(__name__)


# --- Shipping documents ---------------------------------------------------------------------


@shared_task(acks_late=True, ignore_result=True)
def shipment_documents_render_task(*, shipment_id: int, kinds: list[str]) -> None:
    """Render the shipment's documents of ``kinds`` that do not exist yet.

    One document that cannot be made (no signed inspection, say) is logged and the others
    are still rendered; the ship page shows what is missing.
    """
    for kind in kinds:
        try:
            if kind == DocumentKind.PACKING_LIST:
                from fulfillment.services import packing

                packing.packing_list_render(shipment_id=shipment_id)
            else:
                shipping_documents.shipment_document_render(shipment_id=shipment_id, kind=kind)
        except OrderError as error:
            logger.warning("Shipment %s: %s not rendered: %s", shipment_id, kind, error.message)


@shared_task(acks_late=True, ignore_result=True)
def shipment_invoices_sweep_task() -> int:
    """Render invoice PDFs a broker outage left behind at shipping (beat); returns how many."""
    missing = shipping_documents.shipment_invoice_documents_missing()
    for shipment_id in missing:
        try:
            shipping_documents.shipment_document_render(
                shipment_id=shipment_id, kind=DocumentKind.INVOICE
            )
        except OrderError as error:
            logger.warning("Shipment %s: invoice not rendered: %s", shipment_id, error.message)
    return len(missing)


# --- end of shipping documents --------------------------------------------------------------


# --- Packing --------------------------------------------------------------------------------


@shared_task(acks_late=True, ignore_result=True)
def packing_list_render_task(*, shipment_id: int) -> None:
    """Render the packing list of a packed shipment; a second run finds it done."""
    from fulfillment.services import packing

    packing.packing_list_render(shipment_id=shipment_id)


# --- end of packing -------------------------------------------------------------------------


# --- Delivery -------------------------------------------------------------------------------


@shared_task(acks_late=True, ignore_result=True)
def orders_autoclose_task() -> list[str]:
    """Close delivered orders left without a report for the policy's days (beat, daily)."""
    from fulfillment.services import delivery

    closed = delivery.orders_autoclose()
    if closed:
        logger.info("Closed %d delivered orders automatically: %s", len(closed), closed)
    return closed


# --- end of delivery ------------------------------------------------------------------------
