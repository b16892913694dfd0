"""The zero-downtime check of new migrations (scripts/check_migrations.py, run by `make lint`).

Migrations are fed to the checker as they would arrive: crafted operations read against the
project's real state (appeals.Appeal is big, geo.Region small), a temporary app on disk whose
second migration is refused, and the command run on the repository as CI runs it.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.postgres.operations import (
    AddConstraintNotValid,
    AddIndexConcurrently,
    ValidateConstraint,
)
from django.db import migrations, models
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_migrations.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_migrations", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


cm = _load()


@pytest.fixture(scope="module")
def config() -> Any:
    return cm.Config.read()


def rules_of(config: Any, *operations: Any, app: str = "appeals", atomic: bool = True) -> set[str]:
    migration = type("Migration", (migrations.Migration,), {"atomic": atomic})("9999_new", app)
    migration.operations = list(operations)
    report = cm.Checker(cm.loader(), config).run([migration])
    return {problem.rule for problem in report.problems if problem.migration == f"{app}.9999_new"}


def test_the_migrations_in_the_tree_today_pass_the_check(config):
    report = cm.Checker(cm.loader(), config).run()

    assert report.problems == [], "\n".join(str(problem) for problem in report.problems)
    assert report.stale == []


def test_every_small_table_names_a_real_model(config):
    for label in config.small_tables:
        assert apps.get_model(label), label


def test_the_accepted_list_starts_with_every_migration_released_before_the_check(config):
    assert "appeals.0007_parliament_chambers" in config.accepted
    assert "django_tasks_database.0001_initial" in config.accepted
    assert all(reason.strip() for reason in config.accepted.values())


def _not_null() -> models.Field[Any, Any]:
    return models.CharField(max_length=20, default="web")


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        # Expand: columns the running release can ignore.
        (
            [migrations.AddField("appeal", "source", models.CharField(max_length=20, null=True))],
            set(),
        ),
        (
            [
                migrations.AddField(
                    "appeal", "source", models.CharField(max_length=20, db_default="web")
                )
            ],
            set(),
        ),
        ([migrations.AddField("appeal", "source", models.CharField(max_length=20))], {"not-null"}),
        # A Python default fills the rows, then Django drops it: old code's INSERTs fail.
        ([migrations.AddField("appeal", "source", _not_null())], {"not-null"}),
        (
            [
                migrations.AddField(
                    "appeal",
                    "office",
                    models.ForeignKey("registry.organisation", models.SET_NULL, null=True),
                )
            ],
            {"index-lock"},
        ),
        (
            [
                migrations.AddField(
                    "appeal",
                    "office",
                    models.ForeignKey(
                        "registry.organisation", models.SET_NULL, null=True, db_index=False
                    ),
                )
            ],
            set(),
        ),
        # Contract steps in one go.
        ([migrations.RemoveField("appeal", "subject")], {"drop-column"}),
        ([migrations.RenameField("appeal", "subject", "topic")], {"rename-column"}),
        ([migrations.DeleteModel("appealrating")], {"drop-table"}),
        ([migrations.RenameModel("AppealRating", "Rating")], {"rename-table"}),
        ([migrations.AlterModelTable("appealrating", "appeals_rating")], {"rename-table"}),
        # Renamed in Django's state only: the column stays.
        (
            [
                migrations.SeparateDatabaseAndState(
                    state_operations=[migrations.RenameField("appeal", "subject", "topic")]
                )
            ],
            set(),
        ),
        # Locks on a big table.
        (
            [migrations.AddIndex("appeal", models.Index(fields=["channel"], name="appeal_chan"))],
            {"index-lock"},
        ),
        (
            [
                migrations.AddConstraint(
                    "appeal",
                    models.UniqueConstraint(fields=["number", "kind"], name="appeal_nk"),
                )
            ],
            {"index-lock"},
        ),
        (
            [
                migrations.AddConstraint(
                    "appeal",
                    models.CheckConstraint(condition=~models.Q(kind=""), name="appeal_kind"),
                )
            ],
            {"constraint-scan"},
        ),
        (
            [
                AddConstraintNotValid(
                    "appeal",
                    models.CheckConstraint(condition=~models.Q(kind=""), name="appeal_kind"),
                )
            ],
            set(),
        ),
        (
            [migrations.AlterField("appeal", "consent_given_at", models.DateTimeField())],
            {"set-not-null-scan"},
        ),
        (
            [migrations.AlterField("appeal", "consent_given_at", models.DateField(null=True))],
            {"column-rewrite"},
        ),
        (
            [
                migrations.AlterField(
                    "appeal", "applicant_phone", models.CharField(max_length=80, blank=True)
                )
            ],
            set(),
        ),
        (
            [
                migrations.AlterField(
                    "appeal", "applicant_phone", models.CharField(max_length=40, db_index=True)
                )
            ],
            {"index-lock"},
        ),
        # A table created in the same release is empty: anything goes.
        (
            [
                migrations.CreateModel("Channel", [("id", models.BigAutoField(primary_key=True))]),
                migrations.AddField("channel", "code", models.CharField(max_length=5)),
                migrations.AddIndex("channel", models.Index(fields=["code"], name="chan_code")),
                migrations.DeleteModel("channel"),
            ],
            set(),
        ),
        # Raw SQL, read by django-migration-linter's PostgreSQL analyser.
        ([migrations.RunSQL("ALTER TABLE appeals_appeal DROP COLUMN subject;")], {"drop-column"}),
        (
            [migrations.RunSQL('CREATE INDEX appeal_chan ON "appeals_appeal" ("channel");')],
            {"index-lock"},
        ),
        (
            [
                migrations.RunSQL(
                    'CREATE INDEX CONCURRENTLY appeal_chan ON "appeals_appeal" ("channel");'
                )
            ],
            set(),
        ),
        ([migrations.RunSQL("CREATE INDEX some_idx ON unknown_table (x);")], {"index-lock"}),
    ],
)
def test_a_new_migration_is_read_against_the_running_release(config, operations, expected):
    assert rules_of(config, *operations) == expected


def test_a_column_proven_not_null_by_a_validated_check_is_made_required(config):
    proof = models.CheckConstraint(
        condition=models.Q(consent_given_at__isnull=False), name="appeal_consent_set"
    )
    steps = [
        AddConstraintNotValid("appeal", proof),
        ValidateConstraint("appeal", "appeal_consent_set"),
        migrations.AlterField("appeal", "consent_given_at", models.DateTimeField()),
    ]

    assert rules_of(config, *steps) == set()


def test_an_index_on_a_small_table_is_built_as_usual(config):
    index = models.Index(fields=["iso"], name="region_iso")

    assert rules_of(config, migrations.AddIndex("region", index), app="geo") == set()
    assert (
        rules_of(config, migrations.RunSQL("CREATE INDEX r ON geo_region (iso)"), app="geo")
        == set()
    )


def test_a_concurrent_index_needs_a_migration_outside_a_transaction(config):
    index = models.Index(fields=["channel"], name="appeal_chan")

    assert rules_of(config, AddIndexConcurrently("appeal", index), atomic=False) == set()
    assert rules_of(config, AddIndexConcurrently("appeal", index)) == {
        "concurrently-in-transaction"
    }


def _copies_with_get_model(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Appeal.objects.filter(subject="").update(subject="-")


def _copies_with_the_imported_model(apps, schema_editor):
    from birlik.appeals.models import Appeal  # noqa: F401 - what the rule is about

    Appeal.objects.filter(subject="").update(subject="-")


def test_a_data_migration_takes_its_models_from_the_migration_state(config):
    noop = migrations.RunPython.noop

    assert rules_of(config, migrations.RunPython(_copies_with_get_model, noop)) == set()
    assert rules_of(config, migrations.RunPython(_copies_with_the_imported_model, noop)) == {
        "runpython-model-import"
    }


def test_every_refusal_says_what_to_do_instead(config):
    report = cm.Checker(cm.loader(), config).run(
        [_migration("appeals", migrations.RemoveField("appeal", "subject"))]
    )
    [problem] = report.problems

    assert "drops appeals.Appeal.subject" in str(problem)
    assert "contract in two releases" in str(problem)
    assert set(cm.ADVICE) >= set(cm.LINTER_CODES.values())


def _migration(app: str, *operations: Any) -> Any:
    migration = migrations.Migration("9999_new", app)
    migration.operations = list(operations)
    return migration


@pytest.fixture
def temporary_app(tmp_path, monkeypatch):
    """An app on disk: 0001 creates a table, 0002 adds a NOT NULL column without a default."""
    package = tmp_path / "zdt_probe"
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("")
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_initial.py").write_text(
        textwrap.dedent(
            """
            from django.db import migrations, models

            class Migration(migrations.Migration):
                initial = True
                operations = [
                    migrations.CreateModel(
                        "Thing", [("id", models.BigAutoField(primary_key=True))]
                    ),
                ]
            """
        )
    )
    (package / "migrations" / "0002_thing_code.py").write_text(
        textwrap.dedent(
            """
            from django.db import migrations, models

            class Migration(migrations.Migration):
                dependencies = [("zdt_probe", "0001_initial")]
                operations = [
                    migrations.AddField("thing", "code", models.CharField(max_length=5)),
                ]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "zdt_probe"]):
        yield
    for name in [name for name in sys.modules if name.startswith("zdt_probe")]:
        del sys.modules[name]


