"""Analysts train the risk classifier: the labelling queue and screen, the model versions with
their held-out measures, and the keyword lists of the cold start.

Labelling, the queue and the models page: ``monitoring.label`` (analysts and national
administrators); an item outside the analyst's regions answers 404. Switching a version on and
editing keyword rules: ``monitoring.manage_models`` / ``monitoring.manage_rules`` (the same
roles held on the whole network). Everyone else: 403.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of

from . import queries, services
from .learning_forms import KeywordFilterForm, KeywordRuleForm, LabelForm, QueueForm
from .models import RISK_TOPICS, Item, KeywordRule, Language, RiskModel, Topic

LABEL = "monitoring.label"
MANAGE_MODELS = "monitoring.manage_models"
MANAGE_RULES = "monitoring.manage_rules"
MODELS_PER_PAGE = 5


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # ``staff_view`` lets only signed-in staff in


def _crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    home = [
        (_("Workspace"), reverse("workspace:home")),
        (_("Media monitoring"), reverse("monitoring:dashboard")),
    ]
    return [{"label": label, "url": url} for label, url in [*home, *pairs]]


def _topic_of(request: HttpRequest) -> str:
    topic = request.POST.get("topic") or request.GET.get("topic") or ""
    return topic if topic in Topic.values else RISK_TOPICS[0]


def _queue_url(topic: str) -> str:
    return f"{reverse('monitoring:learn_queue')}?{urlencode({'topic': topic})}"


def _item_url(pk: int, topic: str) -> str:
    url = reverse("monitoring:learn_item", kwargs={"pk": pk})
    return f"{url}?{urlencode({'topic': topic})}"


# --- Labelling -------------------------------------------------------------------------------


@staff_view
def learn_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, LABEL)
    form = QueueForm(request.GET or None)
    topic = form.topic_or_default()
    return render(
        request,
        "monitoring/learn_queue.html",
        {
            "form": form,
            "topic": topic,
            "topic_name": Topic(topic).label,
            "items": queries.active_learning_queue(user=user, topic=topic),
            "counts": queries.label_counts(),
            "nav": "queue",
            "crumbs": _crumbs((_("Labelling queue"), "")),
        },
    )


def _next_item(user: User, topic: str, done: int) -> int | None:
    """The next item of the same topic's queue (not the one just answered), if any."""
    following = queries.active_learning_queue(user=user, topic=topic, limit=2)
    return next((item.pk for item in following if item.pk != done), None)


@staff_view
def learn_item(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    policies.require(user, LABEL)
    item = policies.get_scoped_or_404(
        Item.objects.select_related("source", "model_version"), user, pk=pk
    )
    topic = _topic_of(request)
    if request.method == "POST":
        form = LabelForm(request.POST)
        if form.is_valid():
            try:
                services.labels_record(analyst=user, item=item, values=form.answers())
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("Your answers are saved."))
                following = _next_item(user, topic, item.pk)
                if following is not None:
                    return redirect(_item_url(following, topic))
                messages.info(request, _("No more items wait for you on this topic."))
                return redirect(_queue_url(topic))
        status = 400
    else:
        form = LabelForm(initial=queries.labels_of(item=item, analyst=user))
        status = 200
    return render(
        request,
        "monitoring/learn_item.html",
        {
            "item": item,
            "form": form,
            "topic": topic,
            "places": list(item.places.select_related("region", "district")),
            "scores": _scores(item),
            "nav": "queue",
            "crumbs": _crumbs(
                (_("Labelling queue"), _queue_url(topic)), (item.title or item.guid, "")
            ),
        },
        status=status,
    )


def _scores(item: Item) -> list[dict[str, Any]]:
    topics = item.topics or {}
    return [
        {
            "label": label,
            "value": topics.get(value),
            "risk": value in RISK_TOPICS,
        }
        for value, label in Topic.choices
    ]


# --- Models ----------------------------------------------------------------------------------


def _render_models(
    request: HttpRequest, *, confirm: RiskModel | None = None, status: int = 200
) -> HttpResponse:
    user = _user(request)
    active = queries.active_risk_model()
    page = page_of(request, queries.risk_models(), size=MODELS_PER_PAGE)
    versions = [
        {"model": model, "rows": queries.risk_model_metrics(model, active)}
        for model in page.object_list
    ]
    return render(
        request,
        "monitoring/learn_models.html",
        {
            "page": page,
            "versions": versions,
            "active": active,
            "counts": queries.label_counts(),
            "languages": [_language_name(code) for code in queries.MODEL_LANGUAGES],
            "training": _training_status(),
            "may_activate": policies.can(user, MANAGE_MODELS),
            "confirm": confirm,
            "regressions": _regressions(confirm, active) if confirm else [],
            "nav": "models",
            "crumbs": _crumbs((_("Risk models"), "")),
        },
        status=status,
    )


