"""The world of the URL matrix: the demo's roles on a Pavlodar/Almaty network, and for every
kind of record one in Pavlodar (in scope), one in Almaty (out of scope) and, for confidential
records, one in Pavlodar on which the user is not named.

Every confidential record carries a marker (a party's, beneficiary's, donor's or applicant's
name) that only the users named on it may ever read: ``World.entitled`` says who they are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from birlik.access.models import Role, User
from birlik.registry.models import Organisation

from ..factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    district_of,
    kind,
    region,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
    "f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082"
)

# The demo's roles (src/birlik/demo/services.py DEMO_USERS, demo/mediation.py and charity.py
# LOGINS), with the mediation and charity roles placed in Pavlodar.
ROLES = (
    "anonymous",
    "admin",  # national administrator on the root, and a Django superuser as in the demo
    "analyst",
    "auditor",
    "coordinator_pavlodar",
    "coordinator_almaty",
    "staff_house",  # body staff of the Pavlodar house of friendship
    "staff_elders",  # body staff of a district council of elders in Pavlodar Region
    "mediator",  # a mediator of the Pavlodar mediation centre (body staff of it)
    "centre_head",  # head of the Pavlodar mediation centre
    "caseworker",  # body staff of the Pavlodar «Жомарт жан» centre, named on request A
    "charity_head",  # head of the Pavlodar «Жомарт жан» centre
)

# Markers of confidential records (names nobody else in the world bears).
MEDIATION_PARTY = {
    "pav": "Құпиябеков Ахмет",
    "pav_other": "Жасырынова Бибігүл",
    "alm": "Тасаланов Серік",
}
BENEFICIARY = {
    "pav": "Мейірімова Айгүл",
    "pav_other": "Қамқорова Балжан",
    "alm": "Шапағатов Санжар",
}
DONOR = {"pav": "Донорбаев Жомарт", "alm": "Сыйлықов Ерасыл"}
APPLICANT = {"pav": "Өтінішбаев Арман", "pav_other": "Арызбекова Бота", "alm": "Шағымов Дәурен"}
APPEAL_TEXT = {
    "pav": "Көпірді жөндеу туралы құпия өтініш Альфа",
    "pav_other": "Су құбыры туралы құпия өтініш Бета",
    "alm": "Жол белгісі туралы құпия өтініш Гамма",
}


@dataclass
class World:
    users: dict[str, User]
    bodies: dict[str, Organisation]
    # objects[kind][variant]: the records the URL kwargs are filled from
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    # marker → the roles that may read it
    entitled: dict[str, frozenset[str]] = field(default_factory=dict)
    # role → the key of a session signed in as it
    sessions: dict[str, str] = field(default_factory=dict)


def _user(name: str, role: str | None, organisation: Organisation | None, **extra: Any) -> User:
    user = UserFactory(username=name, email=f"{name}@example.kz", **extra)
    if role is not None and organisation is not None:
        GrantFactory(user=user, role=role, organisation=organisation)
    return user


def _network() -> dict[str, Organisation]:
    root = OrganisationFactory(kind=kind("secretariat"), name_en="Secretariat")
    pav = OrganisationFactory(
        parent=root, kind=kind("regional_assembly"), region=region("KZ-55"), name_en="Pavlodar"
    )
    pav_house = OrganisationFactory(
        parent=pav, kind=kind("house_of_friendship"), region=region("KZ-55"), name_en="PavHouse"
    )
    pav_elders = OrganisationFactory(
        parent=pav,
        kind=kind("elders_council"),
        region=region("KZ-55"),
        district=district_of("KZ-55"),
        name_en="PavElders",
    )
    alm = OrganisationFactory(
        parent=root, kind=kind("city_assembly"), region=region("KZ-75"), name_en="Almaty"
    )
    alm_house = OrganisationFactory(
        parent=alm, kind=kind("house_of_friendship"), region=region("KZ-75"), name_en="AlmHouse"
    )
    pav_mediation = OrganisationFactory(
        parent=pav, kind=kind("mediation_centre"), region=region("KZ-55"), name_en="PavMed"
    )
    alm_mediation = OrganisationFactory(
        parent=alm, kind=kind("mediation_centre"), region=region("KZ-75"), name_en="AlmMed"
    )
    pav_charity = OrganisationFactory(
        parent=pav, kind=kind("charity_centre"), region=region("KZ-55"), name_en="PavCharity"
    )
    alm_charity = OrganisationFactory(
        parent=alm, kind=kind("charity_centre"), region=region("KZ-75"), name_en="AlmCharity"
    )
    return {
        "root": root,
        "pav": pav,
        "pav_house": pav_house,
        "pav_elders": pav_elders,
        "alm": alm,
        "alm_house": alm_house,
        "pav_mediation": pav_mediation,
        "alm_mediation": alm_mediation,
        "pav_charity": pav_charity,
        "alm_charity": alm_charity,
    }


def _users(b: dict[str, Organisation]) -> dict[str, User]:
    users = {
        "admin": _user("admin", Role.NATIONAL_ADMIN, b["root"], is_staff=True, is_superuser=True),
        "analyst": _user("analyst", Role.ANALYST, b["root"]),
        "auditor": _user("auditor", Role.AUDITOR, b["root"]),
        "coordinator_pavlodar": _user("coordinator_pavlodar", Role.REGIONAL_COORDINATOR, b["pav"]),
        "coordinator_almaty": _user("coordinator_almaty", Role.REGIONAL_COORDINATOR, b["alm"]),
        "staff_house": _user("staff_house", Role.BODY_STAFF, b["pav_house"]),
        "staff_elders": _user("staff_elders", Role.BODY_STAFF, b["pav_elders"]),
        "mediator": _user("mediator", Role.BODY_STAFF, b["pav_mediation"]),
        "centre_head": _user("centre_head", Role.CENTRE_HEAD, b["pav_mediation"]),
        "caseworker": _user("caseworker", Role.BODY_STAFF, b["pav_charity"]),
        "charity_head": _user("charity_head", Role.CENTRE_HEAD, b["pav_charity"]),
    }
    # Staff of the world who are not among the matrix's roles.
    users["mediator_other"] = _user("mediator_other", Role.BODY_STAFF, b["pav_mediation"])
    users["alm_mediation_head"] = _user("alm_mediation_head", Role.CENTRE_HEAD, b["alm_mediation"])
    users["colleague"] = _user("colleague", Role.BODY_STAFF, b["pav_charity"])
    users["alm_charity_worker"] = _user("alm_charity_worker", Role.BODY_STAFF, b["alm_charity"])
    users["staff_alm_house"] = _user("staff_alm_house", Role.BODY_STAFF, b["alm_house"])
    return users


def _events(w: World) -> None:
    from birlik.events import services
    from birlik.events.models import Audience, Event

    admin = w.users["admin"]
    events, registrations, attachments = {}, {}, {}
    for variant, organiser in (("pav", "pav_house"), ("alm", "alm_house")):
        starts = timezone.now() + datetime.timedelta(days=7)
        event = services.event_create(
            actor=admin,
            organiser=w.bodies[organiser],
            data={
                "title_kk": f"Достық кеші {variant}",
                "title_en": f"Friendship evening {variant}",
                "kind": Event.Kind.MEETING,
                "address_kk": "Достық көшесі, 1",
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=2),
                "languages": ["kk", "ru"],
            },
            audiences=Audience.objects.none(),
        )
        event = services.event_publish(actor=admin, event=event)
        events[variant] = event
        registrations[variant] = services.registration_create(
            event=event, full_name=f"Қатысушы {variant}", phone="+77010000011", consent=True
        )
        attachments[variant] = services.attachment_add(
            actor=admin,
            event=event,
            uploaded_file=SimpleUploadedFile("photo.png", PNG, "image/png"),
            kind="photo",
        )
    w.objects["event"] = events
    w.objects["registration"] = registrations
    w.objects["event_attachment"] = attachments


def _appeals(w: World) -> None:
    from birlik.appeals import services
    from birlik.appeals.models import Appeal, StateBody

    appeals, attachments = {}, {}
    for variant, body in (("pav", "pav_house"), ("pav_other", "pav_house"), ("alm", "alm_house")):
        appeal = services.appeal_register(
            organisation=w.bodies[body],
            kind=Appeal.Kind.REQUEST,
            text=APPEAL_TEXT[variant],
            language="kk",
            applicant_name=APPLICANT[variant],
            applicant_phone="+77011234567",
            consent=True,
            attachments=[SimpleUploadedFile("scan.pdf", PDF, "application/pdf")],
        )
        appeals[variant] = appeal
        attachments[variant] = appeal.attachments.get()
    services.appeal_take_on(actor=w.users["staff_house"], appeal=appeals["pav"])
    services.appeal_take_on(actor=w.users["staff_alm_house"], appeal=appeals["alm"])
    w.objects["appeal"] = appeals
    w.objects["appeal_attachment"] = attachments
    w.entitled[APPLICANT["pav"]] = frozenset({"staff_house"})
    w.entitled[APPEAL_TEXT["pav"]] = frozenset({"staff_house"})
    for variant in ("pav_other", "alm"):
        w.entitled[APPLICANT[variant]] = frozenset()
        w.entitled[APPEAL_TEXT[variant]] = frozenset()

    state_body = StateBody.objects.order_by("pk").first()
    proposals = {}
    for variant, body, actor in (
        ("pav", "pav_house", "staff_house"),
        ("alm", "alm_house", "staff_alm_house"),
    ):
        proposals[variant] = services.proposal_draft(
            actor=w.users[actor],
            organisation=w.bodies[body],
            state_body=state_body,
            title=f"Ұсыныс {variant}",
            text="Мектеп жанынан жаяу жүргінші өткелін салу",
        )
    w.objects["proposal"] = proposals


def _mediation(w: World) -> None:
    from birlik.mediation import services
    from birlik.mediation.models import Mediator

    def mediator(centre: str, user: User | None, surname: str) -> Mediator:
        return Mediator.objects.create(
            person=PersonFactory(registered_by=w.bodies[centre], last_name=surname),
            centre=w.bodies[centre],
            user=user,
            professional=True,
            languages=["kk", "ru"],
            specialisations=["family"],
            registered_on=datetime.date(2024, 1, 10),
        )

    ours = mediator("pav_mediation", w.users["mediator"], "Бітімгеров")
    other = mediator("pav_mediation", w.users["mediator_other"], "Татуласов")
    almaty = mediator("alm_mediation", None, "Келісімов")
    cases, documents = {}, {}
    for variant, centre, head, assigned in (
        ("pav", "pav_mediation", "centre_head", ours),
        ("pav_other", "pav_mediation", "centre_head", other),
        ("alm", "alm_mediation", "alm_mediation_head", almaty),
    ):
        case = services.case_open(
            actor=w.users[head],
            centre=w.bodies[centre],
            kind="family",
            source="walk_in",
            parties=[
                services.PartyData(
                    name=MEDIATION_PARTY[variant], phone="+77010000001", is_applicant=True
                ),
                services.PartyData(name="Екінші Тарап"),
            ],
            language="kk",
            description="Отбасылық дау",
            consent=True,
        )
        services.case_assign(actor=w.users[head], case=case, mediator=assigned)
        cases[variant] = case
        documents[variant] = services.document_upload(
            actor=w.users[head], case=case, file=SimpleUploadedFile("signed.pdf", PDF)
        )
    w.objects["mediation_case"] = cases
    w.objects["mediation_document"] = documents
    w.objects["mediator"] = {"pav": ours, "alm": almaty}
    w.entitled[MEDIATION_PARTY["pav"]] = frozenset({"mediator", "centre_head"})
    w.entitled[MEDIATION_PARTY["pav_other"]] = frozenset({"centre_head"})
    w.entitled[MEDIATION_PARTY["alm"]] = frozenset()


def _charity(w: World) -> None:
    from birlik.charity import services
    from birlik.charity.models import Category, HelpRequest, Kind

    def project(centre: str) -> Any:
        return services.project_create(
            actor=None,
            centre=w.bodies[centre],
            title_kk="Мектепке жол",
            title_ru="Дорога в школу",
            title_en="Road to school",
            category=Category.CHILDREN,
            budget=1_000_000,
            starts_on=datetime.date(2026, 8, 1),
            ends_on=datetime.date(2027, 12, 31),
            sources=["own"],
        )

    projects = {"pav": project("pav_charity"), "alm": project("alm_charity")}
    requests, documents, donations, distributions, pledges = {}, {}, {}, {}, {}
    for variant, centre, worker in (
        ("pav", "pav_charity", "caseworker"),
        ("pav_other", "pav_charity", "colleague"),
        ("alm", "alm_charity", "alm_charity_worker"),
    ):
        actor = w.users[worker]
        help_request = services.request_register(
            centre=w.bodies[centre],
            source=HelpRequest.Source.CENTRE,
            category=Category.CHILDREN,
            need="Мектепке дайындық: рюкзак, кітаптар",
            region=w.bodies[centre].region,
            district=district_of(w.bodies[centre].region.iso),
            amount=60_000,
            beneficiary_name=BENEFICIARY[variant],
            beneficiary_phone="+77015550101",
            beneficiary_address="Торайғыров к-сі, 12",
            consent=True,
            actor=actor,
        )
        documents[variant] = services.document_add(
            actor=actor,
            help_request=help_request,
            file=SimpleUploadedFile("v.pdf", PDF, "application/pdf"),
        )
        services.request_record_visit(
            actor=actor,
            help_request=help_request,
            visit_on=timezone.localdate(),
            note="Отбасы үйде тұрады",
        )
        services.request_verify(
            actor=actor, help_request=help_request, public_need="Мектепке дайындық"
        )
        help_request = services.request_attach(
            actor=actor, help_request=help_request, project=projects[variant[:3]]
        )
        requests[variant] = help_request
        if variant != "pav_other":
            donations[variant] = services.donation_record(
                actor=actor,
                project=projects[variant],
                kind=Kind.MONEY,
                amount=100_000,
                donor_name=DONOR[variant],
                donor_kind="company",
                donor_email=f"donor.{variant}@example.kz",
                help_request=help_request,
            )
            pledges[variant] = services.pledge_make(
                help_request=help_request,
                kind=Kind.MONEY,
                amount=10_000,
                donor_name="Уәдешіл Демеуші",
                donor_phone="+77019998877",
            )
            distributions[variant] = services.distribution_record(
                actor=actor,
                help_request=help_request,
                kind=Kind.MONEY,
                amount=40_000,
                proof_file=SimpleUploadedFile("p.pdf", PDF, "application/pdf"),
            )
    w.objects.update(
        {
            "charity_project": projects,
            "help_request": requests,
            "charity_document": documents,
            "donation": donations,
            "distribution": distributions,
            "pledge": pledges,
        }
    )
    w.entitled[BENEFICIARY["pav"]] = frozenset({"caseworker", "charity_head"})
    w.entitled[BENEFICIARY["pav_other"]] = frozenset({"charity_head"})
    w.entitled[BENEFICIARY["alm"]] = frozenset()
    w.entitled[DONOR["pav"]] = frozenset({"caseworker", "charity_head"})
    w.entitled[DONOR["alm"]] = frozenset()


def _registry(w: World) -> None:
    people, memberships = {}, {}
    for variant, body in (("pav", "pav_elders"), ("alm", "alm_house")):
        person = PersonFactory(registered_by=w.bodies[body], last_name=f"Тұлғаев{variant}")
        people[variant] = person
        memberships[variant] = MembershipFactory(person=person, organisation=w.bodies[body])
    w.objects["person"] = people
    w.objects["membership"] = memberships
    w.objects["body"] = {"pav": w.bodies["pav_elders"], "alm": w.bodies["alm_house"]}
    w.objects["grant"] = {
        "pav": w.users["staff_elders"].grants.get(),
        "alm": w.users["staff_alm_house"].grants.get(),
    }


def _reports(w: World) -> None:
    from birlik.api.services import api_token_create
    from birlik.reports import services
    from birlik.reports.documents.models import ReportRun
    from birlik.reports.documents.services import documents_dir
    from birlik.reports.models import Target

    admin = w.users["admin"]
    year = timezone.localdate().year
    draft = services.plan_create(year=year, title="Жоспар жобасы", user=admin)
    approved = services.plan_create(year=year + 1, title="Бекітілген жоспар", user=admin)
    Target.objects.create(plan=approved, indicator="events.events", value=10)
    approved = services.plan_approve(plan=approved, user=admin)
    target = Target.objects.create(plan=draft, indicator="events.events", value=10)
    w.objects["plan"] = {"draft": draft, "approved": approved}
    w.objects["target"] = {"draft": target}
    runs = {}
    for variant, user, reg in (
        ("national", "admin", None),
        ("pav", "coordinator_pavlodar", "KZ-55"),
        ("alm", "coordinator_almaty", "KZ-75"),
    ):
        run = ReportRun.objects.create(
            year=2025,
            language="kk",
            region=region(reg) if reg else None,
            formats=["xlsx"],
            requested_by=w.users[user],
            status=ReportRun.Status.DONE,
            files={"xlsx": {"name": "report.xlsx", "size": 4}},
        )
        folder = documents_dir() / "reports" / str(run.pk)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.xlsx").write_bytes(b"PK\x03\x04")
        runs[variant] = run
    w.objects["report_run"] = runs
    w.objects["api_token"] = {
        variant: api_token_create(
            actor=admin,
            name=f"Интеграция {variant}",
            organisation=w.bodies[body],
            scopes=["events:write"],
        ).token
        for variant, body in (("pav", "pav_house"), ("alm", "alm_house"))
    }


def _imports(w: World) -> None:
    from birlik.imports import services, tasks

    data = "Список членов\nФИО;Телефон;Роль\nИванов Иван;8 701 234 56 78;хатшы\n".encode()
    user, body = w.users["staff_house"], w.bodies["pav_house"]

    def upload() -> Any:
        return services.start(
            user=user, under=body, kind="members", filename="members.csv", data=data
        )

    uploaded, checking, done = upload(), upload(), upload()
    for job in (checking, done):
        services.choose_columns(
            user=user,
            job=job,
            header_line=job.header_line,
            mapping=job.mapping,
            defaults={"start_date": "2025-01-01"},
            mode="partial",
        )
    tasks.run_check(done.pk)  # a checked job whose row is rejected (no consent date)
    w.objects["import_token"] = {
        "own": checking.token,
        "uploaded": uploaded.token,
        "done": done.token,
    }


def _monitoring(w: World) -> None:
    """Early warning: an item, a story and an alert in each region; the rules and a model;
    a journalists' club with a publication of a Pavlodar and of an Almaty outlet."""
    from birlik.monitoring.models import (
        Alert,
        AlertRule,
        ClubPublication,
        Item,
        ItemPlace,
        KeywordRule,
        RiskModel,
        Source,
        Story,
    )

    now = timezone.now()
    club = OrganisationFactory(parent=w.bodies["root"], kind=kind("journalists_club"))
    w.bodies["club"] = club
    source = Source.objects.create(
        name="Ертіс таңы", kind=Source.Kind.RSS, url="http://127.0.0.1:9/"
    )
    rule = AlertRule.objects.create(name="Risk", kind=AlertRule.Kind.RISK, topic="conflict")
    items, stories, alerts, club_rows = {}, {}, {}, {}
    for variant, iso, assembly, house in (
        ("pav", "KZ-55", "pav", "pav_house"),
        ("alm", "KZ-75", "alm", "alm_house"),
    ):
        story = Story.objects.create(title=f"Story {variant}")
        story.regions.add(region(iso))
        item = Item.objects.create(
            source=source,
            guid=f"world-{variant}",
            title=f"Item {variant}",
            text="Мәтін",
            language="kk",
            story=story,
            risk=0.8,
            topics={"conflict": 0.8},
            state=Item.State.PROCESSED,
            processed_at=now,
        )
        ItemPlace.objects.create(item=item, region=region(iso))
        alert = Alert.objects.create(
            rule=rule,
            story=story,
            item=item,
            title=f"Alert {variant}",
            topic="conflict",
            risk=0.8,
            region=region(iso),
            ack_due_at=now + datetime.timedelta(hours=2),
            key=f"world-{variant}",
        )
        alert.routed_to.add(w.bodies[assembly], w.bodies[house])
        items[variant], stories[variant], alerts[variant] = item, story, alert
        club_rows[variant] = ClubPublication.objects.create(
            organisation=club,
            outlet=f"Outlet {variant}",
            kind=ClubPublication.Kind.PUBLICATION,
            published_on=now.date(),
            title=f"Publication {variant}",
            region=region(iso),
        )
    w.objects["monitoring_source"] = {"-": source}
    w.objects["monitoring_upload_source"] = {
        "-": Source.objects.create(name="Телеграм арнасы", kind=Source.Kind.TELEGRAM)
    }
    w.objects["monitoring_item"] = items
    w.objects["monitoring_story"] = stories
    w.objects["monitoring_alert"] = alerts
    w.objects["monitoring_rule"] = {"-": rule}
    w.objects["monitoring_keyword"] = {
        "-": KeywordRule.objects.create(topic="conflict", language="ru", terms="межнациональный")
    }
    w.objects["monitoring_model"] = {"-": RiskModel.objects.create(version=1)}
    w.objects["club_publication"] = club_rows


