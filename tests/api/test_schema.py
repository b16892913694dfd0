"""The OpenAPI schema checked by schemathesis against the running API (in-process, bounded).

Every operation gets generated requests (valid and invalid) with a token that may do
everything in Pavlodar; each answer must be no server error and conform to the schema: declared
status, declared media type (problem details for errors), body and headers matching.
"""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from ..appeals.helpers import register
from ..events.factories import EventFactory
from ..factories import region

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    allow_header_conformance,
    unsupported_method,
]


MAX_EXAMPLES = 25  # per operation and mode: 25 operations × 2 modes stay within a minute


@pytest.fixture
def data_set(network, make_token):
    """A small data set (events held and coming, an appeal) and a token for every write."""
    now = timezone.now()
    EventFactory(organiser=network.pavlodar_house, starts_at=now + datetime.timedelta(days=5))
    EventFactory(
        organiser=network.almaty_house,
        region=region("KZ-75"),
        starts_at=now - datetime.timedelta(days=30),
        status="held",
    )
    register(network.pavlodar_house)
    return {"Authorization": f"Bearer {make_token(network.pavlodar).secret}"}


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes "old" connections around each request, and inside the test's
    transaction that closes PostgreSQL's connection; Django's test client disconnects the same
    receivers for the same reason."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@override_settings(API_RATE_ANON="100000/min", API_RATE_TOKEN="100000/min")
def test_the_api_conforms_to_its_schema(data_set, keep_test_connection, capsys):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    failures: list[str] = []
    examples = 0
    operations = 0
    skipped = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
            )
            def run(case) -> None:
                nonlocal examples
                examples += 1
                case.call_and_validate(headers=dict(data_set), checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                skipped += 1  # no invalid request exists (an operation without parameters)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported below
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    with capsys.disabled():
        print(  # noqa: T201 - the summary the closing note reports
            f"\nschemathesis: {operations} operations, {examples} examples, "
            f"{len(failures)} failures ({skipped} operation modes without invalid input)"
        )
    assert operations >= 20
    assert not failures, "\n\n".join(failures)
