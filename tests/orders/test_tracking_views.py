import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orders.models import (
    Alert,
    AlertKind,
    DelayNotice,
    DelayNoticeStatus,
    EscalationLevel,
    ExceptionStatus,
    ExceptionType,
    MessageKind,
    Notification,
    OrderEvent,
    OrderException,
    OutboxMessage,
)
from orders.services.tracking import at_risk_scan
from orders.states import OrderStatus as S
from orders.states import Priority
from scheduling.models import OperationStatus
from tests.factories.orders import SalesOrderFactory, SalesOrderLineFactory
from tests.factories.scheduling import (
    DemandProjectionFactory,
    PlanRunFactory,
    WorkCenterFactory,
    WorkOrderFactory,
    WorkOrderOperationFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("orders:at_risk")
HTMX = {"HTTP_HX_REQUEST": "true"}


def late_order(days_late: int, **kwargs):
    """An acknowledged order projected ``days_late`` days after its promised date."""
    promised = timezone.localdate() + dt.timedelta(days=20)
    return SalesOrderFactory(
        status=S.ACKNOWLEDGED,
        requested_date=promised,
        projected_delivery_date=promised + dt.timedelta(days=days_late),
        **kwargs,
    )


def board_numbers(response) -> list[str]:
    return re.findall(r'data-testid="risk-row" data-order="(SO-\d+)"', response.text)


def exception_type(code="material", name="Material shortage", path=(("planner", 8),)):
    kind = ExceptionType.objects.create(code=code, name=name)
    for level, (role, hours) in enumerate(path, start=1):
        EscalationLevel.objects.create(
            exception_type=kind, level=level, role=role, title=role.title(), hours_to_act=hours
        )
    return kind


def open_exception(kind, *, role="planner", owner=None, age_days=0.0, **kwargs):
    opened = timezone.now() - dt.timedelta(days=age_days)
    return OrderException.objects.create(
        exception_type=kind,
        description=kwargs.pop("description", f"{kind.name} problem"),
        owner_role=role,
        owner=owner,
        opened_at=opened,
        due_at=opened + dt.timedelta(hours=8),
        **kwargs,
    )


# -- The at-risk board ---------------------------------------------------------------------


def test_the_board_lists_the_later_order_first_and_shows_the_alert_message(client, users):
    # given
    a_little_late = late_order(1)
    very_late = late_order(5)
    on_track = late_order(-10)
    at_risk_scan()
    client.force_login(users["sales"])
    # when
    response = client.get(BOARD)
    # then
    assert response.status_code == 200
    assert board_numbers(response) == [very_late.number, a_little_late.number]
    assert on_track.number not in response.text
    message = Alert.objects.get(order=very_late, kind=AlertKind.LATE).message
    assert message.startswith("Projected ")
    assert message in response.text
    assert "5 days late" in response.text


def test_the_board_shows_orders_with_little_slack_and_no_alert(client, users):
    # given
    tight = late_order(-2)
    comfortable = late_order(-3)
    client.force_login(users["planner"])
    # when
    response = client.get(BOARD)
    # then
    assert board_numbers(response) == [tight.number]
    assert comfortable.number not in response.text


def test_the_board_filters_by_alert_kind_and_owner_role(client, users):
    # given
    late = late_order(3)
    held = SalesOrderFactory(status=S.QUALITY_HOLD)
    at_risk_scan()
    client.force_login(users["manager"])
    # when
    by_kind = client.get(BOARD, {"kind": AlertKind.QUALITY_HOLD})
    by_owner = client.get(BOARD, {"owner_role": "sales"})
    by_search = client.get(BOARD, {"q": late.number})
    # then
    assert board_numbers(by_kind) == [held.number]
    assert board_numbers(by_owner) == [late.number]
    assert board_numbers(by_search) == [late.number]


def test_approving_a_draft_delay_notice_from_the_board_sends_it(client, users):
    # given
    order = late_order(4, owner=users["sales"])
    at_risk_scan()
    notice = DelayNotice.objects.get(order=order)
    assert notice.status == DelayNoticeStatus.DRAFT
    client.force_login(users["sales"])
    assert "Approve and send" in client.get(BOARD).text
    # when
    response = client.post(
        reverse("orders:delay_notice_approve", args=[order.pk, notice.pk]),
        {"from": "board"},
        **HTMX,
    )
    # then
    assert response.status_code == 200
    assert f'id="risk-{order.pk}"' in response.text
    assert "Delay notice sent to the customer" in response.text
    assert "Approve and send" not in response.text
    notice.refresh_from_db()
    assert notice.status == DelayNoticeStatus.SENT
    assert notice.approved_by == users["sales"]
    assert OutboxMessage.objects.filter(order=order, kind=MessageKind.DELAY_NOTICE).count() == 1
    assert notice.message.kind == MessageKind.DELAY_NOTICE


def test_approving_from_the_order_page_goes_back_to_the_order(client, users):
    # given
    order = late_order(2)
    at_risk_scan()
    notice = DelayNotice.objects.get(order=order)
    client.force_login(users["sales"])
    page = client.get(reverse("orders:detail", args=[order.pk]))
    assert 'data-testid="delay-notice"' in page.text
    # when
    response = client.post(
        reverse("orders:delay_notice_approve", args=[order.pk, notice.pk]), follow=True
    )
    # then
    assert response.redirect_chain[-1][0] == reverse("orders:detail", args=[order.pk])
    assert 'data-testid="sent-notices"' in response.text
    assert "Approve and send" not in response.text
    # and a second approval is refused beside the panel, with nothing sent twice
    again = client.post(reverse("orders:delay_notice_approve", args=[order.pk, notice.pk]))
    assert again.status_code == 400
    assert "sent or withdrawn already" in again.text
    assert OutboxMessage.objects.filter(order=order, kind=MessageKind.DELAY_NOTICE).count() == 1


def test_a_planner_cannot_approve_a_delay_notice(client, users):
    # given
    order = late_order(2)
    at_risk_scan()
    notice = DelayNotice.objects.get(order=order)
    client.force_login(users["planner"])
    # when
    response = client.post(reverse("orders:delay_notice_approve", args=[order.pk, notice.pk]))
    # then
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.status == DelayNoticeStatus.DRAFT
    assert not OutboxMessage.objects.filter(order=order).exists()


def test_expedite_from_the_board_sets_rush_priority_and_redraws_the_row(client, users):
    # given
    order = late_order(3)
    at_risk_scan()
    client.force_login(users["planner"])
    # when
    response = client.post(reverse("orders:expedite", args=[order.pk]), {"from": "board"}, **HTMX)
    # then
    assert response.status_code == 200
    assert "expedited: rush priority" in response.text
    assert ">Expedite</button>" not in response.text
    assert '<span class="badge text-bg-danger">Rush</span>' in response.text
    order.refresh_from_db()
    assert order.priority == Priority.RUSH
    assert OrderEvent.objects.filter(order=order, note__startswith="Expedited").count() == 1


def test_expediting_an_order_at_rush_already_is_refused_on_the_order_page(client, users):
    # given
    order = late_order(3, priority=Priority.RUSH)
    client.force_login(users["sales"])
    # when
    response = client.post(reverse("orders:expedite", args=[order.pk]))
    # then
    assert response.status_code == 400
    assert "already at rush priority" in response.text
    assert not OrderEvent.objects.filter(order=order).exists()


def test_production_may_not_open_the_board_but_sees_its_alerts(client, users):
    client.force_login(users["production"])
    assert client.get(BOARD).status_code == 403
    assert client.get(reverse("orders:alerts")).status_code == 200
    assert client.post(reverse("orders:expedite", args=[late_order(2).pk])).status_code == 403


def test_the_board_costs_the_same_queries_for_2_and_25_orders(
    client, users, django_assert_max_num_queries
):
    # given
    client.force_login(users["sales"])
    for days in (1, 2):
        SalesOrderLineFactory(order=late_order(days))
    at_risk_scan()
    with CaptureQueriesContext(connection) as few:
        assert len(board_numbers(client.get(BOARD))) == 2
    for days in range(3, 26):
        SalesOrderLineFactory(order=late_order(days))
    at_risk_scan()
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(BOARD)
    assert len(board_numbers(response)) == 25


# -- My alerts -----------------------------------------------------------------------------


def test_my_alerts_shows_the_open_alerts_of_my_roles_and_a_resolved_tab(client, users):
    # given
    late = late_order(3)
    due = SalesOrderFactory(
        status=S.ACKNOWLEDGED, requested_date=timezone.localdate() + dt.timedelta(days=2)
    )
    at_risk_scan()
    gone = late_order(1)
    at_risk_scan()
    gone.projected_delivery_date = gone.promised_date
    gone.save(update_fields=["projected_delivery_date"])
    at_risk_scan()
    client.force_login(users["sales"])
    # when
    open_page = client.get(reverse("orders:alerts"))
    resolved_page = client.get(reverse("orders:alerts"), {"tab": "resolved"})
    planner_page = client.get(reverse("orders:alerts"), {"kind": AlertKind.DUE_SOON})
    # then: the sales alert is listed; the planner's due-soon alert is not sales' business
    assert late.number in open_page.text
    assert due.number not in open_page.text
    assert gone.number not in open_page.text
    assert gone.number in resolved_page.text
    assert late.number not in resolved_page.text
    assert late.number not in planner_page.text
    client.force_login(users["planner"])
    assert due.number in client.get(reverse("orders:alerts")).text


def test_the_alert_lists_cost_the_same_queries_for_2_and_30_alerts(
    client, users, django_assert_max_num_queries
):
    # given
    client.force_login(users["admin"])
    for days in (1, 2):
        late_order(days)
    at_risk_scan()
    url = reverse("orders:alerts")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for days in range(3, 31):
        late_order(days)
    at_risk_scan()
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count('data-kind="late"') == 25


# -- Exceptions ----------------------------------------------------------------------------


def exception_descriptions(response) -> list[str]:
    return re.findall(r'/orders/exceptions/\d+/">([^<]+)</a>', response.text)


def test_the_exception_list_filters_by_type_owner_and_age(client, users):
    # given
    material = exception_type()
    quality = exception_type("quality", "Quality nonconformance", (("quality", 8),))
    open_exception(material, description="Fresh shortage")
    open_exception(material, description="Two day shortage", age_days=2)
    open_exception(quality, role="quality", description="Old burr", age_days=4)
    open_exception(material, owner=users["planner"], description="Mine")
    resolved = open_exception(material, description="Solved one", age_days=5)
    resolved.status = ExceptionStatus.RESOLVED
    resolved.save()
    client.force_login(users["planner"])
    url = reverse("orders:exception_list")

    def listed(**query) -> list[str]:
        return sorted(exception_descriptions(client.get(url, query)))

    # when / then
    assert listed() == ["Fresh shortage", "Mine", "Old burr", "Two day shortage"]
    assert listed(exception_type=quality.pk) == ["Old burr"]
    assert listed(owner="me") == ["Mine"]
    assert listed(owner="roles") == ["Fresh shortage", "Mine", "Two day shortage"]
    assert listed(age="1") == ["Old burr", "Two day shortage"]
    assert listed(age="3") == ["Old burr"]
    assert listed(status="resolved") == ["Solved one"]
    assert listed(status="all", age="3") == ["Old burr", "Solved one"]


def test_an_overdue_exception_is_marked_in_red(client, users):
    # given
    kind = exception_type()
    overdue = open_exception(kind, age_days=1)
    client.force_login(users["manager"])
    # when
    listing = client.get(reverse("orders:exception_list"))
    page = client.get(reverse("orders:exception_detail", args=[overdue.pk]))
    # then
    assert "overdue" in listing.text
    due = re.search(r'data-testid="due">(.*?)</div>', page.text, re.S)
    assert "text-danger" in page.text[due.start() - 80 : due.start()]
    weekday = timezone.localtime(overdue.due_at).strftime("%A")
    assert f"Must act by {weekday}" in due.group(1)
    assert "overdue by" in due.group(1)


def test_the_exception_list_costs_the_same_queries_for_2_and_30(
    client, users, django_assert_max_num_queries
):
    # given
    kind = exception_type()
    client.force_login(users["planner"])
    for _ in range(2):
        open_exception(kind, order=SalesOrderFactory(), owner=users["planner"])
    url = reverse("orders:exception_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(28):
        open_exception(kind, order=SalesOrderFactory(), owner=users["planner"])
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(exception_descriptions(response)) == 25


def test_opening_an_exception_tells_the_first_level_and_shows_its_path(client, users):
    # given
    kind = exception_type(path=(("planner", 8), ("manager", 16)))
    order = SalesOrderFactory(status=S.PLANNED)
    client.force_login(users["sales"])
    # when
    response = client.post(
        reverse("orders:exception_new"),
        {"exception_type": kind.pk, "order_number": order.number.lower(), "description": "Short"},
        follow=True,
    )
    # then
    exception = OrderException.objects.get()
    assert response.redirect_chain[-1][0] == reverse("orders:exception_detail", args=[exception.pk])
    assert (exception.order, exception.owner_role, exception.level) == (order, "planner", 1)
    assert Notification.objects.filter(user=users["planner"]).count() == 1
    path = re.search(r'data-testid="escalation-path">(.*?)</ol>', response.text, re.S).group(1)
    assert "Planner" in path
    assert "Manager" in path
    assert "8 h to act" in path


def test_opening_with_an_empty_description_keeps_the_input_and_shows_the_error(client, users):
    # given
    kind = exception_type()
    order = SalesOrderFactory(status=S.PLANNED)
    client.force_login(users["sales"])
    # when
    response = client.post(
        reverse("orders:exception_new"),
        {"exception_type": kind.pk, "order_number": order.number, "description": "   "},
    )
    # then
    assert response.status_code == 400
    assert "Describe the problem." in response.text
    assert f'value="{order.number}"' in response.text
    assert re.search(rf'<option value="{kind.pk}" selected>', response.text)
    assert not OrderException.objects.exists()


def test_opening_for_an_unknown_order_says_so_beside_the_field(client, users):
    # given
    kind = exception_type()
    client.force_login(users["sales"])
    # when
    response = client.post(
        reverse("orders:exception_new"),
        {"exception_type": kind.pk, "order_number": "SO-999999", "description": "Scrap"},
    )
    # then
    assert response.status_code == 400
    assert "There is no order SO-999999." in response.text
    assert re.search(r">\s*Scrap</textarea>", response.text)
    assert not OrderException.objects.exists()


def test_resolving_needs_a_decision_and_a_resolution(client, users):
    # given
    exception = open_exception(exception_type())
    client.force_login(users["planner"])
    url = reverse("orders:exception_resolve", args=[exception.pk])
    # when
    refused = client.post(url, {"decision": "", "resolution": "", "lessons_learned": "Buy more"})
    # then
    assert refused.status_code == 400
    assert "Record the decision that was taken." in refused.text
    assert "Say how the problem was resolved." in refused.text
    assert re.search(r">\s*Buy more</textarea>", refused.text)
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.OPEN
    # when
    done = client.post(
        url,
        {"decision": "Second source", "resolution": "Bought 40 m", "lessons_learned": ""},
        follow=True,
    )
    # then
    exception.refresh_from_db()
    assert exception.status == ExceptionStatus.RESOLVED
    assert exception.resolved_by == users["planner"]
    assert 'data-testid="resolution"' in done.text
    assert "Second source" in done.text


def test_a_planner_takes_an_exception_of_the_planner_role_and_production_may_not(client, users):
    # given
    exception = open_exception(exception_type())
    url = reverse("orders:exception_take", args=[exception.pk])
    client.force_login(users["production"])
    # when
    refused = client.post(url)
    client.force_login(users["planner"])
    page = client.get(reverse("orders:exception_detail", args=[exception.pk]))
    taken = client.post(url)
    # then
    assert refused.status_code == 403
    assert "Take it" in page.text
    assert taken.status_code == 302
    exception.refresh_from_db()
    assert exception.owner == users["planner"]


# -- Notifications and the bell ------------------------------------------------------------


def bell(client, current_url: str = "") -> str:
    headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": current_url}
    response = client.get(reverse("orders:notifications_bell"), **headers)
    assert response.status_code == 200
    return response.text


def test_the_bell_counts_unread_notifications_and_mark_all_read_clears_it(client, users):
    # given
    sales = users["sales"]
    for n in range(3):
        Notification.objects.create(user=sales, text=f"Note {n}", url="/orders/")
    Notification.objects.create(user=sales, text="Old news", read_at=timezone.now())
    Notification.objects.create(user=users["planner"], text="Not for sales")
    client.force_login(sales)
    # when
    page = client.get(reverse("orders:list"))
    drawn = bell(client, "http://testserver/orders/?q=x")
    # then: the page holds a slot the bell is drawn into after loading
    assert 'data-testid="bell-slot"' in page.text
    assert re.search(r'data-testid="bell-count">(\d+)<', drawn).group(1) == "3"
    assert "Note 2" in drawn
    assert "Not for sales" not in drawn
    assert 'name="next" value="http://testserver/orders/?q=x"' in drawn
    # when
    response = client.post(
        reverse("orders:notifications_read_all"),
        {"next": "http://testserver/orders/?q=x"},
        follow=True,
    )
    # then
    assert response.redirect_chain[-1][0] == "http://testserver/orders/?q=x"
    assert 'data-testid="bell-count"' not in bell(client)
    assert Notification.objects.filter(user=sales, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=users["planner"], read_at__isnull=True).count() == 1


def test_mark_all_read_never_sends_the_user_to_another_site(client, users):
    client.force_login(users["sales"])
    response = client.post(
        reverse("orders:notifications_read_all"), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("orders:notifications")


def test_the_bell_shows_the_eight_latest_in_one_query_and_costs_pages_nothing(client, users):
    # given
    for n in range(12):
        Notification.objects.create(
            user=users["sales"],
            text=f"Notice number {n:02d}",
            created_at=timezone.now() - dt.timedelta(minutes=60 - n),
        )
    client.force_login(users["sales"])
    # when
    with CaptureQueriesContext(connection) as page_queries:
        client.get(reverse("orders:list"))
    with CaptureQueriesContext(connection) as bell_queries:
        drawn = bell(client)
    # then
    assert re.findall(r"Notice number (\d+)", drawn) == [f"{n:02d}" for n in range(11, 3, -1)]
    assert 'data-testid="bell-count">12<' in drawn
    assert not any('"orders_notification"' in q["sql"] for q in page_queries.captured_queries)
    assert sum('"orders_notification"' in q["sql"] for q in bell_queries.captured_queries) == 1


def test_customers_have_no_bell(client, users):
    client.force_login(users["customer"])
    assert 'data-testid="bell' not in client.get(reverse("portal:order_list")).text
    assert client.get(reverse("orders:notifications_bell")).status_code == 403
    assert client.get(reverse("orders:notifications")).status_code == 403


# -- The order page's tracking panel ---------------------------------------------------------


def test_the_order_page_shows_progress_projection_binding_and_milestones(client, users):
    # given
    entered = timezone.now() - dt.timedelta(days=6)
    order = late_order(-1, submitted_at=entered, acknowledged_at=entered + dt.timedelta(days=1))
    line = SalesOrderLineFactory(order=order, line_no=1)
    ref = f"{order.number}/{line.line_no}"
    run = PlanRunFactory(is_current=True)
    DemandProjectionFactory(
        plan_run=run,
        reference=ref,
        projected_completion=order.promised_date - dt.timedelta(days=4),
        projected_delivery=order.projected_delivery_date,
        binding_message="Paint line is full until Tue 15 Dec",
    )
    work_order = WorkOrderFactory(demand_refs=[ref])
    finished = timezone.now() - dt.timedelta(hours=3)
    WorkOrderOperationFactory(
        work_order=work_order,
        sequence=10,
        description="Laser cut",
        status=OperationStatus.DONE,
        actual_end=finished,
    )
    WorkOrderOperationFactory(
        work_order=work_order,
        sequence=20,
        description="Powder coat",
        work_center=WorkCenterFactory(name="Paint line"),
    )
    client.force_login(users["sales"])
    # when
    response = client.get(reverse("orders:detail", args=[order.pk]))
    # then
    panel = re.search(r'data-testid="tracking">(.*?)data-testid="milestones"', response.text, re.S)
    text = panel.group(1)
    assert "Paint line is full until Tue 15 Dec" in text
    assert "50%" in text
    assert ">Paint line<" in text
    assert "1 day slack" in text
    assert "text-bg-warning" in text
    milestones = re.findall(
        r'data-done="(yes|no)">\s*<span aria-hidden="true">.</span> ([^<]+?)\s*<', response.text
    )
    assert milestones == [
        ("yes", "Entered"),
        ("yes", "Acknowledged"),
        ("no", "Released to production"),
        ("yes", "Laser cut done"),
        ("no", "Powder coat done"),
        ("no", "Inspected and released by quality"),
        ("no", "Shipped"),
        ("no", "Delivered"),
    ]
    assert f"{timezone.localtime(finished):%a} {timezone.localtime(finished).day}" in response.text


def test_the_order_page_costs_the_same_queries_for_1_and_6_work_orders(
    client, users, django_assert_max_num_queries
):
    # given
    order = late_order(2)
    lines = [SalesOrderLineFactory(order=order, line_no=n) for n in (1, 2, 3)]
    PlanRunFactory(is_current=True)

    def work_for(line):
        work_order = WorkOrderFactory(demand_refs=[f"{order.number}/{line.line_no}"])
        WorkOrderOperationFactory.create_batch(2, work_order=work_order)

    work_for(lines[0])
    at_risk_scan()
    client.force_login(users["sales"])
    url = reverse("orders:detail", args=[order.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for line in [*lines, lines[1], lines[2]]:
        work_for(line)
    # when / then
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# -- Demo data -------------------------------------------------------------------------------


def test_the_tracking_demo_is_created_once(users):
    # given
    from config.demo.tracking import seed_tracking_demo

    SalesOrderFactory.create_batch(3, status=S.PLANNED)
    # when
    first = seed_tracking_demo(planner=users["planner"], manager=users["manager"])
    second = seed_tracking_demo(planner=users["planner"], manager=users["manager"])
    # then
    assert (first, second) == (2, 0)
    material = ExceptionType.objects.get(code="material-shortage")
    assert [(lv.role, lv.title, lv.hours_to_act) for lv in material.levels.all()] == [
        ("planner", "Planner", 8),
        ("manager", "Production manager", 16),
        ("manager", "Plant manager", 24),
    ]
    assert ExceptionType.objects.count() == 3
    assert EscalationLevel.objects.count() == 7
    assert OrderException.objects.filter(status=ExceptionStatus.OPEN).count() == 2
    assert OrderException.objects.filter(order__isnull=False).count() == 2


@pytest.mark.parametrize(
    ("url_name", "testid"),
    [
        ("orders:at_risk", "risk-table"),
        ("orders:alerts", "alert-table"),
        ("orders:exception_list", "exception-table"),
    ],
)
def test_filtering_with_htmx_redraws_the_table_only(url_name, testid, client, users):
    # given
    late_order(2)
    at_risk_scan()
    client.force_login(users["admin"])
    # when
    response = client.get(reverse(url_name), {"q": "SO"}, **HTMX)
    # then
    assert response.status_code == 200
    assert f'data-testid="{testid}"' in response.text
    assert "<html" not in response.text


def test_the_admin_lists_and_edits_the_tracking_records(client, users):
    # given
    order = late_order(2)
    at_risk_scan()
    kind = exception_type()
    open_exception(kind, order=order)
    Notification.objects.create(user=users["sales"], text="Hello")
    client.force_login(users["admin"])
    # when / then
    for model in ("exceptiontype", "alert", "delaynotice", "orderexception", "notification"):
        assert client.get(reverse(f"admin:orders_{model}_changelist")).status_code == 200
    page = client.get(reverse("admin:orders_exceptiontype_change", args=[kind.pk]))
    assert "Escalation levels" in page.text
    alert = Alert.objects.get(order=order)
    assert client.get(reverse("admin:orders_alert_change", args=[alert.pk])).status_code == 200
    assert client.get(reverse("admin:orders_alert_add")).status_code == 403
