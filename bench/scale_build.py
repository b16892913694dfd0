"""The scale data set: the real demo as the base, then its rows cloned in bulk up to N times.

Used by ``bench/scale.py build`` in a process whose Django settings point at the target
database. The demo generator (``demo_seed``) writes the base at ``min(factor, 1)``; every row
of the domain apps is then written again ``m - 1`` times (PostgreSQL ``COPY``, SQLite
``executemany`` in one transaction per table), so that statuses, dates over the year, regions
and kinds keep the demo's distributions exactly. A clone gets fresh primary keys (the original
key plus ``k`` times the table's largest key) and its foreign keys point at the clones of the
same round ``k``; bodies below the regional assemblies are cloned under the same parents (new
tree paths), so a regional coordinator's subtree grows with the country. Every unique rule of
the models is checked: a rule that the new keys do not already keep gets its text column
suffixed (``-c<k>``), its digest rehashed, or its nullable link to an uncloned row left empty; a
table where none of that works is not cloned (and listed).
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

# Apps whose rows are cloned; everything else (geo, access, notify, core, reports, imports,
# catalogues without a link to a body or a person) stays as the demo wrote it.
CLONED_APPS = (
    "registry",
    "events",
    "appeals",
    "mediation",
    "charity",
    "surveys",
    "learning",
    "ideas",
    "youth",
    "volunteers",
    "diplomacy",
    "deputies",
    "monitoring",
)
# The national year (issue 19) per demo scale 1: the apps with a stated target reach
# factor × target; the others are cloned factor times their demo.
NATIONAL_YEAR = {"events.event": 150_000, "appeals.appeal": 100_000}
ANCHORS = {"events": "events.event", "appeals": "appeals.appeal"}
# Tables whose rows are also copied within the same parent, to reach their own national figure
# (2M registrations for 150k events: the demo's events are smaller than the country's). Each
# extra copy keeps its event (a bigger event), gets a new participant key and ticket code, and
# the events' counters and places grow by the same factor (``after_clone``).
DENSER = {"events.registration": (2_000_000, "events_event")}
DENSER_COUNTERS = {
    "events_event": ("capacity", "confirmed_count", "waitlist_count", "attended_count")
}
# Tables cloned although no link leads from them to a body or a person (the bulk of their app).
EXTRA_ROOTS = {"monitoring.item", "surveys.response"}
# Catalogues that link to a body but are looked up by their code: one of each, as in the demo.
NOT_CLONED = {"events.programme", "surveys.questionnaire"}
# Bodies at this depth and below are cloned (1: the secretariat, 2: the regional assemblies).
CLONE_DEPTH = 3
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CHUNK = 1 << 20  # bytes handed to COPY at a time
SQLITE_BATCH = 20_000


def _dec(step: str) -> int:
    return int(step, 36)


def _enc(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


@dataclass
class Column:
    name: str
    kind: str  # "pk", "fk", "path", "rehash", "suffix", "null", "plain"
    target: str = ""  # the cloned table a foreign key points at
    max_length: int = 0
    owner: bool = False  # a link to a partly cloned table: rows of uncloned parents stay single


@dataclass
class Table:
    label: str  # app_label.model_name
    db_table: str
    group: str  # app label
    columns: list[Column]
    pk: str
    depends: set[str] = field(default_factory=set)  # tables whose rows this one points at
    partial: bool = False  # only some rows are cloned (bodies below the regional assemblies)
    base_rows: int = 0
    max_pk: int = 0
    cloned_ids: frozenset[int] = frozenset()  # for partial tables


@dataclass
class Plan:
    tables: dict[str, Table]  # by db_table
    multipliers: dict[str, int]  # by group
    skipped: dict[str, str]  # label -> why
    step_stride: int = 0  # added per round to the step of a cloned body under its parent
    denser: dict[str, int] = field(default_factory=dict)  # db_table -> copies per parent row

    def rounds(self, table: Table) -> int:
        """Copies of each row, the original included: its app's rounds × its own density."""
        return self.multipliers[table.group] * self.denser.get(table.db_table, 1)


