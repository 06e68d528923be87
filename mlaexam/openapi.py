"""The API's error responses in the OpenAPI schema: the one shape of ``mlaexam.errors``, documented.

Views list the errors they answer with ``error_responses(...)``; every operation also documents
401 (a bad token), 429 (rate limits) and 503 (the database briefly away), which any request can get.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable and machine-readable, e.g. validation_error, not_found.")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Validation errors only: each field's messages (nested for nested input).",
    )
    details = serializers.DictField(child=serializers.JSONField(), required=False)


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


DESCRIPTIONS = {
    400: "Invalid input, or JSON that is malformed, ambiguous (a key twice) or nested too deeply",
    401: "Not signed in, or an invalid token",
    403: "Signed in but not allowed (or a missing CSRF token with the session cookie)",
    404: "No such resource, or not one of mine",
    409: "Conflicts with the current state",
    413: "The request body is too large",
    415: "The body is not application/json",
    429: "Too many requests; wait as the message says",
    503: "The database is briefly unavailable; nothing was saved, retry shortly",
}
ALWAYS = (401, 429, 503)
BODY = (400, 413, 415)


def error_responses(*statuses: int, **descriptions: str) -> dict[int, OpenApiResponse]:
    """The error responses of an operation: ``statuses`` plus ``ALWAYS``, each in the one error shape.

    ``descriptions`` overrides a status's description, keyed ``e404="No such attempt"``.
    """
    wanted = sorted(set(statuses) | set(ALWAYS))
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=descriptions.get(f"e{code}", DESCRIPTIONS[code]))
        for code in wanted
    }
