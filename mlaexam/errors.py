"""One error shape for the whole API.

Every error under ``/api/``, from validation to 404 to throttling to an unexpected exception, is::

    {"error": {"code": "validation_error", "message": "...", "fields": {"answer": ["..."]}}}

``code`` is stable and machine-readable; ``message`` is a sentence for people; ``fields`` maps
field names to messages (only for validation errors). The frontend handles this one shape.
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mlaexam.parsers import body_too_large

logger = logging.getLogger("mlaexam.api")


class ApiError(exceptions.APIException):
    """An error with a code of its own, raised by services and views."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = "The request cannot be processed."

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        field: str | None = None,
        details: dict | None = None,
    ) -> None:
        super().__init__(detail=message, code=code or self.default_code)
        if status_code is not None:
            self.status_code = status_code
        self.error_code = code or self.default_code
        self.field = field
        self.details = details


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class NotFound(ApiError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "not_found"


# Seconds a client should wait before retrying after the database went away (a restart, a failover,
# a dropped connection). The request's transaction was rolled back, so a retry is safe.
RETRY_AFTER_UNAVAILABLE = 2


class Unavailable(ApiError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


def error_body(code: str, message: str, fields: dict | None = None, details: dict | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    if details:
        body["details"] = details
    return {"error": body}


def _flatten(detail: object) -> object:
    """DRF ErrorDetail trees -> plain strings, lists and dicts."""
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_flatten(v) for v in detail]
    return str(detail)


def _first_message(fields: object) -> str:
    if isinstance(fields, dict):
        for key, value in fields.items():
            inner = _first_message(value)
            return inner if key == "non_field_errors" else f"{key}: {inner}"
    if isinstance(fields, list) and fields:
        return _first_message(fields[0])
    return str(fields)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):  # a model's full_clean() in a service
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, RequestDataTooBig):  # Django read a form body (the CSRF check) over the limit
        exc = body_too_large()
    elif isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):
        exc = exceptions.ParseError("The request has more form fields or files than this API accepts.")
    elif isinstance(exc, (OperationalError, InterfaceError)):
        # The connection to the database broke mid-request: the transaction rolled back, nothing was
        # half-written, and Django drops the broken connection when the request ends.
        logger.warning("database unavailable: %s", exc)
        wait = RETRY_AFTER_UNAVAILABLE
        exc = Unavailable(f"The database is briefly unavailable, so nothing was saved. Try again in {wait} seconds.")
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Unavailable):
        response["Retry-After"] = str(RETRY_AFTER_UNAVAILABLE)
    if response is None:
        return None  # unexpected: Django's handler500 (below) answers in the same shape
    if isinstance(exc, ApiError):
        message = str(exc.detail)
        body = error_body(exc.error_code, message, {exc.field: [message]} if exc.field else None, exc.details)
    elif isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields}
        body = error_body("validation_error", _first_message(fields), fields)
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if not isinstance(code, str):
            code = "error"
        message = str(exc.detail) if isinstance(exc, exceptions.APIException) else str(exc)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            wait = max(1, math.ceil(exc.wait))  # the header and the sentence agree, and never say 0
            response["Retry-After"] = str(wait)
            message = f"Too many requests. Try again in {wait} second{'s' if wait != 1 else ''}."
        body = error_body(code, message)
    response.data = body
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)


def api_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side. Your saved answers are safe; try again."),
        status=500,
    )
