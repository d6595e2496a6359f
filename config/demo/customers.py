"""Twenty customers of the demo plant, with contacts, bill-to and ship-to addresses."""

from __future__ import annotations

from decimal import Decimal

# (site name, street, city, postal code, region, country)
Site = tuple[str, str, str, str, str, str]

# code -> (name, credit limit, payment terms, on credit hold, contacts (primary first),
#          bill-to site, ship-to sites)
CUSTOMERS: dict[str, tuple[str, int, str, bool, list[str], Site, list[Site]]] = {
    "C-ACME": (
        "Acme Conveyor Systems",
        250_000,
        "net30",
        False,
        ["Dana Whitaker", "Raj Patel", "Colleen Murphy"],
        ("Accounts payable", "1450 Industrial Pkwy", "Toledo", "43612", "Midwest", "US"),
        [
            ("Toledo plant, dock 4", "1450 Industrial Pkwy", "Toledo", "43612", "Midwest", "US"),
            ("Fort Wayne assembly", "820 Ardmore Ave", "Fort Wayne", "46809", "Midwest", "US"),
        ],
    ),
    "C-BRIDGE": (
        "Bridgeport Fluid Power",
        180_000,
        "net45",
        False,
        ["Michael Russo", "Hannah Lee"],
        ("Finance", "77 Seaview Ave", "Bridgeport", "06607", "Northeast", "US"),
        [("Receiving", "77 Seaview Ave", "Bridgeport", "06607", "Northeast", "US")],
    ),
    "C-CASCADE": (
        "Cascade Robotics",
        320_000,
        "net30",
        False,
        ["Erin Lindqvist", "Marcus Bell"],
        ("Accounts payable", "2200 NW Front Ave", "Portland", "97209", "West", "US"),
        [
            ("Portland integration", "2200 NW Front Ave", "Portland", "97209", "West", "US"),
            ("Cascade Robotics Europe", "Esp 210", "Eindhoven", "5633 AA", "Europe", "NL"),
        ],
    ),
    "C-DELTA": (
        "Delta Agricultural Equipment",
        500_000,
        "net60",
        False,
        ["Gary Hoffman", "Lisa Nguyen", "Brent Olson"],
        ("Corporate AP", "4100 SE 14th St", "Des Moines", "50320", "Midwest", "US"),
        [
            ("Des Moines combine line", "4100 SE 14th St", "Des Moines", "50320", "Midwest", "US"),
            ("Waterloo tractor plant", "300 Westfield Ave", "Waterloo", "50701", "Midwest", "US"),
            ("Delta parts depot", "9000 Logistics Dr", "Kansas City", "64120", "Midwest", "US"),
        ],
    ),
    "C-EVERLINE": (
        "Everline Packaging Machines",
        150_000,
        "net30",
        False,
        ["Tasha Greene", "Oliver Grant"],
        ("Accounts payable", "5600 Westinghouse Blvd", "Charlotte", "28273", "South", "US"),
        [("Charlotte plant", "5600 Westinghouse Blvd", "Charlotte", "28273", "South", "US")],
    ),
    "C-FAIRMONT": (
        "Fairmont Medical Devices",
        90_000,
        "net15",
        False,
        ["Julia Sorensen"],
        ("Accounts payable", "1200 Washington Ave N", "Minneapolis", "55401", "Midwest", "US"),
        [("Cleanroom receiving", "1200 Washington Ave N", "Minneapolis", "55401", "Midwest", "US")],
    ),
    "C-GRANITE": (
        "Granite State Pumps",
        60_000,
        "net30",
        True,
        ["Peter Dubois", "Amy Chen"],
        ("Accounts payable", "45 Elm St", "Manchester", "03101", "Northeast", "US"),
        [("Pump assembly", "45 Elm St", "Manchester", "03101", "Northeast", "US")],
    ),
    "C-HARBOR": (
        "Harbor Marine Controls",
        45_000,
        "prepaid",
        False,
        ["Andre Thibodeaux"],
        ("Office", "300 Water St", "Mobile", "36602", "South", "US"),
        [("Shipyard stores", "1 Dunlap Dr", "Mobile", "36602", "South", "US")],
    ),
    "C-IRONWOOD": (
        "Ironwood Mining Supply",
        120_000,
        "net45",
        False,
        ["Karl Maki", "Sarah Johnson"],
        ("Accounts payable", "600 Garfield Ave", "Duluth", "55802", "Midwest", "US"),
        [
            ("Duluth warehouse", "600 Garfield Ave", "Duluth", "55802", "Midwest", "US"),
            ("Sudbury service center", "1250 Lorne St", "Sudbury", "P3C 4R9", "Canada-East", "CA"),
        ],
    ),
    "C-JUNIPER": (
        "Juniper Solar Structures",
        400_000,
        "net60",
        False,
        ["Valeria Ortiz", "Ben Schwartz"],
        ("Accounts payable", "3300 E University Dr", "Phoenix", "85034", "West", "US"),
        [
            ("Phoenix yard", "3300 E University Dr", "Phoenix", "85034", "West", "US"),
            (
                "Bakersfield project site",
                "7000 District Blvd",
                "Bakersfield",
                "93313",
                "West",
                "US",
            ),
        ],
    ),
    "C-KEYSTONE": (
        "Keystone Rail Components",
        275_000,
        "net45",
        False,
        ["Frank Kowalczyk", "Denise Harper"],
        ("Accounts payable", "1100 Chestnut Ave", "Altoona", "16601", "Northeast", "US"),
        [("Altoona shops", "1100 Chestnut Ave", "Altoona", "16601", "Northeast", "US")],
    ),
    "C-LAKESHORE": (
        "Lakeshore HVAC Products",
        80_000,
        "net30",
        False,
        ["Nicole Brandt"],
        ("Accounts payable", "2800 S Kinnickinnic Ave", "Milwaukee", "53207", "Midwest", "US"),
        [("Milwaukee plant", "2800 S Kinnickinnic Ave", "Milwaukee", "53207", "Midwest", "US")],
    ),
    "C-MAPLE": (
        "Maple Leaf Automation Inc.",
        200_000,
        "net30",
        False,
        ["Jean-Marc Tremblay", "Aisha Rahman"],
        ("Accounts payable", "6500 Kennedy Rd", "Mississauga", "L5T 2X5", "Canada-East", "CA"),
        [("Mississauga plant", "6500 Kennedy Rd", "Mississauga", "L5T 2X5", "Canada-East", "CA")],
    ),
    "C-NORTHWIND": (
        "Northwind Turbine Services",
        350_000,
        "net45",
        False,
        ["Cody Reynolds", "Maya Iyer"],
        ("Accounts payable", "4500 Canyon Dr", "Amarillo", "79110", "South", "US"),
        [
            ("Amarillo service hub", "4500 Canyon Dr", "Amarillo", "79110", "South", "US"),
            ("Sweetwater wind farm", "Route 2 Box 18", "Sweetwater", "79556", "South", "US"),
        ],
    ),
    "C-ORION": (
        "Orion Test Instruments",
        70_000,
        "net15",
        False,
        ["Kevin Tran"],
        ("Accounts payable", "2150 Zanker Rd", "San Jose", "95131", "West", "US"),
        [("San Jose lab", "2150 Zanker Rd", "San Jose", "95131", "West", "US")],
    ),
    "C-PINNACLE": (
        "Pinnacle Food Machinery",
        140_000,
        "net30",
        False,
        ["Rachel Adeyemi", "Scott Walsh"],
        ("Accounts payable", "1800 Murphy Ave SW", "Atlanta", "30310", "South", "US"),
        [("Atlanta fabrication", "1800 Murphy Ave SW", "Atlanta", "30310", "South", "US")],
    ),
    "C-QUARRY": (
        "Quarry Ridge Industrial",
        25_000,
        "prepaid",
        True,
        ["Wade Simmons"],
        ("Office", "920 Sevier Ave", "Knoxville", "37920", "South", "US"),
        [("Knoxville yard", "920 Sevier Ave", "Knoxville", "37920", "South", "US")],
    ),
    "C-STLAURENT": (
        "Hydraulique Saint-Laurent",
        110_000,
        "net45",
        False,
        ["Isabelle Gagnon", "Luc Bergeron"],
        (
            "Comptes fournisseurs",
            "8500 Rue Pascal-Gagnon",
            "Montreal",
            "H1P 1Y5",
            "Canada-East",
            "CA",
        ),
        [("Usine Montreal", "8500 Rue Pascal-Gagnon", "Montreal", "H1P 1Y5", "Canada-East", "CA")],
    ),
    "C-SAXON": (
        "Saxon Antriebstechnik GmbH",
        300_000,
        "net60",
        False,
        ["Katrin Vogel", "Stefan Albrecht"],
        ("Buchhaltung", "Annaberger Str. 240", "Chemnitz", "09125", "Europe", "DE"),
        [
            ("Werk Chemnitz", "Annaberger Str. 240", "Chemnitz", "09125", "Europe", "DE"),
            ("Lager Leipzig", "Torgauer Str. 231", "Leipzig", "04347", "Europe", "DE"),
        ],
    ),
    "C-ENSAMBLES": (
        "Ensambles del Norte S.A. de C.V.",
        95_000,
        "net30",
        False,
        ["Alejandro Garza", "Mariana Salinas"],
        ("Cuentas por pagar", "Av. Ruiz Cortines 3500", "Monterrey", "64410", "Mexico", "MX"),
        [("Planta Apodaca", "Carretera Miguel Aleman km 21", "Apodaca", "66600", "Mexico", "MX")],
    ),
}

