from celery import shared_task
from django.db import InterfaceError, OperationalError

from analytics import services


@shared_task(name="analytics.recompute_item_statistics", autoretry_for=(OperationalError, InterfaceError),
             retry_backoff=True, max_retries=3)  # fmt: skip
def recompute_item_statistics() -> int:
    """Item statistics for authors, from every graded full-length attempt (celery beat, hourly)."""
    return services.item_statistics_recompute()
