"""The Celery app.

Configuration comes from Django settings under the ``CELERY_`` namespace (JSON only, time limits,
late acknowledgement); tasks are discovered in each installed app's ``tasks.py``.
Start a worker with ``celery -A mlaexam worker -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlaexam.settings")

app = Celery("mlaexam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="mlaexam.ping")
def ping() -> str:
    """Answer ``pong``: lets health checks and tests see that a worker consumes the queue."""
    return "pong"
