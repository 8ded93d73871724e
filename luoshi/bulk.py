"""Writing many rows at once: one UPDATE per thousand rows instead of one per row."""
from django.db import connection


def rows_update(model, rows: list, fields: list[str]) -> None:
    """Write ``fields`` of ``rows`` in one UPDATE … FROM (VALUES …) per thousand rows.

    Django's bulk_update builds a CASE expression per row and column, which
    costs more than the night's whole computation at tens of thousands of
    rows; a VALUES list is a join. PostgreSQL reads VALUES untyped, hence the
    casts; SQLite stores what it is given.
    """
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    pk = model._meta.pk

    def value(n: int, column) -> str:
        return f"CAST(v.column{n} AS {column.db_type(connection)})" if postgres else f"v.column{n}"

    assignments = ", ".join(f"{quote(c.column)} = {value(n, c)}" for n, c in enumerate(columns, start=2))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            batch = rows[start:start + 1000]
            placeholders = ", ".join(["(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"] * len(batch))
            params = [
                item
                for row in batch
                for item in (row.pk, *(c.get_db_prep_save(getattr(row, c.attname), connection) for c in columns))
            ]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {placeholders}) AS v "
                f"WHERE {table}.{quote(pk.column)} = v.column1",
                params,
            )