def _surveys(w: World) -> None:
    """Surveys and the expert council: for each region, a questionnaire of its assembly with a
    launched and a draft version, a survey in fieldwork with a response, a weighting run, a
    margin set, and its expert group's plan, study and recommendation."""
    from birlik.surveys.models import (
        Estimate,
        MarginSet,
        MarginTarget,
        Recommendation,
        ResearchPlan,
        Study,
        Survey,
        WeightingRun,
    )

    from ..surveys.factories import make_response, make_survey, make_version, trust_version

    found: dict[str, dict[str, Any]] = {
        key: {}
        for key in (
            "survey",
            "survey_questionnaire",
            "survey_version",
            "survey_draft",
            "survey_question",
            "survey_response",
            "survey_run",
            "survey_margins",
            "research_plan",
            "study",
            "recommendation",
        )
    }
    for variant, iso, assembly in (("pav", "KZ-55", "pav"), ("alm", "KZ-75", "alm")):
        council = OrganisationFactory(
            parent=w.bodies[assembly],
            kind=kind("scientific_expert_group"),
            region=region(iso),
            name_en=f"Experts {variant}",
        )
        w.bodies[f"{variant}_council"] = council
        version = trust_version(w.bodies[assembly])
        draft = make_version(
            w.bodies[assembly],
            [("Q1", "single", {"options": ["1", "2"]})],
            launched=False,
            questionnaire=version.questionnaire,
        )
        margins = MarginSet.objects.create(
            title=f"Margins {variant}", organisation=w.bodies[assembly]
        )
        MarginTarget.objects.create(
            margin_set=margins, dimension="sex_age", category="female:18-29", share=1
        )
        survey = make_survey(
            version,
            w.bodies[assembly],
            slug=f"world-{variant}",
            is_trust_index=True,
            margin_set=margins,
            status=Survey.Status.PUBLISHED,
            public=True,
        )
        response = make_response(survey, {"T1": 7}, region=region(iso))
        run = WeightingRun.objects.create(survey=survey, trim_cap=4, n=1)
        Estimate.objects.create(
            run=run,
            question="TRUST_INDEX",
            statistic="mean",
            dimension="all",
            n=1,
            effective_n=1,
            suppressed=True,
        )
        plan = ResearchPlan.objects.create(organisation=council, year=2026)
        study = Study.objects.create(
            plan=plan, title=f"Study {variant}", drafted_by=w.users["admin"]
        )
        recommendation = Recommendation.objects.create(
            organisation=council,
            study=study,
            title=f"Recommendation {variant}",
            text="Ұсыныс",
            to_body=w.bodies[f"{assembly}_house"],
            status=Recommendation.Status.SENT,
            sent_on=timezone.localdate(),
        )
        for key, value in (
            ("survey", survey),
            ("survey_questionnaire", version.questionnaire),
            ("survey_version", version),
            ("survey_draft", draft),
            ("survey_question", draft.questions.get()),
            ("survey_response", response),
            ("survey_run", run),
            ("survey_margins", margins),
            ("research_plan", plan),
            ("study", study),
            ("recommendation", recommendation),
        ):
            found[key][variant] = value
    w.objects.update(found)


