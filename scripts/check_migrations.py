"""Zero-downtime check of the migrations new since the accepted list (deploy/migrations.toml).

A release migrates the database while the app servers of the previous release still answer
(README, "Zero-downtime migrations"). A new migration is refused when it would break those
servers or lock a big table for long:

* a NOT NULL column without a database default (the old code inserts rows without it);
* a column or table dropped or renamed (the old code still reads it);
* an index, a unique or check constraint, a foreign key, NOT NULL or a column type change on a
  big table, built while writes wait (PostgreSQL: ``AddIndexConcurrently`` in a non-atomic
  migration, ``AddConstraintNotValid`` then ``ValidateConstraint``);
* raw SQL doing any of these, read by django-migration-linter's PostgreSQL analyser, and data
  migrations importing models instead of ``apps.get_model`` (the same linter's rule).

Each refusal says what to do instead (expand, backfill, contract). Migrations listed under
``[accepted]`` (released, or reviewed contract steps with the reason) are not read again;
``small_tables`` names the tables that stay small, every other table that already exists
counts as big. Tables created by migrations that are not accepted yet are new: anything goes.

    .venv/bin/python scripts/check_migrations.py            # exit 1 when a migration is refused
    .venv/bin/python scripts/check_migrations.py --accept   # record the new ones once released
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.migrations import Migration
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.state import ProjectState

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "migrations.toml"
README_SECTION = 'README.md, "Zero-downtime migrations"'

ModelKey = tuple[str, str]  # (app_label, model_name in lower case), as in ProjectState

# What to do instead, by rule: the end of every refusal's message.
ADVICE = {
    "not-null": (
        "add it with null=True (or with a database default: db_default=...), backfill it in "
        "batches, and make it required in the next release"
    ),
    "drop-column": (
        "contract in two releases: first stop using the field (remove it from the model with "
        "SeparateDatabaseAndState, state_operations only, the column made nullable), then drop "
        "the column in the next release and accept that migration with its reason"
    ),
    "rename-column": (
        "never rename in one step: keep the column (db_column='old_name') and rename only the "
        "field, or add the new column, write both, backfill, switch reads, then drop the old one"
    ),
    "drop-table": (
        "contract in two releases: first remove every use of the model (keep its table), then "
        "delete it in the next release and accept that migration with its reason"
    ),
    "rename-table": (
        "never rename in one step: keep the table (Meta.db_table='old_name') and rename only "
        "the model, or create the new table, write both, backfill, switch, then drop the old one"
    ),
    "index-lock": (
        "build it concurrently: AddIndexConcurrently (PostgreSQL; the README shows the SQLite "
        "fallback), or for a unique one RunSQL CREATE UNIQUE INDEX CONCURRENTLY inside "
        "SeparateDatabaseAndState, in a migration of its own with atomic = False; a new "
        "foreign key is added with db_index=False and indexed that way"
    ),
    "constraint-scan": (
        "add it NOT VALID (AddConstraintNotValid), then validate it in the next migration "
        "(ValidateConstraint): validation does not block writes"
    ),
    "set-not-null-scan": (
        "add CHECK (column IS NOT NULL) with AddConstraintNotValid, ValidateConstraint it, "
        "then make the field required: PostgreSQL skips the scan once the check is valid"
    ),
    "column-rewrite": (
        "add a new column of the new type, write both, backfill in batches, switch reads, then "
        "drop the old column in a later release (widening a varchar or making it text is fine)"
    ),
    "concurrently-in-transaction": (
        "set atomic = False on the migration (CREATE INDEX CONCURRENTLY cannot run in a "
        "transaction) and keep the concurrent operation alone in it"
    ),
    "runpython-model-import": (
        'get every model with apps.get_model("app", "Model"): an imported model has today\'s '
        "fields, not the ones of this point in the migrations"
    ),
}
# django-migration-linter's codes for raw SQL, mapped to the rules above.
LINTER_CODES = {
    "NOT_NULL": "not-null",
    "DROP_COLUMN": "drop-column",
    "RENAME_COLUMN": "rename-column",
    "DROP_TABLE": "drop-table",
    "RENAME_TABLE": "rename-table",
    "ALTER_COLUMN": "column-rewrite",
    "ADD_UNIQUE": "index-lock",
    "CREATE_INDEX": "index-lock",
    "CREATE_INDEX_EXCLUSIVE": "index-lock",
    "REINDEX": "index-lock",
}
# Rules about locks apply to big tables only; the others break the old release on any table.
LOCK_RULES = {"index-lock", "constraint-scan", "set-not-null-scan", "column-rewrite"}


@dataclass(frozen=True)
class Problem:
    migration: str  # "app_label.name"
    operation: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.operation}: {self.message}; instead, {ADVICE[self.rule]}."


@dataclass
class Report:
    checked: list[str] = field(default_factory=list)  # new since the accepted list, in order
    problems: list[Problem] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # accepted, but no such migration on disk

    @property
    def passed(self) -> list[str]:
        refused = {problem.migration for problem in self.problems}
        return [name for name in self.checked if name not in refused]


@dataclass(frozen=True)
class Config:
    small_tables: frozenset[str]  # "app_label.ModelName"
    accepted: Mapping[str, str]  # "app_label.migration_name" -> why

    @classmethod
    def read(cls, path: Path = CONFIG) -> Config:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        unknown = set(data) - {"small_tables", "accepted"}
        if unknown:
            raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
        return cls(
            small_tables=frozenset(data.get("small_tables", [])),
            accepted=dict(data.get("accepted", {})),
        )


def migration_name(migration: Migration) -> str:
    return f"{migration.app_label}.{migration.name}"


def column_of(name: str, model_field: Any) -> str:
    """The column of a field as ProjectState holds it (not bound to a model)."""
    if model_field.db_column:
        return str(model_field.db_column)
    if model_field.is_relation and (model_field.many_to_one or model_field.one_to_one):
        return f"{name}_id"
    return name


def indexed(model_field: Any) -> bool:
    return bool(model_field.db_index or model_field.unique) and not model_field.many_to_many


def type_signature(model_field: Any) -> tuple[Any, ...]:
    path = model_field.deconstruct()[1]
    target = model_field.remote_field.model if model_field.is_relation else None
    return (
        path,
        getattr(model_field, "max_digits", None),
        getattr(model_field, "decimal_places", None),
        getattr(model_field, "db_collation", None),
        str(target).lower() if target is not None else None,
        getattr(model_field, "max_length", None),
    )


def is_widening(old: Any, new: Any) -> bool:
    """A varchar made longer or made text: PostgreSQL changes the catalogue, not the rows."""
    old_path, new_path = old.deconstruct()[1], new.deconstruct()[1]
    if old_path != "django.db.models.CharField":
        return False
    if new_path == "django.db.models.TextField":
        return True
    if new_path != old_path or type_signature(old)[:-1] != type_signature(new)[:-1]:
        return False
    return new.max_length is None or (old.max_length or 0) <= new.max_length


def proven_not_null(model_state: Any, name: str) -> bool:
    """A check constraint ``name IS NOT NULL`` (added NOT VALID, then validated): PostgreSQL 12+
    sets NOT NULL without scanning the table."""
    from django.db.models import CheckConstraint, Q

    wanted = Q(**{f"{name}__isnull": False})
    return any(
        isinstance(constraint, CheckConstraint) and constraint.condition == wanted
        for constraint in model_state.options.get("constraints", [])
    )


def sql_statements(sql: Any) -> list[str]:
    """RunSQL's forward SQL as single statements (a string, or a list of strings/(sql, params))."""
    import sqlparse

    parts = sql if isinstance(sql, (list, tuple)) else [sql]
    statements: list[str] = []
    for part in parts:
        text = part[0] if isinstance(part, (list, tuple)) else part
        for statement in sqlparse.split(str(text or "")):
            statement = " ".join(statement.split()).rstrip(";").strip()
            if statement:
                statements.append(statement)
    return statements


