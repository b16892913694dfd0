"""Pages of volunteers: the public list and call, sign-up, privacy of profiles, scope of the
staff pages, the yearly record (PDF) and its public check, query counts."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from pypdf import PdfReader

from birlik.volunteers import services
from birlik.volunteers.models import Call, SignUp, YearRecord

from .factories import call_of, volunteer

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))


def _calls(network, count: int) -> list[Call]:
    staff = network.users["staff_pavlodar_house"]
    return [
        call_of(staff, network.pavlodar_house, starts_in=datetime.timedelta(days=2 + n))
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_the_public_list_of_calls_costs_the_same_queries_for_3_and_30(
    client, network, count, django_assert_max_num_queries
):
    _calls(network, count)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("volunteers_portal:calls"))
    assert response.status_code == 200
    assert "Фестивальге волонтерлер" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_staff_list_of_calls_costs_the_same_queries_for_3_and_30(
    login, network, count, django_assert_max_num_queries
):
    _calls(network, count)
    client = login(network.users["coordinator_pavlodar"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("volunteers:calls"))
    assert response.status_code == 200


def test_the_public_list_filters_by_region_and_skill_and_survives_bad_input(client, network):
    from birlik.volunteers.models import Skill

    call = _calls(network, 1)[0]
    call.skills.set(Skill.objects.filter(code="first_aid"))
    url = reverse("volunteers_portal:calls")
    assert call.title in client.get(url, {"skill": "first_aid"}).content.decode()
    assert call.title not in client.get(url, {"skill": "driving"}).content.decode()
    assert call.title not in client.get(url, {"region": network.almaty.region.pk}).content.decode()
    response = client.get(url, {"date": "not-a-date", "region": "x"})
    assert response.status_code == 400


def test_a_verified_volunteer_signs_up_on_the_call_page(client, network):
    call = _calls(network, 1)[0]
    profile = volunteer()
    client.force_login(profile.user)
    response = client.post(reverse("volunteers_portal:sign_up", args=[call.pk]), follow=True)
    assert response.status_code == 200
    assert SignUp.objects.filter(call=call, profile=profile, status="confirmed").exists()
    with translation.override("en"):
        page = client.get("/en" + reverse("volunteers_portal:call", args=[call.pk])[3:])
    assert "You have a place on this call." in page.content.decode()
    client.post(reverse("volunteers_portal:cancel", args=[call.pk]))
    assert SignUp.objects.get(call=call, profile=profile).status == "cancelled"


def test_a_call_for_a_request_shows_only_what_the_centre_published(client, network):
    from birlik.access.models import Role
    from birlik.charity import services as charity
    from birlik.charity.models import Category, HelpRequest
    from tests.charity.factories import centre

    from ..factories import GrantFactory, UserFactory

    pav_centre = centre(network.pavlodar, "KZ-55")
    worker = UserFactory(username="worker")
    GrantFactory(user=worker, role=Role.CENTRE_HEAD, organisation=pav_centre)
    help_request = charity.request_register(
        centre=pav_centre,
        source=HelpRequest.Source.CENTRE,
        category=Category.ELDERLY,
        need="Құпия мұқтаждық Мейірімова",
        region=pav_centre.region,
        district=None,
        amount=20000,
        items=[],
        beneficiary_name="Мейірімова Айгүл",
        beneficiary_phone="+77010000000",
        consent=True,
        actor=worker,
    )
    # Verified by the centre (its own steps are charity's tests): the public text is written.
    HelpRequest.objects.filter(pk=help_request.pk).update(
        status=HelpRequest.Status.VERIFIED, public_need="Азық-түлік жеткізу"
    )
    help_request.refresh_from_db()
    call = call_of(worker, pav_centre, purpose=Call.Purpose.NEED, help_request=help_request)
    assert call.need_title == "Азық-түлік жеткізу"
    for url in (
        reverse("volunteers_portal:call", args=[call.pk]),
        reverse("volunteers_portal:calls"),
    ):
        text = client.get(url).content.decode()
        assert "Азық-түлік жеткізу" in text
        assert "Мейірімова" not in text
        assert "Құпия" not in text


def test_staff_of_another_region_are_told_not_found(login, network):
    call = _calls(network, 1)[0]
    signup = services.signup_create(user=volunteer().user, call=call)
    client = login(network.users["coordinator_almaty"])
    for url in (
        reverse("volunteers:call", args=[call.pk]),
        reverse("volunteers:attendance", args=[call.pk]),
        reverse("volunteers:hours", args=[call.pk, signup.pk]),
        reverse("volunteers:profile", args=[signup.profile_id]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        login(network.users["coordinator_pavlodar"])
        .get(reverse("volunteers:call", args=[call.pk]))
        .status_code
        == 200
    )


def test_a_profile_is_seen_by_its_owner_and_the_staff_of_the_calls_only(client, login, network):
    call = _calls(network, 1)[0]
    signed = volunteer("Белсенді Волонтер")
    services.signup_create(user=signed.user, call=call)
    loner = volunteer("Жалғыз Волонтер")
    staff = login(network.users["staff_pavlodar_house"])
    page = staff.get(reverse("volunteers:profile", args=[signed.pk]))
    assert page.status_code == 200
    assert "Белсенді Волонтер" in page.content.decode()
    assert staff.get(reverse("volunteers:profile", args=[loner.pk])).status_code == 404
    for role in ("analyst", "auditor", "coordinator_almaty"):
        other = login(network.users[role])
        assert other.get(reverse("volunteers:profile", args=[signed.pk])).status_code == 404
    client.force_login(loner.user)
    own = client.get(reverse("volunteers_portal:profile"))
    assert own.status_code == 200
    assert "Жалғыз Волонтер" in own.content.decode()
    assert "Белсенді Волонтер" not in own.content.decode()


def test_the_attendance_page_checks_in_and_out(login, network):
    with freeze_time(START - datetime.timedelta(days=3)):
        call = call_of(
            network.users["staff_pavlodar_house"],
            network.pavlodar_house,
            starts_in=datetime.timedelta(days=3),
        )
        signup = services.signup_create(user=volunteer().user, call=call)
    client = login(network.users["staff_pavlodar_house"])
    url = reverse("volunteers:attendance", args=[call.pk])
    with freeze_time(START):
        assert client.get(url).status_code == 200
        client.post(url, {"signup": signup.pk, "action": "in"})
    with freeze_time(START + datetime.timedelta(hours=2, minutes=30)):
        client.post(url, {"signup": signup.pk, "action": "out"})
    signup.refresh_from_db()
    assert signup.minutes == 150
    assert client.post(url, {"signup": "x", "action": "in"}).status_code == 404


def _hours_in(network, year_start: datetime.datetime, minutes: int):
    with freeze_time(year_start - datetime.timedelta(days=3)):
        call = call_of(
            network.users["staff_pavlodar_house"],
            network.pavlodar_house,
            starts_in=datetime.timedelta(days=3),
        )
    return call


def test_the_yearly_record_lists_calls_and_total_and_its_check_shows_only_the_summary(
    client, network
):
    profile = volunteer("Жылдық Есеп")
    staff = network.users["staff_pavlodar_house"]
    signups = []
    for day in (START, START + datetime.timedelta(days=30)):
        with freeze_time(day - datetime.timedelta(days=3)):
            call = call_of(staff, network.pavlodar_house, starts_in=datetime.timedelta(days=3))
            signups.append(services.signup_create(user=profile.user, call=call))
    with freeze_time(START + datetime.timedelta(days=40)):
        services.signup_hours_set(actor=staff, signup=signups[0], minutes=90, reason="Қағаз")
        services.signup_hours_set(actor=staff, signup=signups[1], minutes=120, reason="Қағаз")
        client.force_login(profile.user)
        response = client.get(reverse("volunteers_portal:record", args=[2026]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    record = YearRecord.objects.get()
    assert record.number in text
    assert "Жылдық Есеп" in text
    assert "3,5" in text  # 90 + 120 minutes, in Kazakh number format
    assert "09.05.2026" in text and "08.06.2026" in text

    check = client.get(reverse("volunteers_portal:verify", args=[record.code])).content.decode()
    assert record.number in check and "2026" in check and "3,5" in check
    assert "Жылдық Есеп" not in check

    # Same hours: same number; changed hours: a new number, the old one says it was replaced.
    with freeze_time(START + datetime.timedelta(days=41)):
        client.force_login(profile.user)
        assert client.get(reverse("volunteers_portal:record", args=[2026])).status_code == 200
        assert YearRecord.objects.count() == 1
        services.signup_hours_set(actor=staff, signup=signups[0], minutes=60, reason="Түзету")
        assert client.get(reverse("volunteers_portal:record", args=[2026])).status_code == 200
    assert YearRecord.objects.count() == 2
    record.refresh_from_db()
    assert not record.is_valid
    client.force_login(profile.user)
    assert client.get(reverse("volunteers_portal:record", args=[2019])).status_code == 404


def test_someone_elses_record_cannot_be_downloaded(client, network):
    profile = volunteer("Басқа Адам")
    client.force_login(profile.user)
    assert client.get(reverse("volunteers_portal:record", args=[2026])).status_code == 404
    assert client.get(reverse("volunteers_portal:verify", args=["nope"])).status_code == 404


def test_my_volunteering_lists_years_with_hours(client, network):
    profile = volunteer("Менің Сағаттарым")
    staff = network.users["staff_pavlodar_house"]
    with freeze_time(START - datetime.timedelta(days=3)):
        call = call_of(staff, network.pavlodar_house, starts_in=datetime.timedelta(days=3))
        signup = services.signup_create(user=profile.user, call=call)
    with freeze_time(START + datetime.timedelta(days=1)):
        services.signup_hours_set(actor=staff, signup=signup, minutes=120, reason="Қағаз")
    client.force_login(profile.user)
    text = client.get(reverse("volunteers_portal:mine")).content.decode()
    assert reverse("volunteers_portal:record", args=[2026]) in text
    assert "Фестивальге волонтерлер" in text
