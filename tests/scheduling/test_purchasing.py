"""The buyer keeps purchase orders true: confirmations, slips, receipts and cancellations."""

from decimal import Decimal

import pytest

from scheduling import services
from scheduling.adapters import problem_from_db
from scheduling.models import (
    Item,
    PlanRun,
    PlanRunStatus,
    PurchaseEventKind,
    PurchaseOrderEvent,
    PurchaseOrderStatus,
    PurchaseReceipt,
)
from scheduling.services import PurchasingError
from tests.factories.scheduling import PurchaseOrderLineFactory
from tests.scheduling.conftest import day

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer(make_user, monday):
    return make_user("buyer", first_name="Sam", last_name="Okoro")


@pytest.fixture
def line(plant):
    """PO-000042: 40 pcs of aluminium sheet from Alu Supply Co, due Mon 7 Dec."""
    return PurchaseOrderLineFactory(
        purchase_order__number="PO-000042",
        purchase_order__supplier="Alu Supply Co",
        item=plant["sheet"],
        quantity=Decimal(40),
        due_date=day(7),
    )


def snapshot(line) -> dict:
    line.refresh_from_db()
    line.purchase_order.refresh_from_db()
    return {
        "line": (
            line.due_date,
            line.confirmed_date,
            line.received_quantity,
            line.cancelled_quantity,
            line.version,
        ),
        "status": line.purchase_order.status,
        "stock": Item.objects.get(pk=line.item_id).on_hand,
        "receipts": PurchaseReceipt.objects.count(),
        "events": PurchaseOrderEvent.objects.count(),
        "runs": PlanRun.objects.count(),
    }


def test_a_confirmation_moves_the_due_date_to_the_suppliers_and_asks_for_a_plan(line, buyer):
    # when
    services.purchase_line_confirm(
        line_id=line.pk, actor=buyer, confirmed_date=day(9), supplier_reference="AC-5531"
    )
    # then
    line.refresh_from_db()
    assert (line.due_date, line.confirmed_date, line.version) == (day(9), day(9), 1)
    assert line.purchase_order.supplier_reference == "AC-5531"
    event = PurchaseOrderEvent.objects.get()
    assert (event.kind, event.from_date, event.to_date, event.actor, event.note) == (
        PurchaseEventKind.CONFIRMED,
        day(7),
        day(9),
        buyer,
        "Confirmed for Wed 9 Dec (their reference AC-5531).",
    )
    assert PlanRun.objects.get().status == PlanRunStatus.PENDING


def test_a_slip_moves_the_due_date_with_its_reason_kept_as_history(line, buyer):
    # when
    services.purchase_line_reschedule(
        line_id=line.pk, actor=buyer, due_date=day(17), reason="The mill delayed the heat"
    )
    services.purchase_line_reschedule(
        line_id=line.pk, actor=buyer, due_date=day(14), reason="Part of it on an earlier truck"
    )
    # then
    history = list(PurchaseOrderEvent.objects.values_list("kind", "from_date", "to_date", "note"))
    assert history == [
        (PurchaseEventKind.RESCHEDULED, day(7), day(17), "The mill delayed the heat"),
        (PurchaseEventKind.RESCHEDULED, day(17), day(14), "Part of it on an earlier truck"),
    ]
    line.refresh_from_db()
    assert line.due_date == day(14)


