"""Request and response shapes of the learner API.

Responses are rendered through these serializers, so only declared fields leave the server: the
key material kept in ``AttemptItem.key`` can reach a response only through ``FeedbackSerializer``,
which the views use after grading, or for an item locked in immediate-feedback mode.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exams.models import Attempt
from exams.services import PRACTICE_DEFAULT_COUNT, PRACTICE_MAX_COUNT
from questions import rules
from questions.blueprint import PILLARS

# --- Requests ---------------------------------------------------------------------------------------

ANSWER_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "title": "ChoiceAnswer",
            "properties": {"selected": {"type": "array", "items": {"type": "string"}}},
            "required": ["selected"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "title": "OrderingAnswer",
            "properties": {"order": {"type": "array", "items": {"type": "string"}}},
            "required": ["order"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "title": "MatchingAnswer",
            "properties": {"matches": {"type": "object", "additionalProperties": {"type": "string"}}},
            "required": ["matches"],
            "additionalProperties": False,
        },
    ],
    "nullable": True,
}


@extend_schema_field(ANSWER_SCHEMA)
class AnswerField(serializers.JSONField):
    """The answer as sent; its shape is checked against the served question by the service."""


class OneOrMany(serializers.ListField):
    """A filter value: one value or a list of values."""

    def to_internal_value(self, data: object) -> list:
        if not isinstance(data, list):
            data = [data]
        return super().to_internal_value(data)


def _one_or_many(child: serializers.Field, schema_type: str, **schema: object) -> serializers.Field:
    item = {"type": schema_type, **schema}
    # extend_schema_field annotates the class, so each filter needs a class of its own.
    field_class = type("OneOrMany", (OneOrMany,), {})
    field = extend_schema_field({"oneOf": [item, {"type": "array", "items": item, "maxItems": 50}]})(field_class)
    return field(child=child, required=False, max_length=50, min_length=1)


class FiltersSerializer(serializers.Serializer):
    domain = _one_or_many(serializers.IntegerField(min_value=1, max_value=99), "integer")
    task_statement = _one_or_many(serializers.CharField(max_length=10), "string")
    pillar = _one_or_many(serializers.ChoiceField(choices=list(PILLARS)), "string", enum=list(PILLARS))
    stage = _one_or_many(serializers.ChoiceField(choices=list(rules.STAGES)), "string", enum=list(rules.STAGES))
    service = _one_or_many(serializers.CharField(max_length=120), "string")
    type = _one_or_many(
        serializers.ChoiceField(choices=list(rules.QUESTION_TYPES)), "string", enum=list(rules.QUESTION_TYPES)
    )
    difficulty = _one_or_many(
        serializers.ChoiceField(choices=list(rules.DIFFICULTIES)), "string", enum=list(rules.DIFFICULTIES)
    )

    def to_internal_value(self, data: object) -> dict:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {k: [f"unknown filter; use one of {', '.join(self.fields)}"] for k in unknown}
                )
        return super().to_internal_value(data)


class RetrySerializer(serializers.Serializer):
    attempt = serializers.UUIDField(help_text="One of my graded attempts.")
    which = serializers.ChoiceField(
        choices=["wrong", "flagged", "wrong_or_flagged"],
        default="wrong",
        help_text="Which of its questions to practise again.",
    )


class AttemptCreateSerializer(serializers.Serializer):
    exam = serializers.CharField(max_length=20, help_text="Exam code, e.g. MLA-C01.")
    mode = serializers.ChoiceField(
        choices=[Attempt.Mode.FULL, Attempt.Mode.PRACTICE, Attempt.Mode.FINAL, Attempt.Mode.WEAK_AREAS],
        help_text="full: the blueprint's form by domain weight; final: a full-length form from the whole "
        "bank, least recently seen first; practice: a filtered set; weak-areas: questions due for review, "
        "then the weakest task statements.",
    )
    count = serializers.IntegerField(
        min_value=1,
        max_value=PRACTICE_MAX_COUNT,
        required=False,
        help_text="Practice and weak-areas sets only (default 20).",
    )
    filters = FiltersSerializer(required=False, help_text="Practice sets only.")
    timed = serializers.BooleanField(default=True, help_text="Practice sets only; full mocks are always timed.")
    feedback = serializers.ChoiceField(
        choices=Attempt.Feedback.choices, default=Attempt.Feedback.END, help_text="Practice sets only."
    )
    retry = RetrySerializer(
        required=False,
        help_text='Practice sets only: practise again the questions of a graded attempt ("practise these").',
    )

    def validate(self, attrs: dict) -> dict:
        if "retry" in attrs and attrs["mode"] != Attempt.Mode.PRACTICE:
            raise serializers.ValidationError({"retry": ["retry makes a practice set"]})
        if "retry" in attrs and "filters" in self.initial_data:
            raise serializers.ValidationError(
                {"filters": ["a retry set takes the questions of the attempt; drop filters"]}
            )
        if attrs["mode"] == Attempt.Mode.WEAK_AREAS and "filters" in self.initial_data:
            raise serializers.ValidationError(
                {"filters": ["a weak-areas set chooses its own questions; use a practice set to filter"]}
            )
        if attrs["mode"] in (Attempt.Mode.FULL, Attempt.Mode.FINAL):
            errors = {}
            for name in ("count", "filters"):
                if name in self.initial_data:
                    errors[name] = [
                        f"{name} applies to practice sets only; a {attrs['mode']} exam follows the blueprint"
                    ]
            if self.initial_data.get("timed") is False:
                errors["timed"] = ["full-length exams are always timed"]
            if self.initial_data.get("feedback") == Attempt.Feedback.IMMEDIATE:
                errors["feedback"] = ["full-length exams give feedback at the end"]
            if errors:
                raise serializers.ValidationError(errors)
        attrs.setdefault("count", PRACTICE_DEFAULT_COUNT)
        return attrs


class ItemSaveSerializer(serializers.Serializer):
    answer = AnswerField(allow_null=True, help_text="null clears the answer.")
    flagged = serializers.BooleanField(default=False, help_text="Flag for review.")
    seconds_spent = serializers.IntegerField(
        min_value=0,
        max_value=86_400,
        required=False,
        help_text="Total seconds the learner has spent on this question so far (a running total, so a "
        "repeated save is harmless; the larger of the stored and sent values is kept).",
    )


# --- Responses --------------------------------------------------------------------------------------


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Opaque per attempt; carries no hint of correctness or authoring order.")
    text = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    title = serializers.CharField()
    scenario = serializers.CharField()


class FeedbackOptionSerializer(serializers.Serializer):
    id = serializers.CharField()
    text = serializers.CharField()
    correct = serializers.BooleanField(allow_null=True, help_text="Choice types: whether this option is a key.")
    position = serializers.IntegerField(allow_null=True, help_text="Ordering: the option's correct position.")
    prompt_id = serializers.CharField(allow_null=True, help_text="Matching: the prompt it answers (null: none).")
    explanation = serializers.CharField()


class TaxonomySerializer(serializers.Serializer):
    uid = serializers.CharField()
    domain = serializers.IntegerField()
    domain_name = serializers.CharField()
    task = serializers.CharField()
    task_title = serializers.CharField()
    pillars = serializers.ListField(child=serializers.CharField())
    stage = serializers.CharField()
    services = serializers.ListField(child=serializers.CharField())
    difficulty = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    key = AnswerField(help_text="The correct answer, in the shape of an answer.")
    options = FeedbackOptionSerializer(many=True)
    explanation = serializers.CharField()
    references = serializers.ListField(child=serializers.URLField())
    taxonomy = TaxonomySerializer()
    seconds_spent = serializers.IntegerField(help_text="Time on this question, as the browser measured it.")


class ItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    type = serializers.ChoiceField(choices=list(rules.QUESTION_TYPES))
    stem = serializers.CharField()
    case = CaseSerializer(allow_null=True, help_text="The case-study scenario this question shares, if any.")
    options = ChoiceSerializer(many=True)
    prompts = ChoiceSerializer(many=True, help_text="Matching only: the prompts to match options to.")
    choose = serializers.IntegerField(allow_null=True, help_text="Multiple response: how many to select.")
    answer = AnswerField(allow_null=True)
    flagged = serializers.BooleanField()
    locked = serializers.BooleanField(help_text="Immediate feedback: the answer was checked and is final.")
    feedback = FeedbackSerializer(allow_null=True, help_text="Only after grading, or once the item is locked.")


class ClockSerializer(serializers.Serializer):
    server_time = serializers.DateTimeField(help_text="The server's clock; the only clock that counts.")
    deadline = serializers.DateTimeField(allow_null=True)
    remaining_seconds = serializers.IntegerField(allow_null=True, help_text="null when untimed.")


class AttemptSummarySerializer(ClockSerializer):
    id = serializers.UUIDField()
    exam = serializers.CharField()
    mode = serializers.ChoiceField(choices=Attempt.Mode.choices)
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    feedback = serializers.ChoiceField(choices=Attempt.Feedback.choices)
    timed = serializers.BooleanField()
    filters = serializers.DictField(child=serializers.ListField(child=serializers.JSONField()))
    question_count = serializers.IntegerField()
    answered_count = serializers.IntegerField()
    flagged_count = serializers.IntegerField()
    time_limit_seconds = serializers.IntegerField(allow_null=True)
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    graded_at = serializers.DateTimeField(allow_null=True)
    scaled_score = serializers.IntegerField(allow_null=True, help_text="Once graded.")
    passed = serializers.BooleanField(allow_null=True, help_text="Once graded.")


class AttemptSerializer(AttemptSummarySerializer):
    items = ItemSerializer(many=True)


class ItemSavedSerializer(ClockSerializer):
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    item = ItemSerializer()


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField()
    classification = serializers.ChoiceField(
        choices=["meets_competencies", "needs_improvement"],
        help_text="Meets competencies when the section's percentage reaches the exam's pass fraction (72%).",
    )


class SectionsSerializer(serializers.Serializer):
    domain = BreakdownRowSerializer(many=True)
    task = BreakdownRowSerializer(many=True)
    pillar = BreakdownRowSerializer(many=True)
    stage = BreakdownRowSerializer(many=True)
    type = BreakdownRowSerializer(many=True)
    service = BreakdownRowSerializer(many=True)


class ResultSerializer(serializers.Serializer):
    attempt = AttemptSummarySerializer()
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField()
    scaled_score = serializers.IntegerField()
    passing_score = serializers.IntegerField()
    section_pass_percent = serializers.FloatField(
        help_text="A section at or above this percent correct meets competencies (the pass line of the chart)."
    )
    score_min = serializers.IntegerField()
    score_max = serializers.IntegerField()
    passed = serializers.BooleanField()
    time_taken_seconds = serializers.IntegerField()
    regraded_at = serializers.DateTimeField(allow_null=True, help_text="Set when a corrected key changed the result.")
    domains = BreakdownRowSerializer(many=True)
    sections = SectionsSerializer(help_text="The score report by domain, task statement, pillar, stage, type, service.")
    items = ItemSerializer(many=True)


class GradingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Attempt.Status.choices)
    message = serializers.CharField()


class TaskStatementOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class DomainOutSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    weight = serializers.FloatField(help_text="Percent of scored content.")
    form_questions = serializers.IntegerField(help_text="Questions of this domain on a full form.")
    published_questions = serializers.IntegerField(help_text="Published questions the bank can draw.")
    task_statements = TaskStatementOutSerializer(many=True)


class ModeOutSerializer(serializers.Serializer):
    mode = serializers.CharField()
    label = serializers.CharField()
    available = serializers.BooleanField()
    description = serializers.CharField()


class ExamOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    question_count = serializers.IntegerField()
    scored_count = serializers.IntegerField()
    minutes = serializers.IntegerField()
    passing_score = serializers.IntegerField()
    score_min = serializers.IntegerField()
    score_max = serializers.IntegerField()
    question_types = serializers.ListField(child=serializers.CharField())
    services = serializers.ListField(child=serializers.CharField(), help_text="AWS services its questions cover.")
    domains = DomainOutSerializer(many=True)
    modes = ModeOutSerializer(many=True)