TABLE_IN_SQL = re.compile(
    r'\b(?:TABLE|ON|INTO|UPDATE)\s+(?:ONLY\s+)?(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"?([\w.]+)"?',
    re.IGNORECASE,
)


class Checker:
    """Walks every migration in dependency order, keeping the project state; reads the ones
    that are not accepted, operation by operation, against the state before each one."""

    def __init__(self, loader: MigrationLoader, config: Config) -> None:
        self.loader = loader
        self.config = config
        self.small = {label.lower() for label in config.small_tables}
        self.new_models: set[ModelKey] = set()

    # --- the walk ----------------------------------------------------------------------------
    def plan(self) -> list[Migration]:
        graph = self.loader.graph
        seen: set[tuple[str, str]] = set()
        ordered: list[Migration] = []
        for leaf in sorted(graph.leaf_nodes()):
            for key in graph.forwards_plan(leaf):
                if key not in seen:
                    seen.add(key)
                    ordered.append(graph.nodes[key])
        return ordered

    def is_accepted(self, migration: Migration) -> bool:
        if migration_name(migration) in self.config.accepted:
            return True
        replaced = [f"{app}.{name}" for app, name in migration.replaces]
        return bool(replaced) and all(name in self.config.accepted for name in replaced)

    def run(self, extra: Sequence[Migration] = ()) -> Report:
        """``extra``: migrations not on disk (tests), read after all the others as new ones."""
        from django.db.migrations.state import ProjectState

        report = Report()
        self.new_models = set()
        state = ProjectState(real_apps=self.loader.unmigrated_apps)
        plan = self.plan()
        for migration in [*plan, *extra]:
            if migration in plan and self.is_accepted(migration):
                migration.mutate_state(state, preserve=False)
                continue
            report.checked.append(migration_name(migration))
            report.problems.extend(self.check_migration(migration, state))
        installed = {app for app, _name in self.loader.disk_migrations}
        on_disk = {f"{app}.{name}" for app, name in self.loader.disk_migrations}
        report.stale = sorted(
            name
            for name in self.config.accepted
            if name.split(".", 1)[0] in installed and name not in on_disk
        )
        return report

    def check_migration(self, migration: Migration, state: ProjectState) -> list[Problem]:
        problems: list[Problem] = []
        for operation in migration.operations:
            problems.extend(self.check_operation(migration, operation, state))
            operation.state_forwards(migration.app_label, state)
        return problems

    # --- what a table is ---------------------------------------------------------------------
    def exists(self, key: ModelKey) -> bool:
        return key not in self.new_models

    def big(self, key: ModelKey, state: ProjectState) -> bool:
        if not self.exists(key):
            return False
        model_state = state.models.get(key)
        label = f"{key[0]}.{model_state.name if model_state else key[1]}".lower()
        return label not in self.small

    def tables(self, state: ProjectState) -> dict[str, ModelKey]:
        from django.db.backends.utils import truncate_name

        found: dict[str, ModelKey] = {}
        for key, model_state in state.models.items():
            table = model_state.options.get("db_table") or truncate_name(f"{key[0]}_{key[1]}", 63)
            found[str(table).lower()] = key
        return found

    # --- the rules ---------------------------------------------------------------------------
    def check_operation(
        self, migration: Migration, operation: Any, state: ProjectState
    ) -> list[Problem]:
        from django.contrib.postgres import operations as pg
        from django.db import migrations as ops
        from django.db.models.fields import NOT_PROVIDED

        app_label = migration.app_label
        name = migration_name(migration)
        described = f"{type(operation).__name__} ({operation.describe()})"
        found: list[tuple[str, str]] = []

        def refuse(rule: str, message: str) -> None:
            found.append((rule, message))

        if isinstance(operation, ops.SeparateDatabaseAndState):
            # Only the database side touches the tables; the state side is Django's own record.
            scratch = state.clone()
            problems: list[Problem] = []
            for inner in operation.database_operations:
                problems.extend(self.check_operation(migration, inner, scratch))
                inner.state_forwards(app_label, scratch)
            return problems
        if isinstance(operation, ops.CreateModel):
            self.new_models.add((app_label, operation.name_lower))
            return []
        if isinstance(operation, ops.RunSQL):
            return [
                Problem(name, described, rule, message)
                for rule, message in self.check_sql(operation.sql, state)
            ]
        if isinstance(operation, ops.RunPython):
            return self.check_python(name, described, operation)

        model_name = getattr(operation, "model_name_lower", None) or getattr(
            operation, "name_lower", None
        )
        key: ModelKey = (app_label, str(model_name))
        if not self.exists(key):
            if isinstance(operation, ops.RenameModel):
                self.new_models.add((app_label, operation.new_name_lower))
            return []
        model_state = state.models.get(key)
        big = self.big(key, state)
        table = f"{app_label}.{model_state.name if model_state else model_name}"

        if isinstance(operation, ops.DeleteModel):
            refuse("drop-table", f"drops the table of {table}, which the running release uses")
        elif isinstance(operation, ops.RenameModel):
            old_table = model_state.options.get("db_table") if model_state else None
            if not old_table:  # with Meta.db_table kept, only Django's name changes
                refuse("rename-table", f"renames the table of {table}")
        elif isinstance(operation, ops.AlterModelTable):
            old_table = model_state.options.get("db_table") if model_state else None
            if operation.table != old_table:
                refuse("rename-table", f"renames the table of {table}")
        elif isinstance(operation, ops.AlterOrderWithRespectTo):
            if operation.order_with_respect_to:
                refuse("not-null", f"adds the NOT NULL column _order to {table}")
        elif isinstance(operation, ops.AddField):
            new = operation.field
            if not new.many_to_many:  # a new many-to-many is a new table
                if not new.null and new.db_default is NOT_PROVIDED:
                    refuse(
                        "not-null",
                        f"adds {table}.{operation.name} as NOT NULL without a database default "
                        "(a Python default is dropped once the column is filled)",
                    )
                if big and indexed(new):
                    refuse("index-lock", f"indexes {table}.{operation.name} on a big table")
        elif isinstance(operation, ops.RemoveField):
            refuse(
                "drop-column", f"drops {table}.{operation.name}, which the running release reads"
            )
        elif isinstance(operation, ops.RenameField) and model_state is not None:
            old = model_state.fields[operation.old_name_lower]
            if column_of(operation.old_name, old) != column_of(operation.new_name, old):
                refuse(
                    "rename-column", f"renames {table}.{operation.old_name} to {operation.new_name}"
                )
        elif isinstance(operation, ops.AlterField) and model_state is not None:
            found.extend(self.check_alter_field(operation, model_state, table, big))
        elif isinstance(operation, pg.AddIndexConcurrently):
            if migration.atomic:
                refuse(
                    "concurrently-in-transaction", "builds an index concurrently in a transaction"
                )
        elif isinstance(operation, ops.AddIndex):
            if big:
                refuse("index-lock", f"builds index {operation.index.name} on big table {table}")
        elif isinstance(operation, pg.AddConstraintNotValid):
            pass  # validated later by ValidateConstraint, without blocking writes
        elif isinstance(operation, ops.AddConstraint):
            if big:
                from django.db.models import CheckConstraint

                scans = isinstance(operation.constraint, CheckConstraint)
                rule = "constraint-scan" if scans else "index-lock"
                refuse(rule, f"adds constraint {operation.constraint.name} to big table {table}")
        elif isinstance(operation, (ops.AlterUniqueTogether, ops.AlterIndexTogether)):
            option = operation.option_name
            before = set(model_state.options.get(option, set())) if model_state else set()
            added = set(operation.option_value or set()) - before
            if big and added:
                refuse("index-lock", f"adds {option} {sorted(added)} to big table {table}")
        return [Problem(name, described, rule, message) for rule, message in found]

    def check_alter_field(
        self, operation: Any, model_state: Any, table: str, big: bool
    ) -> list[tuple[str, str]]:
        old = model_state.fields[operation.name_lower]
        new = operation.field
        where = f"{table}.{operation.name}"
        found: list[tuple[str, str]] = []
        if column_of(operation.name, old) != column_of(operation.name, new):
            found.append(("rename-column", f"renames the column of {where}"))
        if not big:
            return found
        if old.null and not new.null and not proven_not_null(model_state, operation.name):
            found.append(("set-not-null-scan", f"makes {where} NOT NULL on a big table"))
        if type_signature(old) != type_signature(new) and not is_widening(old, new):
            found.append(("column-rewrite", f"changes the type of {where} on a big table"))
        if indexed(new) and not indexed(old):
            found.append(("index-lock", f"indexes {where} on a big table"))
        if (
            new.is_relation
            and getattr(new, "db_constraint", False)
            and not getattr(old, "db_constraint", True)
        ):
            found.append(("constraint-scan", f"adds the foreign key of {where} on a big table"))
        return found

    def check_sql(self, sql: Any, state: ProjectState) -> list[tuple[str, str]]:
        from django_migration_linter.sql_analyser import PostgresqlAnalyser, analyse_sql_statements

        statements = sql_statements(sql)
        if not statements:
            return []
        errors, _ignored, warnings = analyse_sql_statements(PostgresqlAnalyser, statements)
        known = self.tables(state)
        found: list[tuple[str, str]] = []
        for issue in [*errors, *warnings]:
            rule = LINTER_CODES.get(issue.code)
            if rule is None:
                continue  # DROP INDEX: quick; the migration's lock_timeout covers the wait
            named = [issue.table] if issue.table else self.tables_in(statements)
            keys = [known.get(str(table).lower().split(".")[-1]) for table in named] or [None]
            applies = any(
                key is None  # a table the state does not know: assume the worst
                or (self.big(key, state) if rule in LOCK_RULES else self.exists(key))
                for key in keys
            )
            if applies:
                where = ", ".join(str(table) for table in named) or "a table"
                message = f"raw SQL: {issue.message.lower()} ({where})"
                if (rule, message) not in found:
                    found.append((rule, message))
        return found

    @staticmethod
    def tables_in(statements: Iterable[str]) -> list[str]:
        names: list[str] = []
        for statement in statements:
            for match in TABLE_IN_SQL.finditer(statement):
                if match.group(1).upper() not in {"SET", "ONLY"} and match.group(1) not in names:
                    names.append(match.group(1))
        return names

    @staticmethod
    def check_python(name: str, described: str, operation: Any) -> list[Problem]:
        from django_migration_linter import MigrationLinter

        problems: list[Problem] = []
        for code in (operation.code, operation.reverse_code):
            if code is None:
                continue
            try:
                inspect.getsource(MigrationLinter.discover_function(code))
            except (OSError, TypeError):
                continue  # no source to read (a built-in or a lambda made at run time)
            for issue in MigrationLinter.get_runpython_model_import_issues(code):
                problems.append(
                    Problem(name, described, "runpython-model-import", issue.message.rstrip("."))
                )
        return problems


