"""System checks that run at migrate: the database server must be new enough."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

pytestmark = pytest.mark.django_db


def test_postgresql_older_than_15_stops_migrate_with_a_message_that_says_why():
    with mock.patch.object(connection, "pg_version", 140012), pytest.raises(SystemCheckError) as failed:
        call_command("check", "--database", "default")
    assert "mlaexam.E001" in str(failed.value)
    assert "PostgreSQL 14 is too old for mlaexam: version 15 or newer is needed" in str(failed.value)


def test_the_server_the_suite_runs_on_passes():
    assert connection.pg_version >= 150000
    call_command("check", "--database", "default")  # raises on any error
