"""Learner progress, and item statistics for authors."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.models import ItemStatistic
from analytics.selectors import learner_progress
from mlaexam.errors import ApiError, NotFound
from mlaexam.openapi import error_responses
from questions.models import Exam, Question


class MasteryRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    mastery = serializers.FloatField(allow_null=True, help_text="0-1; null when there are no answers yet.")
    correct = serializers.IntegerField()
    total = serializers.IntegerField()
    attempts = serializers.IntegerField()


class MasterySerializer(serializers.Serializer):
    method = serializers.CharField()
    domains = MasteryRowSerializer(many=True)
    task_statements = MasteryRowSerializer(many=True)


class ReadinessSerializer(serializers.Serializer):
    method = serializers.CharField()
    predicted_score = serializers.IntegerField(allow_null=True)
    low = serializers.IntegerField(allow_null=True, help_text="10th percentile of the predicted scaled score.")
    high = serializers.IntegerField(allow_null=True, help_text="90th percentile.")
    pass_probability = serializers.FloatField(allow_null=True)
    based_on = serializers.IntegerField(help_text="Full-length results used.")
    message = serializers.CharField(allow_null=True)


class ProgressAttemptSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    mode = serializers.CharField()
    graded_at = serializers.DateTimeField()
    scaled_score = serializers.IntegerField()
    passed = serializers.BooleanField()
    percent = serializers.FloatField()
    question_count = serializers.IntegerField()


class MistakeLinkSerializer(serializers.Serializer):
    attempt = serializers.UUIDField()
    position = serializers.IntegerField()
    question = serializers.CharField(help_text="The question's uid.")
    at = serializers.DateTimeField()


class MisconceptionSerializer(serializers.Serializer):
    chosen = serializers.CharField()
    expected = serializers.CharField()
    summary = serializers.CharField()
    count = serializers.IntegerField()
    questions = MistakeLinkSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    exam = serializers.CharField()
    passing_score = serializers.IntegerField()
    attempts = ProgressAttemptSerializer(many=True)
    mastery = MasterySerializer()
    weakest = MasteryRowSerializer(many=True)
    readiness = ReadinessSerializer()
    misconceptions = MisconceptionSerializer(many=True)
    reviews_due = serializers.IntegerField(help_text="Missed questions due for spaced review now.")


class ProgressView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="My progress: scores over time, mastery, weakest task statements, readiness, misconceptions",
        parameters=[OpenApiParameter("exam", str, description="Exam code (default MLA-C01).")],
        responses={200: ProgressSerializer, **error_responses(400, e400="Unknown exam code")},
    )
    def get(self, request: Request) -> Response:
        code = request.query_params.get("exam", "MLA-C01")
        # PostgreSQL refuses a NUL in a text parameter (a 500); no exam code has one anyway.
        exam = Exam.objects.filter(code=code[:20]).first() if "\x00" not in code else None
        if exam is None:
            raise ApiError(f"unknown exam {code[:20]!r}", code="unknown_exam", field="exam")
        return Response(ProgressSerializer(learner_progress(learner=request.user, exam=exam)).data)


class IsAuthor(BasePermission):
    message = "Only authors and staff see item statistics."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (user.is_staff or user.groups.filter(name="Authors").exists()))


class OptionStatSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    text = serializers.CharField()
    correct = serializers.BooleanField()
    rate = serializers.FloatField()
    top_rate = serializers.FloatField()
    bottom_rate = serializers.FloatField()


class ItemStatisticSerializer(serializers.Serializer):
    exam = serializers.CharField(source="exam.code")
    version = serializers.IntegerField()
    attempts = serializers.IntegerField()
    facility = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True)
    discrimination_index = serializers.FloatField(allow_null=True)
    discriminative_efficiency = serializers.FloatField(allow_null=True)
    effective_weight = serializers.FloatField(allow_null=True)
    options = OptionStatSerializer(many=True)
    flags = serializers.ListField(child=serializers.CharField())
    computed_at = serializers.DateTimeField()


class QuestionStatsSerializer(serializers.Serializer):
    question = serializers.CharField()
    version = serializers.IntegerField()
    statistics = ItemStatisticSerializer(many=True)


class QuestionStatsView(APIView):
    permission_classes = [IsAuthenticated, IsAuthor]

    @extend_schema(
        summary="Item statistics of a question (authors only), per exam",
        responses={200: QuestionStatsSerializer, **error_responses(403, 404, e403="Not an author")},
    )
    def get(self, request: Request, question_id: int) -> Response:
        question = Question.objects.filter(pk=question_id).first()
        if question is None:
            raise NotFound("No such question.")
        stats = list(ItemStatistic.objects.filter(question=question).select_related("exam"))
        body = {"question": question.uid, "version": question.version, "statistics": stats}
        return Response(QuestionStatsSerializer(body).data)
