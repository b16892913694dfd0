"""Accounts pages: sign-in with an optional second factor, grants of roles, the audit log.

Every write goes through ``access.services``; who may see or do what is asked of
``access.policies`` only.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from birlik.core import ratelimit
from birlik.core.listing import kept_query as _kept_query
from birlik.core.listing import page_of as _page
from birlik.core.search import contains_q, search
from birlik.registry.models import Organisation

from . import policies, services
from .forms import (
    TYPE_LABELS,
    AlertChannelsForm,
    AuditFilterForm,
    BodyLookupForm,
    ContactCodeForm,
    GrantExistingForm,
    GrantFilterForm,
    GrantNewAccountForm,
    JoinForm,
    LoginForm,
    PasswordChangeForm,
    PasswordConfirmForm,
    PasswordResetFinishForm,
    PasswordResetStartForm,
    ProfileForm,
    SecondFactorForm,
    TokenForm,
)
from .models import AuditEntry, Grant, GrantRequest, Role, User

PENDING_KEY = "access_pending_login"
PENDING_SECONDS = 5 * 60
# Sign-in attempts per account and client address: settings.RATE_SIGN_IN_FAILURES.
SIGN_IN_SCOPE = "sign-in"
BODY_MATCHES_SHOWN = 20
PENDING_SHOWN = 50


# --- Sign-in ------------------------------------------------------------------------------


def _failure_key(request: HttpRequest, username: str) -> str:
    """The lockout's counter: this account from this client address (the proxy's word for it
    is trusted only from ``FORWARDED_ALLOW_IPS``, see ``ClientAddressMiddleware``)."""
    raw = f"{username.strip().lower()}|{ratelimit.client_ident(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _is_blocked(key: str) -> bool:
    """Counts this attempt before the password (or code) is checked, in the store all web
    processes share, so that parallel requests get exactly the limit; True beyond it."""
    rate = ratelimit.setting_rate("RATE_SIGN_IN_FAILURES")
    return ratelimit.hit(SIGN_IN_SCOPE, key, limit=rate.limit, window=rate.window)


def _not_a_failure(key: str) -> None:
    """The password was right (a code is asked next): the attempt is not held against it."""
    ratelimit.undo(SIGN_IN_SCOPE, key)


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _login_url(next_url: str) -> str:
    url = reverse("access:login")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


def _finish_login(
    request: HttpRequest, user: User, backend: str, device: TOTPDevice | None, key: str
) -> None:
    auth_login(request, user, backend=backend)
    if device is not None:
        django_otp.login(request, device)
    ratelimit.reset(SIGN_IN_SCOPE, key)
    services.login_record(user=user, second_factor=device is not None)


def _blocked_message() -> str:
    return _(
        "Too many failed attempts to sign in. Wait 15 minutes and try again, or ask your "
        "coordinator to check your account."
    )


@sensitive_post_parameters("password", "token")
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request)
    if request.GET.get("restart"):
        request.session.pop(PENDING_KEY, None)
        return redirect(_login_url(next_url))
    pending = _pending(request)
    if pending is not None:
        return _second_step(request, pending, next_url)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    blocked = False
    if request.method == "POST":
        key = _failure_key(request, services.login_name(request.POST.get("username", "")))
        if _is_blocked(key):
            # The password is not even checked while the limit holds.
            blocked = True
            form = LoginForm(request, initial={"username": request.POST.get("username", "")})
        elif form.is_valid():
            user = form.get_user()
            backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                _finish_login(request, user, backend, None, key)
                return redirect(next_url or _home_for(user))
            # The password was right; the account is signed in only after the code.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {"user": user.pk, "backend": backend, "at": time.time()}
            _not_a_failure(key)
            return redirect(_login_url(next_url))
        # A failed attempt was counted when it began (``_is_blocked``).
    return render(
        request,
        "access/login.html",
        {
            "form": form,
            "next": next_url,
            "blocked_message": _blocked_message() if blocked else "",
        },
        status=429 if blocked else 200,
    )


def _second_step(request: HttpRequest, pending: dict[str, Any], next_url: str) -> HttpResponse:
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect(_login_url(next_url))
    key = _failure_key(request, user.get_username())
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    blocked = False
    if request.method == "POST":
        if _is_blocked(key):
            blocked = True
            request.session.pop(PENDING_KEY, None)
            return render(
                request,
                "access/login.html",
                {
                    "form": LoginForm(request),
                    "next": next_url,
                    "blocked_message": _blocked_message(),
                },
                status=429,
            )
        if form.is_valid():
            device = services.second_factor_match(user=user, token=form.cleaned_data["token"])
            if device is not None:
                request.session.pop(PENDING_KEY, None)
                _finish_login(request, user, str(pending["backend"]), device, key)
                return redirect(next_url or _home_for(user))
            form.add_error("token", _second_factor_refused())
    return render(
        request,
        "access/login_code.html",
        {
            "form": form,
            "next": next_url,
            "blocked": blocked,
            "restart_url": reverse("access:login") + "?restart=1",
        },
    )


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- Second factor ------------------------------------------------------------------------


def _qr_svg(device: TOTPDevice) -> str:
    qr = segno.make(device.config_url, error="m")
    # segno writes the SVG itself from the otpauth URL; nothing in it comes from user input
    # other than the login, which segno escapes.
    return mark_safe(qr.svg_inline(scale=5, light="#fff", svgclass="qr-code"))  # noqa: S308  # nosec


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _second_factor_refused() -> str:
    return _(
        "This code is not right. Check the time on your phone and try the newest code, "
        "or enter an unused recovery code."
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The recovery codes, shown once: the page is the answer to the POST, never stored."""
    response = render(request, "access/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
@sensitive_post_parameters("password", "token")
def security(request: HttpRequest) -> HttpResponse:
    """The authenticator app and the recovery codes of one's own account (also the enrolment
    page to which ``SecondFactorMiddleware`` sends those who must have a second factor)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    next_url = _safe_next(request)
    token_form = TokenForm()
    remove_form = PasswordConfirmForm()
    codes_form = PasswordConfirmForm(prefix="codes")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                services.totp_device_start(user=user)
                return redirect(_with_next(reverse("access:totp"), next_url))
            if action == "confirm":
                token_form = TokenForm(request.POST)
                if token_form.is_valid():
                    enrolment = services.second_factor_enrol(
                        user=user, token=token_form.cleaned_data["token"]
                    )
                    django_otp.login(request, enrolment.device)
                    messages.success(
                        request,
                        _(
                            "The authenticator app is set up. "
                            "You will be asked for a code when you sign in."
                        ),
                    )
                    return _recovery_codes_page(request, enrolment.recovery_codes, next_url)
            elif action == "codes":
                codes_form = PasswordConfirmForm(request.POST, prefix="codes")
                if codes_form.is_valid():
                    codes = services.recovery_codes_renew(
                        user=user, password=codes_form.cleaned_data["password"]
                    )
                    return _recovery_codes_page(request, codes, next_url)
            elif action == "remove":
                remove_form = PasswordConfirmForm(request.POST)
                if remove_form.is_valid():
                    services.totp_device_remove(
                        user=user, password=remove_form.cleaned_data["password"]
                    )
                    messages.success(request, _("The authenticator app was removed."))
                    return redirect("access:totp")
            else:
                messages.error(request, _("This action is not known. Use the buttons on the page."))
                return redirect("access:totp")
        except services.AccessError as error:
            if action == "start":
                messages.error(request, str(error.message))
                return redirect("access:totp")
            target = {"remove": remove_form, "codes": codes_form}.get(action or "", token_form)
            target.add_error(error.field if error.field in target.fields else None, error.message)
    devices = list(TOTPDevice.objects.filter(user=user).order_by("pk"))
    confirmed = next((d for d in devices if d.confirmed), None)
    pending = None if confirmed else next((d for d in devices if not d.confirmed), None)
    return render(
        request,
        "access/security.html",
        {
            "confirmed": confirmed,
            "pending": pending,
            "required": policies.needs_second_factor(user),
            "codes_left": services.recovery_codes_left(user),
            "qr_svg": _qr_svg(pending) if pending else "",
            "secret": _grouped_secret(pending) if pending else "",
            "token_form": token_form,
            "remove_form": remove_form,
            "codes_form": codes_form,
            "next": next_url,
        },
    )


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


@login_required
@never_cache
@sensitive_post_parameters("token")
def verify(request: HttpRequest) -> HttpResponse:
    """A signed-in session that has not passed its second factor yet enters the app's code
    (or a recovery code) before any staff page."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    next_url = _safe_next(request)
    done = next_url or resolve_url(settings.LOGIN_REDIRECT_URL)
    if getattr(user, "is_verified", lambda: False)():
        return redirect(done)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(_with_next(reverse("access:totp"), next_url))
    form = SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_match(user=user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(done)
        form.add_error("token", _second_factor_refused())
    return render(request, "access/verify.html", {"form": form, "next": next_url})


# --- Grants -------------------------------------------------------------------------------


@login_required
def grants(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, "access.manage_grants")
    form = GrantFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    rows = policies.scoped(
        Grant.objects.select_related(
            "user", "organisation", "organisation__kind", "organisation__region", "granted_by"
        ),
        user,
    )
    status = data.get("status") or "active"
    if status == "active":
        rows = rows.filter(revoked_at__isnull=True)
    elif status == "revoked":
        rows = rows.filter(revoked_at__isnull=False)
    if data.get("role"):
        rows = rows.filter(role=data["role"])
    body = None
    if data.get("body"):
        body = policies.scoped(Organisation.objects.all(), user).filter(pk=data["body"]).first()
        if body is None:
            form.add_error("body", _("There is no body with this number in your area."))
        else:
            rows = rows.filter(organisation__path__startswith=body.path)
    if data.get("q"):
        rows = rows.filter(contains_q(("user__username", "user__full_name"), data["q"]))
    page = _page(request, rows)
    entries = [
        {
            "grant": grant,
            "can_revoke": policies.can_revoke(user, grant),
            "can_reset": policies.can(user, "access.reset_second_factor", grant.user),
        }
        for grant in page.object_list
    ]
    waiting = policies.scoped(
        GrantRequest.objects.filter(status=GrantRequest.Status.PENDING).select_related(
            "user", "organisation", "organisation__kind", "requested_by"
        ),
        user,
    )
    if body is not None:
        waiting = waiting.filter(organisation__path__startswith=body.path)
    pending = [
        {"request": item, "can_decide": policies.can_decide(user, item)}
        for item in waiting.order_by("requested_at", "pk")[:PENDING_SHOWN]
    ]
    return render(
        request,
        "access/grants.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "pending": pending,
            "body": body,
            "query_string": _kept_query(request, form),
            "filtered": any(data.get(name) for name in ("role", "body", "q")) or status != "active",
        },
    )


def _grantable(user: Any, body: Organisation) -> list[tuple[str, Any]]:
    return [
        (value, label) for value, label in Role.choices if policies.can_grant(user, value, body)
    ]


@login_required
@sensitive_post_parameters("new-password1", "new-password2")
def grant_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    policies.require(user, "access.manage_grants")
    lookup = BodyLookupForm(request.GET)
    body: Organisation | None = None
    matches: list[Organisation] = []
    if lookup.is_valid():
        if lookup.cleaned_data["body"]:
            body = policies.get_scoped_or_404(
                Organisation.objects.select_related("kind", "region"),
                user,
                pk=lookup.cleaned_data["body"],
            )
            policies.require(user, "access.manage_grants", body)
        elif lookup.cleaned_data["q"]:
            found = search(
                policies.scoped(Organisation.objects.select_related("kind", "region"), user).filter(
                    status=Organisation.Status.ACTIVE
                ),
                lookup.cleaned_data["q"],
            )
            matches = list(found.order_by("path")[:BODY_MATCHES_SHOWN])
    if body is None:
        return render(
            request,
            "access/grant_find.html",
            {
                "lookup": lookup,
                "matches": matches,
                "searched": bool(lookup.is_valid() and lookup.cleaned_data["q"]),
                "shown_max": BODY_MATCHES_SHOWN,
            },
        )

    grantable = _grantable(user, body)
    accounts = policies.scoped(User.objects.filter(is_active=True), user)
    which = request.POST.get("form") if request.method == "POST" else None
    existing = GrantExistingForm(
        request.POST if which == "existing" else None,
        prefix="existing",
        grantable=grantable,
        accounts=accounts,
    )
    new = GrantNewAccountForm(
        request.POST if which == "new" else None, prefix="new", grantable=grantable
    )
    try:
        if which == "existing" and existing.is_valid():
            grant = services.grant_create(
                actor=user,
                user=existing.cleaned_data["username"],
                role=existing.cleaned_data["role"],
                organisation=body,
            )
            return _granted(request, grant)
        if which == "new" and new.is_valid():
            grant = services.user_create_with_grant(
                actor=user,
                username=new.cleaned_data["new_username"],
                full_name=new.cleaned_data["full_name"],
                email=new.cleaned_data["email"],
                password=new.cleaned_data["password1"],
                language=new.cleaned_data["language"],
                role=new.cleaned_data["role"],
                organisation=body,
            )
            return _granted(request, grant)
    except services.AccessError as error:
        form = existing if which == "existing" else new
        form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(
        request,
        "access/grant_new.html",
        {"body": body, "existing": existing, "new": new, "grantable": grantable},
    )


def _granted(request: HttpRequest, grant: Grant | GrantRequest) -> HttpResponseRedirect:
    names = {"user": grant.user, "role": grant.get_role_display(), "body": grant.organisation}
    if isinstance(grant, GrantRequest):
        messages.success(
            request,
            _(
                "The role “%(role)s” of %(user)s on %(body)s waits for approval by a second "
                "person; it gives no access until then."
            )
            % names,
        )
    else:
        messages.success(request, _("%(user)s now holds the role “%(role)s” on %(body)s.") % names)
    url = reverse("access:grants")
    return redirect(f"{url}?{urlencode({'body': grant.organisation_id})}")


@login_required
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    policies.require(user, "access.manage_grants")
    grant = policies.get_scoped_or_404(
        Grant.objects.select_related("user", "organisation", "organisation__kind"), user, pk=pk
    )
    if request.method == "POST":
        try:
            services.grant_revoke(actor=user, grant=grant)
        except services.AccessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("The role “%(role)s” of %(user)s on %(body)s was revoked.")
                % {
                    "user": grant.user,
                    "role": grant.get_role_display(),
                    "body": grant.organisation,
                },
            )
        return redirect("access:grants")
    return render(
        request,
        "access/grant_revoke.html",
        {"grant": grant, "can_revoke": policies.can_revoke(user, grant)},
    )


