"""Writes for exams, split by sub-domain: ``taking`` (start, save, lock, submit, expire) and
``grading`` (grade, requeue, regrade). Everything is importable from ``exams.services``."""

from exams.services.grading import (
    GRADE_BATCH,
    RegradeReport,
    attempt_grade,
    attempt_grade_score,
    attempts_requeue_ungraded,
    compatible,
    question_regrade,
    scale_spec,
)
from exams.services.taking import (
    PRACTICE_DEFAULT_COUNT,
    PRACTICE_MAX_COUNT,
    InvalidAnswer,
    answer_save,
    attempt_clock,
    attempt_expire_if_due,
    attempt_start,
    attempt_submit,
    attempt_time_limit,
    attempts_expire_overdue,
    enqueue_grading,
    item_correct,
    item_lock,
    retry_questions,
    weak_area_questions,
)
from mlaexam.errors import Conflict

__all__ = [
    "GRADE_BATCH",
    "PRACTICE_DEFAULT_COUNT",
    "PRACTICE_MAX_COUNT",
    "Conflict",
    "InvalidAnswer",
    "RegradeReport",
    "answer_save",
    "attempt_clock",
    "attempt_expire_if_due",
    "attempt_grade",
    "attempt_grade_score",
    "attempt_start",
    "attempt_submit",
    "attempt_time_limit",
    "attempts_expire_overdue",
    "attempts_requeue_ungraded",
    "compatible",
    "enqueue_grading",
    "item_correct",
    "item_lock",
    "question_regrade",
    "retry_questions",
    "scale_spec",
    "weak_area_questions",
]
