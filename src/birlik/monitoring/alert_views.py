"""Alerts in the workspace: the list and one alert with its response, the rules, the figures.

An alert is seen by analysts and the national level, by the coordinators of its region and by
the staff of the bodies it was routed to (``policies``); anyone else gets 404. Its response is
recorded by the routed bodies, the region's coordinator and national administrators: the page
offers exactly the steps ``services.alert_actions`` allows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.models import User
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.geo.labels import region_names

from . import alert_forms, queries, services
from .models import Alert, AlertRule, Topic

# How long back the figures page counts.
FIGURES_DAYS = 365


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Alerts -----------------------------------------------------------------------------------


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "monitoring.view_alerts")
    form = alert_forms.AlertFilterForm(request.GET or None)
    rows = queries.alerts_listed(user=user, now=timezone.now(), **form.filters())
    return render(
        request,
        "monitoring/alerts.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "may_manage_rules": policies.can(user, "monitoring.manage_rules"),
            "hours": services.alert_ack_hours(),
        },
    )


def _alert(request: HttpRequest, pk: int) -> Alert:
    alert = policies.get_scoped_or_404(
        Alert.objects.select_related(
            "rule", "region", "district", "story", "item", "item__source"
        ).prefetch_related("routed_to"),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, "monitoring.view_alerts", alert):
        raise Http404
    return alert


def _detail_url(alert: Alert) -> str:
    return reverse("monitoring:alert", kwargs={"pk": alert.pk})


def _crumbs(label: str, url: str, *, last: str) -> list[dict[str, str]]:
    """The list a record page belongs to, then the page itself."""
    return [{"label": label, "url": url}, {"label": last, "url": ""}]


# Each step: heading, button, URL name, the form it posts (None: a button alone).
ACTION_LABELS: dict[str, tuple[Any, Any, str, type[django_forms.Form] | None]] = {
    "acknowledge": (
        gettext_lazy("Acknowledge the alert"),
        gettext_lazy("Acknowledge"),
        "monitoring:alert_acknowledge",
        None,
    ),
    "assess": (
        gettext_lazy("Record the assessment"),
        gettext_lazy("Save the assessment"),
        "monitoring:alert_assess",
        alert_forms.AssessForm,
    ),
    "act": (
        gettext_lazy("Record an action taken"),
        gettext_lazy("Save the action"),
        "monitoring:alert_act",
        alert_forms.ActForm,
    ),
    "close": (
        gettext_lazy("Close the alert"),
        gettext_lazy("Close the alert"),
        "monitoring:alert_close",
        alert_forms.CloseForm,
    ),
}


def _offered(
    alert: Alert, names: tuple[str, ...], bound: dict[str, django_forms.Form]
) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button, url_name, form_class = ACTION_LABELS[name]
        form = bound.get(name) or (form_class(auto_id=f"{name}_%s") if form_class else None)
        offered.append(
            {
                "id": name,
                "heading": heading,
                "button": button,
                "url": reverse(url_name, kwargs={"pk": alert.pk}),
                "form": form,
                "multipart": False,
                "danger": False,
                "open": name in bound,
            }
        )
    return offered


def _render_alert(
    request: HttpRequest,
    alert: Alert,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    actions = services.alert_actions(user, alert)
    next_step = (actions.next_step,) if actions.next_step else ()
    now = timezone.now()
    return render(
        request,
        "monitoring/alert.html",
        {
            "alert": alert,
            "overdue": queries.alert_is_unacknowledged(alert, now=now),
            "items": queries.alert_items(user=user, alert=alert),
            "steps": list(alert.steps.select_related("actor")),
            "routed": sorted(alert.routed_to.all(), key=lambda body: str(body.path)),
            "next_action": next(iter(_offered(alert, next_step, bound or {})), None),
            "other_actions": _offered(alert, actions.others, bound or {}),
            "crumbs": _crumbs(
                pgettext("early warning", "Alerts"),
                reverse("monitoring:alerts"),
                last=alert.title,
            ),
        },
        status=status,
    )


@login_required
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_alert(request, _alert(request, pk))


def _step(
    request: HttpRequest,
    pk: int,
    name: str,
    call: Callable[[Alert, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """Run one response step: out of scope 404, not a handler 403, a step the alert does not
    allow now is refused with the service's reason, bad input shows the form again."""
    user = _user(request)
    alert = _alert(request, pk)
    if not policies.can(user, "monitoring.handle_alert", alert):
        raise PermissionDenied
    actions = services.alert_actions(user, alert)
    if name not in actions:
        messages.error(request, actions.refusal(name))
        return redirect(_detail_url(alert))
    form_class = ACTION_LABELS[name][3]
    form = form_class(request.POST, auto_id=f"{name}_%s") if form_class else None
    if form is None or form.is_valid():
        try:
            call(alert, form.cleaned_data if form is not None else {})
        except DomainError as error:
            if form is None:
                messages.error(request, str(error.message))
                return redirect(_detail_url(alert))
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(alert))
    assert form is not None  # noqa: S101 - a form-less step never reaches here
    return _render_alert(request, alert, bound={name: form}, status=400)