@login_required
@require_POST
def grant_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse a role waiting for a second person (a button on the grants page)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    policies.require(user, "access.manage_grants")
    grant_request = policies.get_scoped_or_404(
        GrantRequest.objects.select_related("user", "organisation", "organisation__kind"),
        user,
        pk=pk,
    )
    decision = request.POST.get("decision")
    names = {
        "user": grant_request.user,
        "role": grant_request.get_role_display(),
        "body": grant_request.organisation,
    }
    try:
        if decision == "approve":
            services.grant_request_approve(actor=user, grant_request=grant_request)
            messages.success(
                request, _("%(user)s now holds the role “%(role)s” on %(body)s.") % names
            )
        elif decision == "refuse":
            services.grant_request_refuse(actor=user, grant_request=grant_request)
            messages.success(
                request, _("The role “%(role)s” of %(user)s on %(body)s was refused.") % names
            )
        else:
            messages.error(request, _("This action is not known. Use the buttons on the page."))
    except services.AccessError as error:
        messages.error(request, str(error.message))
    return redirect("access:grants")


@login_required
def second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Another national administrator resets an account's second factor (a lost phone)."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    policies.require(user, "access.reset_second_factor")
    account = policies.get_scoped_or_404(User.objects.all(), user, pk=pk)
    if request.method == "POST":
        try:
            services.second_factor_reset(actor=user, user=account)
        except services.AccessError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _(
                    "The second factor of %(user)s was reset. The account sets up a new "
                    "authenticator app at its next sign-in."
                )
                % {"user": account},
            )
        return redirect("access:second_factor_reset", pk=account.pk)
    return render(
        request,
        "access/second_factor_reset.html",
        {
            "account": account,
            "has_totp": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
            "codes_left": services.recovery_codes_left(account),
            "can_reset": policies.can(user, "access.reset_second_factor", account),
        },
    )


