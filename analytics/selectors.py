"""Reads for analytics: a learner's progress, and item statistics for authors."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Max, Q
from django.utils import timezone

from analytics.readiness import RECENT, readiness
from exams.mastery import WINDOW, weakest
from exams.models import Attempt, AttemptResult, Mistake, SeenQuestion
from exams.selectors import learner_mastery
from exams.services import scale_spec
from questions.models import Exam

FULL_LENGTH = (Attempt.Mode.FULL, Attempt.Mode.FINAL)
MISCONCEPTIONS_SHOWN = 10
LINKS_PER_MISCONCEPTION = 5

MASTERY_METHOD = (
    f"Per domain and task statement, your answers in your {WINDOW} most recent graded attempts that "
    "included it, pooled: mastery = (correct + 1) / (answered + 2), so a few lucky answers do not look "
    "like mastery and no answers read as 50%."
)
READINESS_METHOD = (
    f"From your {RECENT} most recent full-length results, weighted towards the latest: your chance of "
    "answering a question right as a Beta distribution, and from it the score on a new 65-question form "
    "(Beta-binomial): the predicted score, an 80% band and the chance of reaching 720. It assumes the mock "
    "questions are as hard as AWS's and that your knowledge is steady; AWS's own scaling and its 15 "
    "unscored questions are not modelled. Practice sets are not counted."
)


def learner_progress(*, learner: AbstractBaseUser, exam: Exam) -> dict:
    spec = scale_spec(exam)
    # Plain values, not result and attempt instances: a learner with 200 attempts made this read
    # decode 1,400 datetimes it never used and build 400 model instances (a third of the request).
    results = list(
        AttemptResult.objects.filter(attempt__learner=learner, attempt__exam=exam)
        .order_by("attempt__graded_at")
        .values_list(
            "attempt_id", "attempt__mode", "attempt__graded_at", "scaled_score", "passed", "percent", "correct",
            "total", named=True,
        )
    )  # fmt: skip
    masteries = {(m.dimension, m.key): m for m in learner_mastery(learner=learner, exam=exam)}
    domains = list(exam.domains.prefetch_related("task_statements"))

    def mastery_row(dimension: str, key: str, label: str) -> dict:
        m = masteries.get((dimension, key))
        return {
            "key": key,
            "label": label,
            "mastery": round(m.value, 3) if m else None,
            "correct": m.correct if m else 0,
            "total": m.total if m else 0,
            "attempts": m.attempts if m else 0,
        }

    full = [(r.correct, r.total) for r in reversed(results) if r.attempt__mode in FULL_LENGTH]
    ready = readiness(full, spec, exam.question_count)
    task_rows = [m for (d, _), m in masteries.items() if d == "task" and m.total]
    pairs = list(
        Mistake.objects.filter(learner=learner, exam=exam)
        .exclude(chosen="")
        .values("chosen", "expected")
        .annotate(count=Count("id"), last=Max("graded_at"))
        .order_by("-count", "-last")[:MISCONCEPTIONS_SHOWN]
    )
    links: dict[tuple[str, str], list[dict]] = defaultdict(list)
    if pairs:
        wanted = Q()
        for p in pairs:
            wanted |= Q(chosen=p["chosen"], expected=p["expected"])
        for chosen, expected, attempt_id, position, uid, at in (
            Mistake.objects.filter(learner=learner, exam=exam)
            .filter(wanted)
            .order_by("-graded_at")
            .values_list("chosen", "expected", "attempt_id", "position", "question__uid", "graded_at")[:500]
        ):
            bucket = links[(chosen, expected)]
            if len(bucket) < LINKS_PER_MISCONCEPTION:
                bucket.append({"attempt": attempt_id, "position": position, "question": uid, "at": at})
    in_exam = Q(question__task_statement__domain__exam=exam) | Q(question__alt_task_statement__domain__exam=exam)
    due = SeenQuestion.objects.filter(learner=learner, due_at__lte=timezone.now()).filter(in_exam).count()
    return {
        "exam": exam.code,
        "passing_score": exam.passing_score,
        "attempts": [
            {
                "id": r.attempt_id,
                "mode": r.attempt__mode,
                "graded_at": r.attempt__graded_at,
                "scaled_score": r.scaled_score,
                "passed": r.passed,
                "percent": float(r.percent),
                "question_count": r.total,
            }
            for r in results
        ],
        "mastery": {
            "method": MASTERY_METHOD,
            "domains": [mastery_row("domain", str(d.number), d.name) for d in domains],
            "task_statements": [mastery_row("task", t.code, t.title) for d in domains for t in d.task_statements.all()],
        },
        "weakest": [mastery_row("task", m.key, m.label) for m in weakest(task_rows, 3)],
        "readiness": {
            "method": READINESS_METHOD,
            "predicted_score": ready.predicted_score if ready else None,
            "low": ready.low if ready else None,
            "high": ready.high if ready else None,
            "pass_probability": ready.pass_probability if ready else None,
            "based_on": ready.based_on if ready else 0,
            "message": None if ready else "Take a full mock exam to get a readiness estimate.",
        },
        "misconceptions": [
            {
                "chosen": p["chosen"],
                "expected": p["expected"],
                "summary": f"chose {p['chosen']} where {p['expected']} was right",
                "count": p["count"],
                "questions": links[(p["chosen"], p["expected"])],
            }
            for p in pairs
        ],
        "reviews_due": due,
    }
