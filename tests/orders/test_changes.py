"""Change requests: record, analyse the impact on a real plan, accept or reject, the screens.

The plant: one press, 480 minutes a weekday, 48 minutes a bracket (ten a day). Order A needs
20 brackets (Monday and Tuesday), order B 10 after it (Wednesday); each ships the day it is
made and is two days on the road. Doubling A keeps the press busy until Thursday, so B is
pressed on Friday: two days later.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders import services, tasks
from orders.errors import OrderError
from orders.models import (
    ChangeRequest,
    ChangeRequestStatus,
    MessageKind,
    OrderEvent,
    OrderEventKind,
    OrderPolicy,
    OrderRevision,
    OutboxMessage,
    SalesOrder,
    SalesOrderLine,
)
from orders.services.changes import ChangeRequestError
from orders.states import OrderStatus as S
from scheduling import services as scheduling_services
from scheduling.models import Demand, DemandProjection, OperationStatus, PlanRun, WorkOrderStatus
from scheduling.services.planning import request_replan
from tests.factories.orders import (
    AddressFactory,
    ContactFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
    TransitLaneFactory,
)
from tests.factories.scheduling import (
    BomLineFactory,
    ItemFactory,
    RoutingOperationFactory,
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 06:00 UTC: before the 07:00 shift.
MONDAY = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


def day(n: int) -> dt.date:
    return MONDAY.date() + dt.timedelta(days=n)


def run_plan() -> PlanRun:
    return scheduling_services.regenerate_plan(run_id=request_replan(delay=0).pk)


def acknowledged(product, quantity: int, promise: dt.date, actor, second_line=None) -> SalesOrder:
    order = SalesOrderFactory(status=S.VALIDATED, requested_date=promise)
    ContactFactory(customer=order.customer, email=f"buyer-{order.number}@example.org")
    SalesOrderLineFactory(order=order, line_no=1, product=product, quantity=Decimal(quantity))
    if second_line:
        SalesOrderLineFactory(order=order, line_no=2, **second_line)
    return services.order_acknowledge(order_id=order.pk, actor=actor, promised_date=promise)


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY, tick=False):
        yield MONDAY


@pytest.fixture
def plant(monday, make_user):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})
    press = WorkCenterFactory(code="PRESS", name="Press")
    bracket = ItemFactory(code="BRACKET", name="Bracket", make=True, lead_time_days=0)
    sheet = ItemFactory(
        code="SHEET", name="Steel sheet", make=False, unit="kg", on_hand=Decimal(1000)
    )
    BomLineFactory(parent=bracket, component=sheet, quantity_per=Decimal("0.5"))
    RoutingOperationFactory(
        item=bracket,
        sequence=10,
        work_center=press,
        setup_minutes=0,
        run_minutes_per_unit=Decimal(48),
    )
    TransitLaneFactory(region="Midwest", transit_days=2)
    product = ProductFactory(sku="BRK-200", item=bracket, price=Decimal("12.50"), inspection_days=0)
    sales = make_user("sales")
    # A also has a line the plant does not plan (bought in): 5 x 8.00.
    first = acknowledged(
        product,
        20,
        day(14),
        sales,
        second_line={
            "product__item": None,
            "product__sku": "CAP-10",
            "quantity": Decimal(5),
            "unit_price": Decimal("8.00"),
        },
    )
    second = acknowledged(product, 10, day(21), sales)
    run = run_plan()
    return {
        "press": press,
        "bracket": bracket,
        "sheet": sheet,
        "product": product,
        "sales": sales,
        "first": first,
        "second": second,
        "run": run,
    }


def request_double(plant, **kwargs) -> ChangeRequest:
    return services.change_request_create(
        order_id=plant["first"].pk,
        actor=plant["sales"],
        reason="Their own customer doubled the call-off.",
        quantities={1: "40"},
        **kwargs,
    )


def snapshot():
    """Everything a change request must leave alone until it is accepted."""
    return (
        list(SalesOrder.objects.order_by("pk").values_list("pk", "status", "promised_date")),
        list(SalesOrderLine.objects.order_by("pk").values_list("pk", "quantity", "specs")),
        list(Demand.objects.order_by("pk").values_list("reference", "quantity", "due_date")),
        list(PlanRun.objects.order_by("pk").values_list("pk", "status", "is_current")),
        list(
            DemandProjection.objects.order_by("pk").values_list("reference", "projected_delivery")
        ),
        OutboxMessage.objects.count(),
    )


# --- the plan as the test expects it --------------------------------------------------------


def test_the_plant_plans_as_the_docstring_says(plant):
    projected = dict(
        DemandProjection.objects.filter(plan_run=plant["run"]).values_list(
            "reference", "projected_delivery"
        )
    )
    # made Tuesday / Wednesday, two days on the road
    assert projected == {
        f"{plant['first'].number}/1": day(3),
        f"{plant['second'].number}/1": day(4),
    }


# --- recording ------------------------------------------------------------------------------


def test_a_request_is_recorded_for_analysis_after_commit(
    plant, django_capture_on_commit_callbacks, monkeypatch
):
    # given
    queued = []
    monkeypatch.setattr(
        tasks.change_request_analyse_task, "delay", lambda **kwargs: queued.append(kwargs)
    )
    before = snapshot()
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        change = request_double(plant)
    # then
    assert (change.status, change.source, change.quantities) == (
        ChangeRequestStatus.ANALYSING,
        "sales",
        {"1": "40"},
    )
    assert change.summary == "Line 1 (BRK-200): quantity 20 → 40 pcs"
    assert queued == [{"change_request_id": change.pk}]
    assert len(callbacks) == 1
    event = plant["first"].events.order_by("pk").last()
    assert (event.kind, event.actor, event.data) == (
        OrderEventKind.NOTE,
        plant["sales"],
        {"change_request": change.pk, "change": "requested"},
    )
    assert event.note == (
        f"Change request #{change.pk} (Sales): Line 1 (BRK-200): quantity 20 → 40 pcs. "
        "Reason: Their own customer doubled the call-off."
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"quantities": {1: "0"}}, {"quantity_1": "Line 1: the quantity must be more than zero."}),
        ({"quantities": {1: "abc"}}, {"quantity_1": "Line 1: enter a number, e.g. 20."}),
        ({"quantities": {7: "3"}}, {"quantity_7": "Line 7 is not on {number}."}),
        (
            {"quantities": {1: "20"}},
            {
                "__all__": "Nothing would change: enter a new quantity, date, "
                "specification or ship-to."
            },
        ),
        ({"new_date": dt.date(2026, 11, 27)}, {"new_date": "Fri 27 Nov 2026 is in the past."}),
        (
            {"specs": {1: {"colour": "red"}}},
            {"specs_1": "Line 1: This product has no such spec field."},
        ),
        (
            {"quantities": {1: "40"}, "reason": "  "},
            {"reason": "Say why the customer asks for the change."},
        ),
    ],
)
def test_a_request_that_makes_no_sense_is_refused_beside_its_field(plant, changes, errors):
    # given
    before = snapshot()
    changes = {"reason": "The customer called.", **changes}
    # when
    with pytest.raises(ChangeRequestError) as refused:
        services.change_request_create(order_id=plant["first"].pk, actor=plant["sales"], **changes)
    # then
    number = plant["first"].number
    assert refused.value.errors == {k: v.format(number=number) for k, v in errors.items()}
    assert not ChangeRequest.objects.exists()
    assert snapshot() == before


def test_a_ship_to_of_another_customer_is_refused(plant):
    with pytest.raises(ChangeRequestError) as refused:
        services.change_request_create(
            order_id=plant["first"].pk,
            actor=plant["sales"],
            reason="New warehouse.",
            ship_to_id=AddressFactory().pk,
        )
    assert list(refused.value.errors) == ["ship_to"]
    assert not ChangeRequest.objects.exists()


def test_specs_are_checked_against_the_products_template(plant, make_user):
    # given: a custom frame on an acknowledged order
    order = SalesOrderFactory(status=S.ACKNOWLEDGED)
    line = SalesOrderLineFactory(
        order=order,
        line_no=1,
        product__custom=True,
        specs={
            "length": {"nominal": 1200, "tol_plus": 0.5, "tol_minus": 0.5},
            "material": "304 SS",
        },
    )
    new = {
        "length": {"nominal": 1250, "tol_plus": 0.5, "tol_minus": 0.5},
        "material": "304 SS",
        "finish": "Brushed",
    }
    # when: an incomplete set is refused, a complete one recorded
    with pytest.raises(ChangeRequestError) as refused:
        services.change_request_create(
            order_id=order.pk, actor=plant["sales"], reason="Longer.", specs={1: {"material": "x"}}
        )
    change = services.change_request_create(
        order_id=order.pk, actor=plant["sales"], reason="Longer.", specs={1: new}
    )
    # then
    assert refused.value.errors == {
        "specs_1": "Line 1: Length: nominal value and both tolerances are required. "
        "Material: choose one of 6061-T6, 304 SS. Finish is required."
    }
    assert change.specs == {"1": new}
    assert change.summary == (
        f"Line 1 ({line.product.sku}): specifications → "
        "Length 1250 mm +0.5/-0.5, Material 304 SS, Finish Brushed"
    )


@pytest.mark.parametrize("status", [S.VALIDATED, S.SHIPPED, S.DELIVERED, S.CANCELLED])
def test_a_request_outside_acknowledged_to_packed_is_refused(plant, status):
    order = SalesOrderFactory(status=status)
    SalesOrderLineFactory(order=order, line_no=1)
    with pytest.raises(OrderError) as refused:
        services.change_request_create(
            order_id=order.pk, actor=plant["sales"], reason="More.", quantities={1: "11"}
        )
    assert refused.value.message == (
        f"{order.number} is {order.get_status_display().lower()}: "
        "changes are taken from acknowledgment until it ships."
    )
    assert not ChangeRequest.objects.exists()
    assert not order.events.exists()


def test_only_one_request_per_order_waits_for_a_decision(plant):
    first = request_double(plant)
    with pytest.raises(OrderError) as refused:
        request_double(plant)
    assert refused.value.message == (
        f"Change request #{first.pk} on {plant['first'].number} is not decided yet; "
        "decide it first, or add this change to it."
    )
    assert ChangeRequest.objects.count() == 1


def test_only_sales_records_a_request(plant, make_user):
    with pytest.raises(PermissionDenied):
        services.change_request_create(
            order_id=plant["first"].pk,
            actor=make_user("planner"),
            reason="More.",
            quantities={1: "40"},
        )
    assert not ChangeRequest.objects.exists()


def test_a_customer_contact_may_request_a_change_of_their_own_order(plant, make_user):
    # given
    customer_user = make_user("customer", customer=plant["first"].customer)
    stranger = make_user("customer", username="stranger")
    # when
    change = services.change_request_create(
        order_id=plant["first"].pk,
        actor=customer_user,
        reason="We need more.",
        quantities={1: "30"},
        source="portal",
    )
    # then
    assert (change.source, change.requested_by) == ("portal", customer_user)
    with pytest.raises(PermissionDenied):
        services.change_request_create(
            order_id=plant["second"].pk,
            actor=stranger,
            reason="Not mine.",
            quantities={1: "30"},
            source="portal",
        )


# --- the impact -----------------------------------------------------------------------------


def test_the_impact_shows_the_new_quote_the_orders_that_move_and_the_price(plant):
    # given
    change = request_double(plant)
    before = snapshot()
    # when
    tasks.change_request_analyse_task(change_request_id=change.pk)
    # then
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.READY
    impact = change.impact
    first, second = plant["first"], plant["second"]
    # A is pressed Monday to Thursday and, due on a Saturday, delivered the Monday after,
    # well before its promise
    assert impact["quote"] == {
        "old_delivery": day(3).isoformat(),
        "new_delivery": day(7).isoformat(),
        "promised": day(14).isoformat(),
        "requested": day(14).isoformat(),
        "holds": True,
        "days_late": 0,
        "suggested_promise": day(14).isoformat(),
    }
    # B is pressed Friday instead of Wednesday: delivered Monday instead of Friday
    assert impact["moves"] == [
        {
            "number": second.number,
            "order_id": second.pk,
            "customer": second.customer.name,
            "from": day(4).isoformat(),
            "to": day(7).isoformat(),
            "days": 3,
            "promised": day(21).isoformat(),
            "late": False,
        }
    ]
    # 20 more at 12.50
    assert impact["price"] == {"old_total": "290.00", "new_total": "540.00", "difference": "250.00"}
    assert [
        (r["line_no"], r["old_quantity"], r["new_quantity"], r["difference"])
        for r in impact["lines"]
    ] == [
        (1, "20", "40", "250.00"),
        (2, "5", "5", "0.00"),
    ]
    assert impact["consumed"] == {
        "work_orders": [],
        "components": [],
        "summary": "Nothing has reached the shop floor yet: no material or work is spent.",
        "warnings": [],
    }
    assert impact["summary"] == [
        f"With the change, {first.number} can be delivered Mon 7 Dec 2026, "
        "within the promised Mon 14 Dec 2026.",
        "1 other order would move, all within their promise.",
        "The order value changes by +250.00 to 540.00.",
        "Nothing has reached the shop floor yet: no material or work is spent.",
    ]
    # nothing in the plan or the orders changed
    assert snapshot() == before


def test_a_second_run_of_the_analysis_changes_nothing(plant):
    # given
    change = request_double(plant)
    tasks.change_request_analyse_task(change_request_id=change.pk)
    change.refresh_from_db()
    first = (change.status, change.impact, change.analysed_at)
    # when
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        tasks.change_request_analyse_task(change_request_id=change.pk)
    # then
    change.refresh_from_db()
    assert (change.status, change.impact, change.analysed_at) == first


def test_a_failed_analysis_says_why_and_can_be_run_again(plant, monkeypatch):
    # given
    change = request_double(plant)

    def broken(**_kwargs):
        raise RuntimeError("no capacity data")

    monkeypatch.setattr(scheduling_services, "what_if", broken)
    # when
    services.change_request_analyse(change_request_id=change.pk)
    # then
    change.refresh_from_db()
    assert (change.status, change.error) == (
        ChangeRequestStatus.FAILED,
        "The what-if plan could not be made: no capacity data",
    )
    monkeypatch.undo()
    services.change_request_reanalyse(change_request_id=change.pk, actor=plant["sales"])
    services.change_request_analyse(change_request_id=change.pk)
    change.refresh_from_db()
    assert (change.status, change.error) == (ChangeRequestStatus.READY, "")


def test_the_impact_lists_the_work_and_material_already_spent(plant):
    # given: A's 20 brackets are on the floor: pressed (20 good), deburring still to do
    first = plant["first"]
    work_order = WorkOrderFactory(
        number="WO-000042",
        item=plant["bracket"],
        quantity=Decimal(20),
        status=WorkOrderStatus.IN_PROGRESS,
        demand_refs=[f"{first.number}/1"],
    )
    WorkOrderOperationFactory(
        work_order=work_order,
        sequence=10,
        work_center=plant["press"],
        status=OperationStatus.DONE,
        good_quantity=Decimal(20),
    )
    WorkOrderOperationFactory(work_order=work_order, sequence=20, work_center=plant["press"])
    # someone else's work is not counted
    WorkOrderFactory(item=plant["bracket"], demand_refs=[f"{plant['second'].number}/1"])
    change = services.change_request_create(
        order_id=first.pk, actor=plant["sales"], reason="Fewer after all.", quantities={1: "15"}
    )
    # when
    services.change_request_analyse(change_request_id=change.pk)
    # then
    change.refresh_from_db()
    consumed = change.impact["consumed"]
    assert [wo["text"] for wo in consumed["work_orders"]] == [
        "WO-000042 (in progress): 20 pcs of Bracket, 1 of 2 operations done, 20 good so far."
    ]
    assert consumed["components"] == [{"item": "SHEET Steel sheet", "unit": "kg", "quantity": "10"}]
    assert consumed["summary"] == (
        "1 work order released to the floor, 1 with operations done; "
        "material issued: 10 kg SHEET Steel sheet."
    )
    assert consumed["warnings"] == [
        "Line 1: 20 pcs are already released to the floor; 5 would be surplus."
    ]
    assert change.impact["price"]["difference"] == "-62.50"


# --- deciding -------------------------------------------------------------------------------


@pytest.fixture
def ready(plant):
    change = request_double(plant)
    services.change_request_analyse(change_request_id=change.pk)
    change.refresh_from_db()
    return change


def test_accepting_revises_the_order_replans_and_sends_a_revised_acknowledgment(
    plant, ready, django_capture_on_commit_callbacks
):
    # given
    first = plant["first"]
    # when: the promise holds, so it is kept
    with django_capture_on_commit_callbacks() as callbacks:
        services.change_request_accept(
            change_request_id=ready.pk, actor=plant["sales"], note="Agreed by phone."
        )
    # then
    ready.refresh_from_db()
    assert (ready.status, ready.decided_by, ready.decision_note) == (
        ChangeRequestStatus.ACCEPTED,
        plant["sales"],
        "Agreed by phone.",
    )
    revision = OrderRevision.objects.get()
    assert (revision.order, revision.number, revision.change_request, revision.actor) == (
        first,
        1,
        ready,
        plant["sales"],
    )
    assert revision.diff == {"lines": {"1": {"quantity": ["20", "40"]}}}
    assert first.lines.get(line_no=1).quantity == Decimal(40)
    assert Demand.objects.get(reference=f"{first.number}/1").quantity == Decimal(40)
    assert Demand.objects.get(reference=f"{plant['second'].number}/1").quantity == Decimal(10)
    message = OutboxMessage.objects.get(kind=MessageKind.REVISED_ACKNOWLEDGMENT)
    assert (message.order, message.revision, message.attachment_revision) == (first, 1, 2)
    assert message.subject.endswith(
        f"order {first.number} revised (your PO {first.customer_po}) — revision 2"
    )
    assert "- Line 1 (BRK-200): quantity 20 → 40 pcs" in message.body
    assert "Confirmed delivery date: Monday 14 December 2026\n" in message.body
    # no re-promise; one timeline note
    assert not first.events.filter(kind=OrderEventKind.REPROMISE).exists()
    note = first.events.order_by("pk").last()
    assert note.note == (
        f"Change request #{ready.pk} accepted as revision 1: "
        "Line 1 (BRK-200): quantity 20 → 40 pcs. Agreed by phone."
    )
    # the re-plan and the email go after commit
    assert len(callbacks) == 2


def test_the_accepted_revision_gets_a_pdf_saying_revision_2(plant, ready, settings, tmp_path):
    from django.core import mail

    from tests.orders.test_acknowledgment import pdf_text

    settings.MEDIA_ROOT = tmp_path
    services.change_request_accept(change_request_id=ready.pk, actor=plant["sales"])
    message = OutboxMessage.objects.get(kind=MessageKind.REVISED_ACKNOWLEDGMENT)
    services.outbox_send(message_id=message.pk)
    ((filename, _content, _mimetype),) = mail.outbox[-1].attachments
    assert filename == f"{plant['first'].number}-acknowledgment-r2.pdf"
    document = plant["first"].documents.get(revision=2)
    text = pdf_text(document)
    assert f"{plant['first'].number} — revision 2" in text
    assert "40 pcs" in text


def test_a_new_date_is_re_promised_with_the_requests_reason(plant):
    # given: B's customer wants it a week later
    second = plant["second"]
    change = services.change_request_create(
        order_id=second.pk,
        actor=plant["sales"],
        reason="Their line starts a week later.",
        new_date=day(28),
    )
    services.change_request_analyse(change_request_id=change.pk)
    change.refresh_from_db()
    assert change.impact["quote"]["suggested_promise"] == day(28).isoformat()
    # when
    services.change_request_accept(
        change_request_id=change.pk, actor=plant["sales"], promised_date=day(28)
    )
    # then
    second.refresh_from_db()
    assert (second.requested_date, second.promised_date, second.first_promised_date) == (
        day(28),
        day(28),
        day(21),
    )
    assert OrderRevision.objects.get(order=second).diff == {
        "requested_date": [day(21).isoformat(), day(28).isoformat()],
        "promised_date": [day(21).isoformat(), day(28).isoformat()],
    }
    repromise = second.events.get(kind=OrderEventKind.REPROMISE)
    assert repromise.note == f"Change request #{change.pk}: Their line starts a week later."
    assert repromise.data == {
        "from": day(21).isoformat(),
        "to": day(28).isoformat(),
        "customer_told": True,
    }
    assert Demand.objects.get(reference=f"{second.number}/1").due_date == day(28)


def test_a_new_ship_to_is_applied_with_its_transit(plant):
    # given
    first = plant["first"]
    TransitLaneFactory(region="West", transit_days=5)
    west = AddressFactory(customer=first.customer, name="West DC", region="West")
    change = services.change_request_create(
        order_id=first.pk, actor=plant["sales"], reason="Ship to the new DC.", ship_to_id=west.pk
    )
    services.change_request_analyse(change_request_id=change.pk)
    change.refresh_from_db()
    # three more days on the road, ending on Sunday: Monday; B does not move
    assert change.impact["quote"]["new_delivery"] == day(7).isoformat()
    assert change.impact["moves"] == []
    old = str(first.ship_to)
    # when
    services.change_request_accept(change_request_id=change.pk, actor=plant["sales"])
    # then
    first.refresh_from_db()
    assert first.ship_to == west
    assert OrderRevision.objects.get().diff == {"ship_to": [old, str(west)]}
    assert Demand.objects.get(reference=f"{first.number}/1").transit_days == 5


def test_rejecting_needs_a_reason_and_leaves_the_order_alone(plant, ready):
    # given
    before = snapshot()
    # when: no reason
    with pytest.raises(ChangeRequestError) as refused:
        services.change_request_reject(change_request_id=ready.pk, actor=plant["sales"], note=" ")
    # then
    assert refused.value.errors == {
        "note": "Say why the change is rejected; the customer will ask."
    }
    ready.refresh_from_db()
    assert ready.status == ChangeRequestStatus.READY
    # when: with a reason
    services.change_request_reject(
        change_request_id=ready.pk, actor=plant["sales"], note="No capacity before Christmas."
    )
    # then
    ready.refresh_from_db()
    assert (ready.status, ready.decision_note) == (
        ChangeRequestStatus.REJECTED,
        "No capacity before Christmas.",
    )
    assert snapshot() == before
    assert not OrderRevision.objects.exists()
    event = plant["first"].events.order_by("pk").last()
    assert event.note == f"Change request #{ready.pk} rejected: No capacity before Christmas."


def test_deciding_twice_is_refused(plant, ready):
    services.change_request_reject(change_request_id=ready.pk, actor=plant["sales"], note="No.")
    before = snapshot()
    with pytest.raises(OrderError) as refused:
        services.change_request_accept(change_request_id=ready.pk, actor=plant["sales"])
    assert refused.value.message == (
        f"Change request #{ready.pk} was already rejected on Mon 30 Nov 2026."
    )
    assert snapshot() == before
    assert not OrderRevision.objects.exists()


def test_accepting_a_request_on_an_order_that_shipped_meanwhile_is_refused(plant, ready):
    # given: the order left the plant after the request was analysed
    SalesOrder.objects.filter(pk=plant["first"].pk).update(status=S.SHIPPED)
    before = snapshot()
    events = OrderEvent.objects.count()
    # when
    with pytest.raises(OrderError) as refused:
        services.change_request_accept(change_request_id=ready.pk, actor=plant["sales"])
    # then
    assert refused.value.message == (
        f"{plant['first'].number} is shipped: it can no longer be changed; reject the request."
    )
    assert snapshot() == before
    assert OrderEvent.objects.count() == events
    ready.refresh_from_db()
    assert ready.status == ChangeRequestStatus.READY


def test_accepting_before_the_analysis_is_refused(plant):
    change = request_double(plant)
    with pytest.raises(OrderError) as refused:
        services.change_request_accept(change_request_id=change.pk, actor=plant["sales"])
    assert refused.value.message == (
        "The impact is still being analysed; accept once you have seen it."
    )
    assert not OrderRevision.objects.exists()


def test_only_sales_decides(plant, ready, make_user):
    with pytest.raises(PermissionDenied):
        services.change_request_accept(change_request_id=ready.pk, actor=make_user("planner"))
    ready.refresh_from_db()
    assert ready.status == ChangeRequestStatus.READY


def test_counts_for_the_metrics(plant, ready):
    services.change_request_reject(change_request_id=ready.pk, actor=plant["sales"], note="No.")
    request_double(plant)
    assert services.change_request_counts() == {
        "analysing": 1,
        "ready": 0,
        "accepted": 0,
        "rejected": 1,
        "failed": 0,
        "total": 2,
    }


# --- screens --------------------------------------------------------------------------------


def test_the_order_page_lists_the_requests_and_offers_a_new_one_to_sales(client, plant, make_user):
    # given
    url = f"/orders/{plant['first'].pk}/"
    client.force_login(plant["sales"])
    assert "Request a change" in client.get(url).text
    # when
    change = request_double(plant)
    page = client.get(url).text
    # then: listed, and no second request while this one waits
    assert 'data-testid="change-requests"' in page
    assert f"/orders/{plant['first'].pk}/changes/{change.pk}/" in page
    assert "Analysing the impact" in page
    assert "Line 1 (BRK-200): quantity 20 → 40 pcs" in page
    assert "Request a change" not in page
    # not for other roles, nor once the order has shipped
    client.force_login(make_user("planner"))
    assert "Request a change" not in client.get(f"/orders/{plant['second'].pk}/").text
    shipped = SalesOrderFactory(status=S.SHIPPED)
    client.force_login(plant["sales"])
    assert "Request a change" not in client.get(f"/orders/{shipped.pk}/").text


def test_the_form_shows_each_lines_quantity_and_keeps_input_on_errors(client, plant):
    # given
    client.force_login(plant["sales"])
    url = f"/orders/{plant['first'].pk}/changes/new/"
    # when
    form = client.get(url)
    response = client.post(
        url, {"quantity_1": "0", "quantity_2": "7", "new_date": "2027-01-08", "reason": ""}
    )
    # then
    assert form.status_code == 200
    assert "20 pcs" in form.text
    assert response.status_code == 400
    text = response.text
    assert "Line 1: the quantity must be more than zero." in text
    assert "Say why the customer asks for the change." in text
    assert 'name="quantity_1" id="quantity_1"' in text
    assert 'value="0"' in text
    assert 'value="7"' in text
    assert 'value="2027-01-08"' in text
    assert not ChangeRequest.objects.exists()


def test_the_form_records_the_request_and_opens_its_page(client, plant):
    client.force_login(plant["sales"])
    response = client.post(
        f"/orders/{plant['first'].pk}/changes/new/",
        {"quantity_1": "40", "quantity_2": "", "reason": "Doubled call-off."},
    )
    change = ChangeRequest.objects.get()
    assert response.status_code == 302
    assert response.url == f"/orders/{plant['first'].pk}/changes/{change.pk}/"
    assert change.quantities == {"1": "40"}


def test_while_analysing_the_page_polls_a_spinner(client, plant, make_user):
    # given
    change = request_double(plant)
    client.force_login(make_user("planner"))
    url = f"/orders/{plant['first'].pk}/changes/{change.pk}/"
    # when
    page = client.get(url)
    block = client.get(url, HTTP_HX_REQUEST="true")
    # then
    assert page.status_code == block.status_code == 200
    for text in (page.text, block.text):
        assert 'hx-trigger="every 2s"' in text
        assert 'data-testid="analysing"' in text
    assert "<html" not in block.text
    # when: the analysis is done, the next poll brings the impact and stops polling
    services.change_request_analyse(change_request_id=change.pk)
    block = client.get(url, HTTP_HX_REQUEST="true").text
    assert "hx-trigger" not in block
    assert 'id="change-status" hx-swap-oob="true"' in block
    assert 'data-status="ready"' in block
    assert f'data-order="{plant["second"].number}"' in block
    assert 'data-days="3"' in block
    assert "+250.00" in block
    # the planner sees the impact but may not decide
    assert 'data-testid="accept-form"' not in block
    assert "Sales decides on change requests." in block


def test_sales_accepts_from_the_page_with_the_promise_prefilled(client, plant, ready):
    client.force_login(plant["sales"])
    url = f"/orders/{plant['first'].pk}/changes/{ready.pk}/"
    page = client.get(url).text
    assert 'name="promised_date" value="2026-12-14"' in page
    response = client.post(f"{url}accept/", {"promised_date": "2026-12-14", "note": ""})
    assert response.status_code == 302
    assert OrderRevision.objects.get().number == 1


def test_a_refused_decision_is_shown_on_the_page_with_the_input(client, plant, ready, make_user):
    # given
    url = f"/orders/{plant['first'].pk}/changes/{ready.pk}/"
    client.force_login(make_user("production"))
    assert client.post(f"{url}accept/").status_code == 403
    client.force_login(plant["sales"])
    # when
    bad_date = client.post(f"{url}accept/", {"promised_date": "soon", "note": "kept"})
    no_reason = client.post(f"{url}reject/", {"note": ""})
    # then
    assert bad_date.status_code == no_reason.status_code == 400
    assert "Enter a date such as 2027-01-15." in bad_date.text
    assert ">kept</textarea>" in bad_date.text
    assert "Say why the change is rejected; the customer will ask." in no_reason.text
    ready.refresh_from_db()
    assert ready.status == ChangeRequestStatus.READY
    # when: with a reason
    assert client.post(f"{url}reject/", {"note": "Too late."}).status_code == 302
    ready.refresh_from_db()
    assert ready.status == ChangeRequestStatus.REJECTED


def test_the_change_request_page_costs_the_same_queries_however_big_the_impact(
    client, plant, ready, make_user
):
    # given: a second request with many moves and lines in its impact
    client.force_login(make_user("manager"))
    small = f"/orders/{plant['first'].pk}/changes/{ready.pk}/"
    client.get(small)
    with CaptureQueriesContext(connection) as few:
        client.get(small)
    big_order = SalesOrderFactory(status=S.ACKNOWLEDGED)
    impact = {
        **ready.impact,
        "moves": ready.impact["moves"] * 12,
        "lines": ready.impact["lines"] * 10,
    }
    big = ChangeRequest.objects.create(
        order=big_order, reason="x", summary="a\nb\nc", status="ready", impact=impact
    )
    # when / then
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/orders/{big_order.pk}/changes/{big.pk}/")
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
