"""Item statistics for authors, recomputed periodically from graded full-length attempts."""

from django.db import models

from questions.models import Exam, Question


class ItemStatistic(models.Model):
    """Moodle's item statistics for one question (its current version), see analytics.psychometrics."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="item_statistics")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(help_text="The question version these statistics describe.")
    attempts = models.PositiveIntegerField()
    facility = models.FloatField(null=True)
    sd = models.FloatField(null=True)
    discrimination_index = models.FloatField(null=True)
    discriminative_efficiency = models.FloatField(null=True)
    effective_weight = models.FloatField(null=True)
    # [{"index", "text", "correct", "rate", "top_rate", "bottom_rate"}] for choice questions.
    options = models.JSONField(default=list)
    flags = models.JSONField(default=list, help_text="Reasons an author should review the question.")
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["question__uid", "exam__code"]
        constraints = [models.UniqueConstraint(fields=["question", "exam"], name="item_statistic_unique")]

    def __str__(self) -> str:
        return f"statistics of {self.question_id}"

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


class ExamStatistic(models.Model):
    """Test-level reliability of the full-length forms of one exam."""

    exam = models.OneToOneField(Exam, on_delete=models.CASCADE, related_name="statistics")
    attempts = models.PositiveIntegerField()
    alpha = models.FloatField(null=True, help_text="Cronbach's alpha (Moodle's coefficient of internal consistency).")
    error_ratio = models.FloatField(null=True)
    standard_error = models.FloatField(null=True, help_text="In marks (questions).")
    computed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"statistics of {self.exam}"
