"""Fixtures of the API tests: a token maker, the client with a bearer token, a clean cache."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from birlik.api.services import NewToken, api_token_create

ALL_SCOPES = ("events:write", "attendance:write", "appeals:write")


@pytest.fixture(autouse=True)
def _fresh_cache(_empty_cache):
    """Rate-limit counters and cached figures never leak from one test into the next: the
    shared cache (a table of the test database) is emptied before each test (tests/conftest)."""


@pytest.fixture
def make_token(network):
    """``make_token(body, scopes=…, by=…)``: a token made through the service."""

    def do(
        body: Any = None,
        *,
        scopes: tuple[str, ...] = ALL_SCOPES,
        by: str = "admin",
        name: str = "Regional CRM",
        expires_at: datetime.datetime | None = None,
    ) -> NewToken:
        return api_token_create(
            actor=network.users[by],
            name=name,
            organisation=body or network.pavlodar,
            scopes=scopes,
            expires_at=expires_at,
        )

    return do


class Api:
    """The test client speaking JSON to /api/v1/, with an optional token and language."""

    def __init__(self, client: Any, secret: str = "", language: str = "en") -> None:
        self.client = client
        self.secret = secret
        self.language = language

    def headers(self) -> dict[str, str]:
        headers = {"Accept-Language": self.language} if self.language else {}
        if self.secret:
            headers["Authorization"] = f"Bearer {self.secret}"
        return headers

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(f"/api/v1{path}", params or {}, headers=self.headers())

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self.headers(),
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers()
        )


@pytest.fixture
def api(client):
    """``api`` for public calls; ``api.with_token(secret)`` for an integration."""
    public = Api(client)
    public.with_token = lambda secret, language="en": Api(client, secret, language)  # type: ignore[attr-defined]
    return public
