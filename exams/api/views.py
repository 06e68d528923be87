"""The learner API: thin views that parse input, call one service or selector, and render output."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exams import services
from exams.api import serializers as s
from exams.api.payloads import (
    attempt_payload,
    attempt_summary_payload,
    exam_payload,
    item_payload,
    result_payload,
)
from exams.models import Attempt, AttemptItem, ResultRow
from exams.selectors import (
    attempt_get_for_learner,
    attempt_items,
    attempts_for_learner,
    exams_with_counts,
    practice_filters_resolve,
)
from mlaexam.errors import ApiError, Conflict
from mlaexam.openapi import BODY, error_responses
from mlaexam.parsers import refuse_unparsable_body
from mlaexam.throttling import AutosaveThrottle
from questions.models import Exam

NO_ATTEMPT = "No such attempt (or not yours)"
CONFLICT = "Conflict with the attempt's state (closed, time up, locked) or the bank"


class ExamListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Exams with their blueprint, modes and published questions per domain",
        responses={200: s.ExamOutSerializer(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        data = [exam_payload(exam, counts, services) for exam, counts, services in exams_with_counts()]
        return Response(s.ExamOutSerializer(data, many=True).data)


class AttemptListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="My attempts, newest first",
        responses={200: s.AttemptSummarySerializer(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        attempts = attempts_for_learner(learner=request.user)
        data = [
            attempt_summary_payload(
                services.attempt_expire_if_due(attempt=a), answered=a.answered_count, flagged=a.flagged_count, now=now
            )
            for a in attempts
        ]
        return Response(s.AttemptSummarySerializer(data, many=True).data)

    @extend_schema(
        summary="Start an attempt: a full mock, a final, or a practice set",
        request=s.AttemptCreateSerializer,
        responses={201: s.AttemptSerializer, **error_responses(*BODY, 403, 404, 409, e409=CONFLICT)},
    )
    def post(self, request: Request) -> Response:
        data = s.AttemptCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        exam = Exam.objects.filter(code=values["exam"]).first()
        if exam is None:
            raise ApiError(f"unknown exam {values['exam']!r}", code="unknown_exam", field="exam")
        filters = practice_filters_resolve(exam=exam, filters=values["filters"]) if values.get("filters") else {}
        question_ids = None
        if values["mode"] == Attempt.Mode.WEAK_AREAS:
            question_ids, filters = services.weak_area_questions(learner=request.user, exam=exam, count=values["count"])
        elif "retry" in values:
            retry = values["retry"]
            question_ids = services.retry_questions(
                learner=request.user, exam=exam, attempt_id=retry["attempt"], which=retry["which"]
            )
            filters = {"retry_of": [str(retry["attempt"])], "which": [retry["which"]]}
        attempt, items = services.attempt_start(
            learner=request.user,
            exam=exam,
            mode=values["mode"],
            count=values["count"],
            filters=filters,
            timed=values["timed"],
            feedback=values["feedback"],
            question_ids=question_ids,
        )
        payload = attempt_payload(attempt, items)
        return Response(s.AttemptSerializer(payload).data, status=status.HTTP_201_CREATED)


class AttemptDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Resume: every served question, my saved answers and flags, and the time left",
        responses={200: s.AttemptSerializer, **error_responses(404, e404=NO_ATTEMPT)},
    )
    def get(self, request: Request, attempt_id: str) -> Response:
        attempt = attempt_get_for_learner(attempt_id=attempt_id, learner=request.user)
        attempt = services.attempt_expire_if_due(attempt=attempt)
        return Response(s.AttemptSerializer(attempt_payload(attempt, attempt_items(attempt=attempt))).data)


class ItemView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [AutosaveThrottle]

    @extend_schema(
        summary="Autosave the answer (and review flag) of one question; idempotent",
        request=s.ItemSaveSerializer,
        responses={
            200: s.ItemSavedSerializer,
            **error_responses(*BODY, 403, 404, 409, e404=NO_ATTEMPT, e409=CONFLICT),
        },
    )
    def put(self, request: Request, attempt_id: str, position: int) -> Response:
        data = s.ItemSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt, item = services.answer_save(
                attempt_id=attempt_id,
                learner=request.user,
                position=position,
                answer=data.validated_data["answer"],
                flagged=data.validated_data["flagged"],
                seconds_spent=data.validated_data.get("seconds_spent"),
            )
        except Conflict as exc:
            if exc.error_code == "time_up":  # submit it at its deadline, outside the refused save
                services.attempt_expire_if_due(
                    attempt=attempt_get_for_learner(attempt_id=attempt_id, learner=request.user)
                )
            raise
        return _item_saved(attempt, item)


# One instance for every save's response: DRF deep-copies a serializer's declared fields (a tree of
# a few dozen here) for each instance it makes, a sixth of an autosave's time, and to_representation
# keeps no state on the instance.
_ITEM_SAVED = s.ItemSavedSerializer()


def _item_saved(attempt: Attempt, item: AttemptItem) -> Response:
    payload = {"status": attempt.status, "item": item_payload(item), **services.attempt_clock(attempt)}
    return Response(_ITEM_SAVED.to_representation(payload))


class ItemLockView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Immediate feedback: lock this answer and get its key and explanations",
        request=None,
        responses={
            200: s.ItemSavedSerializer,
            **error_responses(*BODY, 403, 404, 409, e404=NO_ATTEMPT, e409=CONFLICT),
        },
    )
    def post(self, request: Request, attempt_id: str, position: int) -> Response:
        refuse_unparsable_body(request)
        attempt, item = services.item_lock(attempt_id=attempt_id, learner=request.user, position=position)
        return _item_saved(attempt, item)


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Submit the attempt for grading (idempotent)",
        request=None,
        responses={200: s.AttemptSummarySerializer, **error_responses(*BODY, 403, 404, e404=NO_ATTEMPT)},
    )
    def post(self, request: Request, attempt_id: str) -> Response:
        refuse_unparsable_body(request)
        attempt = services.attempt_submit(attempt_id=attempt_id, learner=request.user)
        items = attempt_items(attempt=attempt)
        payload = attempt_summary_payload(
            attempt,
            answered=sum(1 for i in items if i.answer is not None),
            flagged=sum(1 for i in items if i.flagged),
        )
        return Response(s.AttemptSummarySerializer(payload).data)


class ResultView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The score report: 202 while grading, 200 with every question's key and explanations after",
        responses={
            200: s.ResultSerializer,
            202: s.GradingSerializer,
            **error_responses(404, 409, e404=NO_ATTEMPT, e409="The attempt is still in progress"),
        },
    )
    def get(self, request: Request, attempt_id: str) -> Response:
        attempt = attempt_get_for_learner(attempt_id=attempt_id, learner=request.user)
        attempt = services.attempt_expire_if_due(attempt=attempt)
        if attempt.status == Attempt.Status.IN_PROGRESS:
            raise Conflict("This attempt is still in progress; submit it to see the result.", code="not_submitted")
        if attempt.status != Attempt.Status.GRADED:
            body = {"status": attempt.status, "message": "Grading: the result will be ready in a moment."}
            return Response(s.GradingSerializer(body).data, status=status.HTTP_202_ACCEPTED)
        attempt = Attempt.objects.select_related("exam", "result").get(pk=attempt.pk)
        rows = list(ResultRow.objects.filter(attempt=attempt).order_by("id"))
        return Response(s.ResultSerializer(result_payload(attempt, attempt_items(attempt=attempt), rows)).data)
