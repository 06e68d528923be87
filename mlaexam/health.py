"""Liveness and readiness for load balancers and docker-compose health checks."""

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mlaexam.openapi import error_responses


@extend_schema(
    summary="Health of the web process and its database",
    responses={
        200: inline_serializer(
            "Health",
            {"database": serializers.CharField(), "tasks": serializers.CharField()},
        ),
        503: inline_serializer(
            "HealthDown",
            {"database": serializers.CharField(), "tasks": serializers.CharField()},
        ),
        # Its own 503 above (the check's answer), so only the other errors any request can get.
        **{code: response for code, response in error_responses().items() if code != 503},
    },
)
@api_view(["GET"])
@permission_classes([AllowAny])
def health(request: Request) -> Response:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        database = "unreachable"
    tasks = "in-process" if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) else "broker"
    status = 200 if database == "ok" else 503
    return Response({"database": database, "tasks": tasks}, status=status)
