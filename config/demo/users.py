"""One demo login per role, all with the same throwaway password."""

from __future__ import annotations

DEMO_PASSWORD = "ordercraft"  # noqa: S105 -- printed on screen on purpose: demo data only

# username -> (first name, last name, what the role does); the group has the same name.
ROLE_USERS: dict[str, tuple[str, str, str]] = {
    "sales": ("Maria", "Alvarez", "Sales: enter orders, confirm specs, promise dates"),
    "credit": ("Kenji", "Watanabe", "Credit: approve credit, set and release holds"),
    "planner": ("Priya", "Raman", "Planner: plan and release orders to the shop"),
    "buyer": ("Sam", "Okoro", "Buyer: purchase orders, confirmations, slips, receipts"),
    "production": ("Tomasz", "Kowalski", "Production: start and complete work"),
    "quality": ("Grace", "Okafor", "Quality: final inspection, quality holds"),
    "shipping": ("Luis", "Herrera", "Shipping: pack, ship, confirm delivery"),
    "manager": ("Ellen", "Brooks", "Manager: dashboards, exceptions, escalations"),
    # Same person as the primary contact of the first demo customer (see customers.py).
    "customer": ("Dana", "Whitaker", "Customer portal: Acme Conveyor Systems' orders"),
}
ADMIN = ("admin", "Alex", "Morgan", "Administrator (superuser, Django admin)")

DEMO_LOGINS: list[tuple[str, str, str]] = [
    *((username, DEMO_PASSWORD, role) for username, (_f, _l, role) in ROLE_USERS.items()),
    (ADMIN[0], DEMO_PASSWORD, ADMIN[3]),
]


def seed_users() -> dict[str, object]:
    """Create the demo users (once) and return them by username."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user_model = get_user_model()
    groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_USERS)}
    missing = set(ROLE_USERS) - set(groups)
    if missing:
        # Groups come from config's data migration; without them nobody could do anything.
        raise RuntimeError(f"Role groups missing ({', '.join(sorted(missing))}): run migrate.")
    users = {}
    for username, (first, last, _role) in ROLE_USERS.items():
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}@example.com".lower(),
            },
        )
        if created:
            # set_password skips the validators on purpose: the demo password is short.
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(groups[username])
        users[username] = user
    username, first, last, _role = ADMIN
    admin, created = user_model.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": "admin@example.com",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    users[username] = admin
    return users
