"""Backup and restore (scripts/db-backup, scripts/db-restore, docs/operations.md): a restored
database serves a graded attempt and an in-progress one exactly as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from exams import services
from exams.models import AttemptItem
from questions.models import Exam
from tests.exams.conftest import correct_answer, make_bank, make_learner, wrong_answer
from tests.workers import ROOT, database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Reads the two attempts through the API, as their learner, from whatever database DATABASE_URL names.
READ_BACK = """
import json, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.test.utils import setup_test_environment
from rest_framework.test import APIClient
setup_test_environment()
graded, in_progress, username = sys.argv[1:4]
client = APIClient()
client.force_authenticate(User.objects.get(username=username))
out = {
    "result": client.get(f"/api/attempts/{graded}/result/").json(),
    "graded": client.get(f"/api/attempts/{graded}/").json(),
    "in_progress": client.get(f"/api/attempts/{in_progress}/").json(),
    "list": client.get("/api/attempts/").json(),
}
print(json.dumps(out))
"""

CLOCK_FIELDS = {"server_time", "remaining_seconds"}  # move with the clock, not with the data


def read_back(url: str, graded: str, in_progress: str, username: str) -> dict:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mlaexam.settings", "DEBUG": "True"}
    done = subprocess.run(
        [sys.executable, "-c", READ_BACK, graded, in_progress, username],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def without_clock(value):
    if isinstance(value, dict):
        return {k: without_clock(v) for k, v in value.items() if k not in CLOCK_FIELDS}
    if isinstance(value, list):
        return [without_clock(v) for v in value]
    return value


def run(script: str, *args: str, url: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_a_restored_database_serves_graded_and_in_progress_attempts_intact(catalog, tmp_path):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    user, _ = make_learner("restorer")
    exam = Exam.objects.get(code="MLA-C01")
    graded, items = services.attempt_start(learner=user, exam=exam, mode="full")
    for item in items:
        answer = correct_answer(item) if item.position % 4 else wrong_answer(item)
        services.answer_save(attempt_id=graded.pk, learner=user, position=item.position, answer=answer, flagged=False)
    services.attempt_submit(attempt_id=graded.pk, learner=user)
    services.attempt_grade(attempt_id=graded.pk)
    in_progress, items = services.attempt_start(learner=user, exam=exam, mode="practice", count=10)
    for item in items[:6]:
        services.answer_save(
            attempt_id=in_progress.pk, learner=user, position=item.position, answer=correct_answer(item),
            flagged=item.position == 2,
        )  # fmt: skip
    source = database_url()
    before = read_back(source, str(graded.pk), str(in_progress.pk), "restorer")
    assert before["result"]["scaled_score"] and before["in_progress"]["status"] == "in_progress"
    assert sum(1 for i in before["in_progress"]["items"] if i["answer"] is not None) == 6

    dump = tmp_path / "mlaexam.dump"
    run("db-backup", str(dump), url=source)
    assert dump.stat().st_size > 10_000
    target_name = f"{connection.settings_dict['NAME']}_restored"
    target = source.rsplit("/", 1)[0] + f"/{target_name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
    try:
        run("db-restore", str(dump), url=target)
        after = read_back(target, str(graded.pk), str(in_progress.pk), "restorer")
        refused = subprocess.run(
            ["bash", str(ROOT / "scripts" / "db-restore"), str(dump)],
            env={**os.environ, "DATABASE_URL": target}, capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
    assert without_clock(after["result"]) == without_clock(
        before["result"]
    )  # score, breakdowns, every item's answer and feedback
    assert without_clock(after["graded"]) == without_clock(before["graded"])
    assert without_clock(after["in_progress"]) == without_clock(before["in_progress"])  # answers, flags, deadline
    assert without_clock(after["list"]) == without_clock(before["list"])
    assert refused.returncode == 1 and "restore into an empty database" in refused.stderr  # never over live data
    assert AttemptItem.objects.filter(attempt=in_progress, answer__isnull=False).count() == 6  # source untouched
