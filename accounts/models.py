"""A learner's profile: the time accommodation applied to every timed attempt."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MULTIPLIER_MIN, MULTIPLIER_MAX = Decimal("1.00"), Decimal("3.00")
EXTRA_MINUTES_MAX = 240


class LearnerProfile(models.Model):
    """Accommodation: AWS grants, for example, +30 minutes to non-native English speakers (ESL +30).

    A timed attempt lasts ``base × time_multiplier + extra_minutes`` (extra minutes in proportion to
    the attempt's length for practice sets; see exams.services.attempt_time_limit).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    time_multiplier = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(MULTIPLIER_MIN), MaxValueValidator(MULTIPLIER_MAX)],
        help_text="1.00 for standard time; 1.50 for time and a half.",
    )
    extra_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(EXTRA_MINUTES_MAX)],
        help_text="Minutes added to a full-length exam (AWS's ESL accommodation is +30).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"profile of {self.user}"
