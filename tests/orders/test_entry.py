"""The order entry screen: drafts, errors beside their fields, units, ship-tos, terms, submit."""

import datetime as dt
import re
import uuid
from decimal import Decimal

import factory
import pytest
import time_machine
from django.urls import reverse

from orders import services
from orders.models import Address, AddressKind, OrderEvent, OrderEventKind, SalesOrder
from orders.states import OrderStatus as S
from orders.states import OrderType, PaymentTerms, Priority
from tests.factories.orders import (
    AddressFactory,
    BlanketAgreementFactory,
    CustomerFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, before the shift.
NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
REQUESTED = dt.date(2026, 12, 30)
FRAME_SPECS = {
    "length": {"nominal": "1200", "tol_plus": "0.5", "tol_minus": "0.5"},
    "material": "304 SS",
    "finish": "Powder coat RAL 7035",
}


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(users):
    customer = CustomerFactory(code="KES01", name="Kestrel Robotics", payment_terms="net30")
    return {
        "customer": customer,
        "ship_to": AddressFactory(customer=customer, name="Kestrel plant 2", region="Midwest"),
        "bracket": ProductFactory(
            sku="BRK-200", family="Brackets", price=Decimal("4.20"), unit_conversions={"box": "10"}
        ),
        "frame": ProductFactory(sku="FRM-900", family="Welded frames", custom=True),
        "sales": users["sales"],
    }


def line_fields(product, quantity, *, unit="", price="", specs=None, line_id="") -> dict:
    fields = {"product": product.pk, "quantity": quantity, "unit": unit, "unit_price": price}
    fields["id"] = line_id
    for key, value in (specs or {}).items():
        if isinstance(value, dict):
            fields |= {f"spec__{key}__{part}": number for part, number in value.items()}
        else:
            fields[f"spec__{key}"] = value
    return fields


def entry_data(world, *lines: dict, action: str = "draft", initial: int = 0, **header) -> dict:
    data = {
        "entry_token": str(uuid.uuid4()),
        "customer": world["customer"].pk,
        "customer_query": "KES01 Kestrel Robotics",
        "ship_to": world["ship_to"].pk,
        "customer_po": "PO-4471",
        "order_type": OrderType.CUSTOM,
        "requested_date": REQUESTED.isoformat(),
        "payment_terms": "",
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": initial,
        "action": action,
    }
    for index, line in enumerate(lines):
        data |= {f"lines-{index}-{name}": value for name, value in line.items()}
    return data | header


def block(html: str, marker: str) -> str:
    """The HTML of the element that carries ``marker``, up to the next field wrapper."""
    start = html.index(marker)
    following = re.search(
        r'<div id="div_id_|data-spec="|data-testid="entry-line"', html[start + 1 :]
    )
    return html[start : start + 1 + following.start()] if following else html[start:]


def test_sales_saves_a_draft_with_a_catalog_line_and_a_custom_line_with_specs(client, world):
    # given
    client.force_login(world["sales"])
    data = entry_data(
        world,
        line_fields(world["bracket"], "40"),
        line_fields(world["frame"], "2", price="980.00", specs=FRAME_SPECS),
    )
    # when
    response = client.post(reverse("orders:new"), data)
    # then
    order = SalesOrder.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("orders:detail", args=[order.pk])
    assert (
        order.status,
        order.customer,
        order.ship_to,
        order.order_type,
        order.priority,
        order.customer_po,
        order.requested_date,
        order.payment_terms,
        order.entry_token,
        order.created_by,
    ) == (
        S.DRAFT,
        world["customer"],
        world["ship_to"],
        OrderType.CUSTOM,
        Priority.NORMAL,
        "PO-4471",
        REQUESTED,
        "net30",
        uuid.UUID(data["entry_token"]),
        world["sales"],
    )
    assert [
        (line.line_no, line.product.sku, line.quantity, line.unit, line.unit_price, line.specs)
        for line in order.lines.select_related("product")
    ] == [
        (1, "BRK-200", Decimal("40.000"), "pcs", Decimal("4.20"), {}),
        (
            2,
            "FRM-900",
            Decimal("2.000"),
            "pcs",
            Decimal("980.00"),
            {
                "length": {"nominal": 1200, "tol_plus": 0.5, "tol_minus": 0.5},
                "material": "304 SS",
                "finish": "Powder coat RAL 7035",
            },
        ),
    ]
    assert list(order.events.values_list("kind", "to_status")) == [
        (OrderEventKind.CREATED, S.DRAFT)
    ]


def test_errors_are_shown_beside_their_fields_and_everything_typed_is_kept(client, world):
    # given: a tolerance without its nominal value, a zero quantity and letters for a quantity
    client.force_login(world["sales"])
    data = entry_data(
        world,
        line_fields(world["frame"], "0", specs={"length": {"tol_plus": "0.2"}, "finish": "Zinc"}),
        line_fields(world["bracket"], "ten", price="4.10"),
        customer_po="PO-TYPED",
    )
    # when
    response = client.post(reverse("orders:new"), data)
    # then: nothing saved, each message beside its own field
    assert response.status_code == 200
    assert not SalesOrder.objects.exists()
    html = response.text
    length = block(html, 'data-spec="length"')
    assert "Length: a tolerance needs a nominal value." in length
    assert 'name="lines-0-spec__length__tol_plus" value="0.2"' in length
    quantity_0 = block(html, 'id="div_id_lines-0-quantity"')
    assert "Enter a quantity above zero." in quantity_0
    assert 'value="0"' in quantity_0
    quantity_1 = block(html, 'id="div_id_lines-1-quantity"')
    assert "Enter a number." in quantity_1
    assert 'value="ten"' in quantity_1
    assert "Enter a quantity above zero." not in quantity_1
    # and what was typed elsewhere is still there
    assert 'name="lines-0-spec__finish" value="Zinc"' in html
    assert 'name="lines-1-unit_price" value="4.10"' in html
    assert 'name="customer_po" value="PO-TYPED"' in html
    assert f'name="entry_token" value="{data["entry_token"]}"' in html


def test_a_draft_may_be_incomplete_but_submitting_needs_every_spec_of_a_custom_product(
    client, world
):
    # given: the custom frame without material and finish
    client.force_login(world["sales"])
    lines = [line_fields(world["frame"], "2", specs={"length": FRAME_SPECS["length"]})]
    # when
    refused = client.post(reverse("orders:new"), entry_data(world, *lines, action="submit"))
    # then
    assert refused.status_code == 200
    assert not SalesOrder.objects.exists()
    assert "Material is required." in block(refused.text, 'data-spec="material"')
    assert "Finish is required." in block(refused.text, 'data-spec="finish"')
    # when: the same as a draft
    saved = client.post(reverse("orders:new"), entry_data(world, *lines, action="draft"))
    # then
    assert saved.status_code == 302
    assert SalesOrder.objects.get().status == S.DRAFT


def test_save_and_submit_moves_the_order_to_entered(client, world):
    # given
    client.force_login(world["sales"])
    data = entry_data(world, line_fields(world["frame"], "2", specs=FRAME_SPECS), action="submit")
    # when
    response = client.post(reverse("orders:new"), data, follow=True)
    # then
    order = SalesOrder.objects.get()
    assert order.status == S.ENTERED
    assert response.redirect_chain == [(reverse("orders:detail", args=[order.pk]), 302)]
    assert f"{order.number}: submitted — now entered." in response.text
    assert list(order.events.values_list("kind", "transition", "from_status", "to_status")) == [
        (OrderEventKind.CREATED, "", "", S.DRAFT),
        (OrderEventKind.TRANSITION, "submit", S.DRAFT, S.ENTERED),
    ]


def test_a_quantity_in_an_alternative_unit_is_stored_in_the_base_unit(client, world):
    # given: brackets come in boxes of 10
    client.force_login(world["sales"])
    data = entry_data(world, line_fields(world["bracket"], "3", unit="box"))
    # when
    client.post(reverse("orders:new"), data)
    # then
    line = SalesOrder.objects.get().lines.get()
    assert (line.quantity, line.unit, line.entered_quantity, line.entered_unit) == (
        Decimal("30.000"),
        "pcs",
        Decimal("3.000"),
        "box",
    )
    assert line.ordered_as == "3 box (30 pcs)"
    assert line.amount == Decimal("126.00")
    # and the edit screen shows it as entered
    edit = client.get(reverse("orders:edit", args=[line.order_id]))
    assert 'name="lines-0-quantity" value="3"' in edit.text
    assert '<option value="box" selected>box</option>' in edit.text


def test_a_unit_the_product_is_not_sold_in_is_refused(client, world):
    client.force_login(world["sales"])
    data = entry_data(world, line_fields(world["bracket"], "3", unit="pallet"))
    response = client.post(reverse("orders:new"), data)
    assert response.status_code == 200
    assert "Select a valid choice. pallet is not one of the available choices." in block(
        response.text, 'id="div_id_lines-0-unit"'
    )
    assert not SalesOrder.objects.exists()


def test_a_new_ship_to_is_saved_with_the_order(client, world):
    # given
    client.force_login(world["sales"])
    new_address = {
        "ship_to": "new",
        "ship_name": "Kestrel Dock 4",
        "ship_line1": "18 Harbour Road",
        "ship_city": "Duluth",
        "ship_postal_code": "55802",
        "ship_region": "North",
        "ship_country": "us",
    }
    data = entry_data(world, line_fields(world["bracket"], "5"), **new_address)
    # when
    client.post(reverse("orders:new"), data)
    # then
    order = SalesOrder.objects.get()
    address = Address.objects.get(name="Kestrel Dock 4")
    assert order.ship_to == address
    assert (
        address.customer,
        address.kind,
        address.line1,
        address.city,
        address.postal_code,
        address.region,
        address.country,
    ) == (
        world["customer"],
        AddressKind.SHIP_TO,
        "18 Harbour Road",
        "Duluth",
        "55802",
        "North",
        "US",
    )


def test_a_new_ship_to_needs_its_city(client, world):
    client.force_login(world["sales"])
    data = entry_data(
        world,
        line_fields(world["bracket"], "5"),
        ship_to="new",
        ship_name="Dock 4",
        ship_line1="18 Harbour Road",
        ship_region="North",
        ship_country="US",
    )
    response = client.post(reverse("orders:new"), data)
    assert response.status_code == 200
    assert "Enter the city." in block(response.text, 'id="div_id_ship_city"')
    assert 'id="new-ship-to" hidden' not in response.text
    assert (SalesOrder.objects.count(), Address.objects.count()) == (0, 1)


def test_sales_cannot_change_the_payment_terms(client, world):
    # given: the customer pays in 30 days
    client.force_login(world["sales"])
    data = entry_data(world, line_fields(world["bracket"], "5"), payment_terms="net60")
    # when
    response = client.post(reverse("orders:new"), data)
    # then
    assert response.status_code == 200
    assert not SalesOrder.objects.exists()
    assert (
        "Only credit or a manager may change the payment terms from the customer&#x27;s "
        "Net 30 days." in block(response.text, 'data-testid="payment-terms"')
    )
    # and the form shows the terms read-only
    page = client.get(reverse("orders:new"))
    assert '<select name="payment_terms"' not in page.text


def test_a_user_who_may_change_terms_sets_them_on_the_order(make_user, world):
    # given: a sales manager
    sales_manager = make_user("sales")
    sales_manager.groups.add(*make_user("manager").groups.all())
    entry = services.OrderEntry(
        customer=world["customer"],
        ship_to=world["ship_to"],
        payment_terms=PaymentTerms.NET60,
        lines=(services.EntryLine(product=world["bracket"], quantity=Decimal(5)),),
    )
    # when
    order, created = services.order_entry_create(actor=sales_manager, entry=entry)
    # then
    assert (created, order.payment_terms) == (True, PaymentTerms.NET60)
    # and the service refuses the same for plain sales
    with pytest.raises(services.EntryError, match="Only credit or a manager may change"):
        services.order_entry_create(actor=world["sales"], entry=entry)
    assert SalesOrder.objects.count() == 1


def test_a_double_submit_creates_one_order(client, world):
    # given
    client.force_login(world["sales"])
    data = entry_data(world, line_fields(world["bracket"], "5"))
    # when: the same form arrives twice
    first = client.post(reverse("orders:new"), data)
    second = client.post(reverse("orders:new"), data, follow=True)
    # then
    order = SalesOrder.objects.get()
    assert first.url == reverse("orders:detail", args=[order.pk])
    assert second.redirect_chain == [(reverse("orders:detail", args=[order.pk]), 302)]
    assert f"{order.number} was already saved from this form." in second.text
    assert order.lines.count() == 1


def test_the_service_returns_the_first_order_for_a_token_seen_before(world):
    token = uuid.uuid4()
    entry = services.OrderEntry(
        customer=world["customer"],
        lines=(services.EntryLine(product=world["bracket"], quantity=Decimal(5)),),
    )
    first, created_first = services.order_entry_create(
        actor=world["sales"], entry=entry, entry_token=token
    )
    again, created_again = services.order_entry_create(
        actor=world["sales"], entry=entry, entry_token=token
    )
    assert (again, created_first, created_again) == (first, True, False)
    assert SalesOrder.objects.count() == 1


def test_the_type_ahead_finds_customers_by_code_or_name(client, world):
    # given
    client.force_login(world["sales"])
    CustomerFactory(code="KM-7", name="Kestrel Marine")
    CustomerFactory(code="OW-1", name="Other Works")
    CustomerFactory(code="BK-2", name="Lakeshore Foods")
    url = reverse("orders:entry_customers")

    def names(query: str) -> list[str]:
        response = client.get(url, {"customer_query": query})
        return re.findall(r"<strong>[^<]+</strong> ([^\n<]+)", response.text)

    # when / then
    assert names("kest") == ["Kestrel Marine", "Kestrel Robotics"]
    assert names("km-") == ["Kestrel Marine"]
    assert names("kes") == ["Kestrel Marine", "Kestrel Robotics", "Lakeshore Foods"]
    assert names("k") == []


def test_the_type_ahead_shows_at_most_ten_customers(client, world):
    client.force_login(world["sales"])
    CustomerFactory.create_batch(12, name=factory.Sequence(lambda n: f"Acme {n:02d}"))
    response = client.get(reverse("orders:entry_customers"), {"customer_query": "acme"})
    assert response.text.count('data-testid="customer-option"') == 10


def test_choosing_a_customer_offers_its_ship_tos_and_terms(client, world):
    # given: another customer's address must not be offered
    client.force_login(world["sales"])
    AddressFactory(name="Someone else's dock")
    AddressFactory(customer=world["customer"], kind=AddressKind.BILL_TO, name="Accounts")
    # when
    response = client.get(reverse("orders:entry_customer"), {"customer": world["customer"].pk})
    # then
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]+)</option>', response.text)
    assert [label.split(",")[0] for value, label in options] == [
        "Choose a ship-to address…",
        "Kestrel plant 2",
        "New ship-to address…",
        "Not a blanket release",
    ]
    assert f'name="customer" value="{world["customer"].pk}"' in response.text
    assert '<input type="hidden" name="payment_terms" value="net30">' in response.text


