"""The Celery application and, in one place, every periodic schedule (DESIGN.md)."""

import logging
import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)

app = Celery("ordercraft")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _embedded_broker_folders(sender, **kwargs) -> None:
    # kombu's filesystem transport expects its folders to exist before the first message.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Full MRP + finite schedule every night, before the first shift.
    "plan-nightly": {
        "task": "scheduling.tasks.plan_nightly_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Start re-plans whose message was lost (broker down) and fail runs whose worker died.
    "plan-sweep": {"task": "scheduling.tasks.plan_sweep_task", "schedule": 300.0},
    # Customer messages still waiting in the outbox (broker was down, a worker died).
    "outbox-sweep": {"task": "orders.tasks.outbox_sweep_task", "schedule": 120.0},
    # The at-risk scan: late, due soon, waiting for material or information, holds.
    "at-risk-scan": {"task": "orders.tasks.at_risk_scan_task", "schedule": 15 * 60.0},
    # Remind and escalate delay notices nobody approved.
    "delay-notice-reminders": {
        "task": "orders.tasks.delay_notice_reminders_task",
        "schedule": 15 * 60.0,
    },
    # Overdue exceptions move up their escalation path.
    "exception-escalation": {
        "task": "orders.tasks.exception_escalation_task",
        "schedule": 15 * 60.0,
    },
    # Change requests whose impact analysis was lost (broker down, worker died).
    "change-request-sweep": {
        "task": "orders.tasks.change_request_sweep_task",
        "schedule": 5 * 60.0,
    },
    # Yesterday's dashboard snapshot, restating the weeks before it for late complaints,
    # surveys and delivery reports (metrics.services.RESTATE_DAYS).
    "metrics-snapshot": {
        "task": "metrics.tasks.snapshot_nightly_task",
        "schedule": crontab(hour=1, minute=15),
    },
    # Each morning, every staff member's open alerts and exceptions by email.
    "staff-digest": {"task": "orders.tasks.staff_digest_task", "schedule": crontab(hour=6)},
    # Invoice PDFs not rendered at shipping because the broker was down.
    "shipment-invoices-sweep": {
        "task": "fulfillment.tasks.shipment_invoices_sweep_task",
        "schedule": 10 * 60.0,
    },
    # Delivered orders nobody reported a problem on close after the policy's days.
    "orders-autoclose": {
        "task": "fulfillment.tasks.orders_autoclose_task",
        "schedule": crontab(hour=5, minute=15),
    },
}


def enqueue_or_leave(task, *, when_down: str, countdown: int = 0, **kwargs) -> bool:
    """Send ``task`` with ``kwargs``. If the broker cannot be reached the caller's work is
    already saved (a pending row a sweep picks up), so log ``when_down`` and carry on."""
    try:
        if countdown:
            task.apply_async(kwargs=kwargs, countdown=countdown)
        else:
            task.delay(**kwargs)
    except Exception:
        logger.warning(when_down)
        return False
    return True
