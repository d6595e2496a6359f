"""Role x URL matrix: every URL of the project answers each role as one policy table says.

A URL pattern missing from POLICY fails the test, so no page can ship unguarded.
"""

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from orders.states import OrderStatus
from scheduling.models import WorkOrderStatus
from tests.factories.orders import DocumentFactory, SalesOrderFactory, SalesOrderLineFactory
from tests.factories.scheduling import (
    PlannedWorkOrderFactory,
    PlanRunFactory,
    PurchaseSuggestionFactory,
    WorkCenterFactory,
    WorkOrderOperationFactory,
)

ROLES = [
    "anonymous",
    "sales",
    "credit",
    "planner",
    "production",
    "quality",
    "shipping",
    "manager",
    "customer",
    "admin",
]
STAFF = {"sales", "credit", "planner", "production", "quality", "shipping", "manager", "admin"}
PLANNERS = {"planner", "manager", "admin"}
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
        expect(PLAN_EDITORS, ok=302),
    ),
    "scheduling:purchase_order_list": ("get", None, expect(PLANNERS)),
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
    "orders:acknowledgment_resend": (
        "post",
        lambda w: {"pk": w["order"].pk},
        expect({"sales", "admin"}, ok=302),
    ),
    "portal:order_list": ("get", None, expect({"customer"})),
    "portal:order_detail": ("get", lambda w: {"pk": w["order"].pk}, expect({"customer"})),
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
        "document": DocumentFactory(order=order),
        "work_center": work_center,
        "new_operation": lambda **kw: WorkOrderOperationFactory(work_center=work_center, **kw),
        "new_planned_work_order": lambda: PlannedWorkOrderFactory(plan_run=run),
        "new_suggestion": lambda: PurchaseSuggestionFactory(plan_run=run),
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
        ("sales", ["Orders", "Work orders"]),
        ("planner", ["Orders", "Capacity board", "MPS", "Shortages", "Work orders"]),
        ("production", ["Orders", "Work orders", "Shop floor"]),
        ("manager", ["Orders", "Capacity board", "MPS", "Shortages", "Work orders"]),
        ("customer", ["My orders"]),
        (
            "admin",
            ["Orders", "Capacity board", "MPS", "Shortages", "Work orders", "Shop floor", "Admin"],
        ),
    ],
)
def test_the_menu_shows_what_the_role_may_use(role, menu, client, users):
    client.force_login(users[role])
    response = client.get(reverse("home"), follow=True)
    nav = re.search(r'data-testid="main-nav">(.*?)</ul>', response.text, re.S).group(1)
    assert re.findall(r'class="nav-link[^"]*" href="[^"]+">([^<]+)</a>', nav) == menu
