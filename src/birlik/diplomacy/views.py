"""The staff side of people's diplomacy: the register of international requests and its steps,
visits and delegations with their programme, and the Corps of Friendship Ambassadors with their
activities. Lists and pages show the records of the user's scope (out of scope → 404); changes
go through the services, which check the policy again (in scope without the right → 403)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.registry.models import Organisation, Person

from . import forms, queries, services
from .models import (
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    RequestStep,
    Visit,
)

VIEW = "diplomacy.view"
MANAGE = "diplomacy.manage"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


def _filters(form: django_forms.Form) -> dict[str, Any]:
    """What the list's form understood (the other values are left out and said so)."""
    form.is_valid()
    cleaned: dict[str, Any] = getattr(form, "cleaned_data", {})
    return {name: value for name, value in cleaned.items() if name not in form.errors}


# --- Requests ----------------------------------------------------------------------------------


def _request(request: HttpRequest, pk: int) -> InternationalRequest:
    policies.require(request.user, VIEW)
    return policies.get_scoped_or_404(
        InternationalRequest.objects.select_related("organisation", "organisation__kind"),
        request.user,
        pk=pk,
    )


@staff_view
def requests(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, VIEW)
    form = forms.RequestFilterForm(request.GET)
    rows = queries.requests_list(request.user, _filters(form))
    return render(
        request,
        "diplomacy/requests.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "can_create": policies.can(request.user, MANAGE),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def request_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, MANAGE)
    keepers = queries.keepers(user)
    initial = {"received_on": legal_today(), "language": "ru"}
    if keepers.count() == 1:
        initial["organisation"] = keepers.get().pk
    form = forms.RequestForm(request.POST or None, keepers=keepers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.request_register(
                actor=user, organisation=data["organisation"], data=data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The request is registered under %(number)s.") % {"number": item.number}
            )
            return redirect("diplomacy:request", item.pk)
    return render(
        request,
        "diplomacy/request_form.html",
        {"form": form, "item": None, "keeps_none": not keepers.exists()},
        status=400 if form.is_bound else 200,
    )


@staff_view
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _request(request, pk)
    policies.require(user, MANAGE, item)
    if not item.is_open:
        messages.error(request, _("A closed or declined request is no longer changed."))
        return redirect("diplomacy:request", item.pk)
    initial = {name: getattr(item, name) for name in services.UPDATABLE}
    form = forms.RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(actor=user, request=item, data=form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The request is saved."))
            return redirect("diplomacy:request", item.pk)
    if policies.can(user, "diplomacy.view_contact", item):
        services.request_contact_read(actor=user, request=item)
    return render(
        request,
        "diplomacy/request_form.html",
        {"form": form, "item": item, "keeps_none": False},
        status=400 if form.is_bound else 200,
    )


@dataclass
class ShownAction:
    """An action as ``_record_actions.html`` shows it."""

    id: str
    heading: str
    button: str
    url: str
    form: django_forms.Form | None
    open: bool = False
    multipart: bool = False

    @property
    def danger(self) -> bool:
        return self.id == "decline"


ACTION_TEXTS: dict[str, tuple[Promise, Promise]] = {
    "take_on": (gettext_lazy("Take the request into work"), gettext_lazy("Take into work")),
    "answer": (gettext_lazy("Record the answer"), gettext_lazy("Save the answer")),
    "close": (gettext_lazy("Close with the outcome"), gettext_lazy("Close the request")),
    "decline": (gettext_lazy("Decline the request"), gettext_lazy("Decline the request")),
}


def _action_form(name: str) -> django_forms.Form | None:
    if name == "answer":
        return forms.AnswerForm(auto_id="answer_%s")
    if name == "close":
        return forms.CloseForm(auto_id="close_%s")
    if name == "decline":
        return forms.DeclineForm(auto_id="decline_%s")
    return None


def _pickers(request: HttpRequest, item: InternationalRequest) -> dict[str, Any]:
    """The person and body pickers: a search narrows the select; any record of the scope is
    accepted, nothing else."""
    user = _user(request)
    person_search = forms.SearchForm(
        request.GET, name="person_q", label=gettext_lazy("Find a person by name"), auto_id="ps_%s"
    )
    body_search = forms.SearchForm(
        request.GET, name="body_q", label=gettext_lazy("Find a body by name"), auto_id="bs_%s"
    )
    people = queries.pickable_people(user)
    bodies = queries.pickable_bodies(user)
    person_words, body_words = person_search.words, body_search.words
    return {
        "person_search": person_search,
        "body_search": body_search,
        "person_form": forms.PersonPickForm(
            people=people,
            shown=queries.pickable_people(user, person_words).exclude(
                pk__in=item.people.values("pk")
            )
            if person_words
            else Person.objects.none(),
            auto_id="person_%s",
        ),
        "body_form": forms.BodyPickForm(
            bodies=bodies,
            shown=queries.pickable_bodies(user, body_words).exclude(pk__in=item.bodies.values("pk"))
            if body_words
            else Organisation.objects.none(),
            auto_id="body_%s",
        ),
        "person_searched": bool(person_words),
        "body_searched": bool(body_words),
    }


def _steps(item: InternationalRequest) -> list[RequestStep]:
    labels = {
        RequestStep.REGISTERED: pgettext("international request", "registered"),
        **dict(InternationalRequest.Status.choices),
    }
    steps = list(item.steps.select_related("actor"))
    for step in steps:
        step.label = str(labels.get(step.status, step.status))  # type: ignore[attr-defined]
    return steps


def _render_request(
    request: HttpRequest,
    item: InternationalRequest,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    actions = services.request_actions(user, item)
    shown = [
        ShownAction(
            id=name,
            heading=str(ACTION_TEXTS[name][0]),
            button=str(ACTION_TEXTS[name][1]),
            url=reverse(f"diplomacy:request_{name}", kwargs={"pk": item.pk}),
            form=bound.get(name) or _action_form(name),
            open=name in bound,
        )
        for name in actions.allowed
    ]
    for name, form in bound.items():  # refused and no longer offered: say why
        if name not in actions.allowed:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    sees_contact = policies.can(user, "diplomacy.view_contact", item)
    if sees_contact and item.requester_contact:
        services.request_contact_read(actor=user, request=item)
    may_manage = policies.can(user, MANAGE, item)
    context: dict[str, Any] = {
        "item": item,
        "sees_contact": sees_contact,
        "may_manage": may_manage,
        "next_action": next((a for a in shown if a.id == actions.next_step), None),
        "other_actions": [a for a in shown if a.id != actions.next_step],
        "steps": _steps(item),
        "people": list(item.people.order_by("last_name", "first_name", "pk")),
        "bodies": list(item.bodies.order_by("path")),
        "visits": list(item.visits.order_by("-starts_on", "-pk")),
        "may_add_visit": may_manage and item.status in InternationalRequest.VISIT_STATUSES,
    }
    if may_manage:
        context.update(_pickers(request, item))
        if "person" in bound:
            context["person_form"] = bound["person"]
        if "body" in bound:
            context["body_form"] = bound["body"]
    return render(request, "diplomacy/request.html", context, status=status)


@staff_view
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_request(request, _request(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    form_class: type[django_forms.Form] | None,
    run: Any,
    done: str,
) -> HttpResponse:
    """One step on a request: the form is read, the service decides; an error re-renders the
    page with the form open (400)."""
    item = _request(request, pk)
    if form_class is None:  # a button alone: a refusal comes back as a message
        try:
            run(_user(request), item, {})
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, done)
        return redirect("diplomacy:request", item.pk)
    form = form_class(request.POST, auto_id=f"{name}_%s")
    if form.is_valid():
        try:
            run(_user(request), item, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("diplomacy:request", item.pk)
    return _render_request(request, item, bound={name: form}, status=400)


@staff_view
@require_POST
def request_take_on(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "take_on",
        None,
        lambda user, item, data: services.request_take_on(actor=user, request=item),
        _("The request is taken into work."),
    )


@staff_view
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "answer",
        forms.AnswerForm,
        lambda user, item, data: services.request_answer(
            actor=user, request=item, text=data["text"], answered_on=data["answered_on"]
        ),
        _("The answer is recorded."),
    )


@staff_view
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        forms.CloseForm,
        lambda user, item, data: services.request_close(
            actor=user,
            request=item,
            outcome_kind=data["outcome_kind"],
            outcome_text=data["outcome_text"],
            closed_on=data["closed_on"],
        ),
        _("The request is closed."),
    )


@staff_view
@require_POST
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "decline",
        forms.DeclineForm,
        lambda user, item, data: services.request_decline(
            actor=user, request=item, reason=data["reason"]
        ),
        _("The request is declined."),
    )


@staff_view
@require_POST
def request_people(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a person of the scope on the request, or take one off it."""
    user = _user(request)
    item = _request(request, pk)
    policies.require(user, MANAGE, item)
    if request.POST.get("action") == "remove":
        person = get_object_or_404(item.people.all(), pk=_number(request.POST.get("person")))
        try:
            services.request_person_remove(actor=user, request=item, person=person)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The person is taken off the request."))
        return redirect("diplomacy:request", item.pk)
    people = queries.pickable_people(user)
    form = forms.PersonPickForm(
        request.POST, people=people, shown=Person.objects.none(), auto_id="person_%s"
    )
    if form.is_valid():
        try:
            services.request_person_add(
                actor=user, request=item, person=form.cleaned_data["person"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The person is named on the request."))
            return redirect("diplomacy:request", item.pk)
    return _render_request(request, item, bound={"person": form}, status=400)


@staff_view
@require_POST
def request_bodies(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a body of the scope on the request, or take one off it."""
    user = _user(request)
    item = _request(request, pk)
    policies.require(user, MANAGE, item)
    if request.POST.get("action") == "remove":
        body = get_object_or_404(item.bodies.all(), pk=_number(request.POST.get("body")))
        try:
            services.request_body_remove(actor=user, request=item, body=body)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The body is taken off the request."))
        return redirect("diplomacy:request", item.pk)
    form = forms.BodyPickForm(
        request.POST,
        bodies=queries.pickable_bodies(user),
        shown=Organisation.objects.none(),
        auto_id="body_%s",
    )
    if form.is_valid():
        try:
            services.request_body_add(actor=user, request=item, body=form.cleaned_data["body"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The body is named on the request."))
            return redirect("diplomacy:request", item.pk)
    return _render_request(request, item, bound={"body": form}, status=400)


# --- Visits ------------------------------------------------------------------------------------


def _visit(request: HttpRequest, pk: int) -> Visit:
    policies.require(request.user, VIEW)
    return policies.get_scoped_or_404(
        Visit.objects.select_related("organisation", "organisation__kind", "request"),
        request.user,
        pk=pk,
    )


@staff_view
def visits(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, VIEW)
    form = forms.VisitFilterForm(request.GET)
    rows = queries.visits_list(request.user, _filters(form))
    return render(
        request,
        "diplomacy/visits.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "can_create": policies.can(request.user, MANAGE),
        },
        status=400 if form.errors else 200,
    )


def _save_visit(request: HttpRequest, form: forms.VisitForm, visit: Visit | None) -> Visit | None:
    data = form.cleaned_data
    try:
        return services.visit_save(
            actor=_user(request), organisation=data["organisation"], data=data, visit=visit
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


@staff_view
def visit_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, MANAGE)
    keepers = queries.keepers(user)
    requests_ = queries.pickable_requests(user)
    initial: dict[str, Any] = {"size": 5}
    answered = _number(request.GET.get("request"))
    if answered is not None:
        found = requests_.filter(pk=answered).first()
        if found is not None:
            initial.update(
                request=found.pk, country=found.country, organisation=found.organisation_id
            )
    if "organisation" not in initial and keepers.count() == 1:
        initial["organisation"] = keepers.get().pk
    form = forms.VisitForm(
        request.POST or None, keepers=keepers, requests=requests_, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        visit = _save_visit(request, form, None)
        if visit is not None:
            messages.success(request, _("The visit is recorded."))
            return redirect("diplomacy:visit", visit.pk)
    return render(
        request,
        "diplomacy/visit_form.html",
        {"form": form, "visit": None, "keeps_none": not keepers.exists()},
        status=400 if form.is_bound else 200,
    )


@staff_view
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = _visit(request, pk)
    policies.require(user, MANAGE, visit)
    initial = {
        name: getattr(visit, name)
        for name in (
            "direction",
            "country",
            "delegation",
            "head",
            "size",
            "starts_on",
            "ends_on",
            "places",
            "outcome_text",
        )
    }
    initial.update(
        organisation=visit.organisation_id,
        request=visit.request_id,
        regions=list(visit.regions.values_list("pk", flat=True)),
    )
    requests_ = queries.pickable_requests(user)
    if visit.request_id is not None:
        # The request linked already stays offered, whatever its status now.
        requests_ = requests_ | policies.scoped(
            InternationalRequest.objects.filter(pk=visit.request_id), user
        )
    form = forms.VisitForm(
        request.POST or None, keepers=queries.keepers(user), requests=requests_, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_visit(request, form, visit)
        if saved is not None:
            messages.success(request, _("The visit is saved."))
            return redirect("diplomacy:visit", saved.pk)
    return render(
        request,
        "diplomacy/visit_form.html",
        {"form": form, "visit": visit, "keeps_none": False},
        status=400 if form.is_bound else 200,
    )


def _render_visit(
    request: HttpRequest,
    visit: Visit,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    may_manage = policies.can(user, MANAGE, visit)
    context: dict[str, Any] = {
        "visit": visit,
        "may_manage": may_manage,
        "regions": list(visit.regions.order_by("kato")),
        "events": list(
            visit.events.select_related("organiser", "region").order_by("starts_at", "pk")
        ),
        "sees_request": visit.request is not None and policies.can(user, VIEW, visit.request),
    }
    if may_manage:
        search = forms.SearchForm(
            request.GET,
            name="event_q",
            label=gettext_lazy("Find an event by its title"),
            auto_id="es_%s",
        )
        events = queries.pickable_events(user)
        shown = queries.pickable_events(user, search.words).exclude(
            pk__in=visit.events.values("pk")
        )
        context.update(
            event_search=search,
            event_form=bound.get("event")
            or forms.EventPickForm(events=events, shown=shown, auto_id="event_%s"),
            held_form=bound.get("held") or forms.VisitHeldForm(auto_id="held_%s"),
            cancel_form=bound.get("cancel") or forms.VisitCancelForm(auto_id="cancel_%s"),
            open_form=next(iter(bound), ""),
        )
    return render(request, "diplomacy/visit.html", context, status=status)


@staff_view
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_visit(request, _visit(request, pk))


@staff_view
@require_POST
def visit_events(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an event of the scope to the visit's programme, or take one off it."""
    user = _user(request)
    visit = _visit(request, pk)
    policies.require(user, MANAGE, visit)
    if request.POST.get("action") == "remove":
        event = get_object_or_404(visit.events.all(), pk=_number(request.POST.get("event")))
        try:
            services.visit_event_remove(actor=user, visit=visit, event=event)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The event is taken off the programme."))
        return redirect("diplomacy:visit", visit.pk)
    form = forms.EventPickForm(
        request.POST,
        events=queries.pickable_events(user),
        shown=Event.objects.none(),
        auto_id="event_%s",
    )
    if form.is_valid():
        try:
            services.visit_event_add(actor=user, visit=visit, event=form.cleaned_data["event"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The event is added to the programme."))
            return redirect("diplomacy:visit", visit.pk)
    return _render_visit(request, visit, bound={"event": form}, status=400)


@staff_view
@require_POST
def visit_held(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = _visit(request, pk)
    form = forms.VisitHeldForm(request.POST, auto_id="held_%s")
    if form.is_valid():
        try:
            services.visit_mark_held(
                actor=user, visit=visit, outcome_text=form.cleaned_data["outcome_text"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The visit is recorded as held."))
            return redirect("diplomacy:visit", visit.pk)
    return _render_visit(request, visit, bound={"held": form}, status=400)


@staff_view
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    visit = _visit(request, pk)
    form = forms.VisitCancelForm(request.POST, auto_id="cancel_%s")
    if form.is_valid():
        try:
            services.visit_cancel(actor=user, visit=visit, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The visit is cancelled."))
            return redirect("diplomacy:visit", visit.pk)
    return _render_visit(request, visit, bound={"cancel": form}, status=400)


# --- Ambassadors -------------------------------------------------------------------------------


def _ambassador(request: HttpRequest, pk: int) -> Ambassador:
    policies.require(request.user, VIEW)
    return policies.get_scoped_or_404(
        Ambassador.objects.select_related(
            "person", "organisation", "organisation__kind"
        ).prefetch_related("countries"),
        request.user,
        pk=pk,
    )


@staff_view
def ambassadors(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, VIEW)
    form = forms.AmbassadorFilterForm(request.GET)
    rows = queries.ambassadors_list(request.user, _filters(form), on=legal_today())
    return render(
        request,
        "diplomacy/ambassadors.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "can_create": policies.can(request.user, MANAGE),
            "today": legal_today(),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def ambassador_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, MANAGE)
    keepers = queries.keepers(user)
    search = forms.SearchForm(
        request.GET, name="person_q", label=gettext_lazy("Find a person by name"), auto_id="ps_%s"
    )
    words = search.words
    shown = queries.pickable_people(user, words) if words else queries.ambassador_candidates(user)
    initial: dict[str, Any] = {"since": legal_today()}
    corps = keepers.filter(kind__code="friendship_ambassadors")
    if corps.count() == 1:
        initial["organisation"] = corps.get().pk
    elif keepers.count() == 1:
        initial["organisation"] = keepers.get().pk
    form = forms.AmbassadorForm(
        request.POST or None,
        keepers=keepers,
        people=queries.pickable_people(user),
        shown=shown,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ambassador = services.ambassador_save(
                actor=user,
                organisation=data["organisation"],
                person=data["person"],
                country_codes=data["countries"],
                since=data["since"],
                until=data["until"],
                note=data["note"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The friendship ambassador is added."))
            return redirect("diplomacy:ambassador", ambassador.pk)
    return render(
        request,
        "diplomacy/ambassador_form.html",
        {
            "form": form,
            "ambassador": None,
            "search": search,
            "searched": bool(words),
            "keeps_none": not keepers.exists(),
        },
        status=400 if form.is_bound else 200,
    )


@staff_view
def ambassador_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ambassador = _ambassador(request, pk)
    policies.require(user, MANAGE, ambassador)
    initial = {
        "organisation": ambassador.organisation_id,
        "countries": [item.country for item in ambassador.countries.all()],
        "since": ambassador.since,
        "until": ambassador.until,
        "note": ambassador.note,
    }
    form = forms.AmbassadorForm(
        request.POST or None, keepers=queries.keepers(user), people=None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ambassador_save(
                actor=user,
                organisation=data["organisation"],
                person=ambassador.person,
                country_codes=data["countries"],
                since=data["since"],
                until=data["until"],
                note=data["note"],
                ambassador=ambassador,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The friendship ambassador is saved."))
            return redirect("diplomacy:ambassador", ambassador.pk)
    return render(
        request,
        "diplomacy/ambassador_form.html",
        {"form": form, "ambassador": ambassador, "keeps_none": False},
        status=400 if form.is_bound else 200,
    )


def _render_ambassador(
    request: HttpRequest,
    ambassador: Ambassador,
    *,
    form: forms.ActivityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    may_manage = policies.can(user, MANAGE, ambassador)
    if may_manage and form is None:
        form = forms.ActivityForm(
            ambassador=ambassador, events=queries.pickable_events(user), auto_id="activity_%s"
        )
    return render(
        request,
        "diplomacy/ambassador.html",
        {
            "ambassador": ambassador,
            "may_manage": may_manage,
            "activity_form": form if may_manage else None,
            "page": page_of(request, queries.activities_of(ambassador)),
        },
        status=status,
    )


@staff_view
def ambassador_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_ambassador(request, _ambassador(request, pk))


@staff_view
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    ambassador = _ambassador(request, pk)
    policies.require(user, MANAGE, ambassador)
    form = forms.ActivityForm(
        request.POST,
        ambassador=ambassador,
        events=queries.pickable_events(user),
        auto_id="activity_%s",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_add(
                actor=user,
                ambassador=ambassador,
                date=data["date"],
                kind=data["kind"],
                country=data["country"],
                description=data["description"],
                event=data["event"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The activity is recorded."))
            return redirect("diplomacy:ambassador", ambassador.pk)
    return _render_ambassador(request, ambassador, form=form, status=400)


@staff_view
@require_POST
def activity_remove(request: HttpRequest, pk: int, activity: int) -> HttpResponse:
    user = _user(request)
    ambassador = _ambassador(request, pk)
    policies.require(user, MANAGE, ambassador)
    record = AmbassadorActivity.objects.filter(ambassador=ambassador, pk=activity).first()
    if record is None:
        raise Http404
    try:
        services.activity_remove(actor=user, activity=record)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The activity is taken off."))
    return redirect("diplomacy:ambassador", ambassador.pk)
