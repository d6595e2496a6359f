from orders.models.billing import (
    Deposit,
    Invoice,
    InvoiceStatus,
    OrderPolicy,
    Payment,
)
from orders.models.clarifications import Clarification
from orders.models.customers import (
    DEFAULT_TRANSIT_DAYS,
    Address,
    AddressKind,
    Contact,
    Customer,
    TransitLane,
)
from orders.models.documents import Document, DocumentKind
from orders.models.events import OrderEvent, OrderEventKind
from orders.models.messages import MessageKind, MessageStatus, OutboxMessage
from orders.models.orders import SalesOrder, SalesOrderLine
from orders.models.products import Product
from scheduling.models import NumberSequence

__all__ = [
    "DEFAULT_TRANSIT_DAYS",
    "Address",
    "AddressKind",
    "Clarification",
    "Contact",
    "Customer",
    "Deposit",
    "Document",
    "DocumentKind",
    "Invoice",
    "InvoiceStatus",
    "MessageKind",
    "MessageStatus",
    "NumberSequence",
    "OrderEvent",
    "OrderEventKind",
    "OrderPolicy",
    "OutboxMessage",
    "Payment",
    "Product",
    "SalesOrder",
    "SalesOrderLine",
    "TransitLane",
]
