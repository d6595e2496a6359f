"""The main menu: each entry is shown only to users holding its permission."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str | None  # None: superusers only


STAFF_MENU = [
    NavEntry("Orders", "orders:list", "orders.view_salesorder"),
]
PORTAL_MENU = [
    NavEntry("My orders", "portal:order_list", "orders.access_portal"),
]
