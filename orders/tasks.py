"""Celery tasks of orders: thin wrappers over services, safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from orders import services
from orders.models import MessageStatus, OutboxMessage
from orders.services.outbox import MAX_ATTEMPTS


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def outbox_send_task(self, *, message_id: int) -> None:
    try:
        services.outbox_send(message_id=message_id)
    except Exception as error:
        message = OutboxMessage.objects.filter(pk=message_id).first()
        if message is not None and message.status == MessageStatus.PENDING:
            # Back off: 1, 2, 4, 8 minutes; the sweep takes over after that.
            raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
        raise


@shared_task(ignore_result=True)
def outbox_sweep_task() -> None:
    """Send what is still waiting (broker was down, a worker died mid-send)."""
    stale = timezone.now() - timedelta(minutes=2)
    for message_id in OutboxMessage.objects.filter(
        status=MessageStatus.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True):
        outbox_send_task.delay(message_id=message_id)