@require_POST
@login_required
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "acknowledge",
        lambda a, d: services.alert_acknowledge(actor=_user(request), alert=a),
        _("The alert is acknowledged."),
    )


@require_POST
@login_required
def alert_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "assess",
        lambda a, d: services.alert_assess(actor=_user(request), alert=a, note=d["note"]),
        _("The assessment is recorded."),
    )


@require_POST
@login_required
def alert_act(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "act",
        lambda a, d: services.alert_act(
            actor=_user(request), alert=a, action=d["action"], note=d["note"]
        ),
        _("The action taken is recorded."),
    )


@require_POST
@login_required
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "close",
        lambda a, d: services.alert_close(actor=_user(request), alert=a, note=d["note"]),
        _("The alert is closed."),
    )


# --- Rules ------------------------------------------------------------------------------------


@login_required
def alert_rules(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "monitoring.manage_rules")
    rules = queries.alert_rules_listed()
    return render(request, "monitoring/alert_rules.html", {"rules": rules})


def _rule_form(request: HttpRequest, rule: AlertRule | None) -> HttpResponse:
    user = _user(request)
    form = alert_forms.AlertRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in alert_forms.AlertRuleForm.Meta.fields}
        try:
            services.alert_rule_save(by=user, rule=rule, **fields)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The alert rule is saved."))
            return redirect("monitoring:alert_rules")
    return render(
        request,
        "monitoring/alert_rule_form.html",
        {
            "form": form,
            "rule": rule,
            "crumbs": _crumbs(
                _("Alert rules"),
                reverse("monitoring:alert_rules"),
                last=rule.name if rule else _("New alert rule"),
            ),
        },
        status=400 if form.errors else 200,
    )


@login_required
def alert_rule_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "monitoring.manage_rules")
    return _rule_form(request, None)


@login_required
def alert_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    policies.require(request.user, "monitoring.manage_rules")
    return _rule_form(request, get_object_or_404(AlertRule, pk=pk))


# --- Figures ----------------------------------------------------------------------------------


@login_required
def alert_figures(request: HttpRequest) -> HttpResponse:
    """The response figures of the alerts the user sees, raised in the last twelve months."""
    user = _user(request)
    policies.require(user, "monitoring.view_alerts")
    now = timezone.now()
    since = now - datetime.timedelta(days=FIGURES_DAYS)
    seen = policies.scoped(Alert.objects.filter(raised_at__gte=since), user)
    figures = queries.alert_figures(qs=seen, now=now)
    names = region_names()
    topics = dict(Topic.choices)
    return render(
        request,
        "monitoring/alert_figures.html",
        {
            "figures": figures,
            "since": timezone.localdate(since),
            "by_region_topic": [
                {
                    **row,
                    "region_name": names.get(row["region"], row["region"]),
                    "topic_name": topics.get(row["topic"], "") or _("no topic"),
                }
                for row in figures["by_region_topic"]
            ],
            "median_by_region": [
                (names.get(iso, iso), minutes)
                for iso, minutes in figures["median_ack_by_region"].items()
            ],
        },
    )


urlpatterns: list[URLPattern] = [
    path("alerts/", alerts, name="alerts"),
    path("alerts/<int:pk>/", alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/assess/", alert_assess, name="alert_assess"),
    path("alerts/<int:pk>/act/", alert_act, name="alert_act"),
    path("alerts/<int:pk>/close/", alert_close, name="alert_close"),
    path("alerts/rules/", alert_rules, name="alert_rules"),
    path("alerts/rules/new/", alert_rule_new, name="alert_rule_new"),
    path("alerts/rules/<int:pk>/", alert_rule_edit, name="alert_rule_edit"),
    path("alerts/figures/", alert_figures, name="alert_figures"),
]
