"""orders' single receiver of the planning signal (DESIGN.md): refresh projections after
commit, in a task."""

import logging

from django.db import transaction
from django.dispatch import receiver

from scheduling.signals import plan_changed

logger = logging.getLogger(__name__)


def _enqueue_refresh() -> None:
    from orders.tasks import order_projections_refresh_task

    try:
        order_projections_refresh_task.delay()
    except Exception:  # the broker is down: the 15-minute at-risk scan catches up
        logger.warning("Could not enqueue the projection refresh after a plan change.")


@receiver(plan_changed, dispatch_uid="orders.plan_changed")
def on_plan_changed(sender, plan_run_id, references, **kwargs):
    transaction.on_commit(_enqueue_refresh)
