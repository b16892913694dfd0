"""Forms of youth projects: the staff's (project, form questions, criteria, cohort, jury,
sessions, attendance) and the applicant's (built from the project's questions)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access import policies
from birlik.access.models import Grant, User
from birlik.core.forms import DateInput
from birlik.events.models import Programme
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation, Person

from .models import RUNNING_KINDS, Application, Attendance, Cohort, Question, YouthProject

LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LANGS = tuple(LANG_NAMES)
TEXT = {"maxlength": 200}


def _in_language(label: Any, lang: str) -> str:
    return f"{label} ({LANG_NAMES[lang]})"


def _trilingual(
    form: forms.Form, name: str, label: Any, *, textarea: bool = False, limit: int = 200
) -> None:
    for lang in LANGS:
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        form.fields[f"{name}_{lang}"] = forms.CharField(
            label=_in_language(label, lang),
            required=False,
            max_length=None if textarea else limit,
            widget=widget,
        )


def running_bodies(user: User) -> QuerySet[Organisation]:
    """The bodies in the user's staff scope that run youth projects."""
    return Organisation.objects.filter(
        policies.prefix_q("path", policies.roots(user, policies.STAFF_ROLES)),
        kind__code__in=RUNNING_KINDS,
        status=Organisation.Status.ACTIVE,
    ).order_by("path")


class ProjectForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Running body"), queryset=Organisation.objects.none()
    )
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(is_active=True)
    )
    min_age = forms.IntegerField(label=_("Youngest age"), min_value=6, max_value=99, initial=14)
    max_age = forms.IntegerField(label=_("Oldest age"), min_value=6, max_value=99, initial=35)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, project: YouthProject | None = None, **kw: Any):
        if project is not None and "initial" not in kw:
            kw["initial"] = {
                "organisation": project.organisation_id,
                "programme": project.programme_id,
                "min_age": project.min_age,
                "max_age": project.max_age,
                "is_active": project.is_active,
                **{
                    f"{field}_{lang}": getattr(project, f"{field}_{lang}")
                    for field in ("title", "description")
                    for lang in LANGS
                },
            }
        super().__init__(*args, **kw)
        self.fields["organisation"].queryset = running_bodies(user)  # type: ignore[attr-defined]
        _trilingual(self, "title", _("Title"))
        _trilingual(self, "description", _("Description"), textarea=True)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _trilingual(self, "label", _("Question"), limit=300)
        _trilingual(self, "options", _("Options, one a line (for a choice)"), textarea=True)


