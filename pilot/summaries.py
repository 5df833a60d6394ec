"""Summary tables the apps keep (``pilot.registry.SUMMARIES``): where they are kept, how a
migration installs their triggers, and refilling one (``manage.py rebuild_summaries``).

The triggers are PostgreSQL's (plpgsql, statement-level with transition tables). On any
other database (SQLite for ``make run``) no trigger keeps the tables, so readers ask
``kept()`` and run the live query the summary replaced instead: the same figures, slower."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, migrations, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper


def kept(using: BaseDatabaseWrapper | None = None) -> bool:
    """Whether the database keeps the summary tables up to date (triggers installed)."""
    return (using or connection).vendor == "postgresql"


@contextmanager
def paused_for_bulk_load() -> Iterator[None]:
    """A bulk load (``seed_demo``) without the summary triggers, then every summary rebuilt
    once. Refreshing the summaries statement by statement while a table fills from empty
    is slow at scale (a rating batch's refresh took 25 s at state scale: the planner's
    statistics still say the tables are empty), where one rebuild at the end takes
    seconds. PostgreSQL fires no trigger (the foreign keys' neither: the loader must be
    right) for a session in the ``replica`` role, which takes a superuser; anyone else
    loads with the triggers on, as before."""
    pause = kept() and _is_superuser()
    if pause:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        if pause:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    if pause:
        from pilot.registry import SUMMARIES

        for summary in SUMMARIES:
            summary.rebuild()


def _is_superuser() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def postgresql_only(sql: str, reverse_sql: str = "") -> migrations.RunPython:
    """A migration operation running ``sql`` (and ``reverse_sql`` backwards) on PostgreSQL
    only: elsewhere the summary is not kept and the readers use the live queries."""

    def run(text: str):
        def operation(apps: object, schema_editor: object) -> None:
            if text and kept(schema_editor.connection):
                for statement in schema_editor.connection.ops.prepare_sql_script(text):
                    schema_editor.execute(statement, params=None)  # as RunSQL does

        return operation

    return migrations.RunPython(run(sql), run(reverse_sql))


def refill(model: type[models.Model], columns: list[str], rows: models.QuerySet) -> int:
    """Empty ``model``'s table and insert ``rows`` (a ``values_list`` in ``columns``'
    order) in one statement and one transaction, the table locked against the triggers'
    writes meanwhile; returns the number of rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    select, params = rows.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        if kept():
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")  # noqa: S608 - own table
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({names}) {select}", params)  # noqa: S608
        return cursor.rowcount


# Lock keys per pairing, as the first triggers took them, and per bucket of 256 pairings.
_PER_PAIRING = "SELECT DISTINCT id::int AS k FROM unnest(ids) AS id ORDER BY 1"
_PER_BUCKET = "SELECT DISTINCT (id % 256)::int AS k FROM unnest(ids) AS id ORDER BY 1"


def bucketed_locks(functions: str, until: str) -> tuple[str, str]:
    """The refresh functions in ``functions`` (a migration's SQL, up to ``until``) as
    ``CREATE OR REPLACE`` taking one advisory lock per bucket of pairings instead of one
    per pairing, and as they were (to migrate back). One lock per pairing made a
    transaction writing many pairings (seeding the state: 13,700) run out of PostgreSQL's
    shared lock table ("out of shared memory", max_locks_per_transaction); 256 buckets
    bound what a transaction holds, and two writers of different pairings in one bucket
    only wait for each other briefly."""
    old = functions[: functions.index(until)].replace(
        "CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"
    )
    if _PER_PAIRING not in old:
        raise ValueError("no per-pairing lock in these functions")
    new = old.replace(_PER_PAIRING, _PER_BUCKET).replace(
        "One writer per pairing at a time", "One writer per bucket of pairings at a time"
    )
    return new, old


_TRANSITION_TABLES = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def statement_triggers(
    name: str, table: str, function: str, ops: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
) -> str:
    """SQL creating a statement-level trigger ``<name>_<op>`` on ``table`` for each of
    ``ops``, with its transition tables (``new_rows``, ``old_rows``), running
    ``function()``."""
    return "".join(
        f"""
CREATE TRIGGER {name}_{op.lower()} AFTER {op} ON {table}
    REFERENCING {_TRANSITION_TABLES[op]} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
        for op in ops
    )
