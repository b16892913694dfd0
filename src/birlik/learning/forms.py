"""Forms of training: the staff's (course, module, cohort, session, attendance, results,
completion, nomination, withdrawal, revocation, training rule, filters) and the public's
(catalogue filters, the code of a certificate to check). Every choice of a record is limited to
what the user may choose; the services check the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access import policies
from birlik.access.models import User
from birlik.core import collation
from birlik.core.forms import DateInput
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation, OrganisationKind, Person
from birlik.registry.queries import active_on

from . import queries
from .models import (
    MAX_CAPACITY,
    MAX_MODULE_HOURS,
    MAX_VALIDITY_MONTHS,
    PROVIDER_KINDS,
    Attendance,
    Cohort,
    Course,
    Enrolment,
    Module,
    TrainingRule,
)

LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LANGS = tuple(LANG_NAMES)


def _trilingual(
    form: forms.Form, name: str, label: Any, *, textarea: bool = False, limit: int = 200
) -> None:
    for lang in LANGS:
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
        form.fields[f"{name}_{lang}"] = forms.CharField(
            label=f"{label} ({LANG_NAMES[lang]})",
            required=False,
            max_length=None if textarea else limit,
            widget=widget,
        )


def texts(form: forms.Form, name: str) -> dict[str, str]:
    """The kk/ru/en values of a trilingual field, by language."""
    return {lang: form.cleaned_data.get(f"{name}_{lang}") or "" for lang in LANGS}


def run_bodies(user: User) -> QuerySet[Organisation]:
    """The providers (the Academy, university departments) in the user's staff scope."""
    return Organisation.objects.filter(
        policies.prefix_q("path", policies.roots(user, policies.STAFF_ROLES)),
        kind__code__in=PROVIDER_KINDS,
        status=Organisation.Status.ACTIVE,
    ).order_by("path")


def teacher_candidates(bodies: QuerySet[Organisation]) -> QuerySet[Person]:
    """People holding a current term in one of the providers ``bodies``."""
    members = Membership.objects.filter(
        active_on(timezone.localdate()), organisation__in=bodies
    ).values("person_id")
    return collation.ordered(Person.objects.filter(pk__in=members), "last_name", "first_name")


class CourseForm(forms.Form):
    provider: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=pgettext_lazy("training", "Provider"), queryset=Organisation.objects.none()
    )
    format = forms.ChoiceField(
        label=pgettext_lazy("training", "Format"), choices=Course.Format.choices
    )
    prerequisites: forms.ModelMultipleChoiceField[Course] = forms.ModelMultipleChoiceField(
        label=_("Prerequisites"),
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Courses of which a valid certificate is needed to be nominated."),
    )
    teacher_names = forms.CharField(
        label=_("Teachers, one name a line"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    teacher_people: forms.ModelMultipleChoiceField[Person] = forms.ModelMultipleChoiceField(
        label=_("Teachers from the registry"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People holding a term in the provider."),
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("training", "In use"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: User, course: Course | None = None, **kw: Any) -> None:
        if course is not None and "initial" not in kw:
            teachers = list(course.teachers.all())
            kw["initial"] = {
                "provider": course.provider_id,
                "format": course.format,
                "prerequisites": list(course.prerequisites.values_list("pk", flat=True)),
                "teacher_names": "\n".join(t.name for t in teachers if t.person_id is None),
                "teacher_people": [t.person_id for t in teachers if t.person_id is not None],
                "is_active": course.is_active,
                **{
                    f"{field}_{lang}": getattr(course, f"{field}_{lang}")
                    for field in ("title", "description")
                    for lang in LANGS
                },
            }
        super().__init__(*args, **kw)
        bodies = run_bodies(user)
        self.fields["provider"].queryset = bodies  # type: ignore[attr-defined]
        others = Course.objects.filter(is_active=True)
        if course is not None:
            others = others.exclude(pk=course.pk)
        self.fields["prerequisites"].queryset = collation.ordered(  # type: ignore[attr-defined]
            others, "title"
        )
        # The providers' own people (an academy's or a department's staff: a few dozen).
        self.fields["teacher_people"].queryset = teacher_candidates(bodies)  # type: ignore[attr-defined]
        _trilingual(self, "title", _("Title"))
        _trilingual(self, "description", _("Description"), textarea=True)
        order = ["provider", *(f"title_{lang}" for lang in LANGS)]
        order += [f"description_{lang}" for lang in LANGS]
        self.order_fields([*order, "format", "prerequisites", "teacher_names", "teacher_people"])

    def teacher_name_list(self) -> list[str]:
        return [
            line.strip()
            for line in (self.cleaned_data.get("teacher_names") or "").splitlines()
            if line.strip()
        ]


class ModuleForm(forms.Form):
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=MAX_MODULE_HOURS)

    def __init__(self, *args: Any, module: Module | None = None, **kwargs: Any) -> None:
        if module is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "hours": module.hours,
                **{f"title_{lang}": getattr(module, f"title_{lang}") for lang in LANGS},
            }
        super().__init__(*args, **kwargs)
        _trilingual(self, "title", _("Title of the module"))
        self.order_fields([*(f"title_{lang}" for lang in LANGS), "hours"])


class CohortForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=MAX_CAPACITY)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online = forms.BooleanField(label=pgettext_lazy("training", "Online"), required=False)

    def __init__(self, *args: Any, cohort: Cohort | None = None, **kwargs: Any) -> None:
        if cohort is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(cohort, name)
                for name in ("starts_on", "ends_on", "capacity", "place", "online")
            }
        super().__init__(*args, **kwargs)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    module: forms.ModelChoiceField[Module] = forms.ModelChoiceField(
        label=pgettext_lazy("training", "Module"), queryset=Module.objects.none(), required=False
    )

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = course.modules.all()  # type: ignore[attr-defined]
        _trilingual(self, "topic", _("Topic"), limit=300)


