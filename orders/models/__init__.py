from orders.models.customers import Address, AddressKind, Contact, Customer
from orders.models.events import OrderEvent, OrderEventKind
from orders.models.orders import SalesOrder, SalesOrderLine
from orders.models.products import Product
from scheduling.models import NumberSequence

__all__ = [
    "Address",
    "AddressKind",
    "Contact",
    "Customer",
    "NumberSequence",
    "OrderEvent",
    "OrderEventKind",
    "Product",
    "SalesOrder",
    "SalesOrderLine",
]