def _ideas(w: World) -> None:
    """(ideas-citizen and ideas-staff) fills w.objects for its matrix specs."""
    _ideas_citizen(w)  # (ideas-citizen)
    _ideas_staff(w)  # (ideas-staff)


def _ideas_citizen(w: World) -> None:
    """(ideas-citizen) per assembly a published idea (with an image), a pending one and a call
    collecting ideas; the authors are verified participants who hold no role."""
    from birlik.ideas.models import Call, Idea, IdeaImage

    from ..ideas.factories import make_call, make_idea, verified_user

    found: dict[str, dict[str, Any]] = {
        key: {} for key in ("idea", "idea_pending", "idea_call", "idea_image")
    }
    for variant in ("pav", "alm"):
        body = w.bodies[variant]
        found["idea_call"][variant] = make_call(body, status=Call.Status.OPEN)
        found["idea"][variant] = make_idea(body, author=verified_user())
        found["idea_pending"][variant] = make_idea(
            body, author=verified_user(), status=Idea.Status.PENDING
        )
    for variant, idea in (("pav", found["idea"]["pav"]), ("pending", found["idea_pending"]["pav"])):
        picture = IdeaImage(idea=idea, alt="Сурет")
        picture.image.save(f"world-{variant}.png", SimpleUploadedFile("p.png", PNG), save=True)
        found["idea_image"][variant] = picture
    w.objects.update(found)


