from django.db import transaction

from scheduling.models import PurchaseOrder, PurchaseOrderLine, PurchaseSuggestion
from scheduling.numbering import number_next
from scheduling.services.planning import request_replan


@transaction.atomic
def create_purchase_order_from_suggestion(*, suggestion_id: int, actor) -> PurchaseOrder:
    """Turn MRP's purchase suggestion into an open purchase order (one click; safe twice)."""
    suggestion = (
        PurchaseSuggestion.objects.select_for_update().select_related("item").get(pk=suggestion_id)
    )
    if suggestion.purchase_order_id:
        return suggestion.purchase_order
    item = suggestion.item
    order = PurchaseOrder.objects.create(
        number=number_next(prefix="PO"),
        supplier=item.preferred_supplier or "Supplier to be chosen",
        created_by=actor,
    )
    PurchaseOrderLine.objects.create(
        purchase_order=order, item=item, quantity=suggestion.quantity, due_date=suggestion.arrival
    )
    suggestion.purchase_order = order
    suggestion.save(update_fields=["purchase_order"])
    request_replan(actor=actor)
    return order
