"""The roles of DESIGN.md as Django groups, and the permissions each role holds.

Groups are (re)synchronised by data migrations of this app (`sync_role_groups`); a new
permission reaches its role with the next migration that calls it.
"""

from django.contrib.auth.management import create_permissions

STAFF_READ = [
    "orders.view_salesorder",
    "orders.view_salesorderline",
    "orders.view_orderevent",
    "orders.view_customer",
    "orders.view_contact",
    "orders.view_address",
    "orders.view_product",
    "orders.view_alert",
    "orders.view_orderexception",
    "orders.add_orderexception",
    "orders.change_orderexception",
    "orders.view_changerequest",
    "orders.view_orderrevision",
    "scheduling.view_item",
    "scheduling.view_bomline",
    "scheduling.view_workcenter",
    "scheduling.view_routingoperation",
    "scheduling.view_workorder",
    "scheduling.view_workorderoperation",
    "fulfillment.view_shipment",
    "fulfillment.view_package",
    "fulfillment.view_trackingevent",
    "fulfillment.view_backorder",
    "fulfillment.view_deliveryreport",
]
# Money owed: who sees invoices, payments and credit notes.
BILLING_READ = [
    "orders.view_invoice",
    "orders.view_payment",
    "orders.view_creditnote",
]
PLAN_READ = [
    "scheduling.view_planrun",
    "scheduling.view_demand",
    "scheduling.view_purchaseorder",
]


def _transitions(*names: str) -> list[str]:
    return [f"orders.{name}_salesorder" for name in names]


ROLE_PERMISSIONS: dict[str, list[str]] = {
    "sales": [
        *STAFF_READ,
        "orders.add_salesorder",
        "orders.change_salesorder",
        "orders.add_customer",
        "orders.change_customer",
        "orders.add_contact",
        "orders.change_contact",
        "orders.add_address",
        "orders.change_address",
        "orders.add_blanketagreement",
        "orders.view_blanketagreement",
        "orders.change_delaynotice",
        "orders.view_delaynotice",
        "orders.expedite_salesorder",
        "orders.add_changerequest",
        "orders.decide_changerequest",
        "orders.add_documentrequirement",
        "orders.change_documentrequirement",
        "orders.delete_documentrequirement",
        "orders.view_documentrequirement",
        *BILLING_READ,
        # Sales resolves delivery reports (a replacement order, or nothing to do).
        "fulfillment.add_deliveryreport",
        "fulfillment.change_deliveryreport",
        *_transitions("submit", "validate", "hold", "resume", "acknowledge", "close", "cancel"),
    ],
    "credit": [
        *STAFF_READ,
        "orders.change_customer",
        "orders.change_payment_terms",
        "orders.release_credit_hold",
        "orders.record_deposit",
        "orders.view_blanketagreement",
        *BILLING_READ,
        "orders.add_payment",
        "orders.add_creditnote",
        # Credit resolves delivery reports with a credit note.
        "fulfillment.change_deliveryreport",
        *_transitions("hold", "resume"),
    ],
    "planner": [
        *STAFF_READ,
        "scheduling.change_item",
        "scheduling.change_workcenter",
        *PLAN_READ,
        "scheduling.run_plan",
        "scheduling.release_workorder",
        "orders.expedite_salesorder",
        *_transitions("plan", "release"),
    ],
    # The buyer keeps purchase orders true, from MRP's suggestion to the goods received.
    "buyer": [
        *STAFF_READ,
        *PLAN_READ,
        "scheduling.change_item",
        "scheduling.add_purchaseorder",
        "scheduling.change_purchaseorder",
        "scheduling.receive_purchaseorder",
    ],
    "production": [
        *STAFF_READ,
        "scheduling.report_progress",
        # Rework dispositions come back to the floor.
        "fulfillment.view_nonconformance",
        *_transitions("start", "complete"),
    ],
    "quality": [
        *STAFF_READ,
        "fulfillment.view_inspection",
        "fulfillment.add_inspection",
        "fulfillment.view_inspectionitem",
        "fulfillment.view_nonconformance",
        "fulfillment.change_nonconformance",
        # Quality releases a backorder quantity once it is made.
        "fulfillment.change_backorder",
        *_transitions("inspect_pass", "inspect_fail", "quality_release", "quality_hold"),
    ],
    "shipping": [
        *STAFF_READ,
        "orders.view_invoice",
        "orders.view_documentrequirement",
        "fulfillment.view_inspection",
        "fulfillment.view_inspectionitem",
        "fulfillment.add_shipment",
        "fulfillment.change_shipment",
        "fulfillment.add_package",
        "fulfillment.change_package",
        "fulfillment.delete_package",
        "fulfillment.view_packagecontent",
        "fulfillment.view_carrier",
        "fulfillment.view_carrierservice",
        "fulfillment.view_servicelane",
        "fulfillment.view_servicerate",
        "fulfillment.add_trackingevent",
        "fulfillment.add_deliveryreport",
        "fulfillment.view_webhookattempt",
        *_transitions("pack", "ship", "deliver", "close"),
    ],
    "manager": [
        *STAFF_READ,
        *PLAN_READ,
        "orders.change_payment_terms",
        "orders.override_promise",
        "orders.view_blanketagreement",
        "orders.view_delaynotice",
        "orders.expedite_salesorder",
        *BILLING_READ,
        # Perfect-order, delivery and order-management dashboards, with their drill-downs.
        "metrics.view_dashboard",
        # A manager acknowledges only to override a promise earlier than quoted.
        *_transitions("hold", "resume", "acknowledge", "cancel"),
    ],
    "customer": ["orders.access_portal"],
}
STAFF_ROLES = [role for role in ROLE_PERMISSIONS if role != "customer"]


def sync_role_groups(apps, schema_editor=None) -> None:
    """Give each role's group exactly the permissions listed above (a migration's RunPython)."""
    for app_config in apps.get_app_configs():
        # Permissions are normally created after migrate; make them exist now.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.extend(
                permission_model.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
