"""Celery tasks of orders: thin wrappers over services, safe to run twice."""

from datetime import timedelta

from celery import shared_task

from core import clock
from orders import services
from orders.models import ChangeRequest, ChangeRequestStatus, MessageStatus, OutboxMessage
from orders.services import delays, exceptions, notifications, tracking
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
    stale = clock.now() - timedelta(minutes=2)
    for message_id in OutboxMessage.objects.filter(
        status=MessageStatus.PENDING, created_at__lt=stale
    ).values_list("pk", flat=True):
        outbox_send_task.delay(message_id=message_id)


@shared_task(ignore_result=True)
def order_projections_refresh_task() -> None:
    """After a plan change: projected dates onto orders, then the at-risk scan."""
    tracking.order_projections_refresh()
    tracking.at_risk_scan()


@shared_task(ignore_result=True)
def at_risk_scan_task() -> None:
    tracking.at_risk_scan()


@shared_task(ignore_result=True)
def delay_notice_reminders_task() -> None:
    delays.delay_notice_reminders()


@shared_task(ignore_result=True)
def exception_escalation_task() -> None:
    exceptions.exception_escalate_overdue()


@shared_task(ignore_result=True)
def staff_digest_task() -> None:
    notifications.staff_digest_send()


@shared_task(acks_late=True, ignore_result=True)
def change_request_analyse_task(*, change_request_id: int) -> None:
    """Work out a change request's impact (a what-if plan); a second run changes nothing."""
    services.change_request_analyse(change_request_id=change_request_id)


@shared_task(ignore_result=True)
def change_request_sweep_task() -> None:
    """Analyse change requests whose message was lost or whose worker died."""
    stale = clock.now() - timedelta(minutes=5)
    for request_id in ChangeRequest.objects.filter(
        status=ChangeRequestStatus.ANALYSING, requested_at__lt=stale
    ).values_list("pk", flat=True):
        change_request_analyse_task.delay(change_request_id=request_id)
