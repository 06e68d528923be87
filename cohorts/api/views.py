"""The cohort API: thin views over the cohort selectors (which decide access) and services."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cohorts import rules, selectors, services
from cohorts.api import serializers as s
from cohorts.api.payloads import TEACHING, assignment_payload, cohort_payload, person
from exams.api.payloads import attempt_payload
from exams.api.serializers import AttemptSerializer
from exams.selectors import attempt_items
from mlaexam.errors import ApiError
from mlaexam.openapi import BODY, error_responses
from mlaexam.throttling import JoinThrottle
from questions.models import Exam

_WHO = {
    "e403": "A member asking for what only the cohort's instructors may do",
    "e404": "No such cohort, or not one of mine",
}
ERRORS = error_responses(400, 403, 404, **_WHO)
BODY_ERRORS = error_responses(*BODY, 403, 404, **_WHO)
CONFLICT_ERRORS = error_responses(400, 403, 404, 409, **_WHO)


def _detail(request: Request, cohort, role: str) -> dict:
    payload = cohort_payload(cohort=cohort, role=role, request=request)
    if role in TEACHING:
        progress = selectors.assignment_progress(cohort=cohort)
        payload["members"] = [
            {**person(m.learner), "joined_at": m.joined_at} for m in selectors.cohort_members(cohort=cohort)
        ]
        payload["assignments"] = [
            assignment_payload(a, progress=progress[a.pk])
            for a in cohort.assignments.select_related("cohort__exam").order_by("due_at", "id")
        ]
    else:
        payload["members"] = None
        payload["assignments"] = [
            assignment_payload(m.assignment, mine=m)
            for m in selectors.assignments_for_learner(learner=request.user, cohort=cohort)
        ]
    return payload


class CohortListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="My cohorts: the ones I teach and the ones I belong to",
        responses={200: s.CohortSerializer(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        cohorts = selectors.cohorts_for_user(user=request.user)
        data = []
        for cohort in cohorts:
            teaching = any(u.pk == request.user.pk for u in cohort.instructors.all())
            role = "instructor" if teaching else "member"
            data.append(cohort_payload(cohort=cohort, role=role, request=request, member_count=cohort.member_count))
        return Response(s.CohortSerializer(data, many=True).data)

    @extend_schema(
        summary="Create a cohort (instructors); I become its first instructor",
        request=s.CohortCreateSerializer,
        responses={201: s.CohortCreatedSerializer, **error_responses(*BODY, 403, 409, **_WHO)},
    )
    def post(self, request: Request) -> Response:
        if not selectors.user_is_instructor(request.user):
            raise selectors.NotInstructor("Only instructors can create cohorts; staff grant the role in the admin.")
        data = s.CohortCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        exam = Exam.objects.filter(code=data.validated_data["exam"]).first()
        if exam is None:
            raise ApiError(f"unknown exam {data.validated_data['exam']!r}", code="unknown_exam", field="exam")
        cohort = services.cohort_create(creator=request.user, name=data.validated_data["name"], exam=exam)
        body = {"id": cohort.pk, "name": cohort.name, "join_code": cohort.join_code}
        return Response(s.CohortCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class JoinView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [JoinThrottle]

    @extend_schema(
        summary="Join a cohort by its code (joining twice is harmless)",
        request=s.JoinSerializer,
        responses={
            201: s.JoinedSerializer,
            200: s.JoinedSerializer,
            **error_responses(*BODY, 403, 404, 409, e404="No cohort has this join code"),
        },
    )
    def post(self, request: Request) -> Response:
        data = s.JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cohort, joined = services.cohort_join(learner=request.user, code=data.validated_data["code"])
        body = {"cohort": cohort_payload(cohort=cohort, role="member", request=request), "joined": joined}
        return Response(s.JoinedSerializer(body).data, status=status.HTTP_201_CREATED if joined else status.HTTP_200_OK)


class CohortDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A cohort: for its instructors with members, join code and every assignment's progress; "
        "for a member with the instructors and my own assignments",
        responses={200: s.CohortDetailSerializer, **ERRORS},
    )
    def get(self, request: Request, cohort_id: str) -> Response:
        cohort, role = selectors.cohort_get_for_viewer(cohort_id=cohort_id, user=request.user)
        return Response(s.CohortDetailSerializer(_detail(request, cohort, role)).data)

    @extend_schema(
        summary="Rename the cohort (instructors)",
        request=s.CohortUpdateSerializer,
        responses={200: s.CohortDetailSerializer, **BODY_ERRORS},
    )
    def patch(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        data = s.CohortUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cohort = services.cohort_update(cohort=cohort, name=data.validated_data["name"])
        _, role = selectors.cohort_get_for_viewer(cohort_id=cohort.pk, user=request.user)
        return Response(s.CohortDetailSerializer(_detail(request, cohort, role)).data)

    @extend_schema(
        summary="Delete the cohort (instructors); learners keep their attempts", responses={204: None, **ERRORS}
    )
    def delete(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        services.cohort_delete(cohort=cohort)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RotateCodeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="A new join code (instructors); the old code and link stop working",
        request=None,
        responses={200: s.CohortSerializer, **ERRORS},
    )
    def post(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user, for_update=True)
        cohort = services.cohort_rotate_code(cohort=cohort)
        _, role = selectors.cohort_get_for_viewer(cohort_id=cohort.pk, user=request.user)
        return Response(s.CohortSerializer(cohort_payload(cohort=cohort, role=role, request=request)).data)


class LeaveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Leave the cohort (members)", request=None, responses={204: None, **ERRORS})
    def post(self, request: Request, cohort_id: str) -> Response:
        cohort, _ = selectors.cohort_get_for_viewer(cohort_id=cohort_id, user=request.user)
        services.cohort_leave(cohort=cohort, learner=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The members (instructors)", responses={200: s.MemberSerializer(many=True), **ERRORS})
    def get(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        members = [{**person(m.learner), "joined_at": m.joined_at} for m in selectors.cohort_members(cohort=cohort)]
        return Response(s.MemberSerializer(members, many=True).data)


class MemberView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Remove a member (instructors); their attempts stay theirs", responses={204: None, **ERRORS})
    def delete(self, request: Request, cohort_id: str, user_id: int) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        services.membership_remove(cohort=cohort, learner_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InstructorListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Add a co-instructor (instructors); they must have the instructor role",
        request=s.InstructorAddSerializer,
        responses={201: s.PersonSerializer, **error_responses(*BODY, 403, 404, 409, **_WHO)},
    )
    def post(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        data = s.InstructorAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.instructor_add(cohort=cohort, username=data.validated_data["username"])
        return Response(s.PersonSerializer(person(user)).data, status=status.HTTP_201_CREATED)


class InstructorView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Remove an instructor (instructors); the last one stays", responses={204: None, **CONFLICT_ERRORS}
    )
    def delete(self, request: Request, cohort_id: str, user_id: int) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        services.instructor_remove(cohort=cohort, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DashboardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The cohort dashboard (instructors): roster, domain heatmap, weakest task statements, "
        "most-missed questions, scores over time, assignment progress",
        responses={200: s.DashboardSerializer, **ERRORS},
    )
    def get(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        return Response(s.DashboardSerializer(selectors.cohort_dashboard(cohort=cohort)).data)


class HeatmapView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Drill-down (instructors): members × the task statements of one domain",
        parameters=[OpenApiParameter("domain", int, required=True, description="Domain number, e.g. 1.")],
        responses={200: s.HeatmapSerializer, **ERRORS},
    )
    def get(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        raw = request.query_params.get("domain", "")
        if not raw.isdigit():
            raise ApiError("give the domain as a number, e.g. ?domain=1", code="bad_domain", field="domain")
        return Response(s.HeatmapSerializer(selectors.cohort_heatmap(cohort=cohort, domain_number=int(raw))).data)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}"


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The roster as CSV (instructors): scores, readiness, assignments and mastery per domain",
        responses={(200, "text/csv"): OpenApiTypes.STR, **ERRORS},
    )
    def get(self, request: Request, cohort_id: str) -> HttpResponse:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        roster, domains = selectors.cohort_roster(cohort=cohort)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "username", "name", "joined", "graded attempts", "latest full-length score", "best full-length score",
                "passed latest", "predicted score", "pass probability %", "last activity", "assignments done",
                "assignments open", *[f"domain {d.number} mastery % ({d.name})" for d in domains],
            ]
        )  # fmt: skip
        for row in roster:
            ready = row["readiness"]
            writer.writerow(
                [
                    rules.csv_cell(row["username"]),
                    rules.csv_cell(row["name"]),
                    row["joined_at"].date().isoformat(),
                    row["attempts"],
                    row["latest_score"] if row["latest_score"] is not None else "",
                    row["best_score"] if row["best_score"] is not None else "",
                    {True: "yes", False: "no", None: ""}[row["passed"]],
                    ready["predicted_score"] if ready else "",
                    round(ready["pass_probability"] * 100) if ready else "",
                    row["last_activity"].isoformat(timespec="seconds") if row["last_activity"] else "",
                    row["assignments_done"],
                    row["assignments_total"],
                    *[_pct(v) for v in row["domains"]],
                ]
            )
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        name = slugify(cohort.name) or f"cohort-{cohort.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.now():%Y-%m-%d}.csv"'
        return response


class AssignmentListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Assignments: members see theirs with status; instructors all, with progress",
        responses={200: s.AssignmentSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, cohort_id: str) -> Response:
        cohort, role = selectors.cohort_get_for_viewer(cohort_id=cohort_id, user=request.user)
        return Response(s.AssignmentSerializer(_detail(request, cohort, role)["assignments"], many=True).data)

    @extend_schema(
        summary="Assign a full mock, a final or a practice set (instructors)",
        request=s.AssignmentCreateSerializer,
        responses={201: s.AssignmentSerializer, **BODY_ERRORS},
    )
    def post(self, request: Request, cohort_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        data = s.AssignmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_create(cohort=cohort, creator=request.user, **data.validated_data)
        progress = selectors.assignment_progress(cohort=cohort)[assignment.pk]
        return Response(
            s.AssignmentSerializer(assignment_payload(assignment, progress=progress)).data,
            status=status.HTTP_201_CREATED,
        )


class AssignmentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def _payload(self, request: Request, cohort, role: str, assignment) -> dict:
        if role in TEACHING:
            return assignment_payload(assignment, progress=selectors.assignment_progress(cohort=cohort)[assignment.pk])
        mine = next(
            m
            for m in selectors.assignments_for_learner(learner=request.user, cohort=cohort)
            if m.assignment.pk == assignment.pk
        )
        return assignment_payload(assignment, mine=mine)

    @extend_schema(summary="One assignment", responses={200: s.AssignmentSerializer, **ERRORS})
    def get(self, request: Request, cohort_id: str, assignment_id: str) -> Response:
        cohort, role = selectors.cohort_get_for_viewer(cohort_id=cohort_id, user=request.user)
        assignment = selectors.assignment_get(cohort=cohort, assignment_id=assignment_id)
        return Response(s.AssignmentSerializer(self._payload(request, cohort, role, assignment)).data)

    @extend_schema(
        summary="Change the title, the window or the attempt limit (instructors)",
        request=s.AssignmentUpdateSerializer,
        responses={200: s.AssignmentSerializer, **BODY_ERRORS},
    )
    def patch(self, request: Request, cohort_id: str, assignment_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        assignment = selectors.assignment_get(cohort=cohort, assignment_id=assignment_id)
        data = s.AssignmentUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_update(assignment=assignment, **data.validated_data)
        return Response(s.AssignmentSerializer(self._payload(request, cohort, "instructor", assignment)).data)

    @extend_schema(
        summary="Delete an assignment (instructors); attempts stay the learners' own", responses={204: None, **ERRORS}
    )
    def delete(self, request: Request, cohort_id: str, assignment_id: str) -> Response:
        cohort = selectors.cohort_get_for_instructor(cohort_id=cohort_id, user=request.user)
        assignment = selectors.assignment_get(cohort=cohort, assignment_id=assignment_id)
        services.assignment_delete(assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentStartView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Start the assigned exam (members): 201 with a new attempt, or 200 with the one to resume",
        request=None,
        responses={201: AttemptSerializer, 200: AttemptSerializer, **CONFLICT_ERRORS},
    )
    def post(self, request: Request, cohort_id: str, assignment_id: str) -> Response:
        cohort, _ = selectors.cohort_get_for_viewer(cohort_id=cohort_id, user=request.user)
        assignment = selectors.assignment_get(cohort=cohort, assignment_id=assignment_id)
        attempt, items, created = services.assignment_start(assignment=assignment, learner=request.user)
        if items is None:
            items = attempt_items(attempt=attempt)
        return Response(
            AttemptSerializer(attempt_payload(attempt, items)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class MyAssignmentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="My assignments in every cohort I belong to, with status",
        responses={200: s.AssignmentSerializer(many=True), **error_responses()},
    )
    def get(self, request: Request) -> Response:
        mine = selectors.assignments_for_learner(learner=request.user)
        return Response(
            s.AssignmentSerializer([assignment_payload(m.assignment, mine=m) for m in mine], many=True).data
        )