def test_choosing_a_product_shows_its_spec_fields_unit_and_price(client, world):
    client.force_login(world["sales"])
    response = client.get(
        reverse("orders:entry_line_product"),
        {"prefix": "lines-3", "lines-3-product": world["frame"].pk},
    )
    html = response.text
    assert re.findall(r'data-spec="([^"]+)"', html) == ["length", "material", "finish"]
    assert re.findall(r'name="(lines-3-spec__length__\w+)"', html) == [
        "lines-3-spec__length__nominal",
        "lines-3-spec__length__tol_plus",
        "lines-3-spec__length__tol_minus",
    ]
    assert '<span class="input-group-text">mm</span>' in html
    assert '<option value="304 SS">304 SS</option>' in html
    assert 'name="lines-3-unit_price" value="12.50"' in html
    assert 'id="lines-3-pricing" hx-swap-oob="true"' in html


def test_add_line_returns_the_next_row_and_counts_it(client, world):
    client.force_login(world["sales"])
    response = client.get(reverse("orders:entry_line"), {"lines-TOTAL_FORMS": "2"})
    assert 'id="lines-2"' in response.text
    assert 'name="lines-2-product"' in response.text
    assert (
        '<input type="hidden" name="lines-TOTAL_FORMS" value="3" id="id_lines-TOTAL_FORMS" '
        'hx-swap-oob="true">'
    ) in response.text