def _models() -> list[Any]:
    from django.apps import apps

    found = []
    for label in CLONED_APPS:
        config = apps.get_app_config(label)
        for model in config.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            found.append(model)
    return found


def _label(model: Any) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _unique_sets(model: Any) -> list[tuple[str, list[str]]]:
    """(name, column names) of every unique rule of the model except its primary key."""
    meta = model._meta
    found: list[tuple[str, list[str]]] = []
    for f in meta.local_concrete_fields:
        if f.unique and not f.primary_key:
            found.append((f.name, [f.column]))
    for together in meta.unique_together:
        found.append((",".join(together), [meta.get_field(n).column for n in together]))
    from django.db.models import UniqueConstraint

    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            if constraint.expressions:
                found.append((constraint.name, []))  # an expression: nothing we can reason on
            else:
                found.append(
                    (constraint.name, [meta.get_field(n).column for n in constraint.fields])
                )
    return found


def make_plan(factor: float, base_scale: float) -> Plan:
    """Which tables are cloned, how each column changes in a clone, and how many rounds."""
    from django.db import connection

    models = _models()
    by_label = {_label(m): m for m in models}
    # Cloned: bodies, people, and (to a fixed point) whatever links to a cloned table.
    cloned = {"registry.organisation", "registry.person", *EXTRA_ROOTS} & set(by_label)
    changed = True
    while changed:
        changed = False
        for label, model in by_label.items():
            if label in cloned or label in NOT_CLONED:
                continue
            for f in model._meta.local_concrete_fields:
                if f.is_relation and _label(f.related_model) in cloned:
                    cloned.add(label)
                    changed = True
                    break
    with connection.cursor() as cursor:

        def count(table: str, pk: str) -> tuple[int, int]:
            cursor.execute(
                f'SELECT COUNT(*), COALESCE(MAX("{pk}"), 0) FROM "{table}"'  # noqa: S608
            )
            rows, top = cursor.fetchone()
            return int(rows), int(top)

        multipliers: dict[str, int] = {}
        for group in CLONED_APPS:
            multipliers[group] = max(1, round(factor / base_scale))
        for group, anchor in ANCHORS.items():
            model = by_label[anchor]
            rows, _ = count(model._meta.db_table, model._meta.pk.column)
            if rows:
                multipliers[group] = max(1, round(factor * NATIONAL_YEAR[anchor] / rows))
        tables: dict[str, Table] = {}
        skipped: dict[str, str] = {}
        for label in sorted(cloned):
            model = by_label[label]
            meta = model._meta
            if not isinstance(meta.pk.column, str) or meta.pk.get_internal_type() not in {
                "AutoField",
                "BigAutoField",
            }:
                skipped[label] = "its primary key is not a number"
                continue
            rows, top = count(meta.db_table, meta.pk.column)
            table = Table(
                label=label,
                db_table=meta.db_table,
                group=meta.app_label,
                columns=[],
                pk=meta.pk.column,
                base_rows=rows,
                max_pk=top,
            )
            for f in meta.local_concrete_fields:
                if f.primary_key:
                    table.columns.append(Column(f.column, "pk"))
                elif f.is_relation and _label(f.related_model) in cloned:
                    target = f.related_model._meta.db_table
                    table.columns.append(Column(f.column, "fk", target=target))
                    if target != meta.db_table:
                        table.depends.add(target)
                elif label == "registry.organisation" and f.name == "path":
                    table.columns.append(Column(f.column, "path"))
                elif (
                    f.get_internal_type() == "CharField"
                    and (f.max_length or 0) == 64
                    and (f.name.endswith("_digest") or f.name.endswith("_key"))
                ):
                    table.columns.append(Column(f.column, "rehash"))
                else:
                    table.columns.append(
                        Column(f.column, "plain", max_length=getattr(f, "max_length", 0) or 0)
                    )
            if label == "registry.organisation":
                table.partial = True
            tables[meta.db_table] = table
        # Unique rules: kept by the new keys, else fixed per column, else the table is skipped
        # (and the links to it then keep pointing at the originals: check again until stable).
        stable = False
        while not stable:
            stable = True
            for table in list(tables.values()):
                model = by_label[table.label]
                columns = {c.name: c for c in table.columns}
                for name, rule in _unique_sets(model):
                    if _kept(rule, columns, table, tables, multipliers):
                        continue
                    if _fix(rule, columns, model) is None:
                        skipped[table.label] = f"its unique rule {name} would break in a clone"
                        del tables[table.db_table]
                        stable = False
                        break
            for table in tables.values():
                for column in table.columns:
                    if column.kind == "fk" and column.target not in tables:
                        column.kind = "plain"
                table.depends &= set(tables)
        plan = Plan(tables=tables, multipliers=multipliers, skipped=skipped)
        for label, (national, _parent) in DENSER.items():
            model = by_label[label]
            dense = tables.get(model._meta.db_table)
            if dense is None or not dense.base_rows:
                continue
            copies = multipliers[dense.group] * dense.base_rows
            plan.denser[dense.db_table] = max(1, round(factor * national / copies))
        organisation = next(
            (t for t in tables.values() if t.label == "registry.organisation"), None
        )
        if organisation is not None:
            cursor.execute(
                f'SELECT "{organisation.pk}", path FROM "{organisation.db_table}" '  # noqa: S608
                "WHERE depth >= %s",
                [CLONE_DEPTH],
            )
            found = cursor.fetchall()
            organisation.cloned_ids = frozenset(row[0] for row in found)
            steps = [_dec(path[8:12]) for _, path in found if len(path) >= 12]
            plan.step_stride = max(steps, default=0) + 1
            if plan.step_stride * multipliers["registry"] >= len(ALPHABET) ** STEPLEN:
                raise SystemExit("too many rounds for the tree's paths")
        # A table copied only for the copied bodies is itself partly copied: links into it
        # move to a copy only where there is one.
        for table in order(plan):
            owners = [c for c in table.columns if c.owner]
            if not owners or table.partial:
                continue
            names = ", ".join(f'"{c.name}"' for c in owners)
            cursor.execute(f'SELECT "{table.pk}", {names} FROM "{table.db_table}"')  # noqa: S608
            sets = [plan.tables[c.target].cloned_ids for c in owners]
            table.cloned_ids = frozenset(
                row[0]
                for row in cursor.fetchall()
                if all(v is not None and v in ids for v, ids in zip(row[1:], sets, strict=True))
            )
            table.partial = True
    return plan


