"""The API's one request parser: strict JSON.

DRF's own ``JSONParser`` reads the request stream without Django's body-size limit and hands the
result of ``json.load`` straight to the views. This one refuses, each with a 4xx in the one error
shape (``mlaexam.errors``), what would otherwise be stored half-understood or crash later:

* a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413, read no further than the limit);
* bytes that are not UTF-8, and JSON that does not parse;
* an object with the same key twice (which one would win is a guess, so neither does);
* ``NaN`` and ``Infinity`` (not JSON; PostgreSQL's ``jsonb`` refuses them);
* nesting deeper than ``API_JSON_MAX_DEPTH`` (no request needs it; 100,000 levels would blow
  Python's recursion limit);
* NUL characters and unpaired surrogates in any string or key (PostgreSQL text cannot store the
  first; the second cannot be encoded as UTF-8 at all).
"""

from __future__ import annotations

import json
from typing import IO, Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The request body is too large."


def body_too_large() -> PayloadTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return PayloadTooLarge(f"The request body is larger than {limit:,} bytes, the most this API accepts.")


class _DuplicateKey(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _not_json(constant: str) -> None:
    raise ParseError(f"JSON parse error - {constant} is not a JSON number.")


def _refuse_string(text: str) -> None:
    if "\x00" in text:
        raise ParseError("The request contains a NUL character (\\u0000), which no field accepts.")
    # Lone surrogates survive json.loads but can never be encoded as UTF-8 (so never stored).
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise ParseError("The request contains an unpaired UTF-16 surrogate (\\ud800-\\udfff), which is not text.")


def _check_values(data: object) -> None:
    """Depth and characters of every string, iteratively (deep input must not recurse)."""
    max_depth = settings.API_JSON_MAX_DEPTH
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _refuse_string(value)
        elif isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(f"The JSON is nested more than {max_depth} levels deep.")
            if isinstance(value, dict):
                for key, item in value.items():
                    _refuse_string(key)
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


def refuse_unparsable_body(request: Request) -> None:
    """For operations that take no body: one sent anyway must still be small, JSON and well formed,
    so a hostile body gets the same 413, 415 or 400 everywhere, before anything changes."""
    request.data  # noqa: B018 - parsing is the point


class StrictJSONParser(JSONParser):
    """``application/json`` bodies, refused unless they are small, UTF-8 and unambiguous."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        if request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if limit is not None and declared > limit:
                raise body_too_large()
        raw = stream.read(limit + 1 if limit is not None else -1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise body_too_large()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError(f"The request body is not valid UTF-8 (byte {exc.start}).") from None
        try:
            data = json.loads(text, object_pairs_hook=_object_without_duplicates, parse_constant=_not_json)
        except _DuplicateKey as exc:
            raise ParseError(f"JSON parse error - the key {str(exc)!a} appears more than once in an object.") from None
        except RecursionError:
            raise ParseError(f"The JSON is nested more than {settings.API_JSON_MAX_DEPTH} levels deep.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        _check_values(data)
        return data
