"""Imports in the workspace: upload, the column step, the check's progress and review, the
commit, the rejected rows and the templates. The pipeline is ``birlik.imports.services``."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view as workspace_view
from birlik.core import spreadsheets, uploads
from birlik.core.errors import DomainError
from birlik.core.listing import page_of
from birlik.core.private_files import private_download
from birlik.imports import blanks, kinds, services
from birlik.imports.models import ImportJob, ImportRow
from birlik.registry.models import Organisation

from . import forms, menu
from .views import _body

ROWS_PAGE_SIZE = 100
PREVIEW_SHOWN = 12


def _job(request: HttpRequest, token: str) -> ImportJob:
    """The user's own import; anyone else's (or one out of the user's scope) does not exist."""
    job = (
        ImportJob.objects.select_related("organisation")
        .filter(token=token, user_id=int(request.user.pk or 0))
        .first()
    )
    if job is None or job.kind not in kinds.KINDS:
        raise Http404
    policies.get_scoped_or_404(Organisation.objects.all(), request.user, pk=job.organisation_id)
    policies.require(request.user, kinds.KINDS[job.kind].permission, job.organisation)
    return job


@workspace_view
def import_template(request: HttpRequest, import_kind: str) -> HttpResponseBase:
    if import_kind not in {*kinds.KINDS, "signin"}:
        raise Http404
    return private_download(
        blanks.template_xlsx(import_kind), filename=f"birlik-{import_kind}.xlsx"
    )


@csrf_exempt
@workspace_view
def import_upload(request: HttpRequest, pk: int) -> HttpResponseBase:
    # The size guard must be in place before the body is read, so the CSRF check (which reads
    # the form) runs just after, in ``_import_upload``.
    uploads.guard_upload_size(request, uploads.IMPORT_LIMIT)
    return _import_upload(request, pk)


@csrf_protect
def _import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _body(request, pk)
    policies.require(request.user, "registry.import", organisation)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if refused := uploads.refusal_message(request, uploads.IMPORT_LIMIT, split=True):
            form = forms.ImportForm(request.POST, {})
            form.is_valid()
            form.errors["file"] = form.error_class([refused])
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > uploads.limit_bytes(uploads.IMPORT_LIMIT):
                    raise spreadsheets.ImportFileError(
                        uploads.too_large_message(uploads.IMPORT_LIMIT, split=True)
                    )
                job = services.start(
                    user=request.user,
                    under=organisation,
                    kind=form.cleaned_data["import_kind"],
                    filename=upload.name or "",
                    data=upload.read(),
                )
            except spreadsheets.ImportFileError as error:
                form.add_error("file", error.message)
            except DomainError as error:
                form.add_error(None, str(error.message))
            else:
                return redirect("workspace:import_columns", token=job.token)
    return render(
        request,
        "workspace/import_upload.html",
        {
            "form": form,
            "body": organisation,
            "crumbs": menu.import_crumbs(organisation),
            "kinds": kinds.KINDS,
            "recent": ImportJob.objects.filter(
                user_id=int(request.user.pk or 0), organisation=organisation
            )[:5],
        },
    )


@workspace_view
def import_columns(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    if job.status != ImportJob.Status.UPLOADED:
        return redirect("workspace:import_review", token=job.token)
    form = forms.ColumnsForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("action") == "header":
                services.set_header_line(
                    user=request.user, job=job, header_line=form.cleaned_data["header_line"]
                )
                return redirect("workspace:import_columns", token=job.token)
            services.choose_columns(
                user=request.user,
                job=job,
                header_line=form.cleaned_data["header_line"],
                mapping=form.mapping(),
                defaults=form.defaults(),
                mode=form.cleaned_data["mode"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            return redirect("workspace:import_review", token=job.token)
    try:
        rows = services.preview(job)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("workspace:import", pk=job.organisation_id)
    start = job.header_line or 1
    width = max((len(r) for r in rows), default=0)
    sample = [
        (number, (row + [""] * width)[:width])
        for number, row in enumerate(rows, start=1)
        if number > start
    ][:PREVIEW_SHOWN]
    mapped = set(job.mapping.values())
    kind = kinds.KINDS[job.kind]
    unknown = [
        text for index, text in enumerate(job.header) if str(index) not in job.mapping and text
    ]
    return render(
        request,
        "workspace/import_columns.html",
        {
            "job": job,
            "body": job.organisation,
            "crumbs": menu.import_crumbs(job.organisation, step=_("Choose the columns")),
            "form": form,
            "kind": kind,
            "columns": [
                (form[name], [cells[index] for _n, cells in sample][:3])
                for index, name, _text in form.columns
            ],
            "above": [(n, r) for n, r in enumerate(rows[: max(0, start - 1)], start=1)],
            "sample": sample,
            "unknown": unknown,
            "unmapped_fields": [s.label for s in kind.fields if s.key not in mapped],
            "defaults": [form[name] for name in form.default_names],
        },
    )


@workspace_view
def import_review(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    if job.status == ImportJob.Status.UPLOADED:
        return redirect("workspace:import_columns", token=job.token)
    if job.running:
        services.resume_interrupted()
    status = request.GET.get("status", "")
    if status not in ImportRow.Status.values:
        status = ""
    shown = job.status in {
        ImportJob.Status.READY,
        ImportJob.Status.COMMITTING,
        ImportJob.Status.DONE,
    }
    page = page_of(request, services.rows_page(job, status), size=ROWS_PAGE_SIZE) if shown else None
    return render(
        request,
        "workspace/import_review.html",
        {
            "job": job,
            "body": job.organisation,
            "crumbs": menu.import_crumbs(job.organisation, step=_("Check the import")),
            "kind": kinds.KINDS[job.kind],
            "page": page,
            "status": status,
            "query": f"status={status}" if status else "",
            "statuses": ImportRow.Status.choices,
            "can_confirm": job.status == ImportJob.Status.READY
            and bool(job.created + job.changed)
            and not (job.mode == ImportJob.Mode.ALL and job.rejected),
            "refresh": job.running,
            "skipped": job.skipped[:50],
        },
    )


@require_POST
@workspace_view
def import_confirm(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    review = reverse("workspace:import_review", kwargs={"token": job.token})
    try:
        if request.POST.get("action") == "partial":
            services.switch_to_partial(user=request.user, job=job)
            return redirect(review)
        services.confirm(user=request.user, job=job)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(review)


@require_POST
@workspace_view
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    job = _job(request, token)
    body = job.organisation_id
    try:
        services.cancel(user=request.user, job=job)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("workspace:import_review", token=job.token)
    messages.info(request, _("The import was cancelled; nothing was written."))
    return redirect("workspace:import", pk=body)


@workspace_view
def import_rejected(request: HttpRequest, token: str) -> HttpResponseBase:
    """The rejected rows with the file's own columns and a reason column, to fix and upload."""
    job = _job(request, token)
    try:
        data = services.rejected_rows_xlsx(job)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("workspace:import_review", token=job.token)
    stem = (job.filename.rsplit(".", 1)[0] or job.kind)[:80]
    return private_download(data, filename=f"{stem}-rejected.xlsx")
