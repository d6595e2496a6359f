"""Role x URL matrix: every URL of the project answers each role as one policy table says.

A URL pattern missing from POLICY fails the test, so no page can ship unguarded.
"""

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from orders.models import (
    Clarification,
    DelayNotice,
    EscalationLevel,
    ExceptionType,
    OrderException,
    OutboxMessage,
)
from orders.states import OrderStatus
from scheduling.models import WorkOrderStatus
from tests.factories.fulfillment import (
    BackorderFactory,
    CarrierFactory,
    DeliveryReportFactory,
    NonconformanceFactory,
    PackageFactory,
    ShipmentFactory,
)
from tests.factories.orders import (
    BlanketAgreementFactory,
    ChangeRequestFactory,
    DocumentFactory,
    InvoiceFactory,
    OutboxMessageFactory,
    SalesOrderFactory,
    SalesOrderLineFactory,
)
from tests.factories.portal import ApiTokenFactory
from tests.factories.scheduling import (
    PlannedWorkOrderFactory,
    PlanRunFactory,
    PurchaseOrderLineFactory,
    PurchaseSuggestionFactory,
    WorkCenterFactory,
    WorkOrderOperationFactory,
)

ROLES = [
    "anonymous",
    "sales",
    "credit",
    "planner",
    "buyer",
    "production",
    "quality",
    "shipping",
    "manager",
    "customer",
    "admin",
]
STAFF = {
    "sales",
    "credit",
    "planner",
    "buyer",
    "production",
    "quality",
    "shipping",
    "manager",
    "admin",
}
PLANNERS = {"planner", "buyer", "manager", "admin"}
BUYERS = {"buyer", "admin"}
PLAN_EDITORS = {"planner", "admin"}
FLOOR = {"production", "admin"}
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}


def expect(allowed: set[str], ok: int = 200, login_redirect: bool = True) -> dict[str, int]:
    """Status per role: ``ok`` if allowed; anonymous goes to login; others get 403."""
    answers = {}
    for role in ROLES:
        if role in allowed:
            answers[role] = ok
        elif role == "anonymous" and login_redirect:
            answers[role] = 302
        else:
            answers[role] = 403
    return answers


def _shipment(w) -> int:
    shipment = w["order"].shipments.first() or ShipmentFactory(order=w["order"])
    return shipment.pk


def _decided_change(w) -> dict:
    change = ChangeRequestFactory(
        order=w["order"], status="rejected", decided_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    )
    return {"pk": change.order_id, "change_request_id": change.pk}


def _draft_notice(w) -> dict:
    order = w["new_draft"]()
    notice = DelayNotice.objects.create(
        order=order,
        cause="Paint line is full",
        action="Overtime",
        promised_date=dt.date(2027, 1, 4),
        revised_date=dt.date(2027, 1, 8),
    )
    return {"pk": order.pk, "notice_id": notice.pk}


def _planner_exception(w) -> dict:
    kind, _created = ExceptionType.objects.get_or_create(code="access", defaults={"name": "Check"})
    EscalationLevel.objects.get_or_create(
        exception_type=kind, level=1, defaults={"role": "planner", "title": "Planner"}
    )
    exception = OrderException.objects.create(
        exception_type=kind,
        description="Bar stock short",
        owner_role="planner",
        due_at=dt.datetime(2027, 1, 4, 12, tzinfo=dt.UTC),
    )
    return {"pk": exception.pk}


def _sent_message(w) -> int:
    return OutboxMessageFactory(
        order=w["order"], status="sent", revision=OutboxMessage.objects.count() + 1
    ).pk


