"""Database unavailable: a clear, translated 503 page with Retry-After, never a traceback."""

import contextlib

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.test import Client, RequestFactory

from birlik.core.middleware import DatabaseUnavailableMiddleware


@contextlib.contextmanager
def database_down(error=None):
    """Every query on this thread's connection fails as if the server were gone."""
    error = error or OperationalError("database is locked")

    def refuse(execute, sql, params, many, context):
        raise error

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.django_db
def test_a_page_answers_503_with_a_clear_message_when_the_database_is_down():
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get("/en/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "The service is temporarily unavailable" in page
    assert "please wait a minute and send it again" in page
    assert "birlik/birlik.css" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db
def test_the_503_page_is_in_the_language_of_the_address():
    client = Client(raise_request_exception=False)
    with database_down(InterfaceError("connection already closed")):
        response = client.get("/ru/")
    assert response.status_code == 503
    assert '<html lang="ru">' in response.content.decode()


@pytest.mark.django_db
def test_health_answers_503_json_when_the_database_is_down():
    client = Client(raise_request_exception=False)
    assert client.get("/health/").json() == {"status": "ok"}
    with database_down(OperationalError("connection refused")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert response["Retry-After"] == "30"


@pytest.mark.django_db
def test_the_site_answers_again_once_the_database_is_back():
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get("/en/").status_code == 503
    assert client.get("/en/").status_code == 200


@pytest.mark.django_db
def test_a_database_error_raised_outside_the_view_is_also_a_503():
    def failing(request):
        raise OperationalError("server closed the connection unexpectedly")

    response = DatabaseUnavailableMiddleware(failing)(RequestFactory().get("/kk/"))
    assert response.status_code == 503
    assert '<html lang="kk">' in response.content.decode()


@pytest.mark.django_db
def test_other_errors_are_left_to_the_500_page():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/en/")
    assert middleware.process_exception(request, ValueError("a bug")) is None
    assert middleware(request).status_code == 200


@pytest.mark.django_db(transaction=True)  # the worker closes its connections between attempts
def test_the_worker_waits_for_the_database_and_resumes(monkeypatch, capsys):
    from birlik import cli

    runs = []
    waits = []

    def db_worker(*args, **options):
        runs.append(args)
        if len(runs) < 3:
            raise OperationalError("connection refused")

    monkeypatch.setattr(cli, "_manage", db_worker)
    monkeypatch.setattr(cli.time, "sleep", waits.append)
    assert cli._db_worker(batch=True) == 0
    assert len(runs) == 3 and runs[-1][-1] == "--batch"
    assert waits == [1.0, 2.0]
    output = capsys.readouterr()
    assert output.err.count("the database does not answer (connection refused)") == 2
    assert "the database answers again; resuming." in output.out


@pytest.mark.django_db
def test_the_worker_queues_the_waiting_notices_when_it_starts(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from birlik import cli
    from birlik.notify.models import Notice

    Notice.objects.create(channel="sms", recipient="+77010000001", body="B", idempotency_key="k")
    monkeypatch.setattr(cli, "_manage", lambda *args, **options: None)
    before = DBTaskResult.objects.count()
    cli._db_worker(batch=True)
    assert DBTaskResult.objects.count() == before + 1
