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
    "SITE_URL": "https://birlik.example.kz",
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


def shown(expression, env):
    """The value of a settings expression as a `birlik` process with this environment sees it."""
    result = run(
        [
            "manage",
            "shell",
            "-v",
            "0",
            "-c",
            f"from django.conf import settings; print({expression})",
        ],
        env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_the_embedded_site_address_is_where_the_server_listens(tmp_path):
    base = {"BIRLIK_DATA_DIR": str(tmp_path)}
    assert shown("settings.SITE_URL", base) == "http://localhost:8000"
    listening = {**base, "HOST": "127.0.0.1", "PORT": "8123"}
    assert shown("settings.SITE_URL", listening) == "http://localhost:8123"
    everywhere = {**listening, "HOST": "0.0.0.0"}  # noqa: S104 - what `birlik serve` binds
    assert shown("settings.SITE_URL", everywhere) == "http://localhost:8123"
    lan = {**listening, "HOST": "192.168.1.20"}
    assert shown("settings.SITE_URL", lan) == "http://192.168.1.20:8123"
    chosen = {**lan, "SITE_URL": "https://birlik.example.kz/"}
    assert shown("settings.SITE_URL", chosen) == "https://birlik.example.kz"


def test_production_needs_a_site_address():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
    birlik_check = run(["check"], env)
    assert birlik_check.returncode == 1
    assert "birlik.E001: SITE_URL is not set" in birlik_check.stdout
    django_check = run(["manage", "check"], env)
    assert django_check.returncode != 0
    assert "SITE_URL is not set" in django_check.stderr


def test_a_site_address_that_is_not_a_web_address_is_refused(tmp_path):
    env = {"BIRLIK_DATA_DIR": str(tmp_path), "SITE_URL": "birlik.example.kz"}
    result = run(["manage", "check"], env)
    assert result.returncode != 0
    assert "birlik.E002" in result.stderr


def test_every_process_reads_the_same_cached_figures(tmp_path):
    """Two processes (two web workers of `birlik demo`) share the cache of the embedded default:
    a value cached by one is read by the other, and a write seen by one (the figures' version
    changes) is seen by the other at once."""
    env = {"BIRLIK_DATA_DIR": str(tmp_path)}
    assert run(["createcachetable"], env).returncode == 0
    assert "SharedTableCache" in shown("settings.CACHES['default']['BACKEND']", env)
    first = "__import__('birlik.core.kpi').core.kpi"
    version = shown(f"{first}.version()", env)
    assert shown(f"{first}.cached('probe', lambda: 41)", env) == "41"
    assert shown(f"{first}.version()", env) == version
    assert shown(f"{first}.cached('probe', lambda: 99)", env) == "41"  # another process
    assert shown(f"{first}.invalidate()", env) == "None"  # a write committed in a third one
    assert shown(f"{first}.version()", env) != version
    assert shown(f"{first}.cached('probe', lambda: 99)", env) == "99"
