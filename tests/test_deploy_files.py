"""What an operator runs (deploy/): the compose file, the image, the proxy and the systemd units.

Nothing here needs Docker: the compose file is validated against the Compose Specification's
schema, every command it or a unit runs is parsed by the real `birlik` command line, every
variable is one Birlik reads (or one the deploy README explains), the environment it builds
passes `birlik check`, the health check's path answers, and where the tools are installed
`systemd-analyze verify` reads the units and Caddy proxies real requests with the Caddyfile.
"""

from __future__ import annotations

import configparser
import http.server
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import resolve

from birlik.cli import OWN_COMMANDS, build_parser
from birlik.core.views import health

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
UNITS = DEPLOY / "systemd"
UNIT_ENV_EXAMPLE = UNITS / "birlik.env.example"
BIRLIK_SERVICES = ("migrate", "app", "worker")
# Read by compose.yaml, the Caddyfile, PostgreSQL's client library or the image; not settings.
DEPLOY_ONLY = {
    "BIRLIK_DOMAIN",
    "ACME_EMAIL",
    "POSTGRES_PASSWORD",
    "APP_REPLICAS",
    "WORKER_REPLICAS",
    "BACKEND_SUBNET",
    "PROXY_ADDRESS",
    "BIRLIK_IMAGE",
    "PGOPTIONS",
}
# What a deployment at scale sets besides the README rows that say "production".
AT_SCALE = {
    "BIRLIK_ENV",
    "DATABASE_URL",
    "REDIS_URL",
    "CSRF_TRUSTED_ORIGINS",
    "FORWARDED_ALLOW_IPS",
    "BIRLIK_DATA_DIR",
    "MEDIA_ROOT",
    "BIRLIK_DOCUMENTS_DIR",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "SMS_GATEWAY",
    "SMS_HTTP_URL",
    "SMS_HTTP_TOKEN",
    "TELEGRAM_GATEWAY",
    "TELEGRAM_BOT_TOKEN",
}


# --- reading the files ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def env_file(path: Path) -> dict[str, str]:
    """KEY=value lines (values in double quotes unquoted), as compose and systemd read them."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().removeprefix('"').removesuffix('"')
    return values


def commented_keys(path: Path) -> set[str]:
    return set(re.findall(r"^#\s*([A-Z][A-Z0-9_]+)=", path.read_text(), re.MULTILINE))


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}."""

    def one(match: re.Match[str]) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if operator == ":-":
            return rest or ""
        raise AssertionError(f"{name} is not set ({rest})")

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


def readme_configuration() -> dict[str, str]:
    """The README's "Configuration" table: variable name -> the row's text."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", first):
                rows[name] = line
    return rows


def variables_read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src/birlik/settings.py", ROOT / "src/birlik/cli.py"):
        names |= set(
            re.findall(
                r'(?:os\.environ(?:\.get)?[\[(]|env_bool\(|env_list\(|_kept_secret\()"([A-Z0-9_]+)"',
                path.read_text(),
            )
        )
    return names


def known_variables() -> set[str]:
    return set(readme_configuration()) | variables_read_by_the_code()


def production_variables() -> set[str]:
    """Rows that say "required in production" or make others "mandatory", and those others."""
    rows = readme_configuration()
    needed = set(AT_SCALE)
    for name, row in rows.items():
        if "required in production" in row:
            needed.add(name)
        if "mandatory" in row:
            needed |= {name} | (set(re.findall(r"`([A-Z][A-Z0-9_]+)`", row)) & set(rows))
    return needed


def compose_environment(compose: dict[str, Any], service: str) -> dict[str, str]:
    """What a container of `service` gets: deploy/.env (here the example), then `environment`."""
    example = env_file(ENV_EXAMPLE)
    settings = dict(example)
    for key, value in compose["services"][service]["environment"].items():
        settings[key] = interpolate(str(value), example)
    return settings


def check_command(command: list[str]) -> None:
    """`birlik ARGS` as `birlik.cli.main` routes it: its own commands, else Django's."""
    assert command[0].endswith("birlik"), command
    name, args = command[1], command[2:]
    if name in OWN_COMMANDS:
        try:
            build_parser().parse_args([name, *args])
        except SystemExit as error:
            raise AssertionError(f"`birlik {name}` refuses {args}") from error
        return
    app = get_commands().get(name)
    assert app is not None, f"`birlik {name}` is neither Birlik's command nor Django's"
    try:
        load_command_class(app, name).create_parser("birlik", name).parse_args(args)
    except CommandError as error:
        raise AssertionError(f"`birlik {name}` refuses {args}: {error}") from error


