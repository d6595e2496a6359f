"""orders' single receiver of the planning signal (DESIGN.md): refresh projections after
commit, in a task."""

from django.db import transaction
from django.dispatch import receiver

from config.celery import enqueue_or_leave
from scheduling.signals import plan_changed


def _enqueue_refresh() -> None:
    from orders.tasks import order_projections_refresh_task

    enqueue_or_leave(
        order_projections_refresh_task,
        when_down="Could not enqueue the projection refresh after a plan change; "
        "the 15-minute at-risk scan catches up.",
    )


@receiver(plan_changed, dispatch_uid="orders.plan_changed")
def on_plan_changed(sender, plan_run_id, references, **kwargs):
    transaction.on_commit(_enqueue_refresh)
