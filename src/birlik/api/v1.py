"""Version 1 of the REST API: public reads and token-scoped writes, with its OpenAPI schema."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from . import problems
from .auth import AnonymousRate, TokenRate
from .problems import MEDIA_TYPE

DESCRIPTION = """
Open data of the Assembly of People of Kazakhstan and writes for staff integrations.

**Reading** (bodies, territory, events, figures) needs no token. Figures come from the KPI
registry; no endpoint returns personal data.

**Writing** (tag *integrations*) needs an integration token: a national administrator or a
regional coordinator makes one in the workspace (*Integration tokens*) for a body, with the
actions it may take (`events:write`, `attendance:write`, `appeals:write`). Send it as
`Authorization: Bearer <token>`. A token acts within the body it was made for and the bodies
below it; records outside that area answer 404.

**Language**: names and messages follow `Accept-Language` (`kk`, `ru`, `en`; Kazakh by default).

**Errors** are RFC 9457 problem details (`application/problem+json`): `type`, `title`,
`status`, `detail`, `instance`, and `errors` (location, field, code, detail) for invalid values.

**Lists** take `limit` (1–100, default 25) and `offset` and return `count`; the order is stable.

**Rate limits**: calls without a token are limited per address, calls with a token per token;
beyond the limit the answer is 429 with `Retry-After`.
"""


class BirlikAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Errors are declared as ``application/problem+json``, as they are sent."""
        schema = super().get_openapi_schema(**kwargs)
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(status) >= 400 and content and "application/json" in content:
                        response["content"] = {MEDIA_TYPE: content["application/json"]}
                        if int(status) == 429:
                            response["headers"] = {
                                "Retry-After": {
                                    "description": "Seconds to wait.",
                                    "schema": {"type": "string"},
                                }
                            }
        return schema


api = BirlikAPI(
    title="Birlik API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    throttle=[AnonymousRate(), TokenRate()],
)
problems.install(api)

from . import integrations  # noqa: E402, F401 - adds the writes to the public router
from .public import router  # noqa: E402

api.add_router("", router)
