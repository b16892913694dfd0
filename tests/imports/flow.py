"""An import as staff run it in the browser: upload, the column step, the check, the review,
the confirmation. The background jobs are run in the test's own thread (any queue backend)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from birlik.imports import tasks
from birlik.imports.models import ImportJob, ImportRow


def url(name: str, *args: Any) -> str:
    """The English page: the import's messages are in the language of its pages."""
    with translation.override("en"):
        return reverse(f"workspace:{name}", args=args)


def upload(client: Any, body: Any, data: bytes, *, kind: str = "members", name: str = "file.xlsx"):
    return client.post(
        url("import", body.pk),
        {"import_kind": kind, "file": SimpleUploadedFile(name, data)},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def columns_form(client: Any, job: ImportJob) -> tuple[Any, dict[str, Any]]:
    page = client.get(url("import_columns", job.token))
    assert page.status_code == 200, page.content.decode()[:300]
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return page, data


def check(
    client: Any,
    body: Any,
    data: bytes,
    *,
    kind: str = "members",
    name: str = "file.xlsx",
    defaults: dict[str, str] | None = None,
    mapping: dict[int, str] | None = None,
    header_line: int | None = None,
    mode: str = "partial",
) -> Any:
    """Upload and check a file with the columns Birlik proposes (changed by ``mapping``); the
    review page."""
    response = upload(client, body, data, kind=kind, name=name)
    assert response.status_code == 302, _errors(response)
    job = ImportJob.objects.filter(user_id=client.session.get("_auth_user_id")).latest("id")
    if header_line is not None:
        _page, form = columns_form(client, job)
        form.update({"header_line": header_line, "action": "header"})
        client.post(url("import_columns", job.token), form)
    _page, form = columns_form(client, job)
    for index, key in (mapping or {}).items():
        form[f"col_{index}"] = key
    for key, value in (defaults or {}).items():
        form[f"default_{key}"] = value
    form.update({"mode": mode, "action": "check"})
    posted = client.post(url("import_columns", job.token), form, HTTP_ACCEPT_LANGUAGE="en")
    assert posted.status_code == 302, _errors(posted)
    tasks.run_check(job.pk)
    return client.get(url("import_review", job.token), HTTP_ACCEPT_LANGUAGE="en")


def confirm(client: Any, review: Any) -> Any:
    job = review.context["job"]
    response = client.post(url("import_confirm", job.token), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    tasks.run_commit(job.pk)
    return client.get(url("import_review", job.token), HTTP_ACCEPT_LANGUAGE="en")


def rows(review: Any) -> list[ImportRow]:
    return list(ImportRow.objects.filter(job=review.context["job"]).order_by("line"))


def statuses(review: Any) -> list[str]:
    return [row.status for row in rows(review)]


def _errors(response: Any) -> str:
    context = getattr(response, "context", None)
    if context and "form" in context:
        return str(context["form"].errors)
    return response.content.decode()[:500]
