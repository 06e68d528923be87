from tests.workers import own_redis, start_worker, worker_queue

__all__ = ["own_redis", "start_worker", "worker_queue"]