# url name -> (HTTP method, kwargs builder(world), expected status per role)
POLICY = {
    "home": ("get", None, {**expect(set()), **dict.fromkeys(LOGGED_IN, 302)}),
    "healthz": ("get", None, expect(EVERYONE)),
    "login": ("get", None, expect(EVERYONE)),
    "logout": ("post", None, expect(EVERYONE, ok=302)),
    "password_change": ("get", None, expect(LOGGED_IN)),
    "password_change_done": ("get", None, expect(LOGGED_IN)),
    "orders:list": ("get", None, expect(STAFF)),
    "orders:detail": ("get", lambda w: {"pk": w["order"].pk}, expect(STAFF)),
    # Order entry is sales' screen; quoting and promising go with acknowledging.
    "orders:new": ("get", None, expect({"sales", "admin"})),
    "orders:edit": ("get", lambda w: {"pk": w["new_draft"]().pk}, expect({"sales", "admin"})),
    "orders:entry_customers": ("get", None, expect({"sales", "admin"})),
    "orders:entry_customer": ("get", None, expect({"sales", "admin"})),
    "orders:entry_line": ("get", None, expect({"sales", "admin"})),
    # Without the line it is for, the spec fields cannot be drawn.
    "orders:entry_line_product": ("get", None, expect({"sales", "admin"}, ok=400)),
    "orders:entry_quote": ("post", None, expect({"sales", "admin"})),
    "orders:quote": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "manager", "admin"}),
    ),
    # An acknowledged order cannot be acknowledged again: refused with a message.
    "orders:promise": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "manager", "admin"}, ok=409),
    ),
    # Submitting a draft is sales' job; everyone else on staff is refused.
    "orders:transition": (
        "post",
        lambda w: {"pk": w["new_draft"]().pk, "transition": "submit"},
        expect({"sales", "admin"}, ok=302),
    ),
    "scheduling:board": ("get", None, expect(PLANNERS)),
    "scheduling:board_move": ("post", None, expect(PLAN_EDITORS, ok=400)),
    "scheduling:operation_unpin": (
        "post",
        lambda w: {"pk": w["new_operation"](pinned=True, pin_day=dt.date(2027, 1, 4)).pk},
        expect(PLAN_EDITORS, ok=302),
    ),
    "scheduling:run_list": ("get", None, expect(PLANNERS)),
    "scheduling:run_start": ("post", None, expect(PLAN_EDITORS, ok=302)),
    "scheduling:run_progress": ("get", None, expect(PLANNERS)),
    "scheduling:mps": ("get", None, expect(PLANNERS)),
    "scheduling:planned_release": (
        "post",
        lambda w: {"pk": w["new_planned_work_order"]().pk},
        expect(PLAN_EDITORS, ok=302),
    ),
    "scheduling:shortages": ("get", None, expect(PLANNERS)),
    "scheduling:suggestion_buy": (
        "post",
        lambda w: {"pk": w["new_suggestion"]().pk},
        expect(BUYERS, ok=302),
    ),
    "scheduling:purchase_order_list": ("get", None, expect(PLANNERS)),
    "scheduling:purchase_order_detail": (
        "get",
        lambda w: {"pk": w["new_purchase_line"]().purchase_order_id},
        expect(PLANNERS),
    ),
    "scheduling:purchase_line_action": (
        "post",
        lambda w: {
            "pk": (line := w["new_purchase_line"]()).purchase_order_id,
            "line_id": line.pk,
            "action": "receive",
        },
        expect(BUYERS, ok=400),
    ),
    "scheduling:work_order_list": ("get", None, expect(STAFF)),
    "scheduling:work_order_detail": (
        "get",
        lambda w: {"pk": w["new_operation"]().work_order_id},
        expect(STAFF),
    ),
    "scheduling:work_order_release": (
        "post",
        lambda w: {"pk": w["new_operation"](work_order__status=WorkOrderStatus.FIRM).work_order_id},
        expect(PLAN_EDITORS, ok=302),
    ),
    "scheduling:floor": ("get", None, expect(FLOOR)),
    "scheduling:floor_queue": (
        "get",
        lambda w: {"work_center_id": w["work_center"].pk},
        expect(FLOOR),
    ),
    "scheduling:operation_report": (
        "post",
        lambda w: {"pk": w["new_operation"]().pk, "action": "start"},
        expect(FLOOR, ok=302),
    ),
    "orders:document": (
        "get",
        lambda w: {"pk": w["document"].order_id, "document_id": w["document"].pk},
        expect(STAFF),
    ),
    # Credit holds, deposits and questions: empty posts are refused with a message (400).
    "orders:credit_release": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"credit", "admin"}, ok=400),
    ),
    "orders:repromise": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "manager", "admin"}, ok=400),
    ),
    "orders:deposit_record": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"credit", "admin"}, ok=400),
    ),
    "orders:clarification_open": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "admin"}, ok=400),
    ),
    "orders:clarification_answer": (
        "post",
        lambda w: {"pk": w["question"].order_id, "clarification_id": w["question"].pk},
        expect({"sales", "admin"}, ok=400),
    ),
    "orders:blanket_list": ("get", None, expect({"sales", "credit", "manager", "admin"})),
    "orders:blanket_new": ("get", None, expect({"sales", "admin"})),
    "orders:blanket_detail": (
        "get",
        lambda w: {"pk": w["blanket"].pk},
        expect({"sales", "credit", "manager", "admin"}),
    ),
    "orders:acknowledgment_resend": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "manager", "admin"}, ok=302),
    ),
    # Change requests: all staff read them; sales records and decides. A decided request is
    # refused with a message (400), which proves the role got through.
    "orders:change_request_new": (
        "get",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "admin"}),
    ),
    "orders:change_request_detail": ("get", _decided_change, expect(STAFF)),
    "orders:change_request_accept": (
        "post",
        _decided_change,
        expect({"sales", "admin"}, ok=400),
    ),
    "orders:change_request_reject": (
        "post",
        _decided_change,
        expect({"sales", "admin"}, ok=400),
    ),
    "orders:change_request_reanalyse": (
        "post",
        _decided_change,
        expect({"sales", "admin"}, ok=400),
    ),
    # Tracking: every staff role reads its alerts and exceptions; the at-risk board is for the
    # roles that can expedite. Refused actions (a draft cannot be expedited, an empty
    # resolution) answer 400, which proves the role got through.
    "orders:at_risk": ("get", None, expect({"sales", "planner", "manager", "admin"})),
    "orders:alerts": ("get", None, expect(STAFF)),
    "orders:exception_list": ("get", None, expect(STAFF)),
    "orders:exception_new": ("get", None, expect(STAFF)),
    "orders:exception_detail": ("get", _planner_exception, expect(STAFF)),
    "orders:exception_take": ("post", _planner_exception, expect({"planner", "admin"}, ok=302)),
    "orders:exception_resolve": ("post", _planner_exception, expect(STAFF, ok=400)),
    "orders:notifications": ("get", None, expect(STAFF)),
    "orders:notifications_bell": ("get", None, expect(STAFF)),
    "orders:notifications_read_all": ("post", None, expect(STAFF, ok=302)),
    "orders:expedite": (
        "post",
        lambda w: {"pk": w["new_draft"]().pk},
        expect({"sales", "planner", "manager", "admin"}, ok=400),
    ),
    "orders:delay_notice_approve": ("post", _draft_notice, expect({"sales", "admin"}, ok=302)),
    # Sales and credit (who may change customers) manage a customer's feed tokens.
    "portal:staff_api_tokens": (
        "get",
        lambda w: {"customer_id": w["customer"].contact.customer_id},
        expect({"sales", "credit", "admin"}),
    ),
    "portal:staff_api_token_revoke": (
        "post",
        lambda w: {
            "customer_id": w["customer"].contact.customer_id,
            "pk": ApiTokenFactory(customer=w["customer"].contact.customer).pk,
        },
        expect({"sales", "credit", "admin"}, ok=302),
    ),
    "portal:order_list": ("get", None, expect({"customer"})),
    "portal:order_detail": ("get", lambda w: {"pk": w["order"].pk}, expect({"customer"})),
    # Customer actions: an empty post (or an action the acknowledged order does not offer
    # yet) is refused with the reason (400), which proves the contact got through.
    **{
        f"portal:{name}": ("post", lambda w: {"pk": w["order"].pk}, expect({"customer"}, ok=400))
        for name in ("change_request", "complaint", "survey", "accept", "reorder")
    },
    "portal:preferences": ("get", None, expect({"customer"})),
    "portal:api_tokens": ("get", None, expect({"customer"})),
    "portal:api_token_revoke": (
        "post",
        lambda w: {"pk": ApiTokenFactory(customer=w["customer"].contact.customer).pk},
        expect({"customer"}, ok=302),
    ),
    # The JSON feed knows only bearer tokens: a session, even a contact's, is refused.
    "portal:api_order_list": ("get", None, dict.fromkeys(ROLES, 401)),
    "portal:api_order_detail": (
        "get",
        lambda w: {"pk": w["order"].pk},
        dict.fromkeys(ROLES, 401),
    ),
    "portal:message": (
        "get",
        lambda w: {"pk": w["order"].pk, "message_id": _sent_message(w)},
        expect({"customer"}),
    ),
    "portal:document": (
        "get",
        lambda w: {"pk": w["document"].order_id, "document_id": w["document"].pk},
        expect({"customer"}),
    ),
    # Fulfillment: production checks completion, quality inspects and releases. The world's
    # order is only acknowledged, so actions on it are refused with the reason (400).
    "fulfillment:quality_queue": ("get", None, expect({"quality", "admin"})),
    "fulfillment:completion": (
        "get",
        lambda w: {"pk": w["order"].pk},
        expect({"production", "admin"}),
    ),
    "fulfillment:complete": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"production", "admin"}, ok=400),
    ),
    "fulfillment:inspection": (
        "get",
        lambda w: {"pk": w["order"].pk},
        expect({"quality", "admin"}),
    ),
    "fulfillment:quality_release": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"quality", "admin"}, ok=400),
    ),
    "fulfillment:quality_hold": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"quality", "admin"}, ok=400),
    ),
    "fulfillment:disposition": (
        "post",
        lambda w: {"pk": NonconformanceFactory(order=w["order"]).pk},
        expect({"quality", "admin"}, ok=400),
    ),
    # Packing and carriers: shipping's pages. Posts with nothing filled in, or on a shipment
    # that is not being packed, are refused with the reason (400).
    "fulfillment:shipping_queue": ("get", None, expect({"shipping", "admin"})),
    "fulfillment:packing": ("get", lambda w: {"pk": w["order"].pk}, expect({"shipping", "admin"})),
    "fulfillment:shipment_start": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:package_add": (
        "post",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:package_remove": (
        "post",
        lambda w: {"pk": PackageFactory(shipment__status="packed").pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:shipment_pack": (
        "post",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:shipment_reopen": (
        "post",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:carrier": (
        "get",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}),
    ),
    # Documents and shipping: shipping's ship page. A shipment still being packed has no
    # documents to prepare and cannot ship: those posts are refused with the reason (400).
    "fulfillment:ship": (
        "get",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}),
    ),
    "fulfillment:documents_prepare": (
        "post",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:ship_documents": (
        "get",
        lambda w: {"pk": ShipmentFactory().pk},
        expect({"shipping", "admin"}),
    ),
    "fulfillment:order_shipments": ("get", lambda w: {"pk": w["order"].pk}, expect(STAFF)),
    # Backorders: quality releases (a refusal comes back as a message on the queue), sales
    # cancels, every staff member sees an order's backorders.
    "fulfillment:backorder_release": (
        "post",
        lambda w: {"pk": BackorderFactory().pk},
        expect({"quality", "admin"}, ok=302),
    ),
    "fulfillment:backorder_cancel": (
        "get",
        lambda w: {"pk": BackorderFactory().pk},
        expect({"sales", "admin"}),
    ),
    "fulfillment:backorders": ("get", lambda w: {"pk": w["order"].pk}, expect(STAFF)),
    "orders:delivery_requirements": (
        "get",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "admin"}),
    ),
    # A customer's shipping rules: those who keep the customer record.
    "orders:customer_shipping": (
        "get",
        lambda w: {"customer_id": w["order"].customer_id},
        expect({"sales", "credit", "admin"}),
    ),
    # Invoices: those who bill, ship, sell or manage see them; credit records payments.
    "orders:invoice_list": (
        "get",
        None,
        expect({"sales", "credit", "shipping", "manager", "admin"}),
    ),
    "orders:invoice_detail": (
        "get",
        lambda w: {"pk": InvoiceFactory(customer=w["order"].customer, order=w["order"]).pk},
        expect({"sales", "credit", "shipping", "manager", "admin"}),
    ),
    "orders:payment_record": (
        "post",
        lambda w: {"pk": InvoiceFactory(customer=w["order"].customer, order=w["order"]).pk},
        expect({"credit", "admin"}, ok=400),
    ),
    # Delivery: every staff member sees it; shipping records tracking and proof of delivery,
    # sales and credit resolve reports. The world's order has not shipped: actions get 400.
    "fulfillment:delivery": ("get", lambda w: {"pk": w["order"].pk}, expect(STAFF)),
    "fulfillment:close": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "shipping", "admin"}, ok=400),
    ),
    "fulfillment:report_create": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "shipping", "admin"}, ok=400),
    ),
    "fulfillment:tracking_event_add": (
        "post",
        lambda w: {"pk": _shipment(w)},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:deliver": (
        "post",
        lambda w: {"pk": _shipment(w)},
        expect({"shipping", "admin"}, ok=400),
    ),
    "fulfillment:reports": ("get", None, expect(STAFF)),
    "fulfillment:report_resolve": (
        "post",
        lambda w: {"pk": DeliveryReportFactory(order=w["order"]).pk},
        expect({"sales", "credit", "admin"}, ok=400),
    ),
    # Carriers sign their calls: no session, no CSRF; an unsigned call is refused alike.
    "fulfillment:carrier_webhook": (
        "post",
        lambda w: {"carrier_code": CarrierFactory().code},
        dict.fromkeys(ROLES, 401),
    ),
    # Manager dashboards: read-only, for managers; an unknown figure is a 404 for them.
    "metrics:dashboard": ("get", None, expect({"manager", "admin"})),
    "metrics:drill_down": ("get", lambda w: {"key": "perfect"}, expect({"manager", "admin"})),
    "metrics:drill_down_csv": (
        "get",
        lambda w: {"key": "on_time_first"},
        expect({"manager", "admin"}),
    ),
    # The whole admin site: superusers only; everyone else is sent to the admin login.
    "admin:*": ("get", None, {**dict.fromkeys(ROLES, 302), "admin": 200}),
}


