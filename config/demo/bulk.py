"""Fast inserts of many rows given as field values: COPY on PostgreSQL, bulk_create elsewhere.

On PostgreSQL, bulk_create spends ~45 us per order event turning model instances into SQL
parameters; COPY of a tab-separated stream is four times faster. That, and not building a
model instance per row, is what keeps the 100,000-order benchmark set (1.3 million events)
under two minutes on a small machine.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection
from django.db.models import Model

# COPY's text format: backslash escapes for the characters that delimit rows and columns.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value).translate(_ESCAPES)
    return str(value)


def _copy(model: type[Model], rows: Sequence[dict]) -> bool:
    """COPY ``rows`` into the model's table; False where COPY is not available."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    # Values computed at save time (auto_now) would be missed by reading the given values.
    computed = any(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                   for field in fields)  # fmt: skip
    if connection.vendor != "postgresql" or computed:
        return False
    # A field left out gets its model default, as Model() would give it.
    defaults = {field.attname: field.get_default() for field in fields}
    buffer = io.StringIO()
    for row in rows:
        values = (row[name] if name in row else defaults[name] for name in defaults)
        buffer.write("\t".join(map(_copy_text, values)))
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        # copy_expert is psycopg2's (the driver pyproject.toml pins); psycopg 3 falls back.
        if not hasattr(cursor, "copy_expert"):
            return False
        cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", buffer)
    return True


def insert_rows(model: type[Model], rows: Sequence[dict], *, batch_size: int = 5000) -> None:
    """Insert rows given as {attname: value}; primary keys are not read back."""
    if rows and not _copy(model, rows):
        model.objects.bulk_create([model(**row) for row in rows], batch_size=batch_size)
