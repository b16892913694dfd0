"""The public Platform of creative solutions: the list of ideas (search, filters, newest or
most supported), an idea's page (supports, the threshold, the answer clock), the submit form
for verified accounts, "my ideas", support and its withdrawal, and the ideas' images."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from birlik.access import policies
from birlik.access.models import User
from birlik.core import ratelimit, uploads, workdays
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.search import search

from . import portal_forms, queries, services
from .models import Call, Idea, IdeaImage

PAGE_SIZE = 20
RATE = "RATE_IDEAS"
RATE_SCOPE = "ideas-submit"


def _url_or_empty(name: str, **kwargs: Any) -> str:
    """The URL of a view another slice provides, or "" while it is not there."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _account_links(request: HttpRequest) -> dict[str, str]:
    """Sign in, create an account, verify a contact: each coming back to this page."""
    back = urlencode({"next": request.get_full_path()})
    links = {}
    for key, name in (
        ("login", "access:login"),
        ("join", "access:join"),
        ("verify", "access:verify_contact"),
    ):
        url = _url_or_empty(name)
        links[key] = f"{url}?{back}" if url else ""
    return links


def _filtered(rows: Any, filters: dict[str, Any]) -> Any:
    rows = search(rows, filters.get("q") or "")
    for field in ("call", "region", "category"):
        if filters.get(field):
            rows = rows.filter(**{field: filters[field]})
    answer = filters.get("answer")
    if answer == portal_forms.ANSWER_WAITING:
        rows = rows.filter(answer_due__isnull=False, answered_on__isnull=True)
    elif answer == portal_forms.ANSWER_GIVEN:
        rows = rows.filter(answered_on__isnull=False)
    elif answer == portal_forms.ANSWER_ACCEPTED:
        rows = rows.filter(decision__in=(Idea.Decision.ACCEPTED, Idea.Decision.PARTLY))
    elif answer == portal_forms.ANSWER_IMPLEMENTED:
        rows = rows.filter(progress=Idea.Progress.DONE)
    if filters.get("sort") == "supported":
        return rows.order_by("-support_count", "-id")
    return rows.order_by("-created_at", "-id")


