"""Rate limits (Django REST framework throttling) on the endpoints worth guessing at or flooding.

Each throttle counts requests in the Django cache (Redis in production through ``CACHE_URL``, so
every gunicorn worker shares the counts) and answers an excess request with 429, a ``Retry-After``
header and the one error shape ("Too many requests. Try again in N seconds."). Rates are read from
``settings.API_THROTTLE_RATES`` at request time, so an operator can change them with the
``THROTTLE_RATES`` environment variable and tests with ``settings``; a rate of ``None`` turns that
throttle off.

=================  ==========================  =====================================================
scope              counted per                 why
=================  ==========================  =====================================================
sign-in            client address              password guessing from one place
sign-in-account    username tried              password guessing at one account from many places
sign-up            client address              account farming
token              client address              API tokens are credentials too
autosave           learner                     generous: a save every second is fine, a loop is not
join               learner                     guessing join codes
=================  ==========================  =====================================================
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView


class _Throttle(SimpleRateThrottle):
    scope: str = ""

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)

    def ident_of(self, request: Request) -> str | None:
        return self.get_ident(request)

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        ident = self.ident_of(request)
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}


class _PerUser(_Throttle):
    def ident_of(self, request: Request) -> str | None:
        return str(request.user.pk) if request.user.is_authenticated else self.get_ident(request)


class SignInThrottle(_Throttle):
    scope = "sign-in"


class SignInAccountThrottle(_Throttle):
    """Counts tries at one username, wherever they come from (so spreading them over addresses
    does not help); the username is case-folded as Django's sign-in treats it."""

    scope = "sign-in-account"

    def ident_of(self, request: Request) -> str | None:
        # A body that does not parse raises here, and DRF answers 400, 413 or 415: caught, DRF would
        # hand the view an empty body instead, and it would answer "username: This field is required".
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if not isinstance(username, str) or not username.strip():
            return None
        return username.strip().casefold()[:150].encode("unicode_escape").decode("ascii")


class SignUpThrottle(_Throttle):
    scope = "sign-up"


class TokenThrottle(_Throttle):
    scope = "token"


class AutosaveThrottle(_PerUser):
    scope = "autosave"


class JoinThrottle(_PerUser):
    scope = "join"
