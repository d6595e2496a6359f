from celery import shared_task

from metrics import services


@shared_task(acks_late=True)
def snapshot_nightly_task() -> dict[str, int]:
    """Yesterday's dashboard snapshot (and the restated days before it); idempotent."""
    return services.snapshot_nightly()