@require_GET
def ideas(request: HttpRequest) -> HttpResponse:
    form = portal_forms.IdeaFilterForm(request.GET)
    form.is_valid()
    filters = {key: value for key, value in form.cleaned_data.items() if value}
    rows = queries.published_ideas().select_related("category", "region", "call")
    page = page_of(request, _filtered(rows, filters), size=PAGE_SIZE)
    items = list(page.object_list)
    return render(
        request,
        "ideas/portal/list.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "supported": queries.supported_by(request.user, items),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


def _idea_context(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    user = request.user
    signed_in = bool(getattr(user, "is_authenticated", False))
    threshold = queries.support_threshold(idea)
    return {
        "idea": idea,
        "images": list(idea.images.all()),
        "supported": idea.pk in queries.supported_by(user, [idea]),
        "threshold": threshold,
        "call_phase": Call.Phase(idea.call.phase).label if idea.call is not None else "",
        "threshold_left": max(threshold - idea.support_count, 0),
        "closed_reason": queries.support_closed_reason(idea, on=workdays.legal_today()),
        "signed_in": signed_in,
        "verified": signed_in and policies.can(user, "ideas.support", idea),
        "own": signed_in and idea.author_id == user.pk,
        "can_withdraw": signed_in
        and idea.author_id == user.pk
        and idea.status in (Idea.Status.PENDING, Idea.Status.PUBLISHED)
        and idea.threshold_reached_on is None,
        "can_merge": signed_in
        and idea.status in (Idea.Status.PENDING, Idea.Status.PUBLISHED)
        and policies.can(user, "ideas.merge", idea),
        "merge_url": _url_or_empty("ideas:merge", pk=idea.pk),
        "account": _account_links(request),
    }


@require_GET
def idea(request: HttpRequest, pk: int) -> HttpResponse:
    item = queries.visible_idea_or_404(request.user, pk=pk)
    response = render(request, "ideas/portal/detail.html", _idea_context(request, item))
    if not queries.is_public(item):
        response["Cache-Control"] = "private, no-store"
    return response


def _signed_in_or_login(request: HttpRequest, pk: int) -> HttpResponse | None:
    if getattr(request.user, "is_authenticated", False):
        return None
    return redirect_to_login(reverse("ideas_portal:idea", kwargs={"pk": pk}))


@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    if (refusal := _signed_in_or_login(request, pk)) is not None:
        return refusal
    item = queries.visible_idea_or_404(request.user, pk=pk)
    user = cast(User, request.user)
    if not policies.can(user, "ideas.support", item):
        messages.error(
            request,
            _(
                "Verify your phone number or e-mail address first: only verified accounts "
                "support ideas."
            ),
        )
    else:
        try:
            services.idea_support(user=user, idea=item)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Thank you: your support is counted."))
    return redirect("ideas_portal:idea", pk=item.pk)


@require_POST
def unsupport(request: HttpRequest, pk: int) -> HttpResponse:
    if (refusal := _signed_in_or_login(request, pk)) is not None:
        return refusal
    item = queries.visible_idea_or_404(request.user, pk=pk)
    user = cast(User, request.user)
    try:
        services.idea_unsupport(user=user, idea=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your support is withdrawn."))
    return redirect("ideas_portal:idea", pk=item.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    if (refusal := _signed_in_or_login(request, pk)) is not None:
        return refusal
    item = queries.visible_idea_or_404(request.user, pk=pk)
    user = cast(User, request.user)
    try:
        services.idea_withdraw(author=user, idea=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your idea is withdrawn."))
    return redirect("ideas_portal:idea", pk=item.pk)


@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    page = page_of(request, queries.ideas_of_author(request.user), size=PAGE_SIZE)
    return render(
        request, "ideas/portal/mine.html", {"page": page, "items": list(page.object_list)}
    )


# --- Submitting -------------------------------------------------------------------------------


@csrf_exempt
@never_cache
def submit(request: HttpRequest) -> HttpResponseBase:
    """The size guard goes in before anything reads the body, then the CSRF check (an anonymous
    POST is sent to sign in, its body never read)."""
    if request.method == "POST" and not getattr(request.user, "is_authenticated", False):
        return redirect_to_login(request.get_full_path())
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    uploads.guard_upload_size(request, uploads.ATTACHMENT_LIMIT, max_files=services.MAX_IMAGES)
    return _submit(request)


@csrf_protect
def _submit(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    context: dict[str, Any] = {
        "account": _account_links(request),
        "similar_url": _url_or_empty("ideas_portal:similar"),
        "max_images": services.MAX_IMAGES,
    }
    if not getattr(user, "is_authenticated", False) or not policies.can(user, "ideas.submit"):
        context["closed"] = True
        context["signed_in"] = bool(getattr(user, "is_authenticated", False))
        return render(request, "ideas/portal/submit.html", context)
    user = cast(User, user)
    refused = uploads.refusal_message(
        request, uploads.ATTACHMENT_LIMIT, max_files=services.MAX_IMAGES
    )
    form = portal_forms.IdeaForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if refused:
            form.is_valid()
            form.add_error("images", refused)
        elif form.is_valid():
            limit = ratelimit.setting_rate(RATE)
            ident = f"user:{user.pk}"
            verdict = ratelimit.check(
                RATE_SCOPE, ident, limit=limit.limit, window=limit.window, count=False
            )
            if verdict.over:
                form.add_error(None, _limit_message(limit.limit))
                status = 429
            else:
                data = form.cleaned_data
                try:
                    idea = services.idea_submit(
                        author=user,
                        call=data["call"],
                        category=data["category"],
                        region=data["region"],
                        language=data["language"],
                        title=data["title"],
                        problem=data["problem"],
                        solution=data["solution"],
                        images=data["images"],
                    )
                except DomainError as error:
                    show_domain_error(form, error)
                else:
                    ratelimit.hit(RATE_SCOPE, ident, limit=limit.limit, window=limit.window)
                    messages.success(
                        request,
                        _(
                            "Your idea %(number)s is received. A moderator checks it before it "
                            "is published; you can follow it in «My ideas»."
                        )
                        % {"number": idea.number},
                    )
                    return redirect("ideas_portal:idea", pk=idea.pk)
    context["form"] = form
    return render(request, "ideas/portal/submit.html", context, status=status)


def _limit_message(limit: int) -> str:
    return ngettext(
        "You have submitted %(count)s idea today, the most one account may. Come back tomorrow.",
        "You have submitted %(count)s ideas today, the most one account may. Come back tomorrow.",
        limit,
    ) % {"count": limit}


# --- Images -----------------------------------------------------------------------------------

CONTENT_TYPES = {extension: kind for kind, extension in uploads.EXTENSIONS.items()}


@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    picture = IdeaImage.objects.filter(pk=pk).first()
    if picture is None:
        raise Http404
    item = queries.visible_idea_or_404(request.user, pk=picture.idea_id)
    extension = (picture.image.name or "").rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension, "")
    if content_type not in uploads.IMAGE_TYPES:
        raise Http404
    try:
        handle = picture.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = (
        "public, max-age=86400" if queries.is_public(item) else "private, no-store"
    )
    return response


urlpatterns: list[URLPattern] = [
    path("", ideas, name="list"),
    path("new/", submit, name="submit"),
    path("mine/", mine, name="mine"),
    path("<int:pk>/", idea, name="idea"),
    path("<int:pk>/support/", support, name="support"),
    path("<int:pk>/unsupport/", unsupport, name="unsupport"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("images/<int:pk>/", image, name="image"),
]
