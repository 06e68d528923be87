"""The answer key never reaches the browser before grading (or before a question is locked)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from exams import services
from exams.models import AttemptItem
from questions.models import Exam, Option, Question
from tests.exams.conftest import correct_answer, make_bank, make_learner, shown

pytestmark = pytest.mark.django_db

KEY_FIELDS = {"correct", "is_correct", "explanation", "references", "taxonomy", "key", "prompt_id", "feedback_key"}


def key_texts() -> set[str]:
    """Every explanation and reference in the bank: none may appear in a pre-grading response."""
    texts = set(Option.objects.values_list("explanation", flat=True))
    texts |= set(Question.objects.values_list("explanation", flat=True))
    for refs in Question.objects.values_list("references", flat=True):
        texts |= set(refs)
    return {t for t in texts if t}


def walk(value, path=""):
    """Yield (path, key) for every object key in a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k
            yield from walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, f"{path}[]")


def assert_no_key_material(response, texts, allowed_feedback_positions=()):
    body = response.json()
    raw = json.dumps(body)
    for text in texts:
        assert text not in raw, f"key material {text[:40]!r} in {response.request['PATH_INFO']}"
    if isinstance(body, list):  # the attempt list: summaries only
        assert not {k for _, k in walk(body)} & KEY_FIELDS
        return
    items = body.get("items") or ([body["item"]] if "item" in body else [])
    for item in items:
        if item["position"] in allowed_feedback_positions:
            continue
        assert item["feedback"] is None
        fields = {k for _, k in walk(item)}
        assert not fields & KEY_FIELDS, fields & KEY_FIELDS
    # outside items, no key fields at all
    others = {k for p, k in walk({k: v for k, v in body.items() if k not in ("items", "item")})}
    assert not others & KEY_FIELDS


def scan_an_attempt(client, body, texts) -> list[str]:
    """Start an attempt, answer every question correctly, flag some, read it back, list it, lock a
    question in immediate mode, submit and ask for the result before grading: no response carries
    key material (beyond the locked question's own feedback). Returns the types served."""
    responses = []
    created = client.post("/api/attempts/", body, format="json")
    assert created.status_code == 201, created.json()
    responses.append(created)
    attempt_id = created.json()["id"]
    items = list(AttemptItem.objects.filter(attempt_id=attempt_id).select_related("version").order_by("position"))
    for item in items:  # answer everything, correctly: the echo of a right answer is the learner's own
        responses.append(
            client.put(
                f"/api/attempts/{attempt_id}/items/{item.position}/",
                {"answer": correct_answer(item), "flagged": item.position % 3 == 0},
                format="json",
            )
        )
    responses.append(client.get(f"/api/attempts/{attempt_id}/"))
    responses.append(client.get("/api/attempts/"))
    locked = ()
    if body.get("feedback") == "immediate":
        lock = client.post(f"/api/attempts/{attempt_id}/items/2/lock/")
        assert lock.status_code == 200 and lock.json()["item"]["feedback"] is not None
        locked = (2,)  # the lock reveals question 2 only; the scan below checks every other item
        responses.append(client.get(f"/api/attempts/{attempt_id}/"))
        resumed = responses[-1].json()
        assert resumed["items"][1]["feedback"] is not None
    responses.append(client.post(f"/api/attempts/{attempt_id}/submit/"))
    pending = client.get(f"/api/attempts/{attempt_id}/result/")
    assert pending.status_code == 202
    responses.append(pending)
    locked_texts = set()
    if locked:
        item = items[1]
        content = item.version.content
        locked_texts = {content["explanation"], *content["references"]}
        locked_texts |= {o["explanation"] for o in content["options"]}
    for response in responses:
        assert response.status_code in (200, 201, 202), response.json()
        assert_no_key_material(response, texts - locked_texts, allowed_feedback_positions=locked)
    return [shown(i)["type"] for i in items]


@pytest.mark.parametrize(
    "body",
    [
        {"exam": "MLA-C01", "mode": "full"},
        {"exam": "MLA-C01", "mode": "final"},
        {"exam": "MLA-C01", "mode": "practice", "count": 30, "feedback": "end"},
        {"exam": "MLA-C01", "mode": "practice", "count": 30, "timed": False, "feedback": "immediate"},
    ],
)
def test_no_response_before_grading_carries_key_material(catalog, body):
    make_bank({1: 20, 2: 19, 3: 16, 4: 18})
    _, client = make_learner("scanner")
    served = scan_an_attempt(client, body, key_texts())
    assert set(served) == {"multiple_choice", "multiple_response", "ordering", "matching"}
    if body["mode"] == "full":
        cases = AttemptItem.objects.filter(attempt__learner__username="scanner", question__case__isnull=False)
        assert cases.count() == 3  # the case study's questions were scanned too


@pytest.mark.parametrize("feedback", ["end", "immediate"])
@pytest.mark.parametrize("mode", ["weak-areas", "retry"])
def test_weak_area_and_retry_sets_carry_no_key_material_either(catalog, mode, feedback):
    make_bank({1: 40, 2: 38, 3: 32, 4: 36})  # room for a weak-areas set besides the missed ones resting
    user, client = make_learner("rescanner")
    exam = Exam.objects.get(code="MLA-C01")
    graded, items = services.attempt_start(learner=user, exam=exam, mode="full")
    for item in items[::3]:  # a third right, the rest wrong or blank
        services.answer_save(
            attempt_id=graded.pk, learner=user, position=item.position, answer=correct_answer(item), flagged=False
        )
    services.attempt_submit(attempt_id=graded.pk, learner=user)
    services.attempt_grade(attempt_id=graded.pk)
    body = {"exam": "MLA-C01", "mode": mode, "timed": False, "feedback": feedback}
    if mode == "retry":
        body = {**body, "mode": "practice", "retry": {"attempt": str(graded.pk), "which": "wrong"}}
    served = scan_an_attempt(client, body, key_texts())
    if mode == "retry":
        assert len(served) == 65 - 22  # the 43 missed
    else:  # up to 20 from the three weakest task statements, missed ones resting: as many as there are
        assert 10 <= len(served) <= 20
    assert len(set(served)) >= 3


def test_option_ids_are_opaque_and_the_order_is_shuffled_per_attempt(catalog):
    make_bank({1: 1}, case_size=0)  # one multiple-choice question
    question = Question.objects.get()
    option_pks = {str(pk) for pk in question.options.values_list("pk", flat=True)}
    _, client = make_learner("shuffler")
    key_positions, all_ids = Counter(), set()
    for _ in range(12):
        body = client.post("/api/attempts/", {"exam": "MLA-C01", "mode": "practice", "count": 1}, format="json").json()
        item = AttemptItem.objects.select_related("version").get(attempt_id=body["id"])
        ids = [o["id"] for o in body["items"][0]["options"]]
        assert not set(ids) & option_pks  # not database ids
        assert all(len(i) == 8 for i in ids)
        all_ids |= set(ids)
        key_positions[ids.index(correct_answer(item)["selected"][0])] += 1
    assert len(key_positions) > 1  # the key is not always in the same place
    assert len(all_ids) > 4  # fresh ids per attempt
