"""Every write to volunteers: profiles, calls, sign-ups with a waiting list, check-in and
check-out, hours entered by staff, and the numbered yearly record.

Places are taken with one conditional UPDATE (``confirmed_count < places``), so two volunteers
signing up for the last place at once can never overbook; a freed place goes to the first
volunteer on the waiting list, who is told at once through the outbox.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.charity.models import HelpRequest
from birlik.charity.models import Project as CharityProject
from birlik.core import kpi, sequences
from birlik.core.cleaning import clean_text, normalise_phone
from birlik.core.errors import DomainError
from birlik.events.models import Event
from birlik.geo.models import District, Region
from birlik.notify.services import notice_queue
from birlik.registry.models import Organisation

from . import queries
from .models import LANGUAGES, Availability, Call, Profile, SignUp, Skill, YearRecord, codes_field

LANGS = ("kk", "ru", "en")
RECORD_SCOPE = "volunteers.record"


class VolunteerError(DomainError):
    pass


def _line(value: Any, limit: int) -> str:
    """One line of text: NFC, spaces folded, cut to the column's length."""
    return clean_text(value)[:limit]


def _paragraphs(value: Any, limit: int) -> str:
    """A text whose line breaks are kept; each line cleaned as a line."""
    lines = [clean_text(line) for line in str(value or "").splitlines()]
    return "\n".join(lines).strip()[:limit]