def test_editing_a_draft_removes_keeps_and_adds_lines(client, world, monday):
    # given: a draft with two lines
    client.force_login(world["sales"])
    order = SalesOrderFactory(customer=world["customer"], ship_to=world["ship_to"])
    kept = SalesOrderLineFactory(order=order, line_no=1, product=world["bracket"], quantity=5)
    removed = SalesOrderLineFactory(order=order, line_no=2, product=world["bracket"], quantity=7)
    page = client.get(reverse("orders:edit", args=[order.pk]))
    loaded_at = re.search(r'name="loaded_at" value="([^"]+)"', page.text).group(1)
    data = entry_data(
        world,
        line_fields(world["bracket"], "6", line_id=kept.pk),
        line_fields(world["bracket"], "7", line_id=removed.pk) | {"DELETE": "on"},
        line_fields(world["frame"], "1", specs=FRAME_SPECS),
        initial=2,
        loaded_at=loaded_at,
        order_type=OrderType.RUSH,
    )
    # when: a minute later
    monday.shift(dt.timedelta(minutes=1))
    response = client.post(reverse("orders:edit", args=[order.pk]), data)
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.order_type, order.priority) == (OrderType.RUSH, Priority.RUSH)
    assert list(order.lines.values_list("pk", "line_no", "product__sku", "quantity")) == [
        (kept.pk, 1, "BRK-200", Decimal("6.000")),
        (order.lines.get(line_no=3).pk, 3, "FRM-900", Decimal("1.000")),
    ]
    # and a second save from the same, now stale, page is refused
    stale = client.post(reverse("orders:edit", args=[order.pk]), data)
    assert stale.status_code == 200
    assert "This order was changed by someone else; reload it and try again." in stale.text


