"""The customer-message outbox: enqueue in the caller's transaction, send from a task."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string

from config.celery import enqueue_or_leave
from core import clock
from orders.models import (
    DocumentKind,
    MessageKind,
    MessageStatus,
    OrderEventKind,
    OutboxMessage,
    SalesOrder,
)

# Messages that carry a PDF, and which one.
ATTACHMENTS = {
    MessageKind.ACKNOWLEDGMENT: DocumentKind.ACKNOWLEDGMENT,
    MessageKind.REVISED_ACKNOWLEDGMENT: DocumentKind.ACKNOWLEDGMENT,
}
# After this many failed attempts a message waits in the outbox for a person to look at it.
MAX_ATTEMPTS = 5


def recipients_for(order: SalesOrder, kind: str) -> list[str]:
    """The customer's contacts who want this kind of message (the primary one at least)."""
    contacts = list(order.customer.contacts.order_by("-is_primary", "name"))
    wanted = []
    for contact in contacts:
        if contact.wants(kind):
            wanted += [contact.email, *contact.notification_preferences.get("extra_emails", [])]
    if not wanted and contacts:
        wanted = [contacts[0].email]
    return sorted(set(wanted), key=wanted.index)


def _enqueue_send(message_id: int) -> None:
    from orders.tasks import outbox_send_task

    enqueue_or_leave(
        outbox_send_task,
        message_id=message_id,
        when_down=f"Could not enqueue message {message_id}; the outbox sweep will send it.",
    )


def outbox_enqueue(
    *,
    order: SalesOrder,
    kind: str,
    context: dict | None = None,
    revision: int | None = None,
    attachment_revision: int = 1,
) -> OutboxMessage:
    """Write a message to the outbox (call inside the transaction of the change it reports)."""
    if revision is None:
        last = OutboxMessage.objects.filter(order=order, kind=kind).aggregate(Max("revision"))
        revision = (last["revision__max"] or 0) + 1
    context = {
        "order": order,
        "company": settings.ORDERCRAFT_COMPANY,
        "revision": revision,
        **(context or {}),
    }
    message = OutboxMessage.objects.create(
        order=order,
        kind=kind,
        revision=revision,
        recipients=recipients_for(order, kind),
        subject=render_to_string(f"orders/email/{kind}_subject.txt", context).strip(),
        body=render_to_string(f"orders/email/{kind}.txt", context),
        attachment_revision=attachment_revision,
    )
    transaction.on_commit(lambda: _enqueue_send(message.pk))
    return message


def outbox_send(*, message_id: int) -> OutboxMessage:
    """Send one message and mark it sent in the same transaction; safe to call twice."""
    from orders.services.documents import document_render
    from orders.services.lifecycle import order_event_record

    message = OutboxMessage.objects.select_related("order").get(pk=message_id)
    if message.status == MessageStatus.SENT:
        return message
    document = None
    if message.kind in ATTACHMENTS:
        # Rendered before the lock: a PDF takes a moment and is idempotent on its own.
        document = document_render(
            order_id=message.order_id,
            kind=ATTACHMENTS[message.kind],
            revision=message.attachment_revision,
        )
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message_id)
        if message.status == MessageStatus.SENT:
            return message
        message.attempts += 1
        if not message.recipients:
            message.status = MessageStatus.FAILED
            message.last_error = "The customer has no contact with an email address."
            message.save(update_fields=["attempts", "status", "last_error"])
            return message
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=message.recipients,
        )
        if document is not None:
            email.attach(document.filename, document.file.read(), "application/pdf")
            message.document = document
        try:
            email.send()
        except Exception as error:  # recorded and committed, then raised for the task's retry
            failure = error
            message.last_error = str(error)[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status", "document"])
        else:
            failure = None
            message.status = MessageStatus.SENT
            message.sent_at = clock.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error", "document"])
            order_event_record(
                order=message.order,
                kind=OrderEventKind.MESSAGE,
                actor=None,
                note=f"{message.get_kind_display()} sent to {', '.join(message.recipients)}.",
                data={"message_id": message.pk, "kind": message.kind},
            )
    if failure is not None:
        raise failure
    return message
