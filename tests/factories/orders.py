import datetime as dt
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from orders.models import (
    Address,
    AddressKind,
    BlanketAgreement,
    Clarification,
    Contact,
    CreditNote,
    Customer,
    Deposit,
    Document,
    DocumentKind,
    DocumentRequirement,
    Invoice,
    MessageKind,
    OrderEvent,
    OrderEventKind,
    OrderPolicy,
    OutboxMessage,
    Payment,
    Product,
    SalesOrder,
    SalesOrderLine,
    TransitLane,
)
from orders.states import OrderStatus, OrderType
from tests.factories.scheduling import ItemFactory
from tests.factories.users import UserFactory

CUSTOM_SPEC_TEMPLATE = [
    {"key": "length", "label": "Length", "type": "dimension", "unit": "mm", "required": True},
    {"key": "material", "label": "Material", "type": "choice", "choices": ["6061-T6", "304 SS"]},
    {"key": "finish", "label": "Finish", "type": "text"},
]


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    code = factory.Sequence(lambda n: f"C{n:05d}")
    name = factory.Faker("company")
    credit_limit = Decimal("100000.00")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    kind = AddressKind.SHIP_TO
    name = factory.Faker("company")
    line1 = factory.Faker("street_address")
    city = factory.Faker("city")
    postal_code = factory.Faker("postcode")
    region = "Midwest"
    country = "US"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    is_primary = True


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"P-{n:05d}")
    name = factory.Faker("catch_phrase")
    family = "Brackets"
    unit = "pcs"
    price = Decimal("12.50")
    lead_time_days = 10
    item = factory.SubFactory(ItemFactory)

    class Params:
        custom = factory.Trait(is_configurable=True, spec_template=CUSTOM_SPEC_TEMPLATE)


class SalesOrderFactory(factory.django.DjangoModelFactory):
    """``SalesOrderFactory(status=OrderStatus.PLANNED)``: the status goes in the constructor."""

    class Meta:
        model = SalesOrder

    number = factory.Sequence(lambda n: f"SO-{n + 900000:06d}")
    customer = factory.SubFactory(CustomerFactory)
    ship_to = factory.SubFactory(AddressFactory, customer=factory.SelfAttribute("..customer"))
    order_type = OrderType.STANDARD
    customer_po = factory.Sequence(lambda n: f"PO-{n:05d}")
    status = OrderStatus.DRAFT
    requested_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=28))
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("owner")
    held_from = factory.LazyAttribute(
        lambda o: OrderStatus.VALIDATED if o.status == OrderStatus.ON_HOLD else ""
    )
    promised_date = factory.LazyAttribute(
        lambda o: (
            o.requested_date
            if o.status not in (OrderStatus.DRAFT, OrderStatus.ENTERED, OrderStatus.VALIDATED)
            and o.status != OrderStatus.ON_HOLD
            else None
        )
    )
    first_promised_date = factory.SelfAttribute("promised_date")


class SalesOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrderLine

    order = factory.SubFactory(SalesOrderFactory)
    line_no = factory.Sequence(lambda n: n + 1)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("10")
    unit = factory.SelfAttribute("product.unit")
    unit_price = factory.SelfAttribute("product.price")


class OrderEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderEvent

    order = factory.SubFactory(SalesOrderFactory)
    kind = OrderEventKind.NOTE
    note = factory.Faker("sentence")


class TransitLaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransitLane
        django_get_or_create = ["region"]

    region = "Midwest"
    transit_days = 2


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.ACKNOWLEDGED)
    kind = DocumentKind.ACKNOWLEDGMENT
    revision = 1
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.7 test", name="test.pdf"))


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.ACKNOWLEDGED)
    kind = MessageKind.ACKNOWLEDGMENT
    recipients = factory.LazyFunction(lambda: ["buyer@example.org"])
    subject = "Order confirmed"
    body = "Thank you for your order."


class BlanketAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlanketAgreement

    number = factory.Sequence(lambda n: f"BA-{n + 100000:06d}")
    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    total_quantity = Decimal("1000")
    unit_price = Decimal("9.50")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    valid_to = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))


class ClarificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clarification

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.ON_HOLD)
    question = "Which finish on line 1?"
    asked_of = "Purchasing"


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"INV-{n + 100000:06d}")
    customer = factory.SubFactory(CustomerFactory)
    amount = Decimal("1000.00")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class CreditNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditNote

    number = factory.Sequence(lambda n: f"CN-{n + 100000:06d}")
    invoice = factory.SubFactory(InvoiceFactory)
    amount = Decimal("50.00")
    reason = "Two pieces damaged in transit"


class DocumentRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRequirement

    customer = factory.SubFactory(CustomerFactory)
    kind = DocumentKind.CERTIFICATE


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory)
    amount = Decimal("100.00")


class DepositFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deposit

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.VALIDATED)
    amount = Decimal("500.00")


class OrderPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderPolicy
        django_get_or_create = ["id"]

    id = 1


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    """A change analysed and waiting for a decision: line 1 becomes 20."""

    class Meta:
        model = "orders.ChangeRequest"

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.ACKNOWLEDGED)
    requested_by = factory.SubFactory(UserFactory)
    reason = "The customer's forecast went up."
    quantities = factory.LazyFunction(lambda: {"1": "20"})
    summary = "Line 1: quantity 10 → 20 pcs"
    status = "ready"
    impact = factory.LazyFunction(dict)


class OrderRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "orders.OrderRevision"

    order = factory.SubFactory(SalesOrderFactory, status=OrderStatus.ACKNOWLEDGED)
    number = factory.Sequence(lambda n: n + 1)
    change_request = factory.SubFactory(
        ChangeRequestFactory,
        order=factory.SelfAttribute("..order"),
        status="accepted",
        decided_at=factory.LazyFunction(timezone.now),
    )
    actor = factory.SubFactory(UserFactory)
    diff = factory.LazyFunction(lambda: {"lines": {"1": {"quantity": ["10", "20"]}}})