def _ideas_staff(w: World) -> None:
    """(ideas-staff) a call, an accepted idea with a step and a pending comment per region."""
    from birlik.ideas.models import Call, Idea, Milestone

    from ..ideas.factories import make_call, make_comment, make_idea

    found: dict[str, dict[str, Any]] = {
        key: {} for key in ("idea_staff_call", "idea_staff", "idea_milestone", "idea_comment")
    }
    for variant in ("pav", "alm"):
        body = w.bodies[variant]
        call = make_call(body, status=Call.Status.OPEN)
        idea = make_idea(
            body,
            call=call,
            decision=Idea.Decision.ACCEPTED,
            progress=Idea.Progress.IN_PROGRESS,
            answered_on=timezone.localdate(),
            answer_body=body,
            answer_text="Қабылданды.",
        )
        found["idea_staff_call"][variant] = call
        found["idea_staff"][variant] = idea
        found["idea_milestone"][variant] = Milestone.objects.create(idea=idea, title="Кезең")
        found["idea_comment"][variant] = make_comment(idea, status="pending")
    w.objects.update(found)


def _youth(w: World) -> None:
    """(youth) fills w.objects for its matrix specs: for each region a project of its house of
    friendship with a cohort in selection (the house's staff on its jury), an application, a
    session, a question and a criterion, and another cohort taking applications."""
    from birlik.youth.models import Cohort, Session

    from ..youth.factories import make_application, make_cohort, make_project

    found: dict[str, dict[str, Any]] = {
        key: {}
        for key in (
            "youth_project",
            "youth_cohort",
            "youth_open_cohort",
            "youth_application",
            "youth_session",
            "youth_question",
            "youth_criterion",
        )
    }
    for variant, house, juror in (
        ("pav", "pav_house", "staff_house"),
        ("alm", "alm_house", "staff_alm_house"),
    ):
        project = make_project(w.bodies[house], title_en=f"Youth project {variant}")
        cohort = make_cohort(project, status=Cohort.Status.SELECTION)
        cohort.jury.set([w.users[juror]])
        application = make_application(cohort)
        session = Session.objects.create(cohort=cohort, date=cohort.starts_on, topic_kk="Сабақ")
        for key, value in (
            ("youth_project", project),
            ("youth_cohort", cohort),
            ("youth_open_cohort", make_cohort(project)),
            ("youth_application", application),
            ("youth_session", session),
            ("youth_question", project.questions.first()),
            ("youth_criterion", project.criteria.first()),
        ):
            found[key][variant] = value
    w.objects.update(found)


