"""The Celery app.

Configuration comes from Django settings under the ``CELERY_`` namespace (JSON only, time limits,
late acknowledgement); tasks are discovered in each installed app's ``tasks.py``.
Start a worker with ``celery -A mlaexam worker -l info``.
"""

import gc
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlaexam.settings")

app = Celery("mlaexam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="mlaexam.ping")
def ping() -> str:
    """Answer ``pong``: lets health checks and tests see that a worker consumes the queue."""
    return "pong"


@worker_init.connect
@worker_process_init.connect
def freeze_startup_objects(**kwargs: object) -> None:
    """Move everything a worker process holds once started (Django, Celery, the apps' modules) out of
    the garbage collector's generations, as mlaexam/wsgi.py does for web processes: a grading batch
    allocates tens of thousands of objects, and every full collection it set off re-scanned all of
    them. One worker process graded 99 attempts/s without this and 132/s with it
    (``bench/grading.py --attempts 1000 --concurrency 1``). Runs in the main process before the
    pool forks (the solo pool, and the pages the children share) and in each child once it is set up."""
    gc.collect()
    gc.freeze()
