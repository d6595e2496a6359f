"""The main menu: each entry is shown only to users holding its permission."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None  # None: superusers only


STAFF_MENU = [
    NavEntry("Orders", "orders:list", "orders.view_salesorder"),
    NavEntry("New order", "orders:new", "orders.add_salesorder"),
    NavEntry("Blankets", "orders:blanket_list", "orders.view_blanketagreement"),
    # The board is for the roles that can act on a late order (every staff role sees alerts).
    NavEntry("At risk", "orders:at_risk", "orders.expedite_salesorder"),
    NavEntry("Exceptions", "orders:exception_list", "orders.view_orderexception"),
    NavEntry("Capacity board", "scheduling:board", "scheduling.view_planrun"),
    NavEntry("MPS", "scheduling:mps", "scheduling.view_planrun"),
    NavEntry("Shortages", "scheduling:shortages", "scheduling.view_planrun"),
    NavEntry("Purchase orders", "scheduling:purchase_order_list", "scheduling.view_purchaseorder"),
    NavEntry("Work orders", "scheduling:work_order_list", "scheduling.view_workorder"),
    NavEntry("Shop floor", "scheduling:floor", "scheduling.report_progress"),
    NavEntry("Quality", "fulfillment:quality_queue", "fulfillment.add_inspection"),
    NavEntry("Shipping", "fulfillment:shipping_queue", "fulfillment.add_shipment"),
    # Damage and shortage reports wait for those who resolve them (sales, credit).
    NavEntry("Delivery reports", "fulfillment:reports", "fulfillment.change_deliveryreport"),
    NavEntry("Invoices", "orders:invoice_list", "orders.view_invoice"),
    NavEntry("Dashboard", "metrics:dashboard", "metrics.view_dashboard"),
]
PORTAL_MENU = [
    NavEntry("My orders", "portal:order_list", "orders.access_portal"),
]
