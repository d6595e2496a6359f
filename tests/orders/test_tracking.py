"""The at-risk scan, delay notices, exceptions and the seed's opening story."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from orders import services
from orders.models import (
    Alert,
    AlertKind,
    DelayNotice,
    DelayNoticeStatus,
    EscalationLevel,
    ExceptionType,
    MessageKind,
    Notification,
    OrderPolicy,
    OutboxMessage,
)
from orders.models.orders import HoldKind
from orders.services import delays, exceptions, tracking
from orders.states import OrderStatus as S
from scheduling import services as scheduling_services
from scheduling.models import Demand, DemandProjection, Item
from scheduling.services.planning import request_replan
from tests.factories.orders import (
    ClarificationFactory,
    ContactFactory,
    ProductFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)
from tests.factories.scheduling import (
    BomLineFactory,
    DemandProjectionFactory,
    ItemFactory,
    PlanRunFactory,
    RoutingOperationFactory,
    ShortageFactory,
    WorkCenterFactory,
)

TODAY = dt.date(2026, 12, 1)  # a Tuesday


@pytest.fixture
def tuesday():
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def established_customers(db):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})


def an_order(status=S.ACKNOWLEDGED, promised=TODAY + dt.timedelta(days=20), **kwargs):
    order = SalesOrderFactory(status=status, promised_date=promised, **kwargs)
    SalesOrderLineFactory(order=order, line_no=1)
    return order


def open_alerts(order) -> dict[str, Alert]:
    return {a.kind: a for a in Alert.objects.filter(order=order, resolved_at__isnull=True)}


@pytest.mark.django_db
def test_a_projected_late_order_gets_a_late_alert_for_sales(tuesday):
    order = an_order(projected_delivery_date=TODAY + dt.timedelta(days=23))
    tracking.at_risk_scan()
    alert = open_alerts(order)[AlertKind.LATE]
    assert (alert.severity, alert.owner_role, alert.message) == (
        "critical",
        "sales",
        "Projected Thu 24 Dec, 3 days after the promised Mon 21 Dec.",
    )


@pytest.mark.django_db
def test_due_soon_and_not_started_alerts_the_planner(tuesday):
    order = an_order(status=S.PLANNED, promised=TODAY + dt.timedelta(days=4))
    started = an_order(status=S.IN_PRODUCTION, promised=TODAY + dt.timedelta(days=4))
    tracking.at_risk_scan()
    assert open_alerts(order)[AlertKind.DUE_SOON].message == (
        "Due Sat 5 Dec (4 days) and not released to production yet."
    )
    assert AlertKind.DUE_SOON not in open_alerts(started)


@pytest.mark.django_db
def test_waiting_for_material_names_the_item_and_its_date(tuesday):
    order = an_order(status=S.PLANNED)
    run = PlanRunFactory(is_current=True)
    ShortageFactory(
        plan_run=run,
        item=ItemFactory(name="Aluminium sheet", unit="sht", make=False),
        quantity=Decimal("15"),
        available_date=TODAY + dt.timedelta(days=9),
        demand_refs=[f"{order.number}/1"],
    )
    tracking.at_risk_scan()
    assert open_alerts(order)[AlertKind.MATERIAL].message == (
        "Short of Aluminium sheet (15 sht) until Thu 10 Dec."
    )


@pytest.mark.django_db
def test_information_quality_and_credit_holds_each_alert_their_role(tuesday):
    waiting = an_order(status=S.ON_HOLD, hold_kind=HoldKind.CLARIFICATION)
    ClarificationFactory(order=waiting, question="Which RAL colour?")
    quality = an_order(status=S.QUALITY_HOLD)
    credit = an_order(status=S.ON_HOLD, hold_kind=HoldKind.CREDIT, hold_reason="Credit: over")
    tracking.at_risk_scan()
    assert open_alerts(waiting)[AlertKind.INFORMATION].message == (
        "Waiting for an answer: Which RAL colour?"
    )
    assert open_alerts(quality)[AlertKind.QUALITY_HOLD].owner_role == "quality"
    assert open_alerts(credit)[AlertKind.CREDIT_HOLD].owner_role == "credit"


@pytest.mark.django_db
def test_the_scan_run_twice_changes_nothing_and_resolved_alerts_stay(tuesday):
    order = an_order(projected_delivery_date=TODAY + dt.timedelta(days=23))
    assert tracking.at_risk_scan() == {"opened": 1, "updated": 0, "resolved": 0}
    assert tracking.at_risk_scan() == {"opened": 0, "updated": 0, "resolved": 0}
    order.projected_delivery_date = order.promised_date
    order.save()
    assert tracking.at_risk_scan() == {"opened": 0, "updated": 0, "resolved": 1}
    assert Alert.objects.filter(order=order).count() == 1
    assert Alert.objects.get(order=order).resolved_at is not None


@pytest.mark.django_db
def test_a_late_order_drafts_a_notice_for_approval_and_tells_its_owner(tuesday):
    order = an_order(projected_delivery_date=TODAY + dt.timedelta(days=23))
    tracking.at_risk_scan()
    notice = DelayNotice.objects.get(order=order)
    assert (notice.status, notice.revised_date) == (DelayNoticeStatus.DRAFT, dt.date(2026, 12, 24))
    assert not OutboxMessage.objects.exists()
    assert Notification.objects.get(user=order.owner).text.startswith(
        f"{order.number} will be late"
    )


@pytest.mark.django_db
def test_a_customer_on_automatic_notices_is_told_at_once(tuesday):
    order = an_order(projected_delivery_date=TODAY + dt.timedelta(days=23))
    order.customer.delay_notice_policy = "auto"
    order.customer.save()
    tracking.at_risk_scan()
    assert DelayNotice.objects.get(order=order).status == DelayNoticeStatus.SENT
    assert OutboxMessage.objects.get(order=order).kind == MessageKind.DELAY_NOTICE


@pytest.mark.django_db
def test_an_unapproved_notice_is_reminded_then_escalated(tuesday, make_user):
    manager = make_user("manager")
    order = an_order(projected_delivery_date=TODAY + dt.timedelta(days=23))
    tracking.at_risk_scan()
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    assert delays.delay_notice_reminders(now=now + dt.timedelta(hours=3)) == {
        "reminded": 0,
        "escalated": 0,
    }
    assert delays.delay_notice_reminders(now=now + dt.timedelta(hours=4)) == {
        "reminded": 1,
        "escalated": 0,
    }
    assert delays.delay_notice_reminders(now=now + dt.timedelta(hours=8)) == {
        "reminded": 0,
        "escalated": 1,
    }
    assert Notification.objects.get(user=manager).text.startswith(
        f"Escalated: the delay notice for {order.number} has waited 8 hours"
    )


@pytest.mark.django_db
def test_an_overdue_exception_climbs_its_escalation_path(tuesday, make_user):
    # given
    kind = ExceptionType.objects.create(code="shortage", name="Material shortage")
    EscalationLevel.objects.create(
        exception_type=kind, level=1, role="planner", title="planner", hours_to_act=8
    )
    EscalationLevel.objects.create(
        exception_type=kind, level=2, role="manager", title="plant manager", hours_to_act=24
    )
    planner, manager = make_user("planner"), make_user("manager")
    opened_at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    problem = exceptions.exception_open(
        actor=planner, exception_type=kind, description="Sheet stock count wrong", now=opened_at
    )
    # when / then: not before eight hours
    assert exceptions.exception_escalate_overdue(now=opened_at + dt.timedelta(hours=7)) == 0
    assert exceptions.exception_escalate_overdue(now=opened_at + dt.timedelta(hours=9)) == 1
    problem.refresh_from_db()
    assert (problem.level, problem.owner_role) == (2, "manager")
    assert problem.due_at == opened_at + dt.timedelta(hours=33)
    assert Notification.objects.filter(user=manager).count() == 1
    # the top of the path stays where it is
    assert exceptions.exception_escalate_overdue(now=opened_at + dt.timedelta(days=5)) == 0


@pytest.mark.django_db
def test_expediting_raises_the_priority_of_the_order_and_its_demands(make_user):
    order = an_order(status=S.PLANNED)
    Demand.objects.create(
        reference=f"{order.number}/1",
        item=order.lines.get().product.item,
        quantity=10,
        due_date=order.promised_date,
    )
    tracking.order_expedite(order_id=order.pk, actor=make_user("planner"))
    order.refresh_from_db()
    assert order.priority == 0
    assert Demand.objects.get().priority == 0


@pytest.mark.django_db
def test_the_seed_story_the_customer_hears_before_the_promised_date(settings, tmp_path, make_user):
    """A customer orders on a Tuesday for four weeks out; in week three material is short and
    final inspection takes two days; the customer gets a delay notice before the due date."""
    settings.MEDIA_ROOT = tmp_path
    sales = make_user("sales")
    tuesday = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    promised = dt.date(2026, 12, 29)
    with time_machine.travel(tuesday, tick=False):
        # given: a welded frame from aluminium sheet, enough sheet in stock
        laser = WorkCenterFactory(code="LASER", name="Laser cutting")
        weld = WorkCenterFactory(code="WELD", name="Welding")
        sheet = ItemFactory(
            code="SHEET", name="Aluminium sheet", make=False, on_hand=40, lead_time_days=10
        )
        frame = ItemFactory(code="FRAME", name="Welded frame")
        BomLineFactory(parent=frame, component=sheet, quantity_per=2)
        RoutingOperationFactory(item=frame, sequence=10, work_center=laser)
        RoutingOperationFactory(item=frame, sequence=20, work_center=weld)
        product = ProductFactory(item=frame, inspection_days=1)
        order = SalesOrderFactory(status=S.VALIDATED, requested_date=promised)
        ContactFactory(customer=order.customer, email="buyer@example.org")
        SalesOrderLineFactory(order=order, line_no=1, product=product, quantity=Decimal(10))
        # the order is acknowledged for four weeks out and the plan keeps the promise
        services.order_acknowledge(order_id=order.pk, actor=sales, promised_date=promised)
        scheduling_services.regenerate_plan(run_id=request_replan(delay=0).pk)
        tracking.order_projections_refresh()
        tracking.at_risk_scan()
        order.refresh_from_db()
        assert order.projected_delivery_date <= promised
        assert not Alert.objects.filter(order=order).exists()

    three_weeks_later = tuesday + dt.timedelta(days=21)
    with time_machine.travel(three_weeks_later, tick=False):
        # when: the sheet turns out not to be there, and inspection now takes two days
        Item.objects.filter(pk=sheet.pk).update(on_hand=0)
        product.inspection_days = 2
        product.save()
        Demand.objects.filter(reference=f"{order.number}/1").update(inspection_days=2)
        scheduling_services.regenerate_plan(run_id=request_replan(delay=0).pk)
        tracking.order_projections_refresh()
        tracking.at_risk_scan()
        # then: Ordercraft drafted the notice from the cause; sales approves it
        order.refresh_from_db()
        assert order.projected_delivery_date > promised
        assert set(open_alerts(order)) == {AlertKind.LATE, AlertKind.MATERIAL}
        notice = DelayNotice.objects.get(order=order, status=DelayNoticeStatus.DRAFT)
        assert "Aluminium sheet" in notice.cause
        assert notice.revised_date == order.projected_delivery_date
        delays.delay_notice_approve(notice_id=notice.pk, actor=sales)
        message = OutboxMessage.objects.get(order=order, kind=MessageKind.DELAY_NOTICE)
        services.outbox_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.sent_at.date() < promised
    email = next(m for m in mail.outbox if "new delivery date" in m.subject)
    assert email.to == ["buyer@example.org"]
    assert "What happened: Aluminium sheet" in email.body
    assert f"Our revised estimate is {notice.revised_date:%A} " in email.body
    assert "We promised delivery on Tuesday 29 December 2026." in email.body


@pytest.mark.django_db
def test_a_draft_notice_follows_the_cause_until_it_is_sent(tuesday):
    # given: an order late for lack of welding capacity, its notice drafted
    order = an_order(promised=TODAY + dt.timedelta(days=10))
    run = PlanRunFactory(is_current=True)
    welding = WorkCenterFactory(name="Welding")
    projection = DemandProjectionFactory(
        plan_run=run,
        reference=f"{order.number}/1",
        projected_delivery=TODAY + dt.timedelta(days=14),
        binding_kind="capacity",
        binding_message="Welding is full until Mon 14 Dec",
        binding_work_center=welding,
        binding_date=dt.date(2026, 12, 14),
    )
    tracking.order_projections_refresh()
    tracking.at_risk_scan()
    notice = DelayNotice.objects.get(order=order)
    drafted = notice.drafted_at
    assert notice.cause == "Our welding is fully booked until Mon 14 Dec"
    # when: the next plan finds the sheet is what holds it now
    sheet = ItemFactory(name="Aluminium sheet", make=False)
    DemandProjection.objects.filter(pk=projection.pk).update(
        projected_delivery=TODAY + dt.timedelta(days=17),
        binding_kind="material",
        binding_message="Aluminium sheet arrives Thu 17 Dec on PO-000042",
        binding_item=sheet,
        binding_work_center=None,
        binding_date=dt.date(2026, 12, 17),
    )
    tracking.order_projections_refresh()
    tracking.at_risk_scan()
    # then: one draft, saying what is true now, as old as it was
    notice = DelayNotice.objects.get(order=order)
    assert (notice.status, notice.drafted_at) == (DelayNoticeStatus.DRAFT, drafted)
    assert (
        notice.cause == "Aluminium sheet for your order reaches us from our supplier on Thu 17 Dec"
    )
    assert notice.revised_date == TODAY + dt.timedelta(days=17)
