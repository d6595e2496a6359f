import pytest
from playwright.sync_api import expect

from orders.models import Complaint, DocumentKind
from orders.states import OrderStatus as S
from tests.factories.orders import DocumentFactory, SalesOrderFactory, SalesOrderLineFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    # A phone: the portal must work one-handed on a small screen.
    return {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "accept_downloads": True,
    }


def test_a_contact_on_a_phone_downloads_the_acknowledgment_and_files_a_complaint(
    page, live_server, users
):
    # given
    customer = users["customer"].contact.customer
    order = SalesOrderFactory(customer=customer, status=S.SHIPPED, customer_po="PO-PHONE")
    SalesOrderLineFactory(order=order)
    document = DocumentFactory(order=order, kind=DocumentKind.ACKNOWLEDGMENT)
    # when: log in and open the order
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("customer")
    page.get_by_label("Password").fill("ordercraft")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/portal/")
    page.get_by_test_id("portal-orders").get_by_role("link").filter(has_text=order.number).click()
    expect(page.get_by_test_id("stage")).to_have_text("Shipped")
    # ... download the acknowledgment
    with page.expect_download() as download_info:
        page.get_by_test_id("documents").get_by_role("link", name="Order acknowledgment").click()
    download = download_info.value
    # ... and file a complaint
    page.get_by_test_id("complaint-toggle").click()
    page.get_by_label("What is it about").select_option("documentation")
    page.get_by_label("What went wrong").fill("The acknowledgment shows the wrong PO.")
    page.get_by_role("button", name="Send the complaint").click()
    # then
    expect(page.get_by_text("your complaint is recorded")).to_be_visible()
    assert download.suggested_filename == document.filename
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == b"%PDF-1.7 test"
    complaint = Complaint.objects.get()
    assert (complaint.order_id, complaint.complaint_type, complaint.text) == (
        order.pk,
        "documentation",
        "The acknowledgment shows the wrong PO.",
    )