def all_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner == "admin:":
                names.add("admin:*")
                continue
            names |= all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_of_the_project_is_in_the_policy_table():
    assert all_url_names() == set(POLICY)


@pytest.fixture
def world(users):
    customer = users["customer"].contact.customer
    run = PlanRunFactory(is_current=True)
    work_center = WorkCenterFactory()
    order = SalesOrderFactory(customer=customer, status=OrderStatus.ACKNOWLEDGED)
    return {
        "blanket": BlanketAgreementFactory(customer=customer),
        "question": Clarification.objects.create(order=order, question="Finish?", asked_of="Dana"),
        "document": DocumentFactory(order=order),
        "work_center": work_center,
        "new_operation": lambda **kw: WorkOrderOperationFactory(work_center=work_center, **kw),
        "new_planned_work_order": lambda: PlannedWorkOrderFactory(plan_run=run),
        "new_suggestion": lambda: PurchaseSuggestionFactory(plan_run=run),
        "new_purchase_line": PurchaseOrderLineFactory,
        **users,
        "order": order,
        # A fresh draft for each role, so one role's submit does not change the next's answer.
        "new_draft": lambda: (
            SalesOrderLineFactory(order__customer=customer, order__status=OrderStatus.DRAFT).order
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(POLICY))
def test_each_role_gets_the_answer_the_policy_gives(url_name, world, client):
    method, kwargs_for, expected = POLICY[url_name]
    answers = {}
    for role in ROLES:
        path = reverse(
            "admin:index" if url_name == "admin:*" else url_name,
            kwargs=kwargs_for(world) if kwargs_for else None,
        )
        client.logout()
        if role != "anonymous":
            client.force_login(world[role])
        response = getattr(client, method)(path)
        answers[role] = response.status_code
    assert answers == expected


@pytest.mark.django_db
def test_a_refused_page_is_friendly(client, users):
    client.force_login(users["customer"])
    response = client.get(reverse("orders:list"))
    assert response.status_code == 403
    assert "This page is not part of your role" in response.text
    assert "Go to my start page" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "menu"),
    [
        (
            "sales",
            [
                "Orders",
                "New order",
                "Blankets",
                "At risk",
                "Exceptions",
                "Work orders",
                "Delivery reports",
                "Invoices",
            ],
        ),
        (
            "credit",
            ["Orders", "Blankets", "Exceptions", "Work orders", "Delivery reports", "Invoices"],
        ),
        (
            "planner",
            [
                "Orders",
                "At risk",
                "Exceptions",
                "Capacity board",
                "MPS",
                "Shortages",
                "Purchase orders",
                "Work orders",
            ],
        ),
        (
            "buyer",
            [
                "Orders",
                "Exceptions",
                "Capacity board",
                "MPS",
                "Shortages",
                "Purchase orders",
                "Work orders",
            ],
        ),
        ("production", ["Orders", "Exceptions", "Work orders", "Shop floor"]),
        ("quality", ["Orders", "Exceptions", "Work orders", "Quality"]),
        ("shipping", ["Orders", "Exceptions", "Work orders", "Shipping", "Invoices"]),
        (
            "manager",
            [
                "Orders",
                "Blankets",
                "At risk",
                "Exceptions",
                "Capacity board",
                "MPS",
                "Shortages",
                "Purchase orders",
                "Work orders",
                "Invoices",
                "Dashboard",
            ],
        ),
        ("customer", ["My orders"]),
        (
            "admin",
            [
                "Orders",
                "New order",
                "Blankets",
                "At risk",
                "Exceptions",
                "Capacity board",
                "MPS",
                "Shortages",
                "Purchase orders",
                "Work orders",
                "Shop floor",
                "Quality",
                "Shipping",
                "Delivery reports",
                "Invoices",
                "Dashboard",
                "Admin",
            ],
        ),
    ],
)
def test_the_menu_shows_what_the_role_may_use(role, menu, client, users):
    client.force_login(users[role])
    response = client.get(reverse("home"), follow=True)
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', response.text, re.S).group(1)
    assert re.findall(r'class="nav-link[^"]*" href="[^"]+">([^<]+)</a>', nav) == menu