def _kept(
    rule: list[str],
    columns: dict[str, Column],
    table: Table,
    tables: dict[str, Table],
    multipliers: dict[str, int],
) -> bool:
    """True if every clone of a row differs from every other row in one of the rule's columns."""
    if _kept_by_keys(rule, columns, table, tables, multipliers):
        return True
    for name in rule:  # a link to a partly cloned table: only its cloned parents' rows are cloned
        column = columns.get(name)
        if column is not None and column.kind == "fk" and column.target != table.db_table:
            target = tables.get(column.target)
            if (
                target is not None
                and target.partial
                and multipliers[target.group] >= multipliers[table.group]
            ):
                column.owner = True
                return True
    return False


def _kept_by_keys(
    rule: list[str],
    columns: dict[str, Column],
    table: Table,
    tables: dict[str, Table],
    multipliers: dict[str, int],
) -> bool:
    for name in rule:
        column = columns.get(name)
        if column is None:
            continue
        if column.kind in {"pk", "rehash", "path"}:
            return True
        if column.kind == "fk":
            target = tables.get(column.target)
            if target is None or target.partial:
                continue
            same_round = target.group == table.group or (
                multipliers[target.group] >= multipliers[table.group]
            )
            if same_round:
                return True
    return False


def _fix(rule: list[str], columns: dict[str, Column], model: Any) -> str | None:
    meta = model._meta
    by_column = {f.column: f for f in meta.local_concrete_fields}
    for name in rule:
        f = by_column[name]
        if f.get_internal_type() in {"CharField", "SlugField", "EmailField"} and not f.choices:
            columns[name].kind = "suffix"
            columns[name].max_length = f.max_length or 0
            return name
    for name in rule:
        f = by_column[name]
        if f.is_relation and f.null:
            columns[name].kind = "null"
            return name
    return None