# Documents these customers need with every shipment (shipping cannot ship without them).
# Foreign ship-tos (Maple Leaf and Saint-Laurent in Canada, Saxon in Germany, Ensambles in
# Mexico) need a commercial invoice as well, whatever is listed here.
DOCUMENT_REQUIREMENTS = {
    "C-ACME": ["certificate"],
    "C-FAIRMONT": ["certificate", "test_report"],
    "C-MAPLE": ["certificate", "invoice"],
}

PHONE_PREFIX = {"US": "+1 555", "CA": "+1 555", "DE": "+49 371 555", "MX": "+52 81 555"}


def _email(name: str, index: int) -> str:
    # Reserved example domains only (RFC 2606): demo mail must never reach a real inbox.
    local = name.lower().replace(" ", ".").replace("-", "")
    return f"{local}@{'example.com' if index % 2 == 0 else 'example.org'}"


def _address(customer, kind: str, site: Site):
    from orders.models import Address

    name, line1, city, postal_code, region, country = site
    address, _created = Address.objects.update_or_create(
        customer=customer,
        kind=kind,
        name=name,
        defaults={
            "line1": line1,
            "city": city,
            "postal_code": postal_code,
            "region": region,
            "country": country,
        },
    )
    return address


def seed_customers(*, portal_user) -> list:
    """Customers with contacts and addresses; the portal user is Acme's primary contact."""
    from orders.models import AddressKind, Contact, Customer, DocumentRequirement

    customers = []
    for index, (code, (name, limit, terms, hold, contacts, bill_to, ship_tos)) in enumerate(
        CUSTOMERS.items()
    ):
        customer, _created = Customer.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "credit_limit": Decimal(limit),
                "payment_terms": terms,
                "credit_hold": hold,
                # A third of the customers asked for delay notices without waiting on sales.
                "delay_notice_policy": "auto" if index % 3 == 1 else "",
            },
        )
        _address(customer, AddressKind.BILL_TO, bill_to)
        for kind in DOCUMENT_REQUIREMENTS.get(code, []):
            DocumentRequirement.objects.get_or_create(customer=customer, kind=kind)
        for site in ship_tos:
            _address(customer, AddressKind.SHIP_TO, site)
        prefix = PHONE_PREFIX[bill_to[5]]
        for position, contact_name in enumerate(contacts):
            primary = position == 0
            phone = f"{prefix} {1000 + 37 * index + position}"
            Contact.objects.update_or_create(
                customer=customer,
                email=_email(contact_name, index + position),
                defaults={
                    "name": contact_name,
                    "phone": phone,
                    "is_primary": primary,
                    "user": portal_user if primary and index == 0 else None,
                },
            )
        customers.append(customer)
    return customers
