"""Demo volunteers: verified participant accounts with volunteer profiles, calls of the houses
of friendship for their demo events and of the «Жомарт жан» centres for their projects,
sign-ups with waiting lists, and the hours of the calls already held.

Deterministic from ``seed``; proportional to ``scale`` (1.0: about 3,000 volunteers and 1,200
calls a year). Everything is written with ``bulk_create`` (counters computed beforehand)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from birlik.access.models import User
from birlik.charity.models import Project as CharityProject
from birlik.events.models import Event
from birlik.geo.models import District, Region
from birlik.volunteers.models import Availability, Call, Profile, SignUp, Skill

from .names import (
    KAZAKH_FEMALE_FIRST,
    KAZAKH_MALE_FIRST,
    KAZAKH_SURNAMES,
    RUSSIAN_FEMALE_FIRST,
    RUSSIAN_MALE_FIRST,
    RUSSIAN_SURNAMES,
)

VOLUNTEERS = 3000
EVENT_CALLS = 1000
PROJECT_CALLS = 200
BATCH = 2000

CALL_TITLES = (
    ("Іс-шараға волонтерлер қажет", "Нужны волонтеры на мероприятие",
     "Volunteers wanted for an event"),
    ("Қатысушыларды қарсы алу", "Встреча участников", "Welcoming the participants"),
    ("Сахна мен залды дайындау", "Подготовка сцены и зала", "Setting up the stage and the hall"),
)  # fmt: skip
NEED_TITLES = (
    ("Көмекті тарату", "Раздача помощи", "Handing out aid"),
    ("Егде адамдарға азық-түлік жеткізу", "Доставка продуктов пожилым людям",
     "Delivering food to older people"),
    ("Мектеп керек-жарақтарын жинау", "Сбор школьных принадлежностей", "Collecting school kits"),
)  # fmt: skip


def demo_volunteers_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo volunteers once; returns {what: count}, or {} when they were there."""
    if Profile.objects.exists() or Call.objects.exists():
        return {}
    regions = list(Region.objects.order_by("kato"))
    if not regions:
        return {}
    with transaction.atomic():
        return _seed(regions, scale=scale, seed=seed)


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.55
    if rng.random() < 0.7:
        first = rng.choice(KAZAKH_FEMALE_FIRST if female else KAZAKH_MALE_FIRST)
        surname = rng.choice(KAZAKH_SURNAMES)[1 if female else 0]
    else:
        first = rng.choice(RUSSIAN_FEMALE_FIRST if female else RUSSIAN_MALE_FIRST)
        surname = rng.choice(RUSSIAN_SURNAMES)[1 if female else 0]
    return f"{surname} {first}"


