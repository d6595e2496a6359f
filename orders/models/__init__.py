from orders.models.alerts import (
    Alert,
    AlertKind,
    DelayNotice,
    DelayNoticeStatus,
    EscalationLevel,
    ExceptionStatus,
    ExceptionType,
    Notification,
    OrderException,
    Severity,
)
from orders.models.billing import (
    CreditNote,
    Deposit,
    Invoice,
    InvoiceStatus,
    OrderPolicy,
    Payment,
)
from orders.models.blankets import BlanketAgreement
from orders.models.changes import (
    ChangeRequest,
    ChangeRequestSource,
    ChangeRequestStatus,
    OrderRevision,
)
from orders.models.clarifications import Clarification
from orders.models.customers import (
    DEFAULT_TRANSIT_DAYS,
    Address,
    AddressKind,
    Contact,
    Customer,
    DocumentRequirement,
    TransitLane,
)
from orders.models.documents import Document, DocumentKind, RequirableDocument
from orders.models.events import OrderEvent, OrderEventKind
from orders.models.feedback import (
    Complaint,
    ComplaintType,
    DeliveryAcceptance,
    SurveyAnswer,
)
from orders.models.messages import MessageKind, MessageStatus, OutboxMessage
from orders.models.orders import SalesOrder, SalesOrderLine
from orders.models.products import Product
from scheduling.models import NumberSequence

__all__ = [
    "DEFAULT_TRANSIT_DAYS",
    "Address",
    "AddressKind",
    "Alert",
    "AlertKind",
    "BlanketAgreement",
    "ChangeRequest",
    "ChangeRequestSource",
    "ChangeRequestStatus",
    "Clarification",
    "Complaint",
    "ComplaintType",
    "Contact",
    "CreditNote",
    "Customer",
    "DelayNotice",
    "DelayNoticeStatus",
    "DeliveryAcceptance",
    "Deposit",
    "Document",
    "DocumentKind",
    "DocumentRequirement",
    "EscalationLevel",
    "ExceptionStatus",
    "ExceptionType",
    "Invoice",
    "InvoiceStatus",
    "MessageKind",
    "MessageStatus",
    "Notification",
    "NumberSequence",
    "OrderEvent",
    "OrderEventKind",
    "OrderException",
    "OrderPolicy",
    "OrderRevision",
    "OutboxMessage",
    "Payment",
    "Product",
    "RequirableDocument",
    "SalesOrder",
    "SalesOrderLine",
    "Severity",
    "SurveyAnswer",
    "TransitLane",
]
