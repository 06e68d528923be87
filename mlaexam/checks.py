"""System checks run by ``migrate`` (and ``check --database default``) before anything is served."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import connections

POSTGRESQL_MIN = 150000  # grading records review states with MERGE (exams.services.grading)


@register(Tags.database)
def postgresql_version(app_configs: object = None, databases: list[str] | None = None, **kwargs: object) -> list:
    errors = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor == "postgresql" and connection.pg_version < POSTGRESQL_MIN:
            major = connection.pg_version // 10000
            errors.append(
                Error(
                    f"PostgreSQL {major} is too old for mlaexam: version 15 or newer is needed (grading uses MERGE).",
                    hint="Upgrade the server, or leave DATABASE_URL unset to run on the embedded SQLite.",
                    id="mlaexam.E001",
                )
            )
    return errors