class CriterionForm(forms.Form):
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    max_score = forms.IntegerField(label=_("Highest score"), min_value=1, max_value=100, initial=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _trilingual(self, "name", _("Criterion"))


def jury_candidates(body: Organisation) -> QuerySet[User]:
    """Staff accounts whose grant covers the body or lies below it."""
    path = str(body.path)
    above = [path[:end] for end in range(Organisation.steplen, len(path) + 1, Organisation.steplen)]
    grants = Grant.objects.filter(
        Q(organisation__path__in=above) | Q(organisation__path__startswith=path),
        revoked_at__isnull=True,
        role__in=policies.STAFF_ROLES,
    ).values("user_id")
    return User.objects.filter(pk__in=grants, is_active=True).order_by("full_name", "username")


def mentor_candidates(body: Organisation) -> QuerySet[Person]:
    """People holding a term in the running body (mentors are people of the registry)."""
    members = Membership.objects.filter(organisation=body, end_date__isnull=True).values(
        "person_id"
    )
    return Person.objects.filter(pk__in=members).order_by("last_name", "first_name", "pk")


class CohortForm(forms.Form):
    applications_open_on = forms.DateField(label=_("Applications open on"), widget=DateInput())
    applications_close_on = forms.DateField(label=_("Applications close on"), widget=DateInput())
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    waiting_places = forms.IntegerField(
        label=_("Places on the waiting list"), min_value=0, max_value=10_000, initial=0
    )
    graduation_threshold = forms.IntegerField(
        label=_("Attendance needed to graduate, %"), min_value=1, max_value=100, initial=75
    )
    jury = forms.ModelMultipleChoiceField(
        label=_("Jury"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff accounts of the running body or of the bodies above it."),
    )
    mentors = forms.ModelMultipleChoiceField(
        label=_("Mentors"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People holding a term in the running body."),
    )

    def __init__(
        self, *args: Any, body: Organisation, cohort: Cohort | None = None, **kwargs: Any
    ) -> None:
        if cohort is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{f"name_{lang}": getattr(cohort, f"name_{lang}") for lang in LANGS},
                **{
                    name: getattr(cohort, name)
                    for name in (
                        "applications_open_on",
                        "applications_close_on",
                        "starts_on",
                        "ends_on",
                        "places",
                        "waiting_places",
                        "graduation_threshold",
                    )
                },
                "jury": list(cohort.jury.values_list("pk", flat=True)),
                "mentors": list(cohort.mentors.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        _trilingual(self, "name", _("Name of the cohort"))
        self.fields["jury"].queryset = jury_candidates(body)  # type: ignore[attr-defined]
        self.fields["mentors"].queryset = mentor_candidates(body)[:500]  # type: ignore[attr-defined]
        self.order_fields(
            [f"name_{lang}" for lang in LANGS]
            + [name for name in self.fields if "name_" not in name]
        )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("filter", "all"))] + list(Application.Status.choices),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, to_field_name="iso"
    )
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)


class SelectionForm(forms.Form):
    selected = forms.TypedMultipleChoiceField(
        label=_("Selected"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason for changes to the ranking"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when your choice differs from the first places of the ranking."),
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = choices  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _trilingual(self, "topic", _("Topic"), limit=300)


class AttendanceForm(forms.Form):
    """One radio group a participant: fits a phone's width."""

    def __init__(
        self, *args: Any, participants: list[Application], marks: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for person in participants:
            self.fields[f"p_{person.pk}"] = forms.ChoiceField(
                label=person.full_name,
                choices=Attendance.Mark.choices,
                widget=forms.RadioSelect,
                initial=marks.get(person.pk, Attendance.Mark.PRESENT),
            )

    def marks(self) -> dict[int, str]:
        return {
            int(name[2:]): value for name, value in self.cleaned_data.items() if name[:2] == "p_"
        }


class GraduationForm(forms.Form):
    graduates = forms.TypedMultipleChoiceField(
        label=_("Graduates"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["graduates"].choices = choices  # type: ignore[attr-defined]


# --- The applicant's form ----------------------------------------------------------------------


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ApplyForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=DateInput(),
        help_text=_(
            "Asked to check the project's age group and, if you graduate, to find you in the "
            "register of activists without creating a second record."
        ),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all()
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Or an e-mail: we use them only to tell you the result of the selection."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data by the running body for the "
            "selection and the project."
        )
    )

    def __init__(self, *args: Any, project: YouthProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(project.questions.all())
        for question in self.questions:
            name = f"q_{question.pk}"
            label = question.label
            if question.kind == Question.Kind.SHORT_TEXT:
                field: forms.Field = forms.CharField(label=label, max_length=300)
            elif question.kind == Question.Kind.LONG_TEXT:
                field = forms.CharField(
                    label=label, max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
                )
            elif question.kind == Question.Kind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    choices=list(enumerate(question.option_list())),
                    widget=forms.RadioSelect,
                )
            else:
                field = forms.ChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect)
            field.required = question.required
            self.fields[name] = field
        self.language = translation.get_language() or "kk"

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.pk}"] for question in self.questions]

    def answers(self) -> dict[str, Any]:
        return {
            str(question.pk): self.cleaned_data.get(f"q_{question.pk}")
            for question in self.questions
        }