def test_a_bad_migration_written_into_an_app_is_refused_once_its_table_is_released(
    config, temporary_app
):
    released = cm.Config(
        small_tables=config.small_tables,
        accepted={**config.accepted, "zdt_probe.0001_initial": "released"},
    )
    report = cm.Checker(cm.loader(), released).run()

    assert report.checked[-1:] == ["zdt_probe.0002_thing_code"]
    [problem] = report.problems
    assert problem.rule == "not-null"
    assert "zdt_probe.Thing.code" in problem.message


def test_the_same_migrations_pass_while_the_table_is_new_in_this_release(config, temporary_app):
    report = cm.Checker(cm.loader(), config).run()

    assert {"zdt_probe.0001_initial", "zdt_probe.0002_thing_code"} <= set(report.checked)
    assert report.problems == []


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def test_the_command_passes_on_the_repository():
    result = _run()

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_refuses_a_dropped_table_and_accepts_only_what_passes(tmp_path):
    text = (ROOT / "deploy" / "migrations.toml").read_text()
    dropped = '"mediation.0002_case_sequence_moved_to_core" = "released"\n'
    territory = '"geo.0002_territory" = "released"\n'
    assert dropped in text and territory in text
    config = tmp_path / "migrations.toml"
    config.write_text(text.replace(dropped, "").replace(territory, ""))

    result = _run("--config", str(config), "--accept")

    assert result.returncode == 1
    assert "mediation.0002_case_sequence_moved_to_core: REFUSED" in result.stdout
    assert "drops the table of mediation.CaseNumberSequence" in result.stdout
    assert "contract in two releases" in result.stdout
    accepted = cm.Config.read(config).accepted
    assert "geo.0002_territory" in accepted
    assert "mediation.0002_case_sequence_moved_to_core" not in accepted
