"""Demo programmes (slice ``programmes``): the bodies that take part in each programme, the
programmes' partners and the national plans' targets per region for a few programmes.

Bodies join the programmes whose events they organised (from the day before their first such
event) and, programme by programme, a share of the kinds of body that plausibly run it (Мың бала:
houses of friendship and ethnocultural associations; the state-language programmes: houses and
associations; the youth projects: youth movements, branches and student assemblies). A few have
left. Deterministic from ``seed``; proportional to the bodies of the demo network.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

# (username, description) of the demo logins this module creates: none (the core demo's
# national administrator and coordinators manage programmes).
LOGINS: list[tuple[str, str]] = []

# programme code → (kinds of body that join it, the share of those bodies that do)
JOINING: dict[str, tuple[tuple[str, ...], float]] = {
    "myn_bala": (("house_of_friendship", "ethnocultural_association"), 0.35),
    "zhenis_birlikte": (("house_of_friendship", "elders_council", "youth_branch"), 0.25),
    "labour_assembly": (("elders_council", "district_assembly"), 0.15),
    "inclusive_assembly": (("house_of_friendship", "charity_centre"), 0.5),
    "uide_soile": (("ethnocultural_association", "mothers_council"), 0.2),
    "language_courses": (("house_of_friendship",), 0.6),
    "state_language_interethnic": (("house_of_friendship", "ethnocultural_association"), 0.3),
    "uly_dala_tili": (("ethnocultural_association",), 0.2),
    "green_certificate": (("mothers_council",), 0.7),
    "zhana_tolqyn": (("youth_movement", "youth_branch", "student_assembly"), 0.4),
    "jastar_generation": (("youth_movement", "youth_branch", "student_assembly"), 0.3),
    "leaders_school": (("youth_movement", "youth_branch"), 0.25),
    "creative_festivals": (("creative_collective", "ethnocultural_association"), 0.3),
    "theatre_festival": (("creative_collective",), 0.2),
}
# The year each programme started (the ones the issue names as recent are recent).
FIRST_YEARS = {
    "myn_bala": 2019,
    "zhenis_birlikte": 2020,
    "labour_assembly": 2021,
    "inclusive_assembly": 2022,
    "uide_soile": 2021,
    "green_certificate": 2023,
    "state_language_interethnic": 2020,
    "uly_dala_tili": 2024,
    "zhana_tolqyn": 2022,
    "jastar_generation": 2023,
    "leaders_school": 2021,
    "digital_assembly": 2024,
    "creative_solutions": 2025,
}
# Partners from the state bodies' catalogue: programme → [(code of the state body, role kk,
# ru, en)]; "akimat-*" stands for the akimats of a few regions.
STATE_PARTNERS: dict[str, list[tuple[str, str, str, str]]] = {
    "green_certificate": [],  # the Ministry of Internal Affairs comes from the catalogue
    "creative_festivals": [
        (
            "ministry-culture_information",
            "Фестивальдерді қолдау",
            "Поддержка фестивалей",
            "Supports the festivals",
        )
    ],
    "theatre_festival": [
        (
            "ministry-culture_information",
            "Театр фестивалін ұйымдастыруға қатысу",
            "Участие в организации театрального фестиваля",
            "Takes part in organising the theatre festival",
        )
    ],
    "state_language_interethnic": [
        (
            "ministry-science_higher_education",
            "Тіл оқыту әдістемесі",
            "Методика обучения языку",
            "Methods of language teaching",
        )
    ],
    "labour_assembly": [
        (
            "ministry-labour_social_protection",
            "Еңбек ұжымдарымен байланыс",
            "Связь с трудовыми коллективами",
            "Liaison with work collectives",
        )
    ],
    "myn_bala": [
        (
            "akimat-*",
            "Өңірдегі балаларға арналған іс-шараларға алаң беру",
            "Площадки для мероприятий для детей в регионе",
            "Venues for the children's events in the region",
        )
    ],
    "inclusive_assembly": [
        (
            "ministry-labour_social_protection",
            "Мүгедектігі бар адамдарды қолдау",
            "Поддержка людей с инвалидностью",
            "Support of people with disabilities",
        )
    ],
}
# Organisations outside the Assembly: (names kk/ru/en, kind, website, programmes with role)
OUTSIDE_PARTNERS = (
    (
        ("«Qazaqstan» ұлттық телеарнасы", "Национальный телеканал «Qazaqstan»", "Qazaqstan TV"),
        "media",
        "",
        ("zhenis_birlikte", "creative_festivals"),
        ("Ақпараттық серіктес", "Информационный партнёр", "Media partner"),
    ),
    (
        (
            "Л.Н. Гумилев атындағы Еуразия ұлттық университеті",
            "Евразийский национальный университет имени Л.Н. Гумилева",
            "L.N. Gumilyov Eurasian National University",
        ),
        "university",
        "",
        ("leaders_school", "zhana_tolqyn"),
        ("Оқыту алаңы", "Учебная площадка", "Teaching venue"),
    ),
    (
        ("«Мейірім» қоғамдық қоры", "Общественный фонд «Мейірім»", "Meirim Public Foundation"),
        "ngo",
        "",
        ("inclusive_assembly", "myn_bala"),
        ("Еріктілер мен демеушілер", "Волонтёры и спонсоры", "Volunteers and sponsors"),
    ),
)
# Programmes and indicators with targets per region in the demo national plans.
TARGET_PROGRAMMES = ("myn_bala", "green_certificate", "state_language_interethnic", "zhana_tolqyn")
TARGET_INDICATORS = ("events.programme_events", "events.programme_bodies")


def demo_programmes_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo programmes' memberships, partners and targets once; returns {what: count},
    or {} when they were there."""
    from birlik.appeals.models import StateBody
    from birlik.events.loader import load_programme_details
    from birlik.events.models import (
        Event,
        PartnerOrganisation,
        Programme,
        ProgrammeMembership,
        ProgrammePartner,
    )
    from birlik.registry.models import Organisation

    if ProgrammeMembership.objects.exists():
        return {}
    if not Organisation.objects.exists():
        return {}
    rng = random.Random(seed * 53 + 17)
    today = timezone.localdate()
    earliest = datetime.date(today.year - 1, 1, 1)
    with transaction.atomic():
        load_programme_details(Programme, Organisation, StateBody)
        programmes = {p.code: p for p in Programme.objects.all()}
        for code, year in FIRST_YEARS.items():
            if code in programmes and programmes[code].first_year is None:
                Programme.objects.filter(pk=programmes[code].pk).update(first_year=year)
        # Bodies that organised a programme's events take part in it from before the first one.
        joined: dict[tuple[int, int], datetime.date] = {}
        pairs = (
            Event.objects.filter(programme__isnull=False)
            .values("programme_id", "organiser_id")
            .annotate(first=Min("starts_at"))
            .order_by("programme_id", "organiser_id")
        )
        for pair in pairs:
            first = timezone.localtime(pair["first"]).date()
            day = max(first - datetime.timedelta(days=rng.randint(1, 90)), earliest)
            joined[(pair["programme_id"], pair["organiser_id"])] = min(day, first)
        bodies = list(
            Organisation.objects.filter(status=Organisation.Status.ACTIVE)
            .values_list("pk", "kind__code")
            .order_by("pk")
        )
        span = (today - earliest).days
        for code, (kinds, share) in JOINING.items():
            programme = programmes.get(code)
            if programme is None:
                continue
            for pk, kind in bodies:
                key = (programme.pk, pk)
                if kind in kinds and key not in joined and rng.random() < share:
                    joined[key] = earliest + datetime.timedelta(days=rng.randint(0, span))
        rows = []
        for (programme_id, organisation_id), day in sorted(joined.items()):
            left_on = None
            if rng.random() < 0.04 and (today - day).days > 60:
                left_on = day + datetime.timedelta(days=rng.randint(30, (today - day).days - 1))
            rows.append(
                ProgrammeMembership(
                    programme_id=programme_id,
                    organisation_id=organisation_id,
                    joined_on=day,
                    left_on=left_on,
                )
            )
        ProgrammeMembership.objects.bulk_create(rows, batch_size=2000)

        partners = _partners(rng, programmes, StateBody, PartnerOrganisation, ProgrammePartner)
        targets = _targets(rng, programmes)
    return {
        "programme memberships": len(rows),
        "programme partners": partners,
        "programme targets": targets,
    }