def _volunteers(w: World) -> None:
    """(volunteers) fills w.objects for its matrix specs: a call of each house of friendship
    with a volunteer signed up, and a yearly record (for its public check)."""
    from birlik.volunteers import services
    from birlik.volunteers.models import Call, YearRecord

    calls, signups, profiles = {}, {}, {}
    for variant, body in (("pav", "pav_house"), ("alm", "alm_house")):
        user = UserFactory(
            username=f"volunteer_{variant}",
            full_name=f"Волонтер {variant}",
            phone_verified_at=timezone.now(),
        )
        profiles[variant] = services.profile_save(
            user=user,
            full_name=f"Волонтер {variant}",
            region=w.bodies[body].region,
            languages=["kk"],
            consent=True,
        )
        starts = timezone.now() + datetime.timedelta(days=5)
        calls[variant] = services.call_save(
            actor=w.users["admin"],
            organisation=w.bodies[body],
            data={
                "title_kk": f"Волонтерлер {variant}",
                "places": 3,
                "starts_at": starts,
                "ends_at": starts + datetime.timedelta(hours=3),
                "region": w.bodies[body].region,
                "purpose": Call.Purpose.OTHER,
            },
        )
        signups[variant] = services.signup_create(user=user, call=calls[variant])
    record = YearRecord.objects.create(
        profile=profiles["pav"], year=2025, number="V-2025-000001", minutes=120, calls=1
    )
    w.objects["volunteer_call"] = calls
    w.objects["volunteer_signup"] = signups
    w.objects["volunteer_profile"] = profiles
    w.objects["volunteer_record"] = {"pav": record}


