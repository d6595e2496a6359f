"""The portal's own writes: API tokens of the JSON status feed (never the order domain)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from orders.errors import OrderError
from orders.models import Contact, Customer
from portal.models import ApiToken, token_hash


def _customer_id_for(actor: AbstractBaseUser, customer_id: int | None) -> int:
    """A contact manages their own company's tokens; sales (who may change customers)
    manage any customer's, named by ``customer_id``."""
    if customer_id is not None:
        if not actor.has_perm("orders.change_customer"):
            raise PermissionDenied
        if not Customer.objects.filter(pk=customer_id).exists():
            raise OrderError("No such customer.")
        return customer_id
    contact = Contact.objects.filter(user_id=actor.pk).first()
    if contact is None or not actor.has_perm("orders.access_portal"):
        raise PermissionDenied
    return contact.customer_id


@transaction.atomic
def api_token_create(
    *, actor: AbstractBaseUser, name: str, customer_id: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for the customer; the raw key is returned once and never stored."""
    owner_id = _customer_id_for(actor, customer_id)
    name = name.strip()
    if not name:
        raise OrderError("Give the token a name, e.g. the system that will use it.")
    raw = ApiToken.new_key()
    token = ApiToken.objects.create(
        customer_id=owner_id,
        name=name,
        key_hash=token_hash(raw),
        hint=raw[:8],
        created_by=actor,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(
    *, actor: AbstractBaseUser, token_id: int, customer_id: int | None = None
) -> ApiToken:
    """Revoke one of the customer's tokens; it is refused from the next request on."""
    owner_id = _customer_id_for(actor, customer_id)
    token = ApiToken.objects.select_for_update().get(pk=token_id, customer_id=owner_id)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token behind a raw key (and note its use), or None."""
    token = ApiToken.objects.filter(key_hash=token_hash(raw), revoked_at__isnull=True).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=clock.now())
    return token
