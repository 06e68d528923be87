"""Cohorts: a class, a study group or a team preparing together; its instructors, members,
join code and assignments, and which attempts were taken for which assignment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from exams.models import Attempt
from questions.models import Exam


class Cohort(models.Model):
    name = models.CharField(max_length=120, error_messages={"blank": "a cohort needs a name"})
    exam = models.ForeignKey(
        Exam, on_delete=models.PROTECT, related_name="cohorts", help_text="The exam the cohort prepares for."
    )
    join_code = models.CharField(max_length=12, unique=True, help_text="Learners join with it; rotate it to stop.")
    instructors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teaching_cohorts")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships")
    joined_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "learner"], name="membership_unique_learner")]
        indexes = [models.Index(fields=["learner"])]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"


class Assignment(models.Model):
    """Work set for a cohort: a full mock, a final or a practice set, open between two times."""

    class Mode(models.TextChoices):
        FULL = Attempt.Mode.FULL
        FINAL = Attempt.Mode.FINAL
        PRACTICE = Attempt.Mode.PRACTICE

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=120)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    count = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Practice sets only.")
    filters = models.JSONField(
        default=dict, blank=True, help_text="Practice sets only, as the attempts API takes them."
    )
    timed = models.BooleanField(default=True)
    feedback = models.CharField(max_length=10, choices=Attempt.Feedback.choices, default=Attempt.Feedback.END)
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("opens_at")), name="assignment_due_after_opening"),
            models.CheckConstraint(condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1),
                                   name="assignment_max_attempts_positive"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.cohort}: {self.title}"


class AssignmentAttempt(models.Model):
    """An attempt taken for an assignment (the attempt itself lives in exams and knows nothing of it)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempt_links")
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="assignment_link")
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["assignment", "learner"])]

    def __str__(self) -> str:
        return f"{self.attempt_id} for {self.assignment}"