def test_a_partial_receipt_raises_stock_and_the_rest_completes_the_order(line, buyer):
    # given: 5 sheets on the shelf
    # when
    receipt = services.purchase_line_receive(
        line_id=line.pk, actor=buyer, quantity="15", delivery_note="DN-88120"
    )
    # then
    assert (receipt.quantity, receipt.received_by, receipt.delivery_note) == (
        Decimal(15),
        buyer,
        "DN-88120",
    )
    state = snapshot(line)
    assert state["stock"] == Decimal(20)
    assert state["status"] == PurchaseOrderStatus.OPEN
    assert line.open_quantity == Decimal(25)
    # when: the rest arrives, two over (within the tolerance)
    services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity="27")
    # then
    state = snapshot(line)
    assert (state["stock"], state["status"], line.open_quantity) == (
        Decimal(47),
        PurchaseOrderStatus.RECEIVED,
        0,
    )


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("45", "Only 40 pcs are still due on this line; at most 44 pcs can be received"),
        ("-3", "Enter how many arrived: more than zero."),
        ("0", "Enter how many arrived: more than zero."),
        ("lots", "Enter a number, e.g. 120."),
        ("NaN", "Enter how many arrived: more than zero."),
    ],
)
def test_a_receipt_that_cannot_be_is_refused_beside_the_quantity_and_nothing_saved(
    line, buyer, quantity, message
):
    # given
    before = snapshot(line)
    # when
    with pytest.raises(PurchasingError) as refused:
        services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity=quantity)
    # then
    assert refused.value.field == "quantity"
    assert refused.value.message.startswith(message)
    assert snapshot(line) == before


def test_a_due_date_in_the_past_is_refused(line, buyer):
    before = snapshot(line)
    with pytest.raises(PurchasingError) as refused:
        services.purchase_line_reschedule(
            line_id=line.pk, actor=buyer, due_date=day(-3), reason="Typo"
        )
    assert (refused.value.field, refused.value.message) == (
        "due_date",
        "Fri 27 Nov 2026 is in the past.",
    )
    with pytest.raises(PurchasingError, match="in the past"):
        services.purchase_line_confirm(line_id=line.pk, actor=buyer, confirmed_date=day(-1))
    assert snapshot(line) == before


def test_a_slip_needs_a_reason(line, buyer):
    with pytest.raises(PurchasingError) as refused:
        services.purchase_line_reschedule(
            line_id=line.pk, actor=buyer, due_date=day(20), reason=" "
        )
    assert refused.value.field == "reason"


def test_cancelling_the_rest_ends_the_order_and_nothing_more_is_received(line, buyer):
    # given: 10 of 40 arrived
    services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity="10")
    # when
    services.purchase_line_cancel(line_id=line.pk, actor=buyer, reason="Bought elsewhere")
    # then
    state = snapshot(line)
    assert (line.cancelled_quantity, line.open_quantity, state["status"]) == (
        Decimal(30),
        0,
        PurchaseOrderStatus.RECEIVED,
    )
    before = snapshot(line)
    with pytest.raises(PurchasingError, match="is received"):
        services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity="5")
    assert snapshot(line) == before


def test_receiving_on_a_cancelled_line_is_refused(line, buyer):
    services.purchase_line_cancel(line_id=line.pk, actor=buyer, reason="Project stopped")
    line.refresh_from_db()
    assert line.purchase_order.status == PurchaseOrderStatus.CANCELLED
    with pytest.raises(PurchasingError, match="is cancelled"):
        services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity="5")


def test_a_change_made_since_the_page_was_drawn_is_not_overwritten(line, buyer):
    # given: a colleague recorded the slip while this page showed version 0
    services.purchase_line_reschedule(
        line_id=line.pk, actor=buyer, due_date=day(17), reason="Mill delay"
    )
    before = snapshot(line)
    # when / then
    with pytest.raises(PurchasingError, match="changed by someone else"):
        services.purchase_line_confirm(
            line_id=line.pk, actor=buyer, confirmed_date=day(9), expected_version=0
        )
    assert snapshot(line) == before


def test_the_plan_uses_only_what_is_still_to_come(line, buyer):
    # when: 15 of 40 received
    services.purchase_line_receive(line_id=line.pk, actor=buyer, quantity="15")
    # then
    assert [(r.qty, r.due, r.reference) for r in problem_from_db().receipts] == [
        (25.0, day(7), "PO-000042")
    ]
    # when: the rest is cancelled
    services.purchase_line_cancel(line_id=line.pk, actor=buyer, reason="Short shipped")
    # then
    assert problem_from_db().receipts == ()
