"""Profile one hot endpoint through the whole Django/DRF stack, in-process, with pyinstrument.

    .venv/bin/python bench/profile_endpoint.py [--endpoint autosave|start|me] [--requests 2000]

Token-authenticated requests through Django's test client (middleware, DRF, serializers, the
service, PostgreSQL on the bench database, production settings). Prints the queries one request
makes and the profile, and writes the profile as HTML and text to
bench/results/profile-<endpoint>-<time>.{html,txt}.
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from datetime import UTC, datetime

from common import RESULTS, ROOT, setup_django
from servers import THROTTLES_OFF


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", choices=["autosave", "start", "me"], default="autosave")
    parser.add_argument("--requests", type=int, default=0, help="default: 2000 (start: 200)")
    parser.add_argument("--interval", type=float, default=0.0005, help="pyinstrument sampling interval (s)")
    args = parser.parse_args()
    count = args.requests or (200 if args.endpoint == "start" else 2000)
    os.environ["THROTTLE_RATES"] = THROTTLES_OFF  # as the load benchmarks serve it
    setup_django()

    import servers
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler
    from seed import seed_bank
    from servers import answer_for

    seed_bank(1000)
    account = servers.learners_ensure(1, prefix="bench-profile")[0]
    client = Client(HTTP_AUTHORIZATION=f"Token {account['token']}")

    def start() -> dict:
        response = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "full"}, content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    attempt = start()
    positions = itertools.cycle(attempt["items"])

    def autosave() -> None:
        item = next(positions)
        response = client.put(
            f"/api/attempts/{attempt['id']}/items/{item['position']}/",
            {"answer": answer_for(item), "flagged": item["position"] % 5 == 0, "seconds_spent": 30},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content

    def me() -> None:
        assert client.get("/api/auth/me/").status_code == 200

    call = {"autosave": autosave, "start": start, "me": me}[args.endpoint]
    for _ in range(20):  # warm: imports, connection, caches
        call()
    with CaptureQueriesContext(connection) as queries:
        call()
    print(f"{args.endpoint}: {len(queries.captured_queries)} queries per request")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")

    profiler = Profiler(interval=args.interval)
    began = time.perf_counter()
    profiler.start()
    for _ in range(count):
        call()
    profiler.stop()
    per_request = (time.perf_counter() - began) / count * 1000
    print(f"\n{count} requests, {per_request:.2f} ms each under the profiler\n")
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    print(text)
    flat = profiler.output_text(unicode=True, color=False, flat=True, flat_time="self")
    print("Self time by function (top 25):")
    print("\n".join(flat.splitlines()[:32]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"profile-{args.endpoint}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    stem.with_suffix(".html").write_text(profiler.output_html())
    stem.with_suffix(".txt").write_text(text + "\n\nSelf time by function:\n" + flat)
    print(f"wrote {stem.relative_to(ROOT)}.html and .txt")


if __name__ == "__main__":
    main()
