"""Refilling an app's summary table from a query (``manage.py rebuild_summaries``)."""

from django.db import connection, models, transaction


def refill(model: type[models.Model], columns: list[str], rows: models.QuerySet) -> int:
    """Empty ``model``'s table and insert ``rows`` (a ``values_list`` in ``columns``'
    order) in one statement and one transaction, the table locked against the triggers'
    writes meanwhile; returns the number of rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    select, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # noqa: S608 - model's own table
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)  # noqa: S608
        return cursor.rowcount