# --- Audit log ----------------------------------------------------------------------------


def _field_label(label: str, name: str) -> str:
    """The name of a changed field; a reverse relation (no ``verbose_name`` of its own) is
    named after the records it points to."""
    try:
        model = apps.get_model(label)
        field = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name.replace("_", " ")
    verbose = getattr(field, "verbose_name", None)
    related = getattr(field, "related_model", None)
    if verbose is None and related is not None and not isinstance(related, str):
        verbose = related._meta.verbose_name_plural
    return str(verbose) if verbose else name.replace("_", " ")


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _changes(entry: AuditEntry) -> list[dict[str, str]]:
    rows = []
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    for name, pair in changes.items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append(
            {
                "field": _field_label(entry.object_type, name),
                "before": _shown(before),
                "after": _shown(after),
            }
        )
    return rows


def _type_label(label: str) -> str:
    if label in TYPE_LABELS:
        return str(TYPE_LABELS[label])
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, "access.view_audit")
    form = AuditFilterForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    rows = policies.scoped(AuditEntry.objects.select_related("actor"), user)
    if data.get("action"):
        rows = rows.filter(action=data["action"])
    if data.get("object_type"):
        rows = rows.filter(object_type=data["object_type"])
    if data.get("actor"):
        rows = rows.filter(actor__username__iexact=data["actor"].strip())
    zone = timezone.get_current_timezone()
    if data.get("since"):
        rows = rows.filter(
            at__gte=datetime.datetime.combine(data["since"], datetime.time.min, zone)
        )
    if data.get("until"):
        end = data["until"] + datetime.timedelta(days=1)
        rows = rows.filter(at__lt=datetime.datetime.combine(end, datetime.time.min, zone))
    page = _page(request, rows)
    entries = [
        {"entry": entry, "type": _type_label(entry.object_type), "changes": _changes(entry)}
        for entry in page.object_list
    ]
    return render(
        request,
        "access/audit.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query_string": _kept_query(request, form),
            "filtered": any(data.get(name) for name in form.fields),
        },
    )


