"""Production settings: `check --deploy` is clean, and missing secrets are refused clearly."""

import os
import subprocess
import sys

PRODUCTION_ENV = {
    "BIRLIK_ENV": "production",
    "SECRET_KEY": "x7!k2@p9#q4$w8%e3^r6&t1*y5(u0)i-o=p[a]s{d}f|g;h:j'k,l.z/c?v<b>n~m`",
    "PERSONAL_DATA_KEY": "a-long-random-key-for-iin-digests-0123456789",
    "ALLOWED_HOSTS": "birlik.example.kz",
    "DATABASE_URL": "postgres://birlik@db.internal:5432/birlik",
    "REDIS_URL": "redis://cache.internal:6379/0",
}


def run(args, env):
    base = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DEBUG"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "birlik", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_django_deploy_check_is_clean_with_production_settings():
    result = run(["manage", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_birlik_check_is_clean_with_production_settings():
    result = run(["check"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready for production" in result.stdout


def test_birlik_check_lists_what_the_embedded_default_lacks(tmp_path):
    result = run(["check"], {"BIRLIK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stdout
    assert "DATABASE_URL does not point to PostgreSQL" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_embedded_default_keeps_one_generated_secret(tmp_path):
    env = {"BIRLIK_DATA_DIR": str(tmp_path)}
    run(["check"], env)
    first = (tmp_path / "secret_key").read_text()
    run(["check"], env)
    assert (tmp_path / "secret_key").read_text() == first
    assert len(first) > 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
