"""Worker processes keep what they hold once started out of the garbage collector's generations."""

from __future__ import annotations

import gc

from celery.signals import worker_init, worker_process_init

from mlaexam.celery import freeze_startup_objects


def test_each_pool_process_freezes_what_it_holds_once_set_up():
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        worker_process_init.send(sender=None)
        assert gc.get_freeze_count() > 10_000  # Django, Celery and the apps' modules
    finally:
        gc.unfreeze()


def test_the_main_worker_process_freezes_them_before_the_pool_forks():
    assert freeze_startup_objects in worker_init._live_receivers(None)
