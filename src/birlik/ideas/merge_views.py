"""Merging a duplicate idea into the one kept, in the workspace: staff covering both ideas
choose the idea kept by its number (similar published ideas are suggested); the supports move
there, each person counted once (``services.idea_merge``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error

from . import portal_forms, queries, services
from .models import Idea

SUGGESTIONS = 5


def _suggestions(user: User, idea: Idea) -> list[Idea]:
    """Published ideas like this one that the user may merge it into (the similarity index of
    the ideas-similar slice; none while it is not there)."""
    try:
        from .similarity import similar_ideas
    except ImportError:
        return []
    found = similar_ideas(
        text=f"{idea.title}\n{idea.problem}\n{idea.solution}",
        limit=SUGGESTIONS * 2,
        exclude_pk=idea.pk,
    )
    return [item for item, _score in found if policies.can(user, "ideas.merge", item)][:SUGGESTIONS]


def _after(idea: Idea) -> str:
    try:
        return reverse("ideas:idea", kwargs={"pk": idea.pk})
    except NoReverseMatch:
        return reverse("ideas_portal:idea", kwargs={"pk": idea.pk})


@staff_view
def merge(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = cast(User, request.user)
    duplicate = policies.get_scoped_or_404(
        Idea.objects.select_related("organisation", "category", "region", "call"), user, pk=pk
    )
    policies.require(user, "ideas.merge", duplicate)
    form = portal_forms.MergeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            number = form.cleaned_data["into"].strip().upper()
            into = policies.scoped(Idea.objects.all(), user).filter(number=number).first()
            if into is None:
                form.add_error(
                    "into", _("No idea with this number in your scope. Check the number.")
                )
            else:
                try:
                    kept = services.idea_merge(actor=user, duplicate=duplicate, into=into)
                except DomainError as error:
                    show_domain_error(form, error)
                else:
                    messages.success(
                        request,
                        _("The idea %(duplicate)s is merged into %(into)s.")
                        % {"duplicate": duplicate.number, "into": kept.number},
                    )
                    return redirect(_after(kept))
    context: dict[str, Any] = {
        "idea": duplicate,
        "form": form,
        "suggestions": _suggestions(user, duplicate),
        "threshold": queries.support_threshold(duplicate),
        "may_moderate": policies.can(user, "ideas.moderate"),
        "may_manage_calls": policies.can(user, "ideas.manage_calls"),
    }
    return render(request, "ideas/staff/merge.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("ideas/<int:pk>/merge/", merge, name="merge"),
]
