"""Set-based writes for the hot paths (starting an attempt, grading a batch), and raw reads of
model instances for the hottest requests (an autosave, a token lookup).

``bulk_create`` builds a model instance per row and a placeholder per value; for the thousands of
rows a grading batch writes, that Python costs more than PostgreSQL's work. ``insert_rows`` and
``update_rows`` send the rows as one JSONB parameter instead (``… FROM jsonb_array_elements(%s)``,
each value cast to its column's type): one statement, one parameter, no instances. JSON, encoded by
orjson, because psycopg adapts Python lists for array parameters in Python (20,000 rows: arrays
0.20 s, JSON 0.11 s, measured); JSONB rather than JSON because PostgreSQL re-parses a ``json``
element for every column read from it. On other databases (SQLite, for ``make run``) both fall back
to the ORM, so callers need no branch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import orjson
from django.db import connection
from django.db.models import Field, JSONField, Model


def _json_default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError  # orjson reports "Type is not JSON serializable: <type>"


def json_payload(rows: Sequence[Sequence[object]]) -> str:
    """Rows as one JSON array parameter for ``jsonb_array_elements(%s::jsonb)``. orjson writes
    datetimes as ISO 8601 with their offset and UUIDs as text, as PostgreSQL reads them."""
    return orjson.dumps(rows, default=_json_default).decode()


def insert_rows(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert ``rows`` (tuples in the order of ``columns``, which are field names; foreign keys as
    ``<name>_id`` values under the field name) in one statement. With ``conflict`` (the fields of a
    unique constraint) and ``update``, an existing row has those fields updated instead. With
    ``returning`` (field names), returns those values of the inserted rows, in no promised order.

    Values must already be valid for their columns: nothing is cleaned here (callers compute them),
    and model defaults are not applied on PostgreSQL (list every column that is NOT NULL). A JSON
    field takes the value itself (a dict or list; ``None`` stores SQL NULL)."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        instances = [model(**{_attname(model, c): v for c, v in zip(columns, row, strict=True)}) for row in rows]
        model.objects.bulk_create(
            instances,
            update_conflicts=bool(conflict),
            unique_fields=list(conflict) or None,
            update_fields=list(update) or None,
        )
        return [tuple(getattr(i, _attname(model, name)) for name in returning) for i in instances] if returning else []

    def column(name: str) -> str:
        return _column(model, name)

    names = ", ".join(column(c) for c in columns)
    values = ", ".join(_value(model, i, c) for i, c in enumerate(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({names}) SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS r"  # noqa: S608
    if conflict:
        target = ", ".join(column(c) for c in conflict)
        sets = ", ".join(f"{column(c)} = EXCLUDED.{column(c)}" for c in update)
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {sets}" if update else f" ON CONFLICT ({target}) DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(column(c) for c in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, [json_payload(rows)])
        return cursor.fetchall() if returning else []


def update_rows(
    model: type[Model], keys: Sequence[str], columns: Sequence[str], rows: Sequence[Sequence[object]]
) -> int:
    """Update many rows in one statement: each row is the values of ``keys`` (which find the row)
    then of ``columns`` (which are set). Returns how many rows were updated (rows not found are
    left alone: the caller compares). Same value rules as ``insert_rows``."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        updated = 0
        for row in rows:
            found = {_attname(model, k): v for k, v in zip(keys, row[: len(keys)], strict=True)}
            values = {_attname(model, c): v for c, v in zip(columns, row[len(keys) :], strict=True)}
            updated += model.objects.filter(**found).update(**values)
        return updated
    where = " AND ".join(f"t.{_column(model, k)} = {_value(model, i, k)}" for i, k in enumerate(keys))
    sets = ", ".join(f"{_column(model, c)} = {_value(model, i, c)}" for i, c in enumerate(columns, start=len(keys)))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} AS t SET {sets} FROM jsonb_array_elements(%s::jsonb) AS r WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [json_payload(rows)])
        return cursor.rowcount


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _value(model: type[Model], i: int, name: str) -> str:
    """The SQL for element ``i`` of a row ``r`` of the JSON payload, cast to the column's type."""
    field = model._meta.get_field(name)
    if isinstance(field, JSONField):
        return f"(CASE WHEN jsonb_typeof(r->{i}) = 'null' THEN NULL ELSE r->{i} END)"
    return f"(r->>{i})::{field.db_type(connection)}"


def _attname(model: type[Model], name: str) -> str:
    return model._meta.get_field(name).attname


@dataclass(frozen=True)
class Columns:
    """Some concrete fields of one model, selected under a table alias in a raw query."""

    model: type[Model]
    alias: str
    fields: tuple[Field, ...]

    @classmethod
    def of(cls, model: type[Model], alias: str, *, only: Sequence[str] = (), exclude: Sequence[str] = ()) -> Columns:
        """``only`` or ``exclude``: attribute names (``learner_id``); by default every concrete field."""
        fields = tuple(
            f for f in model._meta.concrete_fields if (not only or f.attname in only) and f.attname not in exclude
        )
        return cls(model, alias, fields)

    @property
    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{connection.ops.quote_name(f.column)}" for f in self.fields)

    @property
    def table(self) -> str:
        return f"{connection.ops.quote_name(self.model._meta.db_table)} {self.alias}"


def read_instances(sql: str, params: Sequence[object], columns: Sequence[Columns]) -> list[Model] | None:
    """The first row of a raw ``SELECT`` of ``columns`` (their ``sql``, in order) as one instance per
    model, its values converted as the ORM converts them (JSON decoded), with no query compiled and
    the unselected fields deferred; None when no row matched. For requests where compiling the ORM's
    query and building its instances cost more than PostgreSQL's work."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for part in columns:
        values = [
            field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
            for field, value in zip(part.fields, row[start : start + len(part.fields)], strict=True)
        ]
        start += len(part.fields)
        instances.append(part.model.from_db(connection.alias, [f.attname for f in part.fields], values))
    return instances