def account_verified(user: Any) -> bool:
    """A signed-in account with a verified phone or e-mail (read from the two fields the
    accounts' contract keeps: django-otp's middleware puts its own ``is_verified`` on the
    request's user, for the second factor, which must not be taken for this)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            getattr(user, "phone_verified_at", None) is not None
            or getattr(user, "email_verified_at", None) is not None
        )
    )


def _check_in_opens_minutes() -> int:
    return int(getattr(settings, "VOLUNTEERS_CHECK_IN_OPENS_MINUTES", 120))


# --- Profiles ----------------------------------------------------------------------------------


@transaction.atomic
def profile_save(
    *,
    user: User,
    full_name: str,
    region: Region,
    districts: Iterable[District] = (),
    skills: Iterable[Skill] = (),
    languages: Iterable[str] = ("kk",),
    availability: Iterable[str] = (),
    phone: str = "",
    about: str = "",
    consent: bool,
) -> Profile:
    """A verified account keeps one profile; its districts lie in its region; consent first."""
    if not account_verified(user):
        raise VolunteerError(
            _("Confirm your phone or e-mail first: only a verified account may volunteer.")
        )
    full_name = _line(full_name or "", 200)
    if not full_name:
        raise VolunteerError(_("Give your name."), field="full_name")
    if not consent:
        raise VolunteerError(
            _("A volunteer profile needs your consent to the processing of your personal data."),
            field="consent",
        )
    districts = list(districts)
    if any(district.region_id != region.pk for district in districts):
        raise VolunteerError(
            _("Choose districts of the region you chose, or change the region."),
            field="districts",
        )
    known = {code for code, _label in LANGUAGES}
    languages = [code for code in dict.fromkeys(languages) if code]
    if not languages or not set(languages) <= known:
        raise VolunteerError(_("Choose at least one language you speak."), field="languages")
    availability = [code for code in dict.fromkeys(availability) if code]
    if not set(availability) <= set(Availability.values):
        raise VolunteerError(_("Choose when you can help from the list."), field="availability")
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError:
            raise VolunteerError(
                _("Give the phone number with its code, for example +7 701 234 56 78."),
                field="phone",
            ) from None
    profile = Profile.objects.select_for_update(of=("self",)).filter(user=user).first()
    created = profile is None
    if profile is None:
        profile = Profile(user=user)
    before = {} if created else _profile_snapshot(profile)
    profile.full_name = full_name
    profile.phone = phone
    profile.region = region
    profile.languages = codes_field(languages)
    profile.availability = codes_field(
        [code for code in Availability.values if code in availability]
    )
    profile.about = _line(about or "", 500)
    if created or profile.consent_given_at is None:
        profile.consent_given_at = timezone.now()
    profile.updated_at = timezone.now()
    profile.save()
    profile.districts.set(districts)
    profile.skills.set(list(skills))
    after = _profile_snapshot(profile)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=profile,
        changes={key: [before.get(key), value] for key, value in after.items()
                 if before.get(key) != value},
        note="volunteer profile" if created else "",
    )  # fmt: skip
    return profile


def _profile_snapshot(profile: Profile) -> dict[str, Any]:
    return {
        "full_name": profile.full_name,
        "phone": profile.phone,
        "region": profile.region_id,
        "languages": profile.languages,
        "availability": profile.availability,
        "about": profile.about,
    }


# --- Calls -------------------------------------------------------------------------------------


def _purpose_of(
    *,
    actor: User,
    purpose: str,
    event: Event | None,
    project: CharityProject | None,
    help_request: HelpRequest | None,
) -> tuple[Event | None, CharityProject | None, HelpRequest | None, str]:
    """The record the call is for, checked against the actor's scope, and the title the public
    may read of a charity need."""
    if purpose not in Call.Purpose.values:
        raise VolunteerError(_("Choose what the call is for."), field="purpose")
    if purpose == Call.Purpose.EVENT:
        if event is None:
            raise VolunteerError(_("Choose the event volunteers are needed for."), field="event")
        if not policies.scoped(Event.objects.filter(pk=event.pk), actor).exists():
            raise VolunteerError(_("Choose an event of your bodies."), field="event")
        if event.status == Event.Status.CANCELLED:
            raise VolunteerError(_("This event is cancelled."), field="event")
        return event, None, None, ""
    if purpose == Call.Purpose.PROJECT:
        if project is None:
            raise VolunteerError(_("Choose the charity project."), field="project")
        if not policies.scoped(CharityProject.objects.filter(pk=project.pk), actor).exists():
            raise VolunteerError(_("Choose a charity project of your bodies."), field="project")
        return None, project, None, str(project.title)[:300]
    if purpose == Call.Purpose.NEED:
        if help_request is None:
            raise VolunteerError(_("Choose the request for help."), field="help_request")
        if not policies.scoped(HelpRequest.objects.filter(pk=help_request.pk), actor).exists():
            raise VolunteerError(
                _("Choose a request for help of your bodies."), field="help_request"
            )
        # Only what the centre published when it verified the request reaches the public.
        if not help_request.is_open_for_help or not help_request.public_need.strip():
            raise VolunteerError(
                _(
                    "Volunteers may be called only for a verified request open for help, whose "
                    "public description the centre has written."
                ),
                field="help_request",
            )
        return None, None, help_request, help_request.public_need.strip()[:300]
    return None, None, None, ""


@transaction.atomic
def call_save(
    *,
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    skills: Iterable[Skill] = (),
    call: Call | None = None,
) -> Call:
    """A call of a body in the actor's scope, for an event or charity need in scope, with a
    window in the future (for a new call) and no fewer places than volunteers confirmed."""
    if call is not None:
        call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
        policies.require(actor, "volunteers.change_call", call)
        if call.status == Call.Status.CANCELLED:
            raise VolunteerError(_("This call is cancelled: it can no longer be changed."))
    policies.require(actor, "volunteers.add_call", organisation)
    title_kk = _line(data.get("title_kk") or "", 300)
    if not title_kk:
        raise VolunteerError(_("Give the title in Kazakh."), field="title_kk")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts_at, datetime.datetime) or not isinstance(ends_at, datetime.datetime):
        raise VolunteerError(_("Give when the volunteers are needed."), field="starts_at")
    if ends_at <= starts_at:
        raise VolunteerError(_("The end must come after the start."), field="ends_at")
    if ends_at - starts_at > datetime.timedelta(days=31):
        raise VolunteerError(
            _("A call lasts at most 31 days: make one call per part of a longer action."),
            field="ends_at",
        )
    if call is None and ends_at <= timezone.now():
        raise VolunteerError(_("This time is already over."), field="ends_at")
    places = data.get("places")
    if not isinstance(places, int) or places < 1:
        raise VolunteerError(_("Give how many volunteers are needed."), field="places")
    if call is not None and places < call.confirmed_count:
        raise VolunteerError(
            ngettext(
                "%(count)s volunteer already has a place: give at least that many places.",
                "%(count)s volunteers already have a place: give at least that many places.",
                call.confirmed_count,
            )
            % {"count": call.confirmed_count},
            field="places",
        )
    region = data.get("region") or organisation.region
    if not isinstance(region, Region):
        raise VolunteerError(_("Choose the region."), field="region")
    district = data.get("district")
    if district is not None and district.region_id != region.pk:
        raise VolunteerError(_("Choose a district of the region."), field="district")
    event, project, help_request, need_title = _purpose_of(
        actor=actor,
        purpose=str(data.get("purpose") or Call.Purpose.OTHER),
        event=data.get("event"),
        project=data.get("project"),
        help_request=data.get("help_request"),
    )
    created = call is None
    if call is None:
        call = Call(organisation=organisation, created_by=actor)
    before = {} if created else _call_snapshot(call)
    call.organisation = organisation
    call.purpose = str(data.get("purpose") or Call.Purpose.OTHER)
    call.event, call.project, call.help_request, call.need_title = (
        event,
        project,
        help_request,
        need_title,
    )
    for lang in LANGS:
        setattr(call, f"title_{lang}", _line(data.get(f"title_{lang}") or "", 300))
        setattr(
            call,
            f"description_{lang}",
            _paragraphs(data.get(f"description_{lang}"), 5000),
        )
    call.title = title_kk
    call.places = places
    call.starts_at, call.ends_at = starts_at, ends_at
    call.region, call.district = region, district
    call.address = _line(data.get("address") or "", 300)
    call.updated_at = timezone.now()
    call.save()
    call.skills.set(list(skills))
    after = _call_snapshot(call)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=call,
        organisation_path=str(organisation.path),
        changes={key: [before.get(key), value] for key, value in after.items()
                 if before.get(key) != value},
    )  # fmt: skip
    if not created and call.status == Call.Status.OPEN:
        _promote_waitlist(call)
    transaction.on_commit(kpi.invalidate)
    return call


def _call_snapshot(call: Call) -> dict[str, Any]:
    return {
        "title": call.title,
        "places": call.places,
        "starts_at": call.starts_at.isoformat() if call.starts_at else None,
        "ends_at": call.ends_at.isoformat() if call.ends_at else None,
        "region": call.region_id,
        "district": call.district_id,
        "purpose": call.purpose,
        "event": call.event_id,
        "project": call.project_id,
        "help_request": call.help_request_id,
        "status": call.status,
    }


@transaction.atomic
def call_set_status(*, actor: User, call: Call, status: str, reason: str = "") -> Call:
    """Close a call to new sign-ups, reopen it before its end, or cancel it (volunteers with a
    place or on the waiting list are told)."""
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    policies.require(actor, "volunteers.change_call", call)
    if status not in Call.Status.values or status == call.status:
        raise VolunteerError(_("The call already has this status."))
    if call.status == Call.Status.CANCELLED:
        raise VolunteerError(_("This call is cancelled: it can no longer be changed."))
    if status == Call.Status.OPEN and call.ends_at <= timezone.now():
        raise VolunteerError(_("This call is over: it cannot be opened again."))
    if status == Call.Status.CANCELLED:
        if call.signups.filter(minutes__gt=0).exists():
            raise VolunteerError(
                _("Volunteers already have hours on this call: close it instead of cancelling.")
            )
        reason = _line(reason or "", 300)
        if not reason:
            raise VolunteerError(_("Give the reason for cancelling."), field="reason")
        for signup in call.signups.exclude(status=SignUp.Status.CANCELLED).select_related(
            "profile__user"
        ):
            _notify(signup, "cancelled", reason=reason)
    before = call.status
    call.status = status
    call.updated_at = timezone.now()
    call.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CLOSE if status != Call.Status.OPEN else AuditEntry.Action.UPDATE,
        obj=call,
        organisation_path=str(call.organisation.path),
        changes={"status": [before, status]},
        note=reason,
    )
    if status == Call.Status.OPEN:
        _promote_waitlist(call)
    transaction.on_commit(kpi.invalidate)
    return call


# --- Sign-ups ----------------------------------------------------------------------------------


def _take_place(call: Call) -> bool:
    """Take one place if one is free; the database itself checks the condition."""
    taken = Call.objects.filter(pk=call.pk, confirmed_count__lt=F("places")).update(
        confirmed_count=F("confirmed_count") + 1
    )
    return taken == 1


def _promote_waitlist(call: Call) -> int:
    """Fill free places from the waiting list, first signed up first."""
    if call.ends_at <= timezone.now():
        return 0
    promoted = 0
    waiting = (
        call.signups.filter(status=SignUp.Status.WAITLISTED)
        .select_related("profile__user")
        .order_by("created_at", "id")
    )
    for signup in waiting:
        if not _take_place(call):
            break
        signup.status = SignUp.Status.CONFIRMED
        signup.save(update_fields=["status"])
        Call.objects.filter(pk=call.pk).update(waitlist_count=F("waitlist_count") - 1)
        _notify(signup, "promoted")
        promoted += 1
    return promoted


NOTICES = {
    "confirmed": _("You have a place as a volunteer: %(title)s, %(when)s."),
    "waitlisted": _(
        "All places of the call %(title)s are taken: you are on the waiting list and will be "
        "told when a place frees."
    ),
    "promoted": _("A place freed: you now have a place as a volunteer: %(title)s, %(when)s."),
    "cancelled": _("The call %(title)s (%(when)s) is cancelled. Reason: %(reason)s"),
}


def _notify(signup: SignUp, what: str, *, reason: str = "") -> None:
    user = signup.profile.user
    language = user.language or "kk"
    channel, recipient = ("email", user.email) if user.email else ("sms", signup.profile.phone)
    if not recipient:
        return
    call = signup.call
    with translation.override(language):
        starts = timezone.localtime(call.starts_at)
        body = str(NOTICES[what]) % {
            "title": getattr(call, f"title_{language}", "") or call.title,
            "when": starts.strftime("%d.%m.%Y, %H:%M"),
            "reason": reason,
        }
        subject = gettext("Volunteering")
    notice_queue(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        key=f"volunteers:{what}:{signup.pk}",
        language=language,
        organisation_path=str(call.organisation.path),
    )


@transaction.atomic
def signup_create(*, user: User, call: Call) -> SignUp:
    """One place per volunteer and call, for a verified account with a profile; when the call
    is full, a place on the waiting list."""
    if not account_verified(user):
        raise VolunteerError(
            _("Confirm your phone or e-mail first: only a verified account may volunteer.")
        )
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        raise VolunteerError(_("Fill in your volunteer profile first."))
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.status != Call.Status.OPEN:
        raise VolunteerError(_("Sign-up for this call is closed."))
    if call.ends_at <= timezone.now():
        raise VolunteerError(_("This call is already over."))
    if call.signups.filter(profile=profile).exclude(status=SignUp.Status.CANCELLED).exists():
        raise VolunteerError(_("You have already signed up for this call."))
    confirmed = _take_place(call)
    if not confirmed:
        Call.objects.filter(pk=call.pk).update(waitlist_count=F("waitlist_count") + 1)
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                call=call,
                profile=profile,
                status=SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITLISTED,
            )
    except IntegrityError:
        # A second click of the same volunteer in the same instant: the constraint said no.
        raise VolunteerError(_("You have already signed up for this call.")) from None
    _notify(signup, "confirmed" if confirmed else "waitlisted")
    return signup


@transaction.atomic
def signup_cancel(*, user: User, signup: SignUp) -> SignUp:
    """A volunteer withdraws before being checked in; a freed place goes to the waiting list."""
    signup = (
        SignUp.objects.select_for_update(of=("self",)).select_related("profile").get(pk=signup.pk)
    )
    if signup.profile.user_id != user.pk:
        raise VolunteerError(_("This is not your sign-up."))
    call = Call.objects.select_for_update(of=("self",)).get(pk=signup.call_id)
    if signup.status == SignUp.Status.CANCELLED:
        raise VolunteerError(_("This sign-up is already cancelled."))
    if signup.checked_in_at is not None or signup.minutes:
        raise VolunteerError(_("You have already come: the hours given stay on your record."))
    was_confirmed = signup.status == SignUp.Status.CONFIRMED
    signup.status = SignUp.Status.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        Call.objects.filter(pk=call.pk).update(confirmed_count=F("confirmed_count") - 1)
        if call.status == Call.Status.OPEN:
            call.refresh_from_db(fields=["confirmed_count"])
            _promote_waitlist(call)
    else:
        Call.objects.filter(pk=call.pk).update(waitlist_count=F("waitlist_count") - 1)
    return signup


# --- Check-in, check-out and hours ---------------------------------------------------------------


def _locked_signup(actor: User, signup: SignUp) -> SignUp:
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("call", "call__organisation", "profile")
        .get(pk=signup.pk)
    )
    policies.require(actor, "volunteers.record_hours", signup.call)
    if signup.status != SignUp.Status.CONFIRMED:
        raise VolunteerError(_("Only a volunteer with a confirmed place can be checked in."))
    if signup.call.status == Call.Status.CANCELLED:
        raise VolunteerError(_("This call is cancelled."))
    return signup


def check_in_opens_at(call: Call) -> datetime.datetime:
    """Volunteers are checked in from VOLUNTEERS_CHECK_IN_OPENS_MINUTES before the start."""
    return call.starts_at - datetime.timedelta(minutes=_check_in_opens_minutes())


@transaction.atomic
def signup_check_in(*, actor: User, signup: SignUp, at: datetime.datetime | None = None) -> SignUp:
    """A volunteer arrives: once, not long before the call starts, not after it ends."""
    signup = _locked_signup(actor, signup)
    at = at or timezone.now()
    if signup.checked_in_at is not None:
        raise VolunteerError(
            _("%(name)s is already checked in.") % {"name": signup.profile.full_name}
        )
    if at < check_in_opens_at(signup.call):
        local = timezone.localtime(check_in_opens_at(signup.call))
        raise VolunteerError(
            _("Check-in opens at %(time)s on %(date)s.")
            % {"time": local.strftime("%H:%M"), "date": local.strftime("%d.%m.%Y")}
        )
    if at >= signup.call.ends_at:
        raise VolunteerError(
            _("The call is over: enter the hours of this volunteer with a reason instead.")
        )
    signup.checked_in_at = at
    signup.save(update_fields=["checked_in_at"])
    return signup


@transaction.atomic
def signup_check_out(*, actor: User, signup: SignUp, at: datetime.datetime | None = None) -> SignUp:
    """A volunteer leaves: the hours are the time between check-in and check-out that falls
    inside the call's window."""
    signup = _locked_signup(actor, signup)
    at = at or timezone.now()
    if signup.checked_in_at is None:
        raise VolunteerError(
            _("%(name)s is not checked in yet.") % {"name": signup.profile.full_name}
        )
    if signup.checked_out_at is not None:
        raise VolunteerError(
            _("%(name)s is already checked out.") % {"name": signup.profile.full_name}
        )
    at = max(at, signup.checked_in_at)
    signup.checked_out_at = at
    signup.minutes = queries.minutes_between(signup.call, signup.checked_in_at, at)
    signup.save(update_fields=["checked_out_at", "minutes"])
    transaction.on_commit(kpi.invalidate)
    return signup