def order(plan: Plan) -> list[Table]:
    """Tables parents first (SQLite checks links at commit; PostgreSQL does not need it)."""
    done: list[Table] = []
    seen: set[str] = set()

    def visit(table: Table, stack: set[str]) -> None:
        if table.db_table in seen or table.db_table in stack:
            return
        stack.add(table.db_table)
        for parent in sorted(table.depends):
            visit(plan.tables[parent], stack)
        seen.add(table.db_table)
        done.append(table)

    for table in sorted(plan.tables.values(), key=lambda t: t.db_table):
        visit(table, set())
    return done


# --- Row transforms ---------------------------------------------------------------------------

Transform = Callable[[list[Any], int], list[Any] | None]


def transformer(table: Table, plan: Plan, *, text: bool) -> Transform:
    """A function (row, k) -> the row of clone ``k`` (None: the row is not cloned).

    ``text``: the row is PostgreSQL COPY text (a list of bytes fields, NULL as ``\\N``);
    otherwise Python values (SQLite)."""
    null: Any = b"\\N" if text else None
    steps: list[Callable[[list[Any], int], None]] = []

    def num(value: Any) -> int:
        return int(value)

    def out(value: int) -> Any:
        return str(value).encode() if text else value

    for index, column in enumerate(table.columns):
        if column.kind == "pk":
            offset = table.max_pk

            def pk_step(row: list[Any], k: int, i: int = index, off: int = offset) -> None:
                row[i] = out(num(row[i]) + k * off)

            steps.append(pk_step)
        elif column.kind == "fk":
            target = plan.tables[column.target]
            rounds = plan.multipliers[target.group]
            ids = target.cloned_ids if target.partial else None

            def fk_step(
                row: list[Any],
                k: int,
                i: int = index,
                off: int = target.max_pk,
                rounds: int = rounds,
                ids: frozenset[int] | None = ids,
            ) -> None:
                value = row[i]
                if value == null:
                    return
                r = k % rounds  # a denser table's extra copies keep their parent's round
                if r == 0:
                    return
                parsed = num(value)
                if ids is not None and parsed not in ids:
                    return
                row[i] = out(parsed + r * off)

            steps.append(fk_step)
        elif column.kind == "path":
            stride = plan.step_stride

            def path_step(row: list[Any], k: int, i: int = index, stride: int = stride) -> None:
                path = row[i].decode() if text else row[i]
                new = path[:8] + _enc(_dec(path[8:12]) + k * stride) + path[12:]
                row[i] = new.encode() if text else new

            steps.append(path_step)
        elif column.kind == "rehash":

            def rehash_step(row: list[Any], k: int, i: int = index) -> None:
                value = row[i]
                if value == null or value in {b"", ""}:
                    return
                raw = value if text else value.encode()
                digest = hashlib.sha256(raw + b":%d" % k).hexdigest()
                row[i] = digest.encode() if text else digest

            steps.append(rehash_step)
        elif column.kind == "suffix":
            length = column.max_length

            def suffix_step(row: list[Any], k: int, i: int = index, length: int = length) -> None:
                value = row[i]
                if value == null:
                    return
                tail = f"-c{k}"  # slug-safe: codes appear in URLs
                if text:
                    raw = value.decode()
                    raw = (
                        (raw + tail)
                        if len(raw) + len(tail) <= length
                        else raw[: length - len(tail)] + tail
                    )
                    row[i] = raw.encode()
                else:
                    row[i] = (
                        (value + tail)
                        if len(value) + len(tail) <= length
                        else value[: length - len(tail)] + tail
                    )

            steps.append(suffix_step)
        elif column.kind == "null":

            def null_step(row: list[Any], k: int, i: int = index) -> None:
                row[i] = null

            steps.append(null_step)

    partial_ids = table.cloned_ids if table.partial else None
    pk_index = next(i for i, c in enumerate(table.columns) if c.kind == "pk")
    owners = [(i, plan.tables[c.target].cloned_ids) for i, c in enumerate(table.columns) if c.owner]

    def apply(row: list[Any], k: int) -> list[Any] | None:
        if partial_ids is not None and num(row[pk_index]) not in partial_ids:
            return None
        for i, ids in owners:
            if row[i] == null or num(row[i]) not in ids:
                return None
        new = list(row)
        for step in steps:
            step(new, k)
        return new

    return apply