def _language_name(code: str) -> str:
    if code == "all":
        return _("All languages")
    return str(Language(code).label)


def _measure_name(name: str) -> str:
    names = {"precision": _("Precision"), "recall": _("Recall")}
    return names.get(name, _("F1"))


def _regressions(model: RiskModel, active: RiskModel | None) -> list[dict[str, Any]]:
    return [
        {
            "topic": regression.topic,
            "language": _language_name(regression.language),
            "measure": _measure_name(regression.measure.name),
            "value": regression.measure.value,
            "active": regression.measure.active,
        }
        for regression in queries.risk_model_regressions(model, active)
    ]


def _training_status() -> dict[str, Any] | None:
    status = queries.risk_model_training_status()
    if status is None:
        return None
    at = parse_datetime(str(status.get("at") or ""))
    return {**status, "at": at}


@staff_view
def learn_models(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, LABEL)
    return _render_models(request)


@staff_view
@require_POST
def learn_train(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    policies.require(user, LABEL)
    try:
        services.risk_model_train_request(by=user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _(
                "Training has started. The new version appears here, switched off, when it is "
                "ready; it takes a few minutes."
            ),
        )
    return redirect("monitoring:learn_models")


@staff_view
@require_POST
def learn_model_activate(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The first press shows where the version is worse than the active one; the second, with
    ``confirmed``, switches it on."""
    user = _user(request)
    policies.require(user, MANAGE_MODELS)
    model = get_object_or_404(RiskModel, pk=pk)
    if model.active:
        messages.info(request, _("This version is already switched on."))
        return redirect("monitoring:learn_models")
    if request.POST.get("confirmed") != "1":
        return _render_models(request, confirm=model)
    try:
        services.risk_model_activate(by=user, model=model)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Version %(version)s is switched on: items are scored with it from now on.")
            % {"version": model.version},
        )
    return redirect("monitoring:learn_models")


# --- Keyword rules ---------------------------------------------------------------------------


@staff_view
def learn_keywords(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, LABEL)
    form = KeywordFilterForm(request.GET)
    page = page_of(request, queries.keyword_rules(**form.filters()))
    return render(
        request,
        "monitoring/learn_keywords.html",
        {
            "form": form,
            "page": page,
            "query": kept_query(request, form),
            "may_edit": policies.can(user, MANAGE_RULES),
            "nav": "keywords",
            "crumbs": _crumbs((_("Keyword rules"), "")),
        },
    )


def _keyword_form(
    request: HttpRequest, *, rule: KeywordRule | None, initial: dict[str, Any]
) -> HttpResponseBase:
    user = _user(request)
    policies.require(user, MANAGE_RULES)
    form = KeywordRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.keyword_rule_save(by=user, rule=rule, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The keyword rule is saved."))
            return redirect("monitoring:learn_keywords")
    heading = _("Change a keyword rule") if rule else _("New keyword rule")
    return render(
        request,
        "monitoring/learn_keyword_form.html",
        {
            "form": form,
            "rule": rule,
            "heading": heading,
            "nav": "keywords",
            "crumbs": _crumbs(
                (_("Keyword rules"), reverse("monitoring:learn_keywords")), (heading, "")
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@staff_view
def learn_keyword_new(request: HttpRequest) -> HttpResponseBase:
    return _keyword_form(request, rule=None, initial={"weight": 0.6, "enabled": True})


@staff_view
def learn_keyword_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    policies.require(request.user, MANAGE_RULES)
    rule = get_object_or_404(KeywordRule, pk=pk)
    initial = {
        "topic": rule.topic,
        "language": rule.language,
        "terms": rule.terms,
        "weight": rule.weight,
        "enabled": rule.enabled,
    }
    return _keyword_form(request, rule=rule, initial=initial)


@staff_view
@require_POST
def learn_keyword_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    policies.require(user, MANAGE_RULES)
    rule = get_object_or_404(KeywordRule, pk=pk)
    services.keyword_rule_delete(by=user, rule=rule)
    messages.success(request, _("The keyword rule is deleted."))
    return redirect("monitoring:learn_keywords")


urlpatterns = [
    path("learn/", learn_queue, name="learn_queue"),
    path("learn/items/<int:pk>/", learn_item, name="learn_item"),
    path("learn/models/", learn_models, name="learn_models"),
    path("learn/models/train/", learn_train, name="learn_train"),
    path("learn/models/<int:pk>/activate/", learn_model_activate, name="learn_model_activate"),
    path("learn/keywords/", learn_keywords, name="learn_keywords"),
    path("learn/keywords/new/", learn_keyword_new, name="learn_keyword_new"),
    path("learn/keywords/<int:pk>/", learn_keyword_edit, name="learn_keyword_edit"),
    path("learn/keywords/<int:pk>/delete/", learn_keyword_delete, name="learn_keyword_delete"),
]