def _partners(
    rng: random.Random,
    programmes: dict[str, Any],
    state_body_model: type,
    organisation_model: type,
    partner_model: type,
) -> int:
    today = timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    bodies = {body.code: body for body in state_body_model.objects.filter(district__isnull=True)}  # type: ignore[attr-defined]
    akimats = sorted(code for code in bodies if code.startswith("akimat-"))
    rows = []
    for code, links in STATE_PARTNERS.items():
        programme = programmes.get(code)
        if programme is None:
            continue
        for body_code, kk, ru, en in links:
            chosen = (
                rng.sample(akimats, min(4, len(akimats)))
                if body_code == "akimat-*"
                else [body_code]
            )
            for item in chosen:
                if item not in bodies:
                    continue
                rows.append(
                    partner_model(
                        programme=programme,
                        state_body=bodies[item],
                        role=kk,
                        role_kk=kk,
                        role_ru=ru,
                        role_en=en,
                        starts_on=start,
                    )
                )
    for names, kind, website, codes, roles in OUTSIDE_PARTNERS:
        organisation = organisation_model.objects.create(  # type: ignore[attr-defined]
            name=names[0],
            name_kk=names[0],
            name_ru=names[1],
            name_en=names[2],
            kind=kind,
            website=website,
        )
        for code in codes:
            if code in programmes:
                rows.append(
                    partner_model(
                        programme=programmes[code],
                        organisation=organisation,
                        role=roles[0],
                        role_kk=roles[0],
                        role_ru=roles[1],
                        role_en=roles[2],
                        starts_on=start + datetime.timedelta(days=rng.randint(0, 200)),
                    )
                )
    partner_model.objects.bulk_create(rows)  # type: ignore[attr-defined]
    return len(rows)


