"""Plain dicts for the response serializers, built from attempts and items."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from exams import report, snapshot
from exams.contents import version_content
from exams.models import Attempt, AttemptItem, ResultRow
from exams.services import attempt_clock
from questions.apportion import apportion
from questions.models import Exam

MODE_TEXT = {
    Attempt.Mode.FULL: "The blueprint's form: questions by domain weight, timed like the real exam.",
    Attempt.Mode.FINAL: "A full-length form from the whole bank, questions you have not seen "
    "(or saw longest ago) first.",
    Attempt.Mode.PRACTICE: "A set of 1-65 questions filtered by domain, task statement, pillar, stage, service, "
    "type or difficulty; timed or untimed; feedback at the end or per question.",
}


def feedback_payload(item: AttemptItem) -> dict:
    """The key and explanations of the version the item was marked with (a corrected one after a regrade)."""
    version_id = item.graded_version_id or item.version_id
    return {
        "correct": bool(item.is_correct),
        **snapshot.feedback(version_content(version_id), item.layout),
        "taxonomy": {**item.tags, "domain": item.domain_number, "task": item.task_code},
        "seconds_spent": item.seconds_spent,
    }


def item_payload(item: AttemptItem, *, reveal: bool = False) -> dict:
    """An item as the learner sees it; its feedback only when ``reveal`` (graded) or once locked."""
    locked = item.locked_at is not None
    return {
        "position": item.position,
        **snapshot.public(version_content(item.version_id), item.layout),
        "answer": item.answer,
        "flagged": item.flagged,
        "locked": locked,
        "feedback": feedback_payload(item) if reveal or locked else None,
    }


def attempt_summary_payload(attempt: Attempt, *, answered: int, flagged: int, now: datetime | None = None) -> dict:
    result = getattr(attempt, "result", None) if attempt.status == Attempt.Status.GRADED else None
    return {
        "id": attempt.pk,
        "exam": attempt.exam.code,
        "mode": attempt.mode,
        "status": attempt.status,
        "feedback": attempt.feedback,
        "timed": attempt.timed,
        "filters": attempt.filters,
        "question_count": attempt.question_count,
        "answered_count": answered,
        "flagged_count": flagged,
        "time_limit_seconds": attempt.time_limit_seconds,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "graded_at": attempt.graded_at,
        "scaled_score": result.scaled_score if result else None,
        "passed": result.passed if result else None,
        **attempt_clock(attempt, now),
    }


def attempt_payload(attempt: Attempt, items: list[AttemptItem], now: datetime | None = None) -> dict:
    return {
        **attempt_summary_payload(
            attempt,
            answered=sum(1 for i in items if i.answer is not None),
            flagged=sum(1 for i in items if i.flagged),
            now=now,
        ),
        "items": [item_payload(i) for i in items],
    }


def result_payload(attempt: Attempt, items: list[AttemptItem], rows: list[ResultRow]) -> dict:
    result = attempt.result
    exam = attempt.exam
    pass_fraction = Fraction(str(exam.pass_fraction))
    sections: dict[str, list[dict]] = {d: [] for d in report.DIMENSIONS}
    for row in rows:
        sections[row.dimension].append(
            {
                "key": row.key,
                "label": row.label,
                "correct": row.correct,
                "total": row.total,
                "percent": round(100 * row.correct / row.total, 1) if row.total else 0.0,
                "classification": report.classification(row.correct, row.total, pass_fraction),
            }
        )
    return {
        "attempt": attempt_summary_payload(
            attempt,
            answered=sum(1 for i in items if i.answer is not None),
            flagged=sum(1 for i in items if i.flagged),
        ),
        "correct": result.correct,
        "total": result.total,
        "percent": float(result.percent),
        "scaled_score": result.scaled_score,
        "passing_score": exam.passing_score,
        "section_pass_percent": round(float(pass_fraction) * 100, 1),
        "score_min": exam.score_min,
        "score_max": exam.score_max,
        "passed": result.passed,
        "time_taken_seconds": result.time_taken_seconds,
        "regraded_at": result.regraded_at,
        "domains": sections["domain"],
        "sections": sections,
        "items": [item_payload(i, reveal=True) for i in items],
    }


def exam_payload(exam: Exam, counts: dict[int, int], services: list[str]) -> dict:
    domains = list(exam.domains.all())
    seats = apportion(exam.question_count, [d.weight for d in domains])
    full_ok = all(counts.get(d.number, 0) >= n for d, n in zip(domains, seats, strict=True))
    return {
        "code": exam.code,
        "name": exam.name,
        "question_count": exam.question_count,
        "scored_count": exam.scored_count,
        "minutes": exam.minutes,
        "passing_score": exam.passing_score,
        "score_min": exam.score_min,
        "score_max": exam.score_max,
        "question_types": exam.question_types,
        "services": services,
        "domains": [
            {
                "number": d.number,
                "name": d.name,
                "weight": float(d.weight),
                "form_questions": n,
                "published_questions": counts.get(d.number, 0),
                "task_statements": [{"code": t.code, "title": t.title} for t in d.task_statements.all()],
            }
            for d, n in zip(domains, seats, strict=True)
        ],
        "modes": [
            {
                "mode": Attempt.Mode.FULL,
                "label": "Full mock exam",
                "available": full_ok,
                "description": MODE_TEXT[Attempt.Mode.FULL],
            },
            {
                "mode": Attempt.Mode.FINAL,
                "label": "Final exam",
                "available": full_ok,
                "description": MODE_TEXT[Attempt.Mode.FINAL],
            },
            {
                "mode": Attempt.Mode.PRACTICE,
                "label": "Practice set",
                "available": sum(counts.values()) > 0,
                "description": MODE_TEXT[Attempt.Mode.PRACTICE],
            },
        ],
    }