def _seed(regions: list[Region], *, scale: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 53 + 17)
    now = timezone.now()
    districts: dict[int, list[int]] = defaultdict(list)
    for pk, region_id in District.objects.values_list("pk", "region_id").order_by("pk"):
        districts[region_id].append(pk)
    skills = list(Skill.objects.filter(is_active=True).values_list("pk", flat=True))

    # Accounts and profiles: verified by phone, no usable password (demo logins are staff).
    count = max(20, round(VOLUNTEERS * scale))
    unusable = make_password(None)
    users = [
        User(
            username=f"volunteer-{seed}-{index:06d}",
            password=unusable,
            full_name=_name(rng),
            language=rng.choice(("kk", "kk", "ru")),
            phone=f"+7701{rng.randrange(10**7):07d}",
            phone_verified_at=now - datetime.timedelta(days=rng.randrange(30, 400)),
        )
        for index in range(count)
    ]
    users = User.objects.bulk_create(users, batch_size=BATCH)
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                full_name=user.full_name,
                phone=user.phone,
                region=rng.choice(regions),
                languages=rng.choice((",kk,", ",kk,ru,", ",ru,kk,en,", ",kk,ru,uz,")),
                availability=","
                + ",".join(sorted(rng.sample(list(Availability.values), rng.randint(1, 3))))
                + ",",
                consent_given_at=user.phone_verified_at or now,
            )
            for user in users
        ],
        batch_size=BATCH,
    )
    skill_links: Any = Profile.skills.through
    district_links: Any = Profile.districts.through
    skill_rows: list[Any] = []
    district_rows: list[Any] = []
    by_region: dict[int, list[Profile]] = defaultdict(list)
    for profile in profiles:
        by_region[profile.region_id].append(profile)
        for skill in rng.sample(skills, min(len(skills), rng.randint(1, 3))):
            skill_rows.append(skill_links(profile_id=profile.pk, skill_id=skill))
        choices = districts.get(profile.region_id) or []
        for district in rng.sample(choices, min(len(choices), rng.randint(0, 2))):
            district_rows.append(district_links(profile_id=profile.pk, district_id=district))
    skill_links.objects.bulk_create(skill_rows, batch_size=BATCH)
    district_links.objects.bulk_create(district_rows, batch_size=BATCH)

    # Calls: for events of the houses of friendship, and for the charity centres' projects.
    wanted = max(4, round(EVENT_CALLS * scale))
    events = list(
        Event.objects.filter(organiser__kind__code="house_of_friendship")
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "id")
        .values_list("pk", "organiser_id", "region_id", "district_id", "starts_at", "ends_at")
    )
    events = rng.sample(events, min(len(events), wanted))
    projects = list(
        CharityProject.objects.select_related("centre")
        .order_by("pk")
        .values_list("pk", "centre_id", "centre__region_id", "title_kk", "starts_on", "ends_on")
    )
    projects = rng.sample(projects, min(len(projects), max(2, round(PROJECT_CALLS * scale))))
    calls: list[Call] = []
    for event_id, organiser_id, region_id, district_id, starts_at, ends_at in events:
        kk, ru, en = rng.choice(CALL_TITLES)
        start = starts_at - datetime.timedelta(hours=1)
        end = max(ends_at, start + datetime.timedelta(hours=2))
        end = min(end, start + datetime.timedelta(hours=10))
        calls.append(
            Call(
                organisation_id=organiser_id,
                purpose=Call.Purpose.EVENT,
                event_id=event_id,
                title=kk, title_kk=kk, title_ru=ru, title_en=en,
                places=rng.randint(4, 15),
                starts_at=start, ends_at=end,
                region_id=region_id, district_id=district_id,
            )
        )  # fmt: skip
    for project_id, centre_id, region_id, title, starts_on, ends_on in projects:
        if region_id is None:
            continue
        kk, ru, en = rng.choice(NEED_TITLES)
        span = max((ends_on - starts_on).days, 1)
        day = starts_on + datetime.timedelta(days=rng.randrange(span))
        start = datetime.datetime.combine(
            day, datetime.time(rng.choice((10, 11, 14))), tzinfo=timezone.get_current_timezone()
        )
        calls.append(
            Call(
                organisation_id=centre_id,
                purpose=Call.Purpose.PROJECT,
                project_id=project_id,
                need_title=str(title or "")[:300],
                title=kk, title_kk=kk, title_ru=ru, title_en=en,
                places=rng.randint(3, 10),
                starts_at=start, ends_at=start + datetime.timedelta(hours=rng.choice((3, 4, 5))),
                region_id=region_id,
            )
        )  # fmt: skip

    # Sign-ups: volunteers of the call's region; the calls already over have their hours.
    signups: list[SignUp] = []
    everyone = profiles
    for call in calls:
        pool = by_region.get(call.region_id) or everyone
        over = call.ends_at <= now
        if over:
            call.status = Call.Status.CLOSED
        wanted_people = min(len(pool), call.places + rng.randint(-2, 3))
        chosen = rng.sample(pool, max(wanted_people, 0))
        confirmed = chosen[: call.places]
        waiting = [] if over else chosen[call.places :]
        call.confirmed_count, call.waitlist_count = len(confirmed), len(waiting)
        for profile in confirmed:
            row = SignUp(profile=profile, status=SignUp.Status.CONFIRMED)
            row.created_at = call.starts_at - datetime.timedelta(days=rng.randint(1, 14))
            if over and rng.random() < 0.9:
                arrive = call.starts_at + datetime.timedelta(minutes=rng.randint(-20, 30))
                leave = call.ends_at + datetime.timedelta(minutes=rng.randint(-60, 20))
                row.checked_in_at, row.checked_out_at = arrive, max(leave, arrive)
                start, end = max(arrive, call.starts_at), min(leave, call.ends_at)
                row.minutes = max(int((end - start).total_seconds() // 60), 0)
            signups.append(row)
        for profile in waiting:
            row = SignUp(profile=profile, status=SignUp.Status.WAITLISTED)
            row.created_at = call.starts_at - datetime.timedelta(days=1)
            signups.append(row)
        call.__dict__["_demo_signups"] = len(confirmed) + len(waiting)
    calls = Call.objects.bulk_create(calls, batch_size=BATCH)
    position = 0
    for call in calls:
        taken = call.__dict__.pop("_demo_signups")
        for row in signups[position : position + taken]:
            row.call_id = call.pk
        position += taken
    SignUp.objects.bulk_create(signups, batch_size=BATCH)
    return {
        "volunteers": len(profiles),
        "volunteer calls": len(calls),
        "volunteer sign-ups": len(signups),
    }
