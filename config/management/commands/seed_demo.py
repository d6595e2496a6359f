"""``manage.py seed_demo``: demo logins, a believable job shop and its order history."""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction

from config.demo.blankets import seed_blankets
from config.demo.carriers import seed_carriers
from config.demo.catalog import seed_catalog
from config.demo.customers import seed_customers
from config.demo.history import build_context, seed_small_orders
from config.demo.large import LARGE_WINDOW_DAYS, seed_large_orders
from config.demo.planning import first_plan, pin_two_jobs_on_one_day, seed_planning
from config.demo.quality import seed_quality_holds
from config.demo.shipments import seed_shipments
from config.demo.tracking import seed_tracking_demo
from config.demo.users import DEMO_LOGINS, seed_users
from config.demo.voice import seed_customer_voice
from core import clock
from metrics.services import snapshot_build
from orders.models import DelayNotice, SalesOrder
from orders.services import tracking

SMALL_WINDOW_DAYS = 112


class Command(BaseCommand):
    help = (
        "Load demo users (one per role), customers, items, routings, products and an order "
        "history. Safe to run again: nothing is added twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--size",
            choices=["small", "large"],
            default="small",
            help="small: ~300 orders over ~120 days; large: 100,000 orders over 3 years.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, size: str, seed: int, **options) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            users = seed_users()
            products = seed_catalog()
            seed_carriers()
            customers = seed_customers(portal_user=users["customer"])
            ctx = build_context(
                users=users,
                customers=customers,
                products=products,
                window_days=SMALL_WINDOW_DAYS if size == "small" else LARGE_WINDOW_DAYS,
            )
            if size == "small":
                totals = seed_small_orders(ctx, seed=seed)
            else:
                totals = seed_large_orders(ctx, seed=seed, on_batch=self._progress)
        if size == "small":
            shipped = seed_shipments(shipping_user=users["shipping"], credit_user=users["credit"])
            if shipped:
                self.stdout.write(f"Shipments of packed and shipped orders: {shipped}.")
            if holds := seed_quality_holds():
                self.stdout.write(f"Nonconformances of orders on quality hold: {holds}.")
            voice = seed_customer_voice(seed=seed, users=users)
            if any(voice.values()):
                self.stdout.write(
                    "After delivery: "
                    + ", ".join(f"{count} {name}" for name, count in voice.items())
                    + "."
                )
            blankets = seed_blankets(sales=users["sales"])
            if blankets:
                self.stdout.write(f"Blanket agreements: {blankets}.")
            seed_tracking_demo(planner=users["planner"], manager=users["manager"])
        if size == "small" and seed_planning(
            seed=seed, planner=users["planner"], buyer=users["buyer"]
        ):
            pins = pin_two_jobs_on_one_day(planner=users["planner"])
            run = first_plan(planner=users["planner"])
            # What the plan_changed task does in production, done here so the demo opens
            # with projected dates, alerts and delay notices in place.
            tracking.order_projections_refresh()
            scan = tracking.at_risk_scan()
            self.stdout.write(
                f"At-risk scan: {scan['opened']} alerts opened, "
                f"{DelayNotice.objects.count()} delay notices drafted or sent."
            )
            counts = run.counts
            self.stdout.write(
                f"Plan: {counts.get('demands', 0)} demands, {counts.get('operations', 0)} "
                f"operations, {counts.get('late_demands', 0)} late, "
                f"{counts.get('shortages', 0)} shortages, {pins} pinned jobs."
            )
        if size == "small":
            # The dashboard reads past days from the snapshot; build it for the demo's history.
            built = snapshot_build(
                start=clock.today() - timedelta(days=SMALL_WINDOW_DAYS + 30),
                end=clock.today() - timedelta(days=1),
            )
            self.stdout.write(f"Dashboard snapshot: {built['days']} days.")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Demo data ({size}, seed {seed}): {len(users)} users, {len(customers)} customers, "
            f"{len(products)} products."
        )
        if totals is None:
            existing = SalesOrder.objects.count()
            self.stdout.write(f"{existing:,} orders exist already: order generation skipped.")
        else:
            self.stdout.write(
                f"Created {totals['orders']:,} orders, {totals['lines']:,} lines and "
                f"{totals['events']:,} events."
            )
        self.stdout.write(f"Elapsed: {elapsed:.1f} s")
        self.stdout.write("Demo logins (username / password):")
        for username, password, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<11} {password:<11} {role}")

    def _progress(self, done: int) -> None:
        # Only the bulk run reports progress; a quiet line every 20,000 orders.
        if done % 20_000 == 0:
            self.stdout.write(f"  ... {done:,} orders")