def _programmes(w: World) -> None:
    """(programmes) fills w.objects for its matrix specs."""
    from birlik.appeals.models import StateBody
    from birlik.events import programme_services
    from birlik.events.models import Programme

    admin = w.users["admin"]
    myn_bala = Programme.objects.get(code="myn_bala")
    w.objects["programme_membership"] = {
        variant: programme_services.programme_join(
            actor=admin, programme=myn_bala, organisation=w.bodies[body]
        )
        for variant, body in (("pav", "pav_house"), ("alm", "alm_house"))
    }
    w.objects["programme_partner"] = {
        "pav": programme_services.programme_partner_add(
            actor=admin,
            programme=myn_bala,
            state_body=StateBody.objects.get(code="ministry-culture_information"),
        )
    }


def _learning(w: World) -> None:
    """(learning) fills w.objects for its matrix specs: the APK Academy under the root and an
    APK department in each region (under its assembly), each department with a course (one
    module), a cohort taking nominations with a session, a staff member of the region's house
    of friendship enrolled on it with a certificate, and a training rule."""
    from birlik.learning.models import (
        Certificate,
        Cohort,
        Course,
        Enrolment,
        Module,
        Session,
        TrainingRule,
    )
    from birlik.registry.models import Membership

    w.bodies["academy"] = OrganisationFactory(
        parent=w.bodies["root"], kind=kind("apk_academy"), name_en="Academy"
    )
    found: dict[str, dict[str, Any]] = {
        key: {}
        for key in (
            "learning_course",
            "learning_module",
            "learning_cohort",
            "learning_session",
            "learning_enrolment",
            "learning_certificate",
        )
    }
    today = timezone.localdate()
    for number, (variant, assembly, house, iso) in enumerate(
        (("pav", "pav", "pav_house", "KZ-55"), ("alm", "alm", "alm_house", "KZ-75")), start=1
    ):
        department = OrganisationFactory(
            parent=w.bodies[assembly],
            kind=kind("university_department"),
            region=region(iso),
            name_en=f"Department {variant}",
        )
        w.bodies[f"learning_{variant}"] = department
        course = Course.objects.create(
            provider=department, title_kk=f"Курс {variant}", title_en=f"Course {variant}"
        )
        module = Module.objects.create(course=course, title_kk="Модуль", hours=12)
        cohort = Cohort.objects.create(
            course=course,
            starts_on=today - datetime.timedelta(days=2),
            ends_on=today + datetime.timedelta(days=20),
            place="Павлодар" if variant == "pav" else "Алматы",
            capacity=10,
            status=Cohort.Status.ENROLLING,
        )
        session = Session.objects.create(cohort=cohort, date=today, topic_kk="Кіріспе")
        person = PersonFactory(registered_by=w.bodies[house], last_name=f"Тыңдаушы{variant}")
        MembershipFactory(person=person, organisation=w.bodies[house], role=Membership.Role.STAFF)
        enrolment = Enrolment.objects.create(
            cohort=cohort,
            person=person,
            organisation=w.bodies[house],
            role=Membership.Role.STAFF,
            status=Enrolment.Status.COMPLETED,
            passed=True,
            completed_on=today,
        )
        certificate = Certificate.objects.create(
            enrolment=enrolment,
            person=person,
            course=course,
            number=f"ACAD-{today.year}-{number:05d}",
            year=today.year,
            holder_name=person.full_name,
            hours=12,
            issued_on=today,
        )
        for key, value in (
            ("learning_course", course),
            ("learning_module", module),
            ("learning_cohort", cohort),
            ("learning_session", session),
            ("learning_enrolment", enrolment),
            ("learning_certificate", certificate),
        ):
            found[key][variant] = value
    rule = TrainingRule.objects.create(
        name_en="Houses of friendship", kind=kind("house_of_friendship"), validity_months=12
    )
    rule.courses.set([found["learning_course"]["pav"]])
    found["learning_rule"] = {"pav": rule}
    w.objects.update(found)


