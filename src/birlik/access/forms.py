"""Forms of the accounts pages: sign-in, second factor, grants, audit filters, profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.cleaning import normalise_phone
from birlik.core.collation import sort_key

from . import services
from .models import AlertChannel, AuditEntry, Role, User, validate_telegram_chat_id
from .services import alert_channel_problems

TOKEN_VALIDATOR = RegexValidator(r"^\d{6}$", _("Enter the 6 digits shown by your app."))


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The login or the password is not right. Check both (letter case counts) and try again."
        ),
        "inactive": _("This account is switched off. Ask your coordinator to switch it on."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Login")
        self.fields["username"].help_text = _(
            "Your mobile phone or e-mail, or the login your administrator gave you."
        )
        self.fields["password"].label = _("Password")

    def clean_username(self) -> str:
        # A participant's login is their phone or e-mail, typed in any usual form.
        return services.login_name(self.cleaned_data.get("username", ""))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        min_length=6,
        validators=[TOKEN_VALIDATOR],
        help_text=_("6 digits; a new code appears every 30 seconds."),
        error_messages={
            "required": _("Enter the code from your authenticator app."),
            "min_length": _("Enter the 6 digits shown by your app."),
            "max_length": _("Enter the 6 digits shown by your app."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class SecondFactorForm(forms.Form):
    """The second step of signing in: the app's code, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code from your authenticator app or a recovery code"),
        max_length=20,
        help_text=_(
            "6 digits from the app; if you lost your phone, one of your recovery codes "
            "(like abcde-fghjk). Each recovery code works once."
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        letters = token.replace("-", "")
        if token.isdigit() and len(token) == 6:
            return token
        if not token.isdigit() and len(letters) == 10 and letters.isalnum():
            return token.lower()
        raise ValidationError(
            _("Enter the 6 digits shown by your app, or a recovery code of 10 letters and digits.")
        )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class BodyLookupForm(forms.Form):
    """The first step of giving a role: find the body by its number or by its name."""

    body = forms.IntegerField(
        label=_("Number of the body"),
        required=False,
        min_value=1,
        help_text=_("Shown on the body's page and in the workspace."),
        error_messages={"invalid": _("Enter the number of the body, in digits.")},
    )
    q = forms.CharField(label=_("Or search bodies by name"), required=False, max_length=100)


ROLE_CHOICES = [("", _("Choose a role")), *Role.choices]


class _RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args: Any, grantable: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the roles this manager may give are offered; any other known role is still
        # accepted by the form so that the service refuses it with its own message.
        self.fields["role"].widget.choices = [("", _("Choose a role")), *grantable]


class GrantExistingForm(_RoleForm):
    username = forms.CharField(
        label=_("Login of the account"),
        max_length=150,
        help_text=_("An account that already holds a role in your area."),
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = accounts

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = self.accounts.filter(username__iexact=username).first()
        if user is None:
            raise ValidationError(
                _("There is no account with this login in your area. Create a new account below.")
            )
        return user  # type: ignore[no-any-return]


class GrantNewAccountForm(_RoleForm):
    new_username = forms.RegexField(
        label=_("Login"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        help_text=_("Letters, digits and @ . + - _ only."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in the login.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the account"), choices=settings.LANGUAGES, initial="kk"
    )
    password1 = forms.CharField(
        label=_("Initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common word, not only digits."),
    )
    password2 = forms.CharField(
        label=_("Initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_new_username(self) -> str:
        username = self.cleaned_data["new_username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("An account with this login already exists."))
        return str(username)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=data.get("new_username", ""),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class GrantFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("active", _("Active")),
        ("revoked", _("Revoked")),
        ("all", _("All")),
    ]
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices])
    body = forms.IntegerField(
        label=_("Number of the body"),
        min_value=1,
        help_text=_("The body and every body below it."),
        error_messages={"invalid": _("Enter the number of the body, in digits.")},
    )
    q = forms.CharField(label=_("Login or name"), max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


# Records of other packages that the audit log names, with our own translatable label.
TYPE_LABELS = {"otp_totp.TOTPDevice": _("authenticator app")}


def audited_types() -> list[tuple[str, str]]:
    """The kinds of record the audit log names, as choices: every model of Birlik's apps."""
    choices = [(label, str(name)) for label, name in TYPE_LABELS.items()]
    for model in apps.get_models():
        if model.__module__.startswith("birlik."):
            choices.append((model._meta.label, str(model._meta.verbose_name)))
    return sorted(choices, key=lambda item: sort_key(item[1]))


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", _("Any action")), *AuditEntry.Action.choices]
    )
    object_type = forms.ChoiceField(label=_("Type of record"), choices=())
    actor = forms.CharField(label=_("Who (login)"), max_length=150)
    since = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    until = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object_type = self.fields["object_type"]
        assert isinstance(object_type, forms.ChoiceField)  # noqa: S101 — declared above
        object_type.choices = [("", _("Any type")), *audited_types()]
        for field in self.fields.values():
            field.required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Language of the interface"), choices=settings.LANGUAGES)


class AlertChannelsForm(forms.Form):
    """How alerts reach the person: the channels, and the address each one needs."""

    alert_channels = forms.MultipleChoiceField(
        label=_("Send me alerts by"),
        choices=AlertChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one of: e-mail, SMS, Telegram.")},
    )
    phone = forms.CharField(
        label=_("Phone for SMS"),
        max_length=40,
        required=False,
        help_text=_("A Kazakhstan number, e.g. +7 701 234 56 78."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    telegram_chat_id = forms.CharField(
        label=_("Telegram chat id"),
        max_length=40,
        required=False,
        validators=[validate_telegram_chat_id],
        help_text=_(
            "The number of your chat with the Assembly's Telegram bot, e.g. 123456789. "
            "Ask your administrator if you do not know it."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.email:
            self.fields["alert_channels"].help_text = _(
                "E-mail goes to %(email)s; your administrator changes this address."
            ) % {"email": user.email}
        else:
            self.fields["alert_channels"].help_text = _(
                "Your account has no e-mail address; your administrator can add one."
            )

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        if not phone:
            return ""
        try:
            return normalise_phone(phone)
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        candidate = User(
            email=self.user.email,
            phone=data.get("phone", ""),
            telegram_chat_id=data.get("telegram_chat_id", ""),
        )
        problems = alert_channel_problems(user=candidate, channels=data.get("alert_channels", []))
        for field, message in problems.items():
            target = field if field in self.fields else "alert_channels"
            if not self.has_error(target):
                self.add_error(target, message)
        return data


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common word, not only digits."),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("new_password1"), data.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except ValidationError as error:
                self.add_error("new_password1", error)
        return data


# --- participants (accounts) ------------------------------------------------------------------


def _contact_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=254,
        help_text=_("A Kazakhstan mobile number, e.g. +7 701 234 56 78, or an e-mail address."),
        error_messages={
            "required": _("Give your mobile phone number or your e-mail."),
            "max_length": _("This is too long for a phone number or an e-mail."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


def _clean_contact(value: str) -> str:
    try:
        return services.contact_parse(value)[1]
    except services.AccessError as error:
        raise ValidationError(error.message) from None


class JoinForm(forms.Form):
    """A participant's account: a name, a phone or an e-mail (the login), a password, consent."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={
            "required": _("Give your full name."),
            "max_length": _("The name is too long: use at most 200 letters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact = _contact_field(_("Mobile phone or e-mail"))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common word, not only digits."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )
    consent = forms.BooleanField(
        label=services.participant_consent_text(),
        error_messages={
            "required": _("An account needs your consent to the processing of your personal data.")
        },
    )

    def clean_contact(self) -> str:
        return _clean_contact(self.cleaned_data["contact"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            candidate = User(
                username=data.get("contact", ""),
                full_name=data.get("full_name", ""),
                email=data.get("contact", "") if "@" in data.get("contact", "") else "",
            )
            try:
                password_validation.validate_password(first, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


CODE_VALIDATOR = RegexValidator(r"^\d{6}\Z", _("Enter the 6 digits of the code we sent you."))


class ContactCodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=20,
        help_text=_("6 digits."),
        error_messages={"required": _("Enter the 6 digits of the code we sent you.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        CODE_VALIDATOR(code)
        return code


class PasswordResetStartForm(forms.Form):
    contact = _contact_field(_("Mobile phone or e-mail of your account"))

    def clean_contact(self) -> str:
        return _clean_contact(self.cleaned_data["contact"])


class PasswordResetFinishForm(ContactCodeForm):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common word, not only digits."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Type the password again.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data