# --- My account ---------------------------------------------------------------------------


PROFILE_ALERTS_PART = "alerts"


def _alert_channels_saved(request: HttpRequest, user: User, form: AlertChannelsForm) -> bool:
    """Save the channels for alerts; False (errors on the form) when a rule is broken."""
    try:
        services.user_update_alert_channels(
            actor=user,
            user=user,
            phone=form.cleaned_data["phone"],
            telegram_chat_id=form.cleaned_data["telegram_chat_id"],
            alert_channels=form.cleaned_data["alert_channels"],
        )
    except services.AccessError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    messages.success(request, _("Your channels for alerts have been saved."))
    return True


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    # The page holds two forms; the hidden "part" says which one was sent.
    posted = request.POST if request.method == "POST" else None
    alerts_posted = posted is not None and posted.get("part") == PROFILE_ALERTS_PART
    channels_form = AlertChannelsForm(
        posted if alerts_posted else None,
        user=user,
        initial={
            "alert_channels": user.alert_channels,
            "phone": user.phone,
            "telegram_chat_id": user.telegram_chat_id,
        },
    )
    if (
        alerts_posted
        and channels_form.is_valid()
        and _alert_channels_saved(request, user, channels_form)
    ):
        return redirect("access:profile")
    form = ProfileForm(
        None if alerts_posted else posted,
        initial={"full_name": user.full_name, "language": user.language},
    )
    if request.method == "POST" and not alerts_posted and form.is_valid():
        language = form.cleaned_data["language"]
        try:
            services.user_update_profile(
                actor=user, user=user, full_name=form.cleaned_data["full_name"], language=language
            )
        except services.AccessError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # The page answers in the language just chosen, and so does the message.
            with translation.override(language):
                messages.success(request, _("Your account has been saved."))
                url = reverse("access:profile")
            return redirect(url)
    own_grants = Grant.objects.filter(user=user, revoked_at__isnull=True).select_related(
        "organisation", "organisation__kind"
    )
    own_pending = GrantRequest.objects.filter(
        user=user, status=GrantRequest.Status.PENDING
    ).select_related("organisation", "organisation__kind", "requested_by")
    return render(
        request,
        "access/profile.html",
        {
            "form": form,
            "channels_form": channels_form,
            "alerts_part": PROFILE_ALERTS_PART,
            "own_grants": own_grants,
            "own_pending": own_pending,
            "codes_left": services.recovery_codes_left(user),
            "second_factor_required": policies.needs_second_factor(user),
            "has_totp": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "may_manage": policies.can(user, "access.manage_grants"),
            "may_audit": policies.can(user, "access.view_audit"),
            # (accounts) the contacts and their confirmation; roles and alerts are for staff
            "staff_account": bool(user.is_staff or user.is_superuser or own_grants or own_pending),
            "contacts": [
                {
                    "channel": channel,
                    "address": address,
                    "verified_at": services.contact_verified_at(user, channel),
                    "verify_url": _verify_url(channel, reverse("access:profile")),
                }
                for channel, address in services.contact_addresses(user).items()
            ],
            "activist_of": services.activist_memberships(user),
        },
    )


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    form = PasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except services.AccessError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("access:profile")
    return render(request, "access/password.html", {"form": form})


