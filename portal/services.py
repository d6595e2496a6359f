"""The portal's own writes: API tokens of the JSON status feed (never the order domain)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from orders.errors import OrderError
from orders.models import Contact
from portal.models import ApiToken, token_hash


def _contact_of(actor: AbstractBaseUser) -> Contact:
    contact = Contact.objects.filter(user_id=actor.pk).first()
    if contact is None or not actor.has_perm("orders.access_portal"):
        raise PermissionDenied
    return contact


@transaction.atomic
def api_token_create(*, actor: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor's company; the raw key is returned once and never stored."""
    contact = _contact_of(actor)
    name = name.strip()
    if not name:
        raise OrderError("Give the token a name, e.g. the system that will use it.")
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        customer_id=contact.customer_id,
        name=name,
        key_hash=token_hash(raw),
        hint=raw[:8],
        created_by=actor,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: AbstractBaseUser, token_id: int) -> ApiToken:
    """Revoke one of the actor's company's tokens; it is refused from the next request on."""
    contact = _contact_of(actor)
    token = ApiToken.objects.select_for_update().get(pk=token_id, customer_id=contact.customer_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token behind a raw key (and note its use), or None."""
    token = ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
