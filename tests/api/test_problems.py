"""Errors are RFC 9457 problem details in the caller's language, for every status."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation

from birlik.api import public

KEYS = {"type", "title", "status", "detail", "instance"}


def _problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= KEYS and body["status"] == status
    assert body["type"].startswith("urn:birlik:problem:")
    return body


def test_a_missing_record_is_a_problem_in_kazakh_by_default(db, api):
    api.language = ""
    body = _problem(api.get("/bodies/424242"), 404)
    with translation.override("kk"):
        assert body["detail"] == translation.gettext("There is no body with this number.")
    assert body["instance"] == "/api/v1/bodies/424242"


def test_the_language_follows_accept_language(db, api):
    api.language = "ru-RU,ru;q=0.9,en;q=0.5"
    response = api.get("/bodies/424242")
    body = _problem(response, 404)
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    with translation.override("ru"):
        assert body["title"] == translation.gettext("Not found")
    api.language = "de, en;q=0.4"
    assert _problem(api.get("/bodies/424242"), 404)["title"] == "Not found"


def test_validation_errors_list_location_field_code_and_a_translated_detail(db, api):
    body = _problem(api.get("/events", {"limit": "many", "date_from": "yesterday"}), 422)
    errors = {error["field"]: error for error in body["errors"]}
    assert errors["limit"] == {
        "location": "query",
        "field": "limit",
        "code": "int_parsing",
        "detail": "Give a whole number.",
    }
    assert errors["date_from"]["detail"] == "Give a date as YYYY-MM-DD."


def test_an_unknown_address_and_a_wrong_method_are_problems(db, api):
    _problem(api.get("/no-such-thing"), 404)
    _problem(api.client.get("/api/"), 404)
    wrong = api.client.delete("/api/v1/bodies")
    _problem(wrong, 405)
    assert wrong["Allow"] == "GET"


def test_a_missing_or_malformed_token_is_401_with_a_challenge(db, api):
    response = api.get("/appeals")
    _problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    basic = api.client.get("/api/v1/appeals", headers={"Authorization": "Basic abc"})
    _problem(basic, 401)


@override_settings(API_RATE_ANON="3/min")
def test_too_many_calls_without_a_token_get_429_with_retry_after(db, api):
    for _ in range(3):
        assert api.get("/kinds").status_code == 200
    response = api.get("/kinds")
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0


@override_settings(API_RATE_TOKEN="2/min", API_RATE_ANON="1000/min")
def test_each_token_has_its_own_allowance(network, api, make_token):
    first = api.with_token(make_token(name="One").secret)
    second = api.with_token(make_token(name="Two").secret)
    assert first.get("/appeals").status_code == 200
    assert first.get("/appeals").status_code == 200
    _problem(first.get("/appeals"), 429)
    assert second.get("/appeals").status_code == 200


@override_settings(API_RATE_ANON="2/min")
def test_guessing_tokens_is_limited_per_address(db, api):
    guesser = api.with_token("bk_0000_guess")
    assert guesser.get("/appeals").status_code == 401
    assert guesser.get("/appeals").status_code == 401
    _problem(guesser.get("/appeals"), 429)


def test_an_unexpected_error_is_a_500_problem_without_a_trace(db, api, monkeypatch):
    def broken() -> list:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(public.kpi, "indicators", broken)
    response = api.get("/indicators")
    body = _problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert body["detail"].startswith("Something went wrong")


def test_the_schema_declares_problem_responses(db, api):
    schema = api.get("/openapi.json").json()
    responses = schema["paths"]["/api/v1/bodies"]["get"]["responses"]
    assert set(responses) >= {"200", "422", "429", "500"}
    assert "application/problem+json" in responses["422"]["content"]
    writes = schema["paths"]["/api/v1/events"]["post"]
    assert set(writes["responses"]) >= {"201", "400", "401", "403", "404", "422", "429", "500"}
    assert writes["security"]
