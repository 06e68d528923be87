"""Writes for analytics: recomputing item statistics from graded full-length attempts."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from analytics.models import ExamStatistic, ItemStatistic
from analytics.psychometrics import item_statistics
from exams.contents import version_contents
from exams.models import Attempt, AttemptItem
from questions.models import Exam, QuestionVersion

# Below this many attempts an item's figures are too noisy to flag it for review.
MIN_ATTEMPTS_TO_FLAG = 10
FULL_LENGTH = (Attempt.Mode.FULL, Attempt.Mode.FINAL)


def _flags(stats_row: dict, options: list[dict]) -> list[str]:
    if stats_row["attempts"] < MIN_ATTEMPTS_TO_FLAG:
        return []
    flags = []
    di = stats_row["discrimination_index"]
    if di is not None and di < 0:
        flags.append(f"negative discrimination ({di:.2f}): stronger candidates get it wrong more often")
    for option in options:
        if not option["correct"] and option["top_rate"] > option["bottom_rate"]:
            flags.append(
                f"distractor {option['index'] + 1} is chosen more by the top third ({option['top_rate']:.0%}) "
                f"than by the bottom third ({option['bottom_rate']:.0%}): {option['text'][:80]}"
            )
    return flags


def _none(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


@transaction.atomic
def item_statistics_recompute_exam(*, exam: Exam) -> int:
    """Recompute every question's statistics for one exam; returns how many questions have them."""
    rows = list(
        AttemptItem.objects.filter(
            attempt__exam=exam, attempt__status=Attempt.Status.GRADED, attempt__mode__in=FULL_LENGTH
        ).values_list("attempt_id", "question_id", "is_correct")
    )
    now = timezone.now()
    if not rows:
        ExamStatistic.objects.filter(exam=exam).delete()
        ItemStatistic.objects.filter(exam=exam).delete()
        return 0
    attempt_index = {a: i for i, a in enumerate(sorted({r[0] for r in rows}))}
    questions = sorted({r[1] for r in rows})
    question_index = {q: j for j, q in enumerate(questions)}
    marks = np.full((len(attempt_index), len(questions)), np.nan)
    for attempt_id, question_id, correct in rows:
        marks[attempt_index[attempt_id], question_index[question_id]] = 1.0 if correct else 0.0
    stats = item_statistics(marks, np.ones(len(questions)))

    # Thirds of attempts by total mark, for the distractor analysis.
    totals = np.nansum(marks, axis=1)
    order = np.argsort(totals, kind="stable")
    third = len(order) // 3
    bottom = {int(i) for i in order[:third]}
    top = {int(i) for i in order[len(order) - third :]} if third else set()

    current, version_number = {}, {}
    for question_id, version_id, number in QuestionVersion.objects.filter(
        question_id__in=questions, version=F("question__version")
    ).values_list("question_id", "id", "version"):
        current[question_id], version_number[question_id] = version_id, number
    contents = version_contents(set(current.values()))
    choice = {q for q, v in current.items() if contents[v]["type"] in ("multiple_choice", "multiple_response")}
    # Selections per option index: overall, top third, bottom third. A right answer selected exactly
    # the key, so only wrong answers need their answer read.
    counts: dict[int, np.ndarray] = {}
    seen_by: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    detail = AttemptItem.objects.filter(
        attempt__exam=exam,
        attempt__status=Attempt.Status.GRADED,
        attempt__mode__in=FULL_LENGTH,
        question_id__in=choice,
    ).values_list("attempt_id", "question_id", "version_id", "graded_version_id", "is_correct", "layout", "answer")
    for attempt_id, question_id, version_id, graded_id, correct, layout, answer in detail.iterator(chunk_size=5000):
        if (graded_id or version_id) != current[question_id]:
            continue  # marked against another version: its option indexes may not line up
        content = contents[current[question_id]]
        tally = counts.setdefault(question_id, np.zeros((3, len(content["options"]))))
        a = attempt_index[attempt_id]
        groups = [0] + ([1] if a in top else []) + ([2] if a in bottom else [])
        for g in groups:
            seen_by[question_id][g] += 1
        if correct:
            picked = [i for i, o in enumerate(content["options"]) if o["is_correct"]]
        else:  # layout["o"] pairs an option's index in the version with the id shown (exams.snapshot)
            index_of = {token: i for i, token in layout["o"]}
            picked = [index_of[t] for t in (answer or {}).get("selected", []) if t in index_of]
        for g in groups:
            for i in picked:
                tally[g, i] += 1

    items = []
    for q, j in question_index.items():
        row = {
            "attempts": int(stats.attempts[j]),
            "facility": _none(stats.facility[j]),
            "sd": _none(stats.sd[j]),
            "discrimination_index": _none(stats.discrimination_index[j]),
            "discriminative_efficiency": _none(stats.discriminative_efficiency[j]),
            "effective_weight": _none(stats.effective_weight[j]),
        }
        options = []
        if q in counts:
            seen = seen_by[q]
            content = contents[current[q]]
            for i, option in enumerate(content["options"]):
                options.append(
                    {
                        "index": i,
                        "text": option["text"],
                        "correct": option["is_correct"],
                        "rate": round(counts[q][0, i] / seen[0], 3) if seen[0] else 0.0,
                        "top_rate": round(counts[q][1, i] / seen[1], 3) if seen[1] else 0.0,
                        "bottom_rate": round(counts[q][2, i] / seen[2], 3) if seen[2] else 0.0,
                    }
                )
        items.append(
            ItemStatistic(
                question_id=q,
                exam=exam,
                version=version_number.get(q, 0),
                options=options,
                flags=_flags(row, options),
                computed_at=now,
                **row,
            )
        )
    ItemStatistic.objects.filter(exam=exam).exclude(question_id__in=questions).delete()
    ItemStatistic.objects.bulk_create(
        items,
        update_conflicts=True,
        unique_fields=["question", "exam"],
        update_fields=["version", "attempts", "facility", "sd", "discrimination_index", "discriminative_efficiency",
                       "effective_weight", "options", "flags", "computed_at"],
    )  # fmt: skip
    ExamStatistic.objects.update_or_create(
        exam=exam,
        defaults={
            "attempts": len(attempt_index),
            "alpha": _none(stats.alpha),
            "error_ratio": _none(stats.error_ratio),
            "standard_error": _none(stats.standard_error),
            "computed_at": now,
        },
    )
    return len(items)


def item_statistics_recompute() -> int:
    return sum(item_statistics_recompute_exam(exam=exam) for exam in Exam.objects.all())
