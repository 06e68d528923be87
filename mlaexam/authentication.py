"""Token authentication that reads the token and its user in one raw query on PostgreSQL.

DRF's ``TokenAuthentication`` runs ``Token.objects.select_related("user").get(key=key)`` on every
request a script (or the load benchmark) makes: compiling that query and building two model
instances was about a seventh of an autosave's CPU (``bench/profile_endpoint.py``). This subclass
sends the same SELECT as text (``mlaexam.db.read_instances``) and keeps DRF's checks and messages;
on other databases it is DRF's own.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from mlaexam.db import Columns, read_instances


@cache  # the models are fixed once Django is set up
def _query() -> tuple[str, list[Columns]]:
    user, token = Columns.of(get_user_model(), "u"), Columns.of(Token, "t")
    pk = connection.ops.quote_name(get_user_model()._meta.pk.column)
    sql = f"SELECT {user.sql}, {token.sql} FROM {token.table} JOIN {user.table} ON u.{pk} = t.user_id WHERE t.key = %s"  # noqa: S608
    return sql, [user, token]


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, with the lookup in one raw query on PostgreSQL."""

    def authenticate_credentials(self, key: str) -> tuple[object, Token]:
        if connection.vendor != "postgresql":
            return super().authenticate_credentials(key)
        sql, columns = _query()
        found = read_instances(sql, [key], columns)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