# --- Writers ----------------------------------------------------------------------------------


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def clone_postgres(plan: Plan, bar_file: Any = sys.stderr) -> dict[str, int]:
    """Clone every planned table with COPY; secondary indexes are dropped and rebuilt around it."""
    from django.db import connection

    written: dict[str, int] = {}
    raw = connection.connection  # psycopg 3
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET synchronous_commit = off")
        # Inside a transaction (the smoke test's), the deferred foreign-key checks of rows just
        # written are pending, and PostgreSQL refuses ALTER TABLE … DISABLE TRIGGER on their
        # tables: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in order(plan):
        rounds = plan.rounds(table)
        if rounds <= 1 or not table.base_rows:
            continue
        names = [c.name for c in table.columns]
        apply = transformer(table, plan, text=True)
        with raw.cursor() as cur:
            source: list[list[bytes]] = []
            with cur.copy(
                f'COPY (SELECT {_quoted(names)} FROM "{table.db_table}") TO STDOUT'  # noqa: S608
            ) as copy:
                buffer = b""
                for data in copy:
                    buffer += bytes(data)
                    lines = buffer.split(b"\n")
                    buffer = lines.pop()
                    source.extend(line.split(b"\t") for line in lines)
                if buffer:
                    source.append(buffer.split(b"\t"))
            rebuilt = _drop_indexes(cur, table.db_table) if len(source) * rounds > 200_000 else []
            cur.execute(f'ALTER TABLE "{table.db_table}" DISABLE TRIGGER ALL')
            cur.execute(f'ALTER TABLE "{table.db_table}" ENABLE TRIGGER USER')
            count = 0
            try:
                with (
                    tqdm(
                        total=len(source) * (rounds - 1),
                        desc=f"  {table.db_table}",
                        unit=" rows",
                        unit_scale=True,
                        file=bar_file,
                        leave=False,
                        mininterval=1.0,
                    ) as bar,
                    cur.copy(f'COPY "{table.db_table}" ({_quoted(names)}) FROM STDIN') as copy,
                ):
                    for k in range(1, rounds):
                        chunk: list[bytes] = []
                        size = 0
                        for row in source:
                            new = apply(row, k)
                            if new is None:
                                continue
                            line = b"\t".join(new)
                            chunk.append(line)
                            size += len(line)
                            if size > CHUNK:
                                copy.write(b"\n".join(chunk) + b"\n")
                                count += len(chunk)
                                bar.update(len(chunk))
                                chunk, size = [], 0
                        if chunk:
                            copy.write(b"\n".join(chunk) + b"\n")
                            count += len(chunk)
                            bar.update(len(chunk))
            finally:
                cur.execute(f'ALTER TABLE "{table.db_table}" ENABLE TRIGGER ALL')
            for name, definition in rebuilt:
                started = time.perf_counter()
                cur.execute(definition)
                del name, started
            _fix_sequence(cur, table)
        if not connection.in_atomic_block:
            raw.commit()
        written[table.db_table] = count
    return written


def _drop_indexes(cur: Any, table: str) -> list[tuple[str, str]]:
    """Drop the table's indexes that back no constraint; return (name, CREATE INDEX …)."""
    cur.execute(
        """
        SELECT i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = %s AND t.relnamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        """,
        [table],
    )
    found = [(str(name), str(definition)) for name, definition in cur.fetchall()]
    for name, _ in found:
        cur.execute(f'DROP INDEX "{name}"')
    return found


def _fix_sequence(cur: Any, table: Table) -> None:
    cur.execute("SELECT pg_get_serial_sequence(%s, %s)", [f'"{table.db_table}"', table.pk])
    sequence = cur.fetchone()[0]
    if sequence:
        cur.execute(
            f'SELECT setval(%s, (SELECT COALESCE(MAX("{table.pk}"), 1) FROM "{table.db_table}"))',  # noqa: S608
            [sequence],
        )