def test_an_acknowledged_order_is_not_edited_on_the_entry_screen(client, world):
    client.force_login(world["sales"])
    order = SalesOrderFactory(customer=world["customer"], status=S.ACKNOWLEDGED)
    response = client.get(reverse("orders:edit", args=[order.pk]), follow=True)
    assert response.redirect_chain == [(reverse("orders:detail", args=[order.pk]), 302)]
    assert "it can no longer be changed on the entry screen" in response.text


def test_editing_an_entered_order_is_recorded_on_its_timeline(world):
    # given
    order = SalesOrderFactory(
        customer=world["customer"], ship_to=world["ship_to"], status=S.ENTERED
    )
    line = SalesOrderLineFactory(order=order, product=world["bracket"], quantity=5)
    entry = services.OrderEntry(
        customer=world["customer"],
        ship_to=world["ship_to"],
        requested_date=REQUESTED,
        lines=(services.EntryLine(product=world["bracket"], quantity=Decimal(8), line_id=line.pk),),
    )
    # when
    services.order_entry_update(order_id=order.pk, actor=world["sales"], entry=entry)
    # then
    event = OrderEvent.objects.get(order=order)
    assert (event.kind, event.note, event.data, event.actor) == (
        OrderEventKind.NOTE,
        "Order details changed after it was entered.",
        {"edited": True},
        world["sales"],
    )
    assert order.lines.get().quantity == Decimal("8.000")


def test_a_blanket_release_is_entered_against_its_agreement_at_its_price(client, world):
    # given: an agreement for brackets at 3.90
    agreement = BlanketAgreementFactory(
        customer=world["customer"], product=world["bracket"], unit_price=Decimal("3.90")
    )
    client.force_login(world["sales"])
    release = line_fields(world["bracket"], "100")
    # when: without choosing the agreement, then with it
    missing = client.post(
        reverse("orders:new"),
        entry_data(world, release, action="submit", order_type=OrderType.BLANKET_RELEASE),
    )
    response = client.post(
        reverse("orders:new"),
        entry_data(
            world,
            release,
            action="submit",
            order_type=OrderType.BLANKET_RELEASE,
            blanket=agreement.pk,
        ),
        follow=True,
    )
    # then
    assert "Choose the agreement this release draws from." in missing.text
    order = SalesOrder.objects.get()
    assert (order.status, order.blanket) == (S.ENTERED, agreement)
    assert order.lines.get().unit_price == Decimal("3.90")
    assert response.status_code == 200
