"""/api/: version 1 (schema at /api/v1/openapi.json, docs at /api/v1/docs); any other address
under /api/ answers a 404 problem, and every view answers in the caller's language."""

from django.urls import URLPattern, URLResolver, include, path, re_path

from .problems import in_callers_language, not_found
from .v1 import api

app_name = "api"

_patterns, _app, _namespace = api.urls
v1_patterns = [
    URLPattern(p.pattern, in_callers_language(p.callback), p.default_args, p.name)
    for p in _patterns
    if isinstance(p, URLPattern)
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include((v1_patterns, "v1"))),
    re_path(r"^", not_found),
]
