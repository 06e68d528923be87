"""Token authentication that reads the token and its user in one raw query on PostgreSQL.

DRF's ``TokenAuthentication`` runs ``Token.objects.select_related("user").get(key=key)`` on every
request a script (or the load benchmark) makes: compiling that query and building two model
instances was about a seventh of an autosave's CPU (``bench/profile_endpoint.py``). This subclass
sends the same SELECT as text, builds the instances with ``Model.from_db`` and keeps DRF's checks
and messages; on other databases it is DRF's own.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token


@cache  # the models are fixed once Django is set up
def _columns() -> tuple[list, list, str]:
    user_model = get_user_model()
    user_fields = list(user_model._meta.concrete_fields)
    token_fields = list(Token._meta.concrete_fields)
    select = ", ".join([f"u.{f.column}" for f in user_fields] + [f"t.{f.column}" for f in token_fields])
    sql = (
        f"SELECT {select} FROM {Token._meta.db_table} t"  # noqa: S608
        f" JOIN {user_model._meta.db_table} u ON u.{user_model._meta.pk.column} = t.user_id WHERE t.key = %s"
    )
    return user_fields, token_fields, sql


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, with the lookup in one raw query on PostgreSQL."""

    def authenticate_credentials(self, key: str) -> tuple[object, Token]:
        if connection.vendor != "postgresql":
            return super().authenticate_credentials(key)
        user_fields, token_fields, sql = _columns()
        with connection.cursor() as cursor:
            cursor.execute(sql, [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        split = len(user_fields)
        user = get_user_model().from_db(connection.alias, [f.attname for f in user_fields], row[:split])
        token = Token.from_db(connection.alias, [f.attname for f in token_fields], row[split:])
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
