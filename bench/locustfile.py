"""Simulated learners for bench/load.py (run by it; not meant to be run by hand).

Three user classes, chosen on locust's command line:

* ``Learner``: signs in once (``POST /api/auth/token/``, the password check included), then, with
  2-5 s of think time between requests: starts a full mock, autosaves an answer to one question
  after another (valid answers built from the option ids the start returned, one in five flagged),
  resumes once half-way (``GET /api/attempts/{id}/``), submits, polls the result until it is 200,
  and starts over.
* ``Ceiling``: ``GET /api/auth/me/`` with no think time: what the framework serves for a trivial
  token-authenticated request (the throughput ceiling).
* ``AutosaveMax``: autosaves with no think time, each user on an attempt of its own started in
  ``on_start``: autosave at maximum throughput, to compare with the ceiling like with like.

The accounts come from the JSON file ``BENCH_ACCOUNTS`` (username, password, token), one a user.
Measurement starts ``BENCH_SETTLE`` seconds after every user is spawned and through its
``on_start`` (sign-in and, for ``AutosaveMax``, the start), lasts ``BENCH_DURATION`` seconds, and
every request is written to ``BENCH_OUT`` (JSON) with the window, so bench/load.py computes exact
percentiles. Requests before the window (the ramp: sign-ins, first starts) are kept and marked.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import random
import time

import gevent
from locust import FastHttpUser, between, constant, events, task
from servers import answer_for

ACCOUNTS = json.loads(open(os.environ["BENCH_ACCOUNTS"]).read()) if "BENCH_ACCOUNTS" in os.environ else []  # noqa: SIM115
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
TARGET = int(os.environ.get("BENCH_TARGET_USERS", "1"))
SETTLE = float(os.environ.get("BENCH_SETTLE", "5"))
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
READY_TIMEOUT = float(os.environ.get("BENCH_READY_TIMEOUT", "300"))
ANSWERS = int(os.environ.get("BENCH_ANSWERS", "20"))
OUT = os.environ.get("BENCH_OUT", "")
SIGN_IN_EACH = not os.environ.get("BENCH_NO_SIGN_IN")
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "2,5").split(","))  # seconds between requests

_next_account = itertools.count()
_ready = [0]
_samples: list[tuple] = []  # (name, start epoch, ms, ok, status)
_window: dict = {"start": None, "end": None, "ready_at": None, "ready": 0}
# The load generator's own stalls, which would show as slow responses the server never saw: how late
# its event loop wakes a greenlet that sleeps 50 ms, and its garbage collections ([epoch, ms, gen]).
_lag: list[tuple[float, float]] = []
_gc_pauses: list[tuple[float, float, int]] = []
_gc_began = [0.0]


def _gc_timer(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_began[0] = time.perf_counter()
    else:
        _gc_pauses.append((time.time(), (time.perf_counter() - _gc_began[0]) * 1000, info["generation"]))


gc.callbacks.append(_gc_timer)


def _lag_monitor() -> None:
    while True:
        began = time.perf_counter()
        gevent.sleep(0.05)
        _lag.append((time.time(), (time.perf_counter() - began - 0.05) * 1000))


SIGN_IN = "sign-in POST /api/auth/token/"
START = "start POST /api/attempts/"
AUTOSAVE = "autosave PUT /api/attempts/{id}/items/{n}/"
RESUME = "resume GET /api/attempts/{id}/"
SUBMIT = "submit POST /api/attempts/{id}/submit/"
RESULT = "result GET /api/attempts/{id}/result/"
ME = "me GET /api/auth/me/"


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, exception=None, **kw) -> None:
    status = getattr(response, "status_code", 0) or 0
    # A tuple of plain values: the collector stops tracking it, so the generator's full collections
    # do not grow with the samples (a list each made them take up to 137 ms at 500 learners).
    _samples.append((name, kw.get("start_time") or time.time(), response_time, exception is None, status))


def _write() -> None:
    if OUT and not os.path.exists(OUT):
        with open(OUT, "w") as out:
            json.dump({"window": _window, "samples": _samples, "lag": _lag, "gc": _gc_pauses}, out)


def _controller(environment) -> None:
    deadline = time.time() + READY_TIMEOUT
    while time.time() < deadline and not (environment.runner.user_count >= TARGET and _ready[0] >= TARGET):
        gevent.sleep(0.2)
    _window["ready_at"], _window["ready"] = time.time(), _ready[0]
    gevent.sleep(SETTLE)
    gc.collect()
    gc.freeze()  # what the ramp built (users, connections, samples) is not re-scanned in the window
    _window["start"] = time.time()
    gevent.sleep(DURATION)
    _window["end"] = time.time()
    _write()
    environment.runner.quit()


@events.test_start.add_listener
def _start_controller(environment, **kw) -> None:
    gevent.spawn(_controller, environment)
    gevent.spawn(_lag_monitor)


@events.quitting.add_listener
def _on_quit(environment, **kw) -> None:
    _write()  # a run cut short still leaves its samples


class _Account(FastHttpUser):
    abstract = True
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self) -> None:
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.headers = {"Authorization": f"Token {self.account['token']}"}

    def start_attempt(self, name: str = START) -> bool:
        with self.client.post(
            "/api/attempts/", json={"exam": "MLA-C01", "mode": "full"}, headers=self.headers, name=name,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 201:
                response.failure(f"start: {response.status_code} {(response.text or '')[:200]}")
                return False
            body = response.json()
            self.attempt = body["id"]
            self.items = body["items"]
            return True

    def save(self, position: int, *, flagged: bool = False) -> None:
        item = self.items[position - 1]
        self.client.put(
            f"/api/attempts/{self.attempt}/items/{position}/",
            json={"answer": answer_for(item), "flagged": flagged, "seconds_spent": random.randint(5, 90)},
            headers=self.headers,
            name=AUTOSAVE,
        )


class Learner(_Account):
    """The whole flow, with think time."""

    wait_time = between(*THINK)

    def on_start(self) -> None:
        super().on_start()
        if SIGN_IN_EACH:
            self.sign_in()
        _ready[0] += 1
        self.reset()

    def sign_in(self) -> None:
        with self.client.post(
            "/api/auth/token/", json={"username": self.account["username"], "password": PASSWORD}, name=SIGN_IN,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                self.headers = {"Authorization": f"Token {response.json()['token']}"}
            else:
                response.failure(f"sign-in: {response.status_code}")

    def reset(self) -> None:
        self.attempt = None
        self.items = []
        self.saved = 0
        self.goal = random.randint(max(1, ANSWERS // 2), max(1, ANSWERS * 3 // 2))  # desynchronises learners
        self.resumed = False
        self.submitted = False

    @task
    def step(self) -> None:
        if self.attempt is None:
            self.start_attempt()
        elif self.submitted:
            with self.client.get(
                f"/api/attempts/{self.attempt}/result/", headers=self.headers, name=RESULT, catch_response=True
            ) as response:
                if response.status_code == 200:
                    self.reset()
                elif response.status_code != 202:
                    response.failure(f"result: {response.status_code}")
        elif self.saved >= self.goal:
            self.client.post(f"/api/attempts/{self.attempt}/submit/", headers=self.headers, name=SUBMIT)
            self.submitted = True
        elif self.saved == self.goal // 2 and not self.resumed:
            self.client.get(f"/api/attempts/{self.attempt}/", headers=self.headers, name=RESUME)
            self.resumed = True
        else:
            self.saved += 1
            self.save(self.saved, flagged=random.random() < 0.2)


class Ceiling(_Account):
    """A trivial token-authenticated DRF endpoint, no think time."""

    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        _ready[0] += 1

    @task
    def me(self) -> None:
        self.client.get("/api/auth/me/", headers=self.headers, name=ME)


class AutosaveMax(_Account):
    """Autosave with no think time, round the questions of one attempt per user."""

    wait_time = constant(0)

    def on_start(self) -> None:
        super().on_start()
        self.items = []
        self.start_attempt(name="start (set-up) POST /api/attempts/")
        self.positions = itertools.cycle(range(1, 66))
        _ready[0] += 1

    @task
    def autosave(self) -> None:
        if not self.items and not self.start_attempt(name="start (set-up) POST /api/attempts/"):
            return
        position = next(self.positions)
        self.save(position, flagged=position % 5 == 0)
