"""The annual report in the workspace (/<lang>/workspace/reports/documents/) and the public
open data pages (/<lang>/open-data/).

Report files go out through ``download`` only (policy checked, audited); open data files are
public and streamed from disk by ``FileResponse``, never read into memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.private_files import private_file_response

from . import opendata, queries, services
from .forms import ReportRequestForm
from .models import CONTENT_TYPES, OpenDataRelease, ReportRun

View = Callable[..., HttpResponseBase]
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE


# --- The annual report -----------------------------------------------------------------------


@staff_view
def runs(request: HttpRequest) -> HttpResponse:
    """Ask for a report; follow the runs (progress refreshed by a small local script)."""
    policies.require(request.user, "report_documents.request_report")
    form = ReportRequestForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.report_run_request(
                actor=request.user,  # type: ignore[arg-type]
                year=form.cleaned_data["year"],
                language=form.cleaned_data["language"],
                region=form.region(),
                formats=list(form.cleaned_data["formats"]),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The report of %(year)s is being generated; its progress is shown below.")
                % {"year": run.year},
            )
            return redirect("reports_documents:runs")
    page = Paginator(queries.report_runs(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "report_documents/runs.html",
        {
            "form": form,
            "page": page,
            "pending": any(run.is_pending for run in page.object_list),
        },
        status=400 if form.errors else 200,
    )


@staff_view
@require_GET
def run_status(request: HttpRequest) -> JsonResponse:
    """Progress of the runs the page shows (``?ids=1,2``), for its refreshing script."""
    policies.require(request.user, "report_documents.request_report")
    ids = [int(part) for part in request.GET.get("ids", "").split(",")[:50] if part.isdigit()]
    rows = queries.report_progress(user=request.user, ids=ids)
    return JsonResponse(
        {
            "runs": [
                {
                    "id": run.pk,
                    "status": run.status,
                    "status_label": str(run.get_status_display()),
                    "progress": run.progress,
                }
                for run in rows
            ]
        }
    )


@staff_view
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    run = policies.get_scoped_or_404(
        ReportRun.objects.select_related("region"), request.user, pk=pk
    )
    try:
        path, item = services.report_file(actor=request.user, run=run, fmt=fmt)  # type: ignore[arg-type]
    except DomainError as error:
        return _missing(request, str(error.message), staff=True)
    return private_file_response(
        path,
        filename=str(item["name"]),
        content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),
    )


# --- Open data (public) --------------------------------------------------------------------


def _missing(request: HttpRequest, message: str, *, staff: bool = False) -> HttpResponse:
    """A 404 page that says why (no release yet, no such file, file no longer kept)."""
    back_url, back_label = (
        (reverse("reports_documents:runs"), _("Back to the annual reports"))
        if staff
        else (reverse("reports_documents_portal:index"), _("Back to the open data"))
    )
    return render(
        request,
        "report_documents/missing.html",
        {"message": message, "back_url": back_url, "back_label": back_label},
        status=404,
    )


def _release_files(release: OpenDataRelease | None) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in release.files} if release is not None else {}


@require_GET
def opendata_index(request: HttpRequest) -> HttpResponse:
    release = queries.current_release()
    files = _release_files(release)
    datasets = [
        {
            "dataset": dataset,
            "csv": files.get(f"{dataset.code}.csv"),
            "json": files.get(f"{dataset.code}.json"),
        }
        for dataset in opendata.DATASETS
    ]
    return render(
        request,
        "report_documents/opendata.html",
        {
            "release": release,
            "datasets": datasets,
            "zip": files.get(services.ZIP_NAME),
            "dictionary_file": files.get(services.DICTIONARY_NAME),
            "csv_format": opendata.CSV_FORMAT,
        },
    )


@require_GET
def opendata_dictionary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "report_documents/dictionary.html",
        {"datasets": opendata.DATASETS, "csv_format": opendata.CSV_FORMAT},
    )


CONTENT_TYPES_OPEN = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "zip": "application/zip",
}


@require_GET
def opendata_file(request: HttpRequest, name: str) -> HttpResponseBase:
    """A file of the published release, streamed from disk at any size."""
    release = queries.current_release()
    if release is None:
        return _missing(
            request, _("No open data release has been generated yet; try again tomorrow.")
        )
    path = services.opendata_path(release, name)
    if path is None:
        return _missing(request, _("The current open data release has no file of this name."))
    extension = name.rsplit(".", 1)[-1]
    response = FileResponse(
        path.open("rb"),
        as_attachment=extension != "json",
        filename=name,
        content_type=CONTENT_TYPES_OPEN.get(extension, "application/octet-stream"),
    )
    item = release.file(name) or {}
    response["Cache-Control"] = "public, max-age=3600"
    if item.get("sha256"):
        response["ETag"] = f'"{item["sha256"]}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def opendata_live(request: HttpRequest, code: str) -> HttpResponseBase:
    """A dataset read from the database now, streamed as CSV row by row."""
    dataset = opendata.DATASETS_BY_CODE.get(code)
    if dataset is None:
        return _missing(request, _("There is no dataset of this name."))
    if not dataset.live:
        return _missing(request, _("This dataset is only published in the daily release."))
    context = opendata.Context(years=[])
    response = StreamingHttpResponse(
        opendata.csv_lines(dataset, dataset.rows(context)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-live.csv"'
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    return response