# --- the command ---------------------------------------------------------------------------------
def setup_django(data_dir: str) -> None:
    """Birlik's settings as production has them (PostgreSQL and Redis named, so the apps that
    come with Redis are installed), without opening either: migrations are read from disk."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "birlik.settings"
    os.environ["BIRLIK_ENV"] = "embedded"
    os.environ["BIRLIK_DATA_DIR"] = data_dir
    # Throw-away keys: nothing is signed or matched while migrations are read.
    os.environ["SECRET_KEY"] = os.environ["PERSONAL_DATA_KEY"] = "check-migrations-only"  # noqa: S105
    os.environ["DATABASE_URL"] = "postgres://check@127.0.0.1:9/never-opened"
    os.environ["REDIS_URL"] = "redis://127.0.0.1:9/0"
    os.environ.pop("TASKS_BACKEND", None)
    import django

    django.setup()


def loader() -> MigrationLoader:
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True)


def check(config: Config, extra: Sequence[Migration] = ()) -> Report:
    return Checker(loader(), config).run(extra)


def accept(path: Path, names: Collection[str]) -> None:
    """Append to ``[accepted]`` (the file's last table) and read the file back."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    text += "".join(f'"{name}" = "released"\n' for name in names)
    tomllib.loads(text)
    if not set(names) <= set(tomllib.loads(text)["accepted"]):
        raise ValueError(f"{path}: [accepted] must be the last table of the file")
    path.write_text(text, encoding="utf-8")


def print_report(report: Report, config_path: Path) -> None:
    shown = config_path.relative_to(ROOT) if config_path.is_relative_to(ROOT) else config_path
    for name in report.stale:
        print(f"note: {name} is accepted in {shown} but no longer exists (squashed?)")
    if not report.checked:
        print(f"Migrations: none new since the accepted list ({shown}).")
        return
    by_migration: dict[str, list[Problem]] = {}
    for problem in report.problems:
        by_migration.setdefault(problem.migration, []).append(problem)
    for name in report.checked:
        problems = by_migration.get(name, [])
        print(f"{name}: {'REFUSED' if problems else 'ok'}")
        for problem in problems:
            print(f"  - {problem.message} [{problem.rule}]")
    if report.problems:
        print()
        print("What to do instead:")
        for rule in dict.fromkeys(problem.rule for problem in report.problems):
            print(f"  [{rule}] {ADVICE[rule]}.")
        print()
        print(
            f"{len(by_migration)} of {len(report.checked)} new migration(s) would break the "
            f"release still running or lock a big table ({README_SECTION}). A reviewed "
            f"exception (the contract step of an expand/contract change) is accepted by adding "
            f'"app.migration" = "why" under [accepted] in {shown}.'
        )
    else:
        print(
            f"{len(report.checked)} new migration(s), all safe to run under the running release; "
            f"once released, record them: make check-migrations ARGS=--accept"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=CONFIG, help="default: %(default)s")
    parser.add_argument(
        "--accept",
        action="store_true",
        help="record the new migrations that pass as released (refused ones stay out)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="birlik-check-migrations-") as data_dir:
        setup_django(data_dir)
        config = Config.read(args.config)
        report = check(config)
    print_report(report, args.config)
    if args.accept and report.passed:
        accept(args.config, report.passed)
        print(f"Accepted {len(report.passed)} migration(s) in {args.config}.")
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
