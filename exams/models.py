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
    # No single-column indexes on attempt and question: the unique (attempt, position) and the
    # (question, version) indexes serve those lookups, and every index costs on each autosave.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items", db_index=False)
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="attempt_items", db_index=False)
    # Versions are never deleted (they are the history), so neither version column needs an index
    # of its own for PROTECT; the (question, version) index serves the lookups. Four indexes, not six,
    # for the 65 rows every start inserts.
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="attempt_items", db_index=False)
    layout = models.JSONField(help_text="Option (and prompt) order and ids as served; see exams.snapshot.")
    # The taxonomy at serving time, for score reports: {"uid", "pillars", "stage", "services", "difficulty",
    # "domain_name", "task_title"}; domain and task statement are columns for SQL aggregates.
    tags = models.JSONField(default=dict)
    domain_number = models.PositiveSmallIntegerField()
    task_code = models.CharField(max_length=10)
    answer = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    seconds_spent = models.PositiveIntegerField(
        default=0, help_text="Time on this question, as the browser measured it."
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    is_correct = models.BooleanField(null=True, blank=True)
    # Set when a regrade marked the item with a corrected version's key (the learner still saw `version`).
    graded_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="regraded_items", db_index=False
    )

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
    """The graded result, written once per attempt (the unique attempt makes grading idempotent);
    only a regrade changes it, and every regrade is recorded in ``Regrade``."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="result")
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    percent = models.DecimalField(max_digits=4, decimal_places=1)
    scaled_score = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    time_taken_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    regraded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.scaled_score}"


class ResultRow(models.Model):
    """One section of a score report (a domain, task statement, pillar, stage, type or service), kept
    as a row so that progress and cohort dashboards are SQL aggregates, not loops over answers."""

    class Dimension(models.TextChoices):
        DOMAIN = "domain"
        TASK = "task"
        PILLAR = "pillar"
        STAGE = "stage"
        TYPE = "type"
        SERVICE = "service"

    # No single-column foreign-key indexes here and on the other per-answer tables below: each is
    # the leading column of a composite index (or unique constraint) that serves the same lookups,
    # and grading writes thousands of these rows per batch, paying for every index.
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="result_rows", db_index=False)
    # Denormalised from the attempt for the aggregates.
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+", db_index=False)
    mode = models.CharField(max_length=20)
    graded_at = models.DateTimeField()
    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.CharField(max_length=120)
    label = models.CharField(max_length=300)
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "dimension", "key"], name="result_row_unique"),
        ]
        # Only the mastery refresh reads these rows by section (its five latest per learner and key).
        # An (exam, dimension, key) index served no query since mastery is stored (MasteryRow), cost
        # an index entry per row written, and, on stale statistics, lured the planner off the one
        # below: a grading batch's mastery read took 1.1 s instead of 9 ms (bench/README.md).
        indexes = [models.Index(fields=["learner", "exam", "dimension", "key", "-graded_at"])]

    def __str__(self) -> str:
        return f"{self.attempt_id} {self.dimension} {self.key}: {self.correct}/{self.total}"


class MasteryRow(models.Model):
    """A learner's mastery of one domain or task statement (exams.mastery): the answers of their
    WINDOW most recent graded attempts that included it, pooled. Grading (and regrading) keeps it
    up to date for the learners it touched, so progress pages and cohort dashboards read one row
    per learner and key instead of windowing over the whole history."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=10, choices=[("domain", "domain"), ("task", "task")])
    key = models.CharField(max_length=120)
    label = models.CharField(max_length=300)
    correct = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    attempts = models.PositiveSmallIntegerField(help_text="Attempts pooled (at most exams.mastery.WINDOW).")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "exam", "dimension", "key"], name="mastery_row_unique"),
        ]
        indexes = [models.Index(fields=["exam", "dimension", "learner"])]

    def __str__(self) -> str:
        return f"{self.learner_id} {self.dimension} {self.key}: {self.correct}/{self.total}"


class Mistake(models.Model):
    """A distractor a learner chose, with what it stands for and what the key stood for."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="mistakes")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+", db_index=False)
    position = models.PositiveSmallIntegerField()
    # Questions are retired, never deleted (attempt items protect them), so no index for the cascade.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+", db_index=False)
    chosen = models.CharField(max_length=120, blank=True, help_text="Concept the distractor names.")
    expected = models.CharField(max_length=120, blank=True, help_text="Concept the key names.")
    chosen_text = models.TextField()
    expected_text = models.TextField()
    graded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["learner", "exam", "chosen", "expected"])]

    def __str__(self) -> str:
        return f"{self.learner} chose {self.chosen or self.chosen_text[:30]}"


class Regrade(models.Model):
    """A corrected key applied to an attempt that was graded with the old one."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="regrades")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="regrades")
    from_version = models.PositiveIntegerField()
    to_version = models.PositiveIntegerField()
    old_correct = models.PositiveSmallIntegerField()
    new_correct = models.PositiveSmallIntegerField()
    old_scaled_score = models.PositiveSmallIntegerField()
    new_scaled_score = models.PositiveSmallIntegerField()
    old_passed = models.BooleanField()
    new_passed = models.BooleanField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.old_scaled_score} -> {self.new_scaled_score}"


class SeenQuestion(models.Model):
    """A question a learner has been served: when (so a draw prefers questions not yet seen, at a
    cost bounded by the size of the bank rather than by the learner's history) and its spaced-review
    state (exams.review): misses, the streak of correct answers since the last miss, and when it is
    due for review (null: not in review)."""

    # The unique (learner, question) and (learner, due_at) indexes serve every lookup; see ResultRow.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seen_questions", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="seen_by", db_index=False)
    last_seen_at = models.DateTimeField()
    misses = models.PositiveSmallIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    last_correct = models.BooleanField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "question"], name="seen_question_unique")]
        indexes = [models.Index(fields=["learner", "due_at"])]

    def __str__(self) -> str:
        return f"{self.learner} saw {self.question} at {self.last_seen_at:%Y-%m-%d}"