def _diplomacy(w: World) -> None:
    """(diplomacy) fills w.objects for its matrix specs: the People's Diplomacy Centre (with its
    Corps) under the root, which takes the portal's requests, and in the registers of the
    Pavlodar and Almaty assemblies a request with a person and a body named, a visit with an
    event, an ambassador (a person of the region) with an activity."""
    from birlik.diplomacy import services
    from birlik.diplomacy.models import Visit

    admin = w.users["admin"]
    centre = OrganisationFactory(
        parent=w.bodies["root"], kind=kind("peoples_diplomacy_centre"), name_en="DiplomacyCentre"
    )
    OrganisationFactory(parent=centre, kind=kind("friendship_ambassadors"), name_en="Corps")
    w.bodies["diplomacy_centre"] = centre
    today = timezone.localdate()
    found: dict[str, dict[str, Any]] = {
        key: {}
        for key in (
            "diplomacy_request",
            "diplomacy_visit",
            "diplomacy_ambassador",
            "diplomacy_activity",
        )
    }
    for variant, house in (("pav", "pav_house"), ("alm", "alm_house")):
        body = w.bodies[variant]
        request = services.request_register(
            actor=admin,
            organisation=body,
            data={
                "received_on": today,
                "channel": "email",
                "requester_kind": "embassy",
                "requester_name": f"Embassy {variant}",
                "requester_contact": f"attache.{variant}@embassy.example",
                "country": "DE",
                "topic": "culture",
                "text": "A request for a joint festival.",
                "language": "en",
            },
        )
        request = services.request_take_on(actor=admin, request=request)
        person = PersonFactory(registered_by=w.bodies[house], last_name=f"Елшіхан{variant}")
        services.request_person_add(actor=admin, request=request, person=person)
        services.request_body_add(actor=admin, request=request, body=w.bodies[house])
        visit = services.visit_save(
            actor=admin,
            organisation=body,
            data={
                "direction": Visit.Direction.INCOMING,
                "country": "DE",
                "delegation": f"Delegation {variant}",
                "size": 4,
                "starts_on": today + datetime.timedelta(days=7),
                "ends_on": today + datetime.timedelta(days=8),
                "request": request,
            },
        )
        services.visit_event_add(actor=admin, visit=visit, event=w.objects["event"][variant])
        ambassador = services.ambassador_save(
            actor=admin,
            organisation=body,
            person=person,
            country_codes=["DE"],
            since=today - datetime.timedelta(days=30),
        )
        activity = services.activity_add(
            actor=admin,
            ambassador=ambassador,
            date=today,
            kind="lecture",
            country="DE",
            description="A lecture in Berlin.",
        )
        for key, value in (
            ("diplomacy_request", request),
            ("diplomacy_visit", visit),
            ("diplomacy_ambassador", ambassador),
            ("diplomacy_activity", activity),
        ):
            found[key][variant] = value
    w.objects.update(found)


