"""Gapless yearly numbers: appeal registration numbers, mediation case numbers, charity request
and receipt numbers.

One counter per (scope, year) in ``core.Sequence``. ``next_number`` must run inside the caller's
transaction (the one that stores the numbered record): one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` adds one to the counter row and returns the new value (PostgreSQL locks the row;
SQLite has one writer at a time anyway). The lock is held until the caller's transaction ends,
so concurrent registrations get consecutive numbers and no repeat; a transaction that rolls
back also rolls back its increment, so the number is given to the next registration and no gap
appears.

Each app names its scopes and formats its own numbers::

    serial = sequences.next_number("appeals.number", 2026)        # 124
    number = f"2026-{serial:06d}"                                  # "2026-000124"
    sequences.next_number(sequences.scope("mediation.case", centre.pk), 2026)

``last_numbers`` and ``set_last`` are for the demo seeder, which numbers records in bulk.
"""

from __future__ import annotations

from django.db import transaction

from birlik.core.models import Sequence

__all__ = ["last_numbers", "next_number", "scope", "set_last"]


def scope(prefix: str, key: object | None = None) -> str:
    """The scope of a counter kept per ``key`` (a centre's id, say): ``"prefix:key"``."""
    return prefix if key is None else f"{prefix}:{key}"


def next_number(scope: str, year: int, *, using: str | None = None) -> int:
    """The next number of ``scope`` in ``year`` (1 for the first), locked until the caller's
    transaction ends."""
    if not transaction.get_connection(using).in_atomic_block:
        raise transaction.TransactionManagementError(
            "next_number() must run inside the transaction that stores the number."
        )
    connection = transaction.get_connection(using)
    table = connection.ops.quote_name(Sequence._meta.db_table)
    # One statement (PostgreSQL and SQLite ≥ 3.35): the first allocation inserts 1, later ones
    # add one to the row, which stays locked (PostgreSQL) or written (SQLite: one writer at a
    # time) until the caller's transaction ends.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - the table's own name
            f"ON CONFLICT (scope, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [scope, year],
        )
        row = cursor.fetchone()
    return int(row[0])


def last_numbers(scope: str) -> dict[int, int]:
    """The last number given out in ``scope``, per year."""
    return dict(Sequence.objects.filter(scope=scope).values_list("year", "last"))


def set_last(scope: str, year: int, last: int) -> None:
    """Set the counter (after numbering records in bulk); the next number is ``last + 1``."""
    Sequence.objects.update_or_create(scope=scope, year=year, defaults={"last": last})