# --- the compose file ----------------------------------------------------------------------
def test_the_compose_file_is_valid_for_the_compose_specification():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec"]
        + [str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_misspelt_key(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text().replace("stop_grace_period: 35s", "stop_grace: 35s"))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec"]
        + [str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "stop_grace" in result.stdout


def test_the_stack_has_the_database_redis_servers_workers_migrations_and_a_proxy(compose):
    services = compose["services"]

    assert services["postgres"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert any(volume.startswith("pgdata:") for volume in services["postgres"]["volumes"])
    assert services["redis"]["image"] == "redis:7"
    assert services["app"]["deploy"]["replicas"] == "${APP_REPLICAS:-3}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_REPLICAS:-2}"
    assert services["migrate"]["restart"] == "no"
    for service in ("app", "worker"):
        assert services[service]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["proxy"]["image"].startswith("caddy:")
    published = [port for name, spec in services.items() for port in spec.get("ports", [])]
    assert {"80:80", "443:443"} <= set(published)
    assert all(not services[name].get("ports") for name in services if name != "proxy")


def test_every_server_and_worker_shares_the_uploads_the_private_files_and_the_documents(compose):
    for service in BIRLIK_SERVICES:
        mounts = dict(volume.split(":", 1) for volume in compose["services"][service]["volumes"])
        environment = compose_environment(compose, service)
        assert mounts["media"] == environment["MEDIA_ROOT"]
        assert mounts["documents"] == environment["BIRLIK_DOCUMENTS_DIR"]
        # Confidential files live under <data dir>/private (mediation, charity).
        assert mounts["private"] == f"{environment['BIRLIK_DATA_DIR']}/private"
        assert mounts["data"] == environment["BIRLIK_DATA_DIR"]
    assert {"data", "media", "private", "documents"} <= set(compose["volumes"])


@pytest.mark.parametrize("service", BIRLIK_SERVICES)
def test_each_service_runs_a_real_birlik_command(compose, service):
    check_command(compose["services"][service]["command"])


@pytest.mark.parametrize(
    "command",
    [["birlik", "serv"], ["birlik", "serve", "--workers", "3"], ["birlik", "migrate", "--chek"]],
)
def test_a_command_birlik_does_not_have_is_caught(command):
    with pytest.raises(AssertionError):
        check_command(command)


def test_the_servers_believe_forwarded_headers_from_the_proxy_alone(compose):
    proxy_address = compose["services"]["proxy"]["networks"]["backend"]["ipv4_address"]
    for service in BIRLIK_SERVICES:
        forwarded = compose["services"][service]["environment"]["FORWARDED_ALLOW_IPS"]
        assert forwarded == proxy_address


@pytest.mark.django_db
def test_the_healthcheck_asks_the_health_view_for_the_site_it_serves(compose, client):
    command = compose["services"]["app"]["healthcheck"]["test"]
    script = command[-1]
    [path] = re.findall(r"http://127\.0\.0\.1:8000(/[^'\"]*)", script)
    assert resolve(path).func is health
    assert "SITE_URL" in script and "'Host'" in script

    host = compose_environment(compose, "app")["SITE_URL"].split("//", 1)[1]
    with override_settings(ALLOWED_HOSTS=[host]):
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_healthcheck_script_is_python_the_image_can_run(compose):
    script = compose["services"]["app"]["healthcheck"]["test"][-1]
    compile(script, "healthcheck", "exec")


# --- the variables -------------------------------------------------------------------------
def test_every_variable_given_to_birlik_is_one_it_reads(compose):
    known = known_variables()
    given = set(env_file(ENV_EXAMPLE)) | commented_keys(ENV_EXAMPLE)
    for service in BIRLIK_SERVICES:
        given |= set(compose["services"][service]["environment"])
    given |= set(env_file(UNIT_ENV_EXAMPLE)) | commented_keys(UNIT_ENV_EXAMPLE)

    unknown = given - known - DEPLOY_ONLY
    assert not unknown, f"neither settings nor the README's Configuration table: {unknown}"


def test_the_deploy_only_variables_are_explained_in_the_deploy_readme():
    text = (DEPLOY / "README.md").read_text()
    missing = {name for name in DEPLOY_ONLY if f"`{name}`" not in text}
    assert not missing


def test_every_variable_production_needs_is_set_by_compose_and_by_the_units(compose):
    needed = production_variables()
    assert {"SECRET_KEY", "PERSONAL_DATA_KEY", "ALLOWED_HOSTS", "SITE_URL"} <= needed
    in_compose = set(compose_environment(compose, "app"))
    in_units = set(env_file(UNIT_ENV_EXAMPLE))

    assert needed - in_compose == set()
    assert needed - in_units == set()


def test_every_compose_variable_without_a_default_is_in_the_example(compose):
    text = COMPOSE.read_text()
    required = set(re.findall(r"\$\{([A-Z0-9_]+)(?::\?[^}]*)?\}", text))
    assert required - set(env_file(ENV_EXAMPLE)) == set()
    caddy_variables = set(re.findall(r"\{\$([A-Z0-9_]+)\}", (DEPLOY / "Caddyfile").read_text()))
    assert caddy_variables <= set(compose["services"]["proxy"]["environment"])


def _birlik_check(environment: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        **environment,
        # Paths of the container, moved into the test's directory; nothing is opened but them.
        "BIRLIK_DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BIRLIK_DOCUMENTS_DIR": str(tmp_path / "documents"),
    }
    return subprocess.run(  # noqa: S603
        [str(Path(sys.executable).with_name("birlik")), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _with_real_secrets(environment: dict[str, str]) -> dict[str, str]:
    return {
        key: secrets.token_urlsafe(50) if value == "change-me" else value
        for key, value in environment.items()
    }


def test_the_compose_environment_is_ready_for_production(compose, tmp_path):
    result = _birlik_check(_with_real_secrets(compose_environment(compose, "app")), tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ready for production" in result.stdout


def test_the_units_environment_is_ready_for_production(tmp_path):
    result = _birlik_check(_with_real_secrets(env_file(UNIT_ENV_EXAMPLE)), tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_placeholder_secrets_of_the_example_are_refused(compose, tmp_path):
    result = _birlik_check(compose_environment(compose, "app"), tmp_path)

    assert result.returncode == 1
    assert "SECRET_KEY" in result.stdout


# --- the image -----------------------------------------------------------------------------
def test_the_image_installs_the_package_and_runs_as_a_user_without_privileges():
    text = (DEPLOY / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in text.splitlines() if line[:1].isalpha()]
    froms = [rest for word, rest in instructions if word == "FROM"]
    users = [rest.strip() for word, rest in instructions if word == "USER"]

    assert froms and all(rest.startswith("python:3.11-slim") for rest in froms)
    assert "pip install ." in text
    assert users == ["birlik"]
    assert "collectstatic --no-input" in text
    assert json.loads(text.split("CMD ", 1)[1].splitlines()[0]) == ["birlik", "serve"]
    check_command(["birlik", "collectstatic", "--no-input", "--verbosity", "0"])
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().splitlines()
    assert ignored[ignored.index("*") + 1 :][:3] == ["!pyproject.toml", "!README.md", "!src/"]


# --- the systemd units ---------------------------------------------------------------------
def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file's sections; a key given twice (ExecStartPre=) keeps every value."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text())
    sections: dict[str, dict[str, list[str]]] = {}
    current = ""
    for line in (UNITS / name).read_text().splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            assert parser.has_section(current)
            sections[current] = {}
        elif "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            sections[current].setdefault(key, []).append(value)
    return sections


UNIT_NAMES = ("birlik-web@.service", "birlik-worker@.service", "birlik-migrate.service")


@pytest.mark.parametrize("name", UNIT_NAMES)
def test_each_unit_runs_real_birlik_commands(name):
    service = unit(name)["Service"]
    commands = [*service.get("ExecStartPre", []), *service["ExecStart"]]
    for command in commands:
        words = command.split()
        if words[0] == "/usr/bin/flock":
            words = words[2:]
        assert words[0] == "/opt/birlik/venv/bin/birlik"
        check_command(words)


@pytest.mark.parametrize("name", UNIT_NAMES)
def test_each_unit_is_hardened_and_writes_only_to_the_data_directory(name):
    service = unit(name)["Service"]

    assert service["EnvironmentFile"] == ["/etc/birlik/birlik.env"]
    assert service["User"] == ["birlik"]
    assert service["NoNewPrivileges"] == ["yes"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["PrivateTmp"] == ["yes"]
    assert service["Restart"] == ["on-failure"]
    writable = service["ReadWritePaths"][0].split()
    example = env_file(UNIT_ENV_EXAMPLE)
    for variable in ("BIRLIK_DATA_DIR", "STATIC_ROOT", "MEDIA_ROOT", "BIRLIK_DOCUMENTS_DIR"):
        assert any(
            example[variable] == path or example[variable].startswith(f"{path}/")
            for path in writable
        ), variable


def test_the_web_servers_listen_on_their_instance_and_start_after_the_migrations():
    web = unit("birlik-web@.service")
    worker = unit("birlik-worker@.service")
    migrate = unit("birlik-migrate.service")

    assert web["Service"]["Environment"] == ["PORT=%i"]
    for other in (web, worker):
        assert "birlik-migrate.service" in other["Unit"]["After"][0].split()
        assert "birlik-migrate.service" in other["Unit"]["Wants"][0].split()
        assert any("migrate --check" in line for line in other["Service"]["ExecStartPre"])
    assert migrate["Service"]["Type"] == ["oneshot"]
    assert migrate["Service"]["RemainAfterExit"] == ["yes"]
    assert migrate["Service"]["Environment"] == ['"PGOPTIONS=-c lock_timeout=5s"']


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_systemd_reads_the_units_without_a_complaint(tmp_path):
    birlik = Path(sys.executable).with_name("birlik")
    for name in UNIT_NAMES:
        text = (UNITS / name).read_text().replace("/opt/birlik/venv/bin/birlik", str(birlik))
        (tmp_path / name).write_text(text)
    instances = ["birlik-web@8001.service", "birlik-worker@1.service", "birlik-migrate.service"]
    result = subprocess.run(  # noqa: S603
        ["systemd-analyze", "verify", "--man=no", *(f"./{name}" for name in instances)],  # noqa: S607
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


# --- the reverse proxy ---------------------------------------------------------------------
CADDY = shutil.which("caddy")


@pytest.mark.skipif(not CADDY, reason="caddy is not installed")
def test_caddy_accepts_the_caddyfile():
    env = {**os.environ, "BIRLIK_DOMAIN": "birlik.example.kz", "ACME_EMAIL": "ops@example.kz"}
    result = subprocess.run(  # noqa: S603
        [str(CADDY), "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        body = json.dumps({key.lower(): value for key, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def caddy_in_front_of_an_echo_server(tmp_path) -> Iterator[int]:
    """Caddy with the deploy Caddyfile on loopback (plain HTTP), its upstream an echo server."""
    echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=echo.serve_forever, daemon=True).start()
    port = _free_port()
    text = (DEPLOY / "Caddyfile").read_text()
    upstream = "dynamic a app 8000 {\n\t\t\trefresh 5s\n\t\t}"
    assert upstream in text
    text = text.replace(upstream, f"to 127.0.0.1:{echo.server_address[1]}")
    text = text.replace("{\n\temail {$ACME_EMAIL}\n}", "{\n\tadmin off\n\temail {$ACME_EMAIL}\n}")
    (tmp_path / "Caddyfile").write_text(text)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "BIRLIK_DOMAIN": f"http://127.0.0.1:{port}",
        "ACME_EMAIL": "ops@example.kz",
    }
    process = subprocess.Popen(  # noqa: S603
        [str(CADDY), "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("caddy did not start listening")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        echo.shutdown()


@pytest.mark.skipif(not CADDY, reason="caddy is not installed")
def test_the_proxy_names_the_client_and_drops_a_forged_forwarded_for(
    caddy_in_front_of_an_echo_server,
):
    request = urllib.request.Request(
        f"http://127.0.0.1:{caddy_in_front_of_an_echo_server}/health/",
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
        seen = json.loads(response.read())
        server = response.headers.get("Server")

    assert seen["x-forwarded-for"] == "127.0.0.1"
    assert seen["x-forwarded-proto"] == "http"
    assert seen["host"] == f"127.0.0.1:{caddy_in_front_of_an_echo_server}"
    assert server is None
