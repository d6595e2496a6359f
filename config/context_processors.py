from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from config.navigation import PORTAL_MENU, STAFF_MENU


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    nav = []
    for entry in [*STAFF_MENU, *PORTAL_MENU]:
        allowed = user.is_superuser if entry.permission is None else user.has_perm(entry.permission)
        if allowed and not (user.is_superuser and entry in PORTAL_MENU):
            url = reverse(entry.url_name)
            nav.append({"label": entry.label, "url": url, "active": False})
    # The entry whose address is the longest prefix of this page is the one we are in.
    matches = [item for item in nav if request.path.startswith(item["url"])]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {
        "nav": nav,
        "user_roles": sorted(g.name for g in user.groups.all()),
        "bell": _bell(user),
    }


def _bell(user):
    """The staff's notification bell; queried only when a page draws it (one query)."""
    if not user.has_perm("orders.view_salesorder"):
        return None
    from orders.selectors_tracking import notification_bell

    return SimpleLazyObject(lambda: notification_bell(user=user))