class AttendanceForm(forms.Form):
    """One radio group a trainee: fits a phone's width."""

    def __init__(
        self, *args: Any, trainees: list[Enrolment], marks: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for enrolment in trainees:
            self.fields[f"e_{enrolment.pk}"] = forms.ChoiceField(
                label=enrolment.person.full_name,
                choices=Attendance.Mark.choices,
                widget=forms.RadioSelect,
                initial=marks.get(enrolment.pk, Attendance.Mark.PRESENT),
            )

    def marks(self) -> dict[int, str]:
        return {
            int(name[2:]): value for name, value in self.cleaned_data.items() if name[:2] == "e_"
        }


PASSED_CHOICES = [
    ("", pgettext_lazy("assessment", "not assessed")),
    ("yes", pgettext_lazy("assessment", "passed")),
    ("no", pgettext_lazy("assessment", "not passed")),
]


class ResultsForm(forms.Form):
    """A score and a result a trainee (those who completed are shown, not asked)."""

    def __init__(self, *args: Any, trainees: list[Enrolment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Enrolment, forms.BoundField | None, forms.BoundField | None]] = []
        self.open: list[Enrolment] = []
        for enrolment in trainees:
            if enrolment.status == Enrolment.Status.COMPLETED:
                self.rows.append((enrolment, None, None))
                continue
            name = enrolment.person.full_name
            self.fields[f"score_{enrolment.pk}"] = forms.IntegerField(
                label=_("Score of %(name)s") % {"name": name},
                min_value=0,
                max_value=100,
                required=False,
                initial=enrolment.score,
            )
            self.fields[f"passed_{enrolment.pk}"] = forms.ChoiceField(
                label=_("Result of %(name)s") % {"name": name},
                choices=PASSED_CHOICES,
                required=False,
                initial={True: "yes", False: "no"}.get(enrolment.passed, ""),  # type: ignore[arg-type]
            )
            self.open.append(enrolment)
            self.rows.append(
                (enrolment, self[f"score_{enrolment.pk}"], self[f"passed_{enrolment.pk}"])
            )

    def results(self) -> dict[int, tuple[int | None, bool | None]]:
        data = self.cleaned_data
        return {
            enrolment.pk: (
                data.get(f"score_{enrolment.pk}"),
                {"yes": True, "no": False}.get(data.get(f"passed_{enrolment.pk}") or ""),
            )
            for enrolment in self.open
        }


class CompletionForm(forms.Form):
    completed = forms.TypedMultipleChoiceField(
        label=_("Completed the course"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["completed"].choices = choices  # type: ignore[attr-defined]


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person by name"),
        max_length=100,
        required=False,
        help_text=_("People holding a term in a body you work for."),
    )


class NominateForm(forms.Form):
    membership: forms.ModelChoiceField[Membership] = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Membership.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose a person from the list: only people holding a term in a body you "
                "work for may be nominated."
            )
        },
    )

    def __init__(self, *args: Any, terms: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = terms  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class CohortStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Cohort.Status.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RuleForm(forms.Form):
    kind: forms.ModelChoiceField[OrganisationKind] = forms.ModelChoiceField(
        label=_("Kind of body"), queryset=OrganisationKind.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("every role"))] + list(Membership.Role.choices),
    )
    courses: forms.ModelMultipleChoiceField[Course] = forms.ModelMultipleChoiceField(
        label=_("Courses that satisfy it"),
        queryset=Course.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    validity_months = forms.IntegerField(
        label=_("Valid for, months"), min_value=1, max_value=MAX_VALIDITY_MONTHS, initial=12
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("training", "In use"), required=False, initial=True
    )

    def __init__(self, *args: Any, rule: TrainingRule | None = None, **kwargs: Any) -> None:
        if rule is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": rule.kind_id,
                "role": rule.role,
                "courses": list(rule.courses.values_list("pk", flat=True)),
                "validity_months": rule.validity_months,
                "is_active": rule.is_active,
                **{f"name_{lang}": getattr(rule, f"name_{lang}") for lang in LANGS},
            }
        super().__init__(*args, **kwargs)
        courses = Course.objects.filter(is_active=True)
        if rule is not None:
            courses = courses | Course.objects.filter(training_rules=rule)
        self.fields["courses"].queryset = collation.ordered(  # type: ignore[attr-defined]
            courses.distinct(), "title"
        )
        _trilingual(self, "name", _("Name of the rule"))
        self.order_fields([f"name_{lang}" for lang in LANGS])


# --- Filters ---------------------------------------------------------------------------------


class NeedsForm(forms.Form):
    on = forms.DateField(label=_("On the day"), required=False, widget=DateInput())


class OverdueFilterForm(NeedsForm):
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, to_field_name="iso"
    )
    kind: forms.ModelChoiceField[OrganisationKind] = forms.ModelChoiceField(
        label=_("Kind of body"),
        queryset=OrganisationKind.objects.all(),
        required=False,
        to_field_name="code",
    )
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)


class NominationsFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("filter", "all"))] + list(Enrolment.Status.choices),
    )
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)


class CatalogueForm(forms.Form):
    q = forms.CharField(label=_("Words of the title"), required=False, max_length=100)
    provider: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=pgettext_lazy("training", "Provider"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    format = forms.ChoiceField(
        label=pgettext_lazy("training", "Format"),
        required=False,
        choices=[("", pgettext_lazy("filter", "all"))] + list(Course.Format.choices),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = queries.providers()  # type: ignore[attr-defined]


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("The 16 letters and digits printed on the certificate beside the QR code."),
    )
