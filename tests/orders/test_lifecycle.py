"""The order state machine of DESIGN.md: every allowed step, every refused one, and who may."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django_fsm import ConcurrentTransition

from orders import services
from orders.errors import OrderChangedError, OrderTransitionError
from orders.models import OrderEvent, OrderPolicy, SalesOrder
from orders.states import OrderStatus as S
from tests.factories.orders import SalesOrderFactory, SalesOrderLineFactory


@pytest.fixture(autouse=True)
def no_deposit_rule(db):
    """These customers are established: the deposit rule (tests/orders/test_credit.py) is off."""
    OrderPolicy.objects.update_or_create(pk=1, defaults={"deposit_for_new_customers": False})


# DESIGN.md's diagram, written out by hand: (transition, source) -> target.
LIFECYCLE = {
    ("submit", S.DRAFT): S.ENTERED,
    ("validate", S.ENTERED): S.VALIDATED,
    ("hold", S.ENTERED): S.ON_HOLD,
    ("hold", S.VALIDATED): S.ON_HOLD,
    ("acknowledge", S.VALIDATED): S.ACKNOWLEDGED,
    ("plan", S.ACKNOWLEDGED): S.PLANNED,
    ("release", S.PLANNED): S.RELEASED,
    ("start", S.RELEASED): S.IN_PRODUCTION,
    ("complete", S.IN_PRODUCTION): S.PRODUCED,
    ("inspect_pass", S.PRODUCED): S.QUALITY_RELEASED,
    ("inspect_fail", S.PRODUCED): S.QUALITY_HOLD,
    ("quality_release", S.QUALITY_HOLD): S.QUALITY_RELEASED,
    ("quality_hold", S.QUALITY_RELEASED): S.QUALITY_HOLD,
    ("pack", S.QUALITY_RELEASED): S.PACKED,
    ("ship", S.PACKED): S.SHIPPED,
    ("deliver", S.SHIPPED): S.DELIVERED,
    ("close", S.DELIVERED): S.CLOSED,
    **{
        ("cancel", source): S.CANCELLED
        for source in S
        if source not in (S.SHIPPED, S.DELIVERED, S.CLOSED, S.CANCELLED)
    },
}
# on_hold resumes to where it was stopped; covered separately below.
TRANSITIONS = sorted({name for name, _ in LIFECYCLE} | {"resume"})

# Who may press which button (DESIGN.md's roles).
MAY_FIRE = {
    "submit": {"sales"},
    "validate": {"sales"},
    "hold": {"sales", "credit", "manager"},
    "resume": {"sales", "credit", "manager"},
    "acknowledge": {"sales", "manager"},
    "plan": {"planner"},
    "release": {"planner"},
    "start": {"production"},
    "complete": {"production"},
    "inspect_pass": {"quality"},
    "inspect_fail": {"quality"},
    "quality_release": {"quality"},
    "quality_hold": {"quality"},
    "pack": {"shipping"},
    "ship": {"shipping"},
    "deliver": {"shipping"},
    "close": {"sales", "shipping"},
    "cancel": {"sales", "manager"},
}
ALL_ROLES = [
    "sales",
    "credit",
    "planner",
    "production",
    "quality",
    "shipping",
    "manager",
    "customer",
]


def an_order(status):
    """A complete order (ship-to, requested date, one line) in ``status``."""
    order = SalesOrderFactory(status=status)
    SalesOrderLineFactory(order=order)
    return order


def fire(order, transition, actor, **kwargs):
    note = "because the customer asked" if transition in services.NOTE_REQUIRED else ""
    if transition == "acknowledge":
        kwargs.setdefault("promised_date", dt.date(2026, 12, 18))
    return services.order_transition(
        order_id=order.pk, transition=transition, actor=actor, note=note, **kwargs
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("transition", "source"), sorted(LIFECYCLE), ids=lambda v: str(v))
def test_every_allowed_transition_moves_the_order_and_records_one_event(
    transition, source, make_user
):
    # given
    admin = make_user("admin")
    order = an_order(source)
    # when
    fire(order, transition, admin)
    # then
    order.refresh_from_db()
    assert order.status == LIFECYCLE[(transition, source)]
    events = list(OrderEvent.objects.filter(order=order))
    assert [(e.transition, e.from_status, e.to_status, e.actor_id) for e in events] == [
        (transition, source, order.status, admin.pk)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("source", list(S), ids=str)
def test_transitions_not_in_the_lifecycle_are_refused_and_change_nothing(source, make_user):
    # given
    admin = make_user("admin")
    order = an_order(source)
    refused = [
        name
        for name in TRANSITIONS
        if (name, source) not in LIFECYCLE and not (name == "resume" and source == S.ON_HOLD)
    ]
    assert refused, "every state refuses something"
    for transition in refused:
        # when / then
        with pytest.raises(OrderTransitionError):
            fire(order, transition, admin)
    order.refresh_from_db()
    assert order.status == source
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("held_from", [S.ENTERED, S.VALIDATED])
def test_resume_returns_a_held_order_to_where_it_was_stopped(held_from, make_user):
    # given
    sales = make_user("sales")
    order = an_order(held_from)
    fire(order, "hold", sales)
    # when
    fire(order, "resume", sales)
    # then
    order.refresh_from_db()
    assert order.status == held_from
    assert order.held_from == ""
    assert list(order.events.values_list("transition", "from_status", "to_status")) == [
        ("hold", held_from, S.ON_HOLD),
        ("resume", S.ON_HOLD, held_from),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("transition", sorted(MAY_FIRE))
def test_only_the_roles_of_a_transition_may_fire_it(transition, make_user):
    source = (
        S.ON_HOLD
        if transition == "resume"
        else next(src for (name, src) in sorted(LIFECYCLE) if name == transition)
    )
    for role in ALL_ROLES:
        # given
        actor = make_user(role, username=f"{role}-{transition}")
        order = an_order(source)
        # when
        if role in MAY_FIRE[transition]:
            fire(order, transition, actor)
            # then
            order.refresh_from_db()
            assert order.status != source, role
        else:
            with pytest.raises(PermissionDenied):
                fire(order, transition, actor)
            order.refresh_from_db()
            assert order.status == source, role
            assert not order.events.exists(), role


@pytest.mark.django_db
def test_a_transition_on_a_stale_copy_fails():
    # given: two people loaded the same validated order
    SalesOrderFactory(status=S.VALIDATED)
    mine = SalesOrder.objects.get()
    theirs = SalesOrder.objects.get()
    # when: they acknowledge first
    theirs.acknowledge(promised_date=dt.date(2026, 12, 18))
    theirs.save()
    # then: my cancellation of what I saw as a validated order does not overwrite theirs
    mine.cancel()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        mine.save()
    assert SalesOrder.objects.get().status == S.ACKNOWLEDGED


@pytest.mark.django_db
def test_acting_on_a_status_the_user_no_longer_sees_is_refused(make_user):
    # given: the page showed "validated", then someone put the order on hold
    sales = make_user("sales")
    order = an_order(S.VALIDATED)
    fire(order, "hold", make_user("credit"))
    # when / then
    with pytest.raises(OrderChangedError):
        services.order_transition(
            order_id=order.pk,
            transition="cancel",
            actor=sales,
            expected_status=S.VALIDATED,
            note="customer withdrew",
        )
    order.refresh_from_db()
    assert order.status == S.ON_HOLD
    assert order.events.count() == 1


@pytest.mark.django_db
def test_the_first_promised_date_is_kept_when_the_promise_changes(make_user):
    # given
    order = SalesOrderFactory(status=S.VALIDATED, promised_date=None, first_promised_date=None)
    # when
    services.order_transition(
        order_id=order.pk,
        transition="acknowledge",
        actor=make_user("sales"),
        promised_date=dt.date(2026, 12, 22),
    )
    # then
    order.refresh_from_db()
    assert (order.first_promised_date, order.promised_date) == (
        dt.date(2026, 12, 22),
        dt.date(2026, 12, 22),
    )
    assert order.acknowledged_at is not None


@pytest.mark.django_db
def test_holding_or_cancelling_needs_a_reason(make_user):
    order = an_order(S.ENTERED)
    with pytest.raises(services.OrderError, match="say why"):
        services.order_transition(order_id=order.pk, transition="hold", actor=make_user("sales"))
    order.refresh_from_db()
    assert order.status == S.ENTERED


@pytest.mark.django_db
def test_an_incomplete_draft_cannot_be_submitted(make_user):
    # given: no ship-to, no requested date, no lines
    order = SalesOrderFactory(status=S.DRAFT, ship_to=None, requested_date=None)
    # when / then
    with pytest.raises(services.OrderError) as refused:
        fire(order, "submit", make_user("sales"))
    assert refused.value.message == (
        "Not ready to submit: Choose a ship-to address. Enter the requested delivery date. "
        "Add at least one line."
    )
    order.refresh_from_db()
    assert order.status == S.DRAFT


@pytest.mark.django_db
def test_a_custom_line_without_its_specs_cannot_be_submitted(make_user):
    # given
    order = SalesOrderFactory(status=S.DRAFT)
    SalesOrderLineFactory(
        order=order, line_no=1, product__custom=True, specs={"length": {"nominal": 5}}
    )
    # when / then
    with pytest.raises(services.OrderError, match="Line 1: Length: nominal value and both"):
        fire(order, "submit", make_user("sales"))


@pytest.mark.django_db
def test_an_order_cannot_be_acknowledged_without_a_promised_date(make_user):
    order = an_order(S.VALIDATED)
    with pytest.raises(services.OrderError, match="Enter the delivery date you promise"):
        services.order_transition(
            order_id=order.pk, transition="acknowledge", actor=make_user("sales")
        )
    order.refresh_from_db()
    assert order.status == S.VALIDATED
