from django.db import transaction

from scheduling.models import NumberSequence


@transaction.atomic
def number_next(*, prefix: str) -> str:
    """The next document number for ``prefix`` (``SO-000124``), gap-free under a row lock."""
    NumberSequence.objects.get_or_create(prefix=prefix)
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{prefix}-{sequence.last_value:06d}"
