"""Request and response shapes of the cohort API. Only declared fields leave the server, and the
views pick the shape by role: members never get another member's data."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from cohorts.models import Assignment
from exams.api.serializers import FiltersSerializer
from exams.models import Attempt
from exams.services import PRACTICE_MAX_COUNT
from mlaexam.validators import NameField

# --- Requests -----------------------------------------------------------------------------------------


class CohortCreateSerializer(serializers.Serializer):
    name = NameField(max_length=120, help_text="For example: Spring 2027 MLA cohort.")
    exam = serializers.CharField(max_length=20, default="MLA-C01", help_text="The exam the cohort prepares for.")


class CohortUpdateSerializer(serializers.Serializer):
    name = NameField(max_length=120)


class JoinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="The join code; case, spaces and dashes are ignored.")


class InstructorAddSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, help_text="A user with the instructor role.")


class AssignmentCreateSerializer(serializers.Serializer):
    title = NameField(max_length=120)
    mode = serializers.ChoiceField(choices=Assignment.Mode.choices)
    count = serializers.IntegerField(
        min_value=1, max_value=PRACTICE_MAX_COUNT, required=False, help_text="Practice sets only (default 20)."
    )
    filters = FiltersSerializer(required=False, help_text="Practice sets only, as POST /api/attempts/ takes them.")
    timed = serializers.BooleanField(default=True, help_text="Practice sets only; full-length forms are timed.")
    feedback = serializers.ChoiceField(
        choices=Attempt.Feedback.choices, default=Attempt.Feedback.END, help_text="Practice sets only."
    )
    opens_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    due_at = serializers.DateTimeField()
    max_attempts = serializers.IntegerField(
        min_value=1, max_value=100, required=False, allow_null=True, help_text="Empty: no limit."
    )

    def validate(self, attrs: dict) -> dict:
        attrs.setdefault("opens_at", timezone.now())
        if attrs["due_at"] <= timezone.now():
            raise serializers.ValidationError({"due_at": ["the due date is already past"]})
        if attrs["mode"] == Assignment.Mode.PRACTICE:
            attrs.setdefault("count", 20)
        return attrs


class AssignmentUpdateSerializer(serializers.Serializer):
    title = NameField(max_length=120, required=False)
    opens_at = serializers.DateTimeField(required=False)
    due_at = serializers.DateTimeField(required=False)
    max_attempts = serializers.IntegerField(min_value=1, max_value=100, required=False, allow_null=True)

    def to_internal_value(self, data: object) -> dict:
        if isinstance(data, dict):
            fixed = sorted(set(data) - set(self.fields))
            if fixed:
                raise serializers.ValidationError(
                    {k: ["cannot change once set; delete the assignment and set a new one"] for k in fixed}
                )
        return super().to_internal_value(data)


# --- Responses -----------------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)


class MemberSerializer(PersonSerializer):
    joined_at = serializers.DateTimeField()


class AssignmentAttemptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    scaled_score = serializers.IntegerField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    late = serializers.BooleanField(help_text="Submitted after the due date.")


class ProgressCountsSerializer(serializers.Serializer):
    members = serializers.IntegerField()
    graded = serializers.IntegerField()
    submitted = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = serializers.IntegerField()
    cohort_name = serializers.CharField()
    exam = serializers.CharField()
    title = serializers.CharField()
    mode = serializers.ChoiceField(choices=Assignment.Mode.choices)
    count = serializers.IntegerField(allow_null=True)
    filters = serializers.DictField(help_text="Practice filters as POST /api/attempts/ takes them.")
    timed = serializers.BooleanField()
    feedback = serializers.ChoiceField(choices=Attempt.Feedback.choices)
    opens_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    max_attempts = serializers.IntegerField(allow_null=True)
    # A member's own view:
    status = serializers.ChoiceField(
        choices=["upcoming", "not_started", "in_progress", "submitted", "graded", "overdue"],
        allow_null=True,
        help_text="Mine (members only): upcoming, not started, in progress, submitted, graded or overdue.",
    )
    attempts = AssignmentAttemptSerializer(many=True, allow_null=True, help_text="Mine (members only).")
    attempts_left = serializers.IntegerField(allow_null=True, help_text="Mine; null: no limit.")
    open_attempt = serializers.UUIDField(allow_null=True, help_text="Mine: the attempt to resume, if any.")
    # The instructors' view:
    progress = ProgressCountsSerializer(allow_null=True, help_text="Instructors only: members at each status.")


class CohortCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    join_code = serializers.CharField()


class CohortSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    exam = serializers.CharField()
    role = serializers.ChoiceField(choices=["instructor", "member", "staff"], help_text="Mine in this cohort.")
    instructors = PersonSerializer(many=True)
    created_at = serializers.DateTimeField()
    # Instructors and staff only (null for members):
    join_code = serializers.CharField(allow_null=True)
    join_url = serializers.CharField(allow_null=True)
    member_count = serializers.IntegerField(allow_null=True)


class CohortDetailSerializer(CohortSerializer):
    members = MemberSerializer(many=True, allow_null=True, help_text="Instructors and staff only.")
    assignments = AssignmentSerializer(many=True, help_text="Members: theirs with status; instructors: all.")


class JoinedSerializer(serializers.Serializer):
    cohort = CohortSerializer()
    joined = serializers.BooleanField(help_text="False when already a member.")


class ReadinessBriefSerializer(serializers.Serializer):
    predicted_score = serializers.IntegerField()
    low = serializers.IntegerField()
    high = serializers.IntegerField()
    pass_probability = serializers.FloatField()
    based_on = serializers.IntegerField()


class RosterRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    joined_at = serializers.DateTimeField()
    attempts = serializers.IntegerField(help_text="Graded attempts at the cohort's exam.")
    latest_score = serializers.IntegerField(allow_null=True, help_text="Latest full-length scaled score.")
    best_score = serializers.IntegerField(allow_null=True, help_text="Best full-length scaled score.")
    passed = serializers.BooleanField(allow_null=True, help_text="Whether the latest full-length result passed.")
    readiness = ReadinessBriefSerializer(allow_null=True)
    last_activity = serializers.DateTimeField(allow_null=True)
    assignments_done = serializers.IntegerField()
    assignments_total = serializers.IntegerField(help_text="Assignments open so far.")
    domains = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text="Mastery 0-1 per domain, in the order of `domains`; null: no answers yet.",
    )


class DomainRefSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()


class WeakTaskSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    mastery = serializers.FloatField(help_text="Mean of the members' mastery.")
    learners = serializers.IntegerField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()


class DistractorSerializer(serializers.Serializer):
    text = serializers.CharField()
    chosen = serializers.IntegerField()


class MissedQuestionSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    uid = serializers.CharField()
    stem = serializers.CharField()
    type = serializers.CharField()
    task_statement = serializers.CharField()
    answered_by = serializers.IntegerField(help_text="Members who have answered it.")
    missed_by = serializers.IntegerField(help_text="Members whose latest answer to it was wrong (or who skipped it).")
    misses = serializers.IntegerField(help_text="Wrong answers in all.")
    top_distractor = DistractorSerializer(allow_null=True)


class WeekSpreadSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="The Monday the week starts.")
    attempts = serializers.IntegerField()
    learners = serializers.IntegerField()
    min = serializers.IntegerField()
    p25 = serializers.FloatField()
    median = serializers.FloatField()
    p75 = serializers.FloatField()
    max = serializers.IntegerField()


class AssignmentProgressSerializer(ProgressCountsSerializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_at = serializers.DateTimeField()


class CohortRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    exam = serializers.CharField()
    members = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    cohort = CohortRefSerializer()
    passing_score = serializers.IntegerField()
    domains = DomainRefSerializer(many=True)
    learners = RosterRowSerializer(many=True)
    weakest = WeakTaskSerializer(many=True)
    most_missed = MissedQuestionSerializer(many=True)
    scores_over_time = WeekSpreadSerializer(many=True, help_text="Full-length scaled scores per week.")
    assignments = AssignmentProgressSerializer(many=True)


class TaskRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class HeatmapRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    cells = serializers.ListField(child=serializers.FloatField(allow_null=True))


class HeatmapSerializer(serializers.Serializer):
    domain = DomainRefSerializer()
    task_statements = TaskRefSerializer(many=True)
    learners = HeatmapRowSerializer(many=True)
