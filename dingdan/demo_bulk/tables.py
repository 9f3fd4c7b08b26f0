"""Writing many rows to one model's table fast: COPY on PostgreSQL, executemany on SQLite.

The rows bypass the ORM (no model instances, no signals), so the caller hands over values
that already hold: ids it allocated itself, datetimes as epoch seconds (UTC), JSON as Python
data. Fields the caller leaves out get their model default, so a new column with a default
never breaks the generator."""

import datetime as dt
import json
import time
from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

UTC = dt.UTC
_json = json.JSONEncoder(ensure_ascii=False).encode


def next_id(model: type[models.Model]) -> int:
    """The first id after every existing row; ids are handed out by the caller and the
    sequence moved past them afterwards (`reset_sequences`)."""
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class TableWriter:
    """Appends rows of (value per field in `fields`) to `model`'s table."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        opts = model._meta
        given = [opts.get_field(name) for name in fields]
        missing = [f for f in opts.concrete_fields if f.name not in fields and not f.primary_key]
        required = [f.name for f in missing if not f.has_default() and not f.null]
        if required:
            raise ValueError(f"{opts.label}: no value and no default for {', '.join(required)}")
        self.model = model
        self.defaults = missing
        self.columns = [f.column for f in given] + [f.column for f in missing]
        self.table = opts.db_table
        self.postgres = connection.vendor == "postgresql"
        self.adapters = [self._adapter(f) for f in given + missing]
        self.rows_written = 0

    def _adapter(self, field: models.Field):
        if isinstance(field, models.JSONField):
            return _json
        if isinstance(field, models.DateTimeField):
            if self.postgres:
                return lambda v: None if v is None else dt.datetime.fromtimestamp(v, UTC)
            # Django keeps SQLite datetimes as naive UTC text.
            return lambda v: None if v is None else time.strftime(
                "%Y-%m-%d %H:%M:%S", time.gmtime(v)
            )
        if self.postgres:
            return None  # psycopg adapts dates, booleans and None itself
        if isinstance(field, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(field, models.BooleanField):
            return lambda v: None if v is None else int(v)
        return None

    def _prepared(self, rows: Iterable[Sequence]) -> Iterable[tuple]:
        defaults = self.defaults
        adapters = [(i, a) for i, a in enumerate(self.adapters) if a is not None]
        for row in rows:
            values = list(row)
            if defaults:
                values += [f.get_default() for f in defaults]
            for i, adapt in adapters:
                values[i] = adapt(values[i])
            yield values

    def write(self, rows: Iterable[Sequence]) -> int:
        """Insert the rows in the caller's transaction; returns how many."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(c) for c in self.columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {quote(self.table)} ({columns}) FROM STDIN") as copy:
                    for values in self._prepared(rows):
                        copy.write_row(values)
                        count += 1
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                batch = list(self._prepared(rows))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({columns}) VALUES ({marks})", batch
                )
                count = len(batch)
        self.rows_written += count
        return count