def _deputies(w: World) -> None:
    """(deputies) fills w.objects for its matrix specs: a deputy group under each region's
    assembly (``pav_deputies``, ``alm_deputies``) with a member, a drafted initiative of each
    linked to its region's appeal, and a submitted one of the Pavlodar group (public)."""
    from birlik.appeals.models import StateBody
    from birlik.core.workdays import legal_today
    from birlik.deputies import services

    admin = w.users["admin"]
    question = {"kk": "Этномәдени бірлестіктерге үй-жай беру ұсынылады."}
    initiatives, links = {}, {}
    for variant, iso in (("pav", "KZ-55"), ("alm", "KZ-75")):
        group = OrganisationFactory(
            parent=w.bodies[variant],
            kind=kind("deputy_group"),
            region=region(iso),
            name_en=f"Deputies {variant}",
        )
        w.bodies[f"{variant}_deputies"] = group
        member = PersonFactory(registered_by=group, last_name=f"Депутатов {variant}")
        MembershipFactory(person=member, organisation=group)
        initiatives[variant] = services.initiative_create(
            actor=admin,
            organisation=group,
            state_body=StateBody.objects.get(code=f"maslikhat-{iso.lower()}"),
            titles={"kk": f"Бастама {variant}"},
            questions=question,
            authors=[member],
        )
        links[variant] = services.initiative_link(
            actor=admin, initiative=initiatives[variant], appeal=w.objects["appeal"][variant]
        )
    submitted = services.initiative_create(
        actor=admin,
        organisation=w.bodies["pav_deputies"],
        state_body=StateBody.objects.get(code="parliament-mazhilis"),
        titles={"kk": "Жария бастама"},
        questions=question,
    )
    services.initiative_move(actor=admin, initiative=submitted, stage="submitted", on=legal_today())
    services.initiative_link(actor=admin, initiative=submitted, appeal=w.objects["appeal"]["pav"])
    w.objects["initiative"] = initiatives
    w.objects["initiative_link"] = links
    w.objects["initiative_public"] = {"pav": submitted, "draft": initiatives["pav"]}


def build_world() -> World:
    bodies = _network()
    w = World(users=_users(bodies), bodies=bodies)
    _registry(w)
    _events(w)
    _appeals(w)
    _mediation(w)
    _charity(w)
    _reports(w)
    _imports(w)
    _monitoring(w)
    _surveys(w)
    _ideas(w)
    _youth(w)
    _volunteers(w)
    _programmes(w)
    _learning(w)
    _diplomacy(w)
    _deputies(w)
    return w