# --- participants (accounts) ----------------------------------------------------------------

# Codes sent (on joining, again on request, to set a new password): per client address and
# per phone or e-mail, each under settings.RATE_CONTACT_CODES.
CODE_SCOPE = "contact-codes"
CODE_CONTACT_SCOPE = "contact-codes-to"
RESET_KEY = "access_reset_contact"


def _home_for(user: Any) -> str:
    """Where a sign-in without ``next`` leads: staff to the workspace, participants (who
    hold no role) to the portal, never to a page that refuses them."""
    if policies.can(user, "workspace.enter"):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    return reverse("portal:home")


def _codes_refused(request: HttpRequest, address: str) -> ratelimit.Verdict | None:
    """Counts one code sent from this client and to this address; the refusal when either is
    over the limit (neither one client nor many may flood a phone or try many contacts)."""
    verdict = ratelimit.limited(request, CODE_SCOPE, rate="RATE_CONTACT_CODES")
    if verdict:
        return verdict
    rate = ratelimit.setting_rate("RATE_CONTACT_CODES")
    ident = salted_hmac("birlik.access.contact-codes", address.lower()).hexdigest()[:40]
    verdict = ratelimit.check(CODE_CONTACT_SCOPE, ident, limit=rate.limit, window=rate.window)
    return verdict if verdict.over else None


