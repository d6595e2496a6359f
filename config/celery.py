"""The Celery application and, in one place, every periodic schedule (DESIGN.md)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("ordercraft")
app.config_from_object("django.conf:settings", namespace="CELERY")
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
}