def clone_sqlite(plan: Plan, bar_file: Any = sys.stderr) -> dict[str, int]:
    """Clone every planned table with ``executemany``, one transaction per table."""
    import datetime
    import sqlite3

    from django.db import connection

    # Django's converters hand back times as objects; sqlite3 stores no time without an adapter.
    sqlite3.register_adapter(datetime.time, datetime.time.isoformat)
    written: dict[str, int] = {}
    connection.ensure_connection()
    raw = connection.connection
    own = not connection.in_atomic_block  # in a test, the caller's transaction holds it all
    raw.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: then order() helps
    for table in order(plan):
        rounds = plan.rounds(table)
        if rounds <= 1 or not table.base_rows:
            continue
        names = [c.name for c in table.columns]
        apply = transformer(table, plan, text=False)
        select = f'SELECT {_quoted(names)} FROM "{table.db_table}"'  # noqa: S608
        source = [list(row) for row in raw.execute(select)]
        insert = (
            f'INSERT INTO "{table.db_table}" ({_quoted(names)}) '  # noqa: S608
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        count = 0
        with tqdm(
            total=len(source) * (rounds - 1),
            desc=f"  {table.db_table}",
            unit=" rows",
            unit_scale=True,
            file=bar_file,
            leave=False,
            mininterval=1.0,
        ) as bar:
            if own:
                raw.execute("BEGIN")
            for k in range(1, rounds):
                for batch in _batches((apply(row, k) for row in source), SQLITE_BATCH):
                    raw.executemany(insert, batch)
                    count += len(batch)
                    bar.update(len(batch))
            if own:
                raw.execute("COMMIT")
        written[table.db_table] = count
    problems = raw.execute("PRAGMA foreign_key_check").fetchmany(5)
    raw.execute("PRAGMA foreign_keys = ON")
    if problems:
        raise SystemExit(f"broken links after cloning (table, rowid, parent, fk): {problems}")
    return written


def _batches(rows: Iterator[list[Any] | None], size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        if row is None:
            continue
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def after_clone(plan: Plan) -> None:
    """What the copies leave stale: the regional assemblies' child counts, and the counters
    (and places) of the parents of a denser table's rows."""
    from django.db import connection

    rounds = plan.multipliers.get("registry", 1)
    with connection.cursor() as cursor:
        if rounds > 1 and any(t.label == "registry.organisation" for t in plan.tables.values()):
            cursor.execute(
                "UPDATE registry_organisation SET numchild = numchild * %s WHERE depth = %s",
                [rounds, CLONE_DEPTH - 1],
            )
        for label, (_national, parent) in DENSER.items():
            dense = next((t for t in plan.tables.values() if t.label == label), None)
            times = plan.denser.get(dense.db_table, 1) if dense else 1
            if times > 1:
                sets = ", ".join(f'"{c}" = "{c}" * %s' for c in DENSER_COUNTERS[parent])
                cursor.execute(
                    f'UPDATE "{parent}" SET {sets}',  # noqa: S608 - names from this module
                    [times] * len(DENSER_COUNTERS[parent]),
                )


def describe(plan: Plan) -> list[str]:
    lines = ["Rounds per app: " + ", ".join(f"{g} ×{m}" for g, m in plan.multipliers.items())]
    for table, times in plan.denser.items():
        lines.append(f"  {table}: also ×{times} within each parent row (a bigger event)")
    for label, why in sorted(plan.skipped.items()):
        lines.append(f"  not cloned: {label} ({why})")
    fixed = [
        f"{t.label}.{c.name} ({c.kind})"
        for t in plan.tables.values()
        for c in t.columns
        if c.kind in {"suffix", "null", "rehash"}
    ]
    if fixed:
        lines.append("  unique columns changed in clones: " + ", ".join(sorted(fixed)))
    return lines


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)


if __name__ == "__main__":
    print("A helper of bench/scale.py: run `.venv/bin/python bench/scale.py --help`.")