def _codes_wait(retry_after: int) -> str:
    minutes = max(1, -(-int(retry_after) // 60))
    return ngettext(
        "Too many codes were asked for. Ask for a new code in %(count)s minute.",
        "Too many codes were asked for. Ask for a new code in %(count)s minutes.",
        minutes,
    ) % {"count": minutes}


def _form_error(form: Any, error: services.AccessError, aliases: dict[str, str]) -> None:
    field = aliases.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


@sensitive_post_parameters("password1", "password2")
@never_cache
def join(request: HttpRequest) -> HttpResponse:
    """A participant's account with a phone or an e-mail; a code is sent to confirm it."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("access:profile"))
    form = JoinForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if verdict := _codes_refused(request, data["contact"]):
            form.add_error(None, _codes_wait(verdict.retry_after))
            status = 429
        else:
            try:
                user = services.participant_join(
                    full_name=data["full_name"],
                    contact=data["contact"],
                    password=data["password1"],
                    consent=data["consent"],
                    language=translation.get_language() or "kk",
                )
            except services.AccessError as error:
                _form_error(form, error, {"password": "password1"})
            else:
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Your account is open. Enter the code we have sent to %(contact)s.")
                    % {"contact": data["contact"]},
                )
                return redirect(_with_next(reverse("access:verify_contact"), next_url))
    return render(
        request,
        "access/join.html",
        {"form": form, "next": next_url, "login_url": _login_url(next_url)},
        status=status,
    )


def _chosen_channel(request: HttpRequest, user: User, addresses: dict[str, str]) -> str:
    """The contact asked for, else the login's own while unconfirmed, else any unconfirmed."""
    asked = request.POST.get("channel") or request.GET.get("channel") or ""
    if asked in addresses:
        return asked
    unverified = [c for c in addresses if services.contact_verified_at(user, c) is None]
    own = "email" if "@" in user.username else "phone"
    for candidate in (own if own in unverified else "", *unverified, own):
        if candidate in addresses:
            return candidate
    return next(iter(addresses), "")


def _verify_url(channel: str, next_url: str) -> str:
    query = {"channel": channel} if channel else {}
    if next_url:
        query["next"] = next_url
    url = reverse("access:verify_contact")
    return f"{url}?{urlencode(query)}" if query else url


@login_required
@never_cache
def verify_contact(request: HttpRequest) -> HttpResponse:
    """Enter the code sent to one's phone or e-mail (or ask for one): the contact is confirmed."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 — login_required
    next_url = _safe_next(request)
    addresses = services.contact_addresses(user)
    channel = _chosen_channel(request, user, addresses)
    action = request.POST.get("action") if request.method == "POST" else None
    form = ContactCodeForm(request.POST if action == "verify" else None)
    status = 200
    here = _verify_url(channel, next_url)
    if request.method == "POST" and not channel:
        messages.error(request, _("Your account has no phone or e-mail to confirm."))
        return redirect(here)
    send_error = ""
    if action == "send":
        if verdict := _codes_refused(request, addresses[channel]):
            send_error = _codes_wait(verdict.retry_after)
            status = 429
        else:
            try:
                services.contact_code_send(user=user, channel=channel)
            except services.AccessError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _("We have sent a new code to %(contact)s.") % {"contact": addresses[channel]},
                )
            return redirect(here)
    elif action == "verify":
        if form.is_valid():
            try:
                services.contact_verify(user=user, channel=channel, code=form.cleaned_data["code"])
            except services.AccessError as error:
                _form_error(form, error, {})
            else:
                messages.success(
                    request,
                    _("Your phone number is confirmed.")
                    if channel == "phone"
                    else _("Your e-mail is confirmed."),
                )
                return redirect(next_url or reverse("access:profile"))
    elif action is not None:
        messages.error(request, _("This action is not known. Use the buttons on the page."))
        return redirect(here)
    return render(
        request,
        "access/verify_contact.html",
        {
            "form": form,
            "next": next_url,
            "channel": channel,
            "address": addresses.get(channel, ""),
            "verified_at": services.contact_verified_at(user, channel) if channel else None,
            "pending": services.contact_code_pending(user, channel) if channel else None,
            "others": [
                {"channel": other, "url": _verify_url(other, next_url)}
                for other in addresses
                if other != channel
            ],
            "done_url": next_url or reverse("access:profile"),
            "send_error": send_error,
        },
        status=status,
    )


@never_cache
def password_reset(request: HttpRequest) -> HttpResponse:
    """A participant who forgot the password asks for a code to the phone or e-mail that is
    the login; the answer is the same whether such an account exists or not."""
    next_url = _safe_next(request)
    form = PasswordResetStartForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        if verdict := _codes_refused(request, contact):
            form.add_error(None, _codes_wait(verdict.retry_after))
            status = 429
        else:
            services.participant_reset_start(contact=contact)
            request.session[RESET_KEY] = contact
            return redirect(_with_next(reverse("access:password_reset_code"), next_url))
    return render(
        request,
        "access/join_password.html",
        {"form": form, "next": next_url, "login_url": _login_url(next_url)},
        status=status,
    )


@sensitive_post_parameters("password1", "password2", "code")
@never_cache
def password_reset_code(request: HttpRequest) -> HttpResponse:
    """The code and a new password; the account is signed in when they are right."""
    next_url = _safe_next(request)
    contact = request.session.get(RESET_KEY)
    start = _with_next(reverse("access:password_reset"), next_url)
    if not isinstance(contact, str) or not contact:
        return redirect(start)
    action = request.POST.get("action") if request.method == "POST" else None
    form = PasswordResetFinishForm(request.POST if action == "reset" else None)
    status = 200
    send_error = ""
    if action == "send":
        if verdict := _codes_refused(request, contact):
            send_error = _codes_wait(verdict.retry_after)
            status = 429
        else:
            services.participant_reset_start(contact=contact)
            messages.success(
                request,
                _("If an account uses %(contact)s, we have sent a new code to it.")
                % {"contact": contact},
            )
            return redirect(_with_next(reverse("access:password_reset_code"), next_url))
    elif action == "reset" and form.is_valid():
        try:
            user = services.participant_reset_finish(
                contact=contact,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
            )
        except services.AccessError as error:
            _form_error(form, error, {"password": "password1"})
        else:
            request.session.pop(RESET_KEY, None)
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            services.login_record(user=user, second_factor=False)
            messages.success(request, _("Your new password is set and you are signed in."))
            return redirect(next_url or _home_for(user))
    elif action is not None and action != "reset":
        messages.error(request, _("This action is not known. Use the buttons on the page."))
    return render(
        request,
        "access/join_password_code.html",
        {
            "form": form,
            "next": next_url,
            "contact": contact,
            "start_url": start,
            "send_error": send_error,
        },
        status=status,
    )
