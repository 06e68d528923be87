"""Taking an exam: attempts and the questions each attempt served, with the learner's answers.

Attempts and items are written only through ``exams.services`` (no raw saves elsewhere).
Each item points at the immutable ``QuestionVersion`` it served (stem, case scenario, options, key,
explanations, references: shared by every attempt that served that version) and keeps its own
``layout`` (the shuffled order and the opaque ids shown in this attempt; see exams.snapshot) and
``tags`` (the taxonomy at serving time, for the score report). Editing or retiring the question
later never changes an attempt; the key reaches a response only after grading, or for an item
locked in immediate-feedback mode.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from questions.models import Exam, Question, QuestionVersion


class Attempt(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", "Full mock exam"
        PRACTICE = "practice", "Practice set"
        FINAL = "final", "Final exam"
        WEAK_AREAS = "weak-areas", "Weak-areas practice"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        EXPIRED = "expired", "Expired (submitted at the deadline)"
        GRADED = "graded", "Graded"

    class Feedback(models.TextChoices):
        END = "end", "At the end"
        IMMEDIATE = "immediate", "Immediately, per question"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    feedback = models.CharField(max_length=10, choices=Feedback.choices, default=Feedback.END)
    timed = models.BooleanField(default=True)
    filters = models.JSONField(default=dict, blank=True)
    question_count = models.PositiveSmallIntegerField()
    time_limit_seconds = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["learner", "-started_at"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.exam.code} {self.mode} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AttemptItem(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempt_items")
    layout = models.JSONField(help_text="Option (and prompt) order and ids as served; see exams.snapshot.")
    # The taxonomy at serving time, for score reports: {"uid", "pillars", "stage", "services", "difficulty",
    # "domain_name", "task_title"}; domain and task statement are columns for SQL aggregates.
    tags = models.JSONField(default=dict)
    domain_number = models.PositiveSmallIntegerField()
    task_code = models.CharField(max_length=10)
    answer = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_unique_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_item_unique_question"),
        ]
        indexes = [models.Index(fields=["question", "version"])]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position}"


class AttemptResult(models.Model):
    """The graded result, written once per attempt (the unique attempt makes grading idempotent)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="result")
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    percent = models.DecimalField(max_digits=4, decimal_places=1)
    scaled_score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    # {"domain": [{"key", "label", "correct", "total"}], ...}: one list per breakdown.
    breakdown = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.scaled_score}"


class SeenQuestion(models.Model):
    """When a learner was last served a question: lets a draw prefer questions not yet seen, at a
    cost bounded by the size of the bank rather than by the learner's history."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seen_questions")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="seen_by")
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "question"], name="seen_question_unique")]

    def __str__(self) -> str:
        return f"{self.learner} saw {self.question} at {self.last_seen_at:%Y-%m-%d}"
