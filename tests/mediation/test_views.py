"""The workspace and public pages of mediation: what users see, bad input, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from freezegun import freeze_time

from birlik.mediation import services
from birlik.mediation.models import Document, MediationCase

from .conftest import PARTY_NAME, upload


def _cases(med, count: int) -> None:
    for n in range(count):
        services.case_open(
            actor=med.head,
            centre=med.almaty_centre,
            kind="family",
            source="walk_in",
            parties=[services.PartyData(name=f"Party {n}"), services.PartyData(name=f"Other {n}")],
            consent=True,
        )


def test_the_cases_list_costs_the_same_for_few_and_many_cases(
    client, med, django_assert_max_num_queries
):
    client.force_login(med.head)
    url = reverse("mediation:cases")
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _cases(med, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "31 cases" in response.text


def test_the_mediators_register_costs_the_same_for_many(client, med, django_assert_max_num_queries):
    from ..factories import PersonFactory
    from .factories import MediatorFactory

    client.force_login(med.head)
    url = reverse("mediation:mediators")
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for n in range(20):
        MediatorFactory(person=PersonFactory(registered_by=med.almaty_centre, last_name=f"M{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "22 mediators" in response.text


def test_centres_and_portal_pages_cost_a_fixed_number_of_queries(
    client, med, django_assert_max_num_queries
):
    client.force_login(med.head)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("mediation:centres")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mediation_portal:index"))
    assert "Mediation Centre of Almaty" in response.text
    assert "Almaty, Abay 1" in response.text


def test_a_mediator_records_a_session_and_the_outcome_from_the_case_page(client, med):
    client.force_login(med.users["mediator_a"])
    url = reverse("mediation:case", args=[med.case.pk])
    page = client.get(url)
    assert PARTY_NAME in page.text
    parties = list(med.case.parties.all())
    response = client.post(
        reverse("mediation:session", args=[med.case.pk]),
        {
            "held_at": datetime.datetime.now().strftime("%Y-%m-%dT%H:%M"),
            "place": "Room 4",
            "present": [str(parties[0].pk), str(parties[1].pk)],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("mediation:close", args=[med.case.pk]),
        {"outcome": "agreement", "closed_on": datetime.date.today().isoformat()},
        follow=True,
    )
    assert "The outcome is recorded" in response.text
    med.case.refresh_from_db()
    assert med.case.outcome == "agreement"


def test_a_bad_session_form_says_what_is_wrong_and_stores_nothing(client, med):
    client.force_login(med.users["mediator_a"])
    response = client.post(reverse("mediation:session", args=[med.case.pk]), {"place": ""})
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert not med.case.sessions.exists()


def test_a_renamed_program_upload_is_refused_with_a_message(client, med):
    client.force_login(med.users["mediator_a"])
    before = Document.objects.count()
    response = client.post(
        reverse("mediation:upload", args=[med.case.pk]),
        {"kind": "signed", "file": upload(b"MZ\x90\x00program", "scan.pdf")},
    )
    assert response.status_code == 400
    assert "Upload a PDF, JPEG or PNG file." in response.text
    assert Document.objects.count() == before


def test_the_case_form_tells_the_user_a_state_body_case_is_refused(client, med):
    client.force_login(med.head)
    response = client.post(
        reverse("mediation:case_new"),
        {
            "centre": med.almaty_centre.pk,
            "kind": "labour",
            "source": "akimat",
            "language": "ru",
            "first_name": "Ахметов Бауыржан",
            "second_name": "Akimat of Medeu district",
            "second_is_state_body": "on",
            "consent": "on",
        },
        follow=True,
    )
    assert "is refused" in response.text
    # The reason is recorded and shown in the parties' language (Russian here).
    with translation.override("ru"):
        reason = str(services.STATE_BODY_REASON)
    assert "Law on Mediation" not in reason  # really translated
    assert escape(reason) in response.text
    case = MediationCase.objects.latest("pk")
    assert case.status == MediationCase.Status.REFUSED


def test_the_case_form_without_consent_stores_nothing(client, med):
    client.force_login(med.head)
    before = MediationCase.objects.count()
    response = client.post(
        reverse("mediation:case_new"),
        {
            "centre": med.almaty_centre.pk,
            "kind": "labour",
            "source": "appeal",
            "appeal_number": "NO-SUCH",
            "language": "ru",
            "first_name": "A",
            "second_name": "Bekov Bek",
        },
    )
    assert response.status_code == 400
    assert "There is no appeal with this number." in response.text
    assert MediationCase.objects.count() == before


def test_the_head_assigns_a_mediator_and_sees_the_conflict_message(client, med):
    client.force_login(med.head)
    case = services.case_open(
        actor=med.head,
        centre=med.almaty_centre,
        kind="family",
        source="court",
        parties=[services.PartyData(name="Омаров Қайрат"), services.PartyData(name="Bekova A")],
        consent=True,
    )
    response = client.post(
        reverse("mediation:assign", args=[case.pk]), {"mediator": med.other_mediator.pk}
    )
    assert response.status_code == 400
    assert "Conflict of interest" in response.text
    response = client.post(
        reverse("mediation:assign", args=[case.pk]), {"mediator": med.mediator.pk}
    )
    assert response.status_code == 302


def test_the_public_request_form_creates_a_requested_case(client, med):
    response = client.post(
        reverse("mediation_portal:request"),
        {
            "centre": med.almaty_centre.pk,
            "name": "Бекова Гүлнар",
            "phone": "+7 701 111 22 33",
            "kind": "neighbourhood",
            "other_party": "My neighbour",
            "description": "Noise at night.",
            "language": "ru",
            "consent": "on",
        },
        follow=True,
    )
    case = MediationCase.objects.latest("pk")
    assert case.status == "requested"
    assert case.number in response.text


@pytest.mark.parametrize("missing", ["consent", "phone", "kind"])
def test_a_public_request_with_a_missing_field_stores_nothing(client, med, missing):
    data = {
        "centre": med.almaty_centre.pk,
        "name": "Бекова Гүлнар",
        "phone": "+7 701 111 22 33",
        "kind": "neighbourhood",
        "other_party": "My neighbour",
        "description": "Noise at night.",
        "language": "ru",
        "consent": "on",
    }
    data.pop(missing)
    before = MediationCase.objects.count()
    response = client.post(reverse("mediation_portal:request"), data)
    assert response.status_code == 400
    assert "Please correct the errors below." in response.text
    assert MediationCase.objects.count() == before


def test_a_robot_filling_the_trap_is_answered_but_nothing_is_kept(client, med):
    before = MediationCase.objects.count()
    response = client.post(
        reverse("mediation_portal:request"),
        {
            "centre": med.almaty_centre.pk,
            "name": "Bot",
            "phone": "+7 701 111 22 33",
            "kind": "family",
            "other_party": "x",
            "description": "spam",
            "language": "kk",
            "consent": "on",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert MediationCase.objects.count() == before


def test_the_public_page_in_kazakh_shows_counts_but_no_name(client, med):
    response = client.get("/kk/mediation/")
    assert response.status_code == 200
    assert PARTY_NAME not in response.text
    assert med.case.number not in response.text


def test_the_export_is_an_xlsx_for_the_head(client, med):
    client.force_login(med.head)
    response = client.get(reverse("mediation:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_head_enters_a_member_of_the_centre_in_the_register(client, med):
    from birlik.registry.models import Membership

    from ..factories import PersonFactory, UserFactory

    person = PersonFactory(registered_by=med.almaty_centre, last_name="Жаңаев")
    Membership.objects.create(
        person=person,
        organisation=med.almaty_centre,
        role="mediator",
        start_date=datetime.date(2024, 1, 1),
    )
    login = UserFactory(username="new_mediator")
    url = reverse("mediation:mediator_new", args=[med.almaty_centre.pk])
    client.force_login(med.other_head)
    assert client.get(url).status_code == 404  # another centre's head
    client.force_login(med.head)
    response = client.post(
        url,
        {
            "person": person.pk,
            "professional": "on",
            "languages": ["kk", "ru"],
            "specialisations": ["labour"],
            "username": "no-such-login",
        },
    )
    assert response.status_code == 400
    assert "There is no active login with this name." in response.text
    response = client.post(
        url,
        {
            "person": person.pk,
            "professional": "on",
            "languages": ["kk", "ru"],
            "specialisations": ["labour"],
            "username": login.username,
        },
        follow=True,
    )
    assert "The mediator is entered in the register." in response.text
    mediator = person.mediator
    assert mediator.professional and mediator.user == login
    assert mediator.languages == ["kk", "ru"] and mediator.centre == med.almaty_centre


def test_the_follow_up_queue_shows_agreements_past_their_date(client, med):
    with freeze_time("2026-03-01 10:00:00+05:00"):
        case = services.case_open(
            actor=med.head,
            centre=med.almaty_centre,
            kind="labour",
            source="walk_in",
            parties=[services.PartyData(name="Ахметов Б"), services.PartyData(name="Омарова Г")],
            consent=True,
        )
        services.case_close(
            actor=med.head,
            case=case,
            outcome="agreement",
            execution_due=datetime.date(2026, 4, 1),
        )
    client.force_login(med.head)
    response = client.get(reverse("mediation:cases"), {"follow_up": "on"})
    assert case.number in response.text
    assert med.case.number not in response.text


def test_an_appeal_is_referred_to_mediation_from_its_page(client, med):
    from birlik.appeals.services import appeal_register

    appeal = appeal_register(
        organisation=med.almaty_centre,
        kind="statement",
        text="My neighbour floods my flat every week.",
        language="ru",
        applicant_name="Бекова Гүлнар",
        applicant_phone="+77011112233",
        consent=True,
    )
    client.force_login(med.head)
    page = client.get(reverse("mediation:case_new"), {"appeal": appeal.number})
    assert f'value="{appeal.number}"' in page.text
    response = client.post(
        reverse("mediation:case_new"),
        {
            "centre": med.almaty_centre.pk,
            "kind": "neighbourhood",
            "source": "appeal",
            "appeal_number": appeal.number,
            "language": "ru",
            "first_name": "Бекова Гүлнар",
            "second_name": "Сосед Иван",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    assert MediationCase.objects.latest("pk").appeal == appeal
