"""The web server's access log keeps no private link's secret, no query string, no referrer."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from gunicorn.config import Config

from birlik import cli
from birlik.core.accesslog import mask_private

SECRET = "Zq7uX9pLmN3vB8rT"
PRIVATE_LINKS = [
    ("portal:ticket", "code"),
    ("portal:ticket_cancel", "code"),
    ("portal:appeal_receipt", "token"),
    ("portal:appeal_receipt_pdf", "token"),
    ("portal:appeal_status", "token"),
    ("portal:appeal_rating", "token"),
]


def served_config() -> Config:
    """gunicorn's configuration as ``birlik serve`` starts it."""
    command = cli._gunicorn_command("127.0.0.1", 8000, 1)
    config = Config()
    parsed = config.parser().parse_args(command[command.index("birlik.wsgi:application") :])
    for key, value in vars(parsed).items():
        if value is not None and key != "args":
            config.set(key.lower(), value)
    return config


def access_line(path: str, query: str = "") -> str:
    config = served_config()
    logger = config.logger_class(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{path}?{query}" if query else path,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://birlik.example{path}?{query}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="200 OK", headers=[], response_length=512, sent=512)
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=12))
    return str(config.access_log_format % atoms)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(("name", "argument"), PRIVATE_LINKS)
def test_a_private_link_is_logged_without_its_secret(name, argument, language):
    with translation.override(language):
        path = reverse(name, kwargs={argument: SECRET})
    line = access_line(path)
    assert SECRET not in line
    assert "[private]" in line
    assert '" 200 512 "Mozilla/5.0"' in line


def test_a_query_and_the_referrer_are_not_logged():
    line = access_line("/kk/search/", "q=%D0%94%D0%BE%D1%81%D1%82%D1%8B%D2%9B&near=52.29,76.97")
    assert "52.29" not in line and "near=" not in line and "birlik.example" not in line
    assert '"GET /kk/search/ HTTP/1.1" 200' in line


def test_other_paths_are_logged_as_they_are():
    assert mask_private("/kk/bodies/42/") == "/kk/bodies/42/"
    assert mask_private("/ru/appeals/new/") == "/ru/appeals/new/"
    assert mask_private("/en/tickets/AB12/cancel/") == "/en/tickets/[private]/cancel/"