@transaction.atomic
def signup_hours_set(*, actor: User, signup: SignUp, minutes: int, reason: str) -> SignUp:
    """Staff enter or correct a volunteer's hours afterwards: with a reason, never negative,
    never more than the call's window; each change is written to the audit log."""
    signup = _locked_signup(actor, signup)
    reason = _line(reason or "", 300)
    if not reason:
        raise VolunteerError(_("Give the reason for entering the hours."), field="reason")
    if not isinstance(minutes, int) or minutes < 0:
        raise VolunteerError(_("Hours cannot be negative."), field="hours")
    window = signup.call.window_minutes
    if minutes > window:
        raise VolunteerError(
            _("The call lasts %(hours)s h: no volunteer can have given more.")
            % {"hours": f"{window / 60:g}"},
            field="hours",
        )
    if signup.call.starts_at > timezone.now():
        raise VolunteerError(_("The call has not started yet."), field="hours")
    before = signup.minutes
    signup.minutes = minutes
    signup.hours_reason = reason
    signup.save(update_fields=["minutes", "hours_reason"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=signup,
        organisation_path=str(signup.call.organisation.path),
        changes={"minutes": [before, minutes]},
        note=reason,
    )
    transaction.on_commit(kpi.invalidate)
    return signup


# --- The yearly record ---------------------------------------------------------------------------


@transaction.atomic
def year_record_issue(*, profile: Profile, year: int) -> YearRecord:
    """The numbered record of a year's hours: the valid one when the hours are unchanged,
    otherwise a new number that supersedes it."""
    profile = Profile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    totals = queries.year_total(profile, year)
    if not totals.minutes:
        raise VolunteerError(_("No hours are recorded for this year."))
    current = YearRecord.objects.select_for_update(of=("self",)).filter(
        profile=profile, year=year, superseded_at__isnull=True
    )
    record = current.first()
    if record is not None and (record.minutes, record.calls) == (totals.minutes, totals.calls):
        return record
    if record is not None:
        record.superseded_at = timezone.now()
        record.save(update_fields=["superseded_at"])
    serial = sequences.next_number(RECORD_SCOPE, year)
    return YearRecord.objects.create(
        profile=profile,
        year=year,
        number=f"V-{year}-{serial:06d}",
        minutes=totals.minutes,
        calls=totals.calls,
    )