def _targets(rng: random.Random, programmes: dict[str, Any]) -> int:
    """Targets per region (and the nation's sum) of a few programmes in the demo plans, set
    so that the actual figures land between about 80 % and 120 % of them."""
    from birlik.core import kpi
    from birlik.geo.models import Region
    from birlik.reports.models import Plan, Target

    today = timezone.localdate()
    region_ids = dict(Region.objects.values_list("iso", "pk"))
    rows = []
    for plan in Plan.objects.filter(year__in=(today.year - 1, today.year)):
        period = kpi.Period.year(plan.year)
        elapsed = (
            min(1.0, ((today - period.start).days + 1) / 365) if plan.year == today.year else 1.0
        )
        for key in TARGET_INDICATORS:
            computed = kpi.compute(key, period)
            for code in TARGET_PROGRAMMES:
                programme = programmes.get(code)
                if programme is None:
                    continue
                national = 0
                for row in computed:
                    if row["programme"] != code or row["region"] == "none":
                        continue
                    # Bodies are a stock, events a flow: only a flow is scaled to the year.
                    value = row["value"] / (max(elapsed, 0.05) if key.endswith("events") else 1)
                    target = round(value / rng.uniform(0.8, 1.2))
                    if target <= 0:
                        continue
                    national += target
                    rows.append(
                        Target(
                            plan=plan,
                            indicator=key,
                            region_id=region_ids[row["region"]],
                            programme=programme,
                            value=Decimal(target),
                        )
                    )
                if national:
                    rows.append(
                        Target(plan=plan, indicator=key, programme=programme, value=national)
                    )
    Target.objects.bulk_create(rows)
    return len(rows)
