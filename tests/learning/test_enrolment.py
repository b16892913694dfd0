"""Nominations: staff nominate people through a term in a body they work for; any other id is
refused as unknown; once per cohort, within the places, with the prerequisites, while the
enrolment is open. The provider's and the sending body's staff withdraw; the place is free."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from birlik.access.models import AuditEntry
from birlik.learning import services
from birlik.learning.models import Cohort, Enrolment
from birlik.registry.models import Membership

from .factories import certificate_for, enrol, make_cohort, make_course, make_term


def _refusal(**kwargs) -> str:
    with translation.override("en"):
        with pytest.raises(services.LearningError) as refused:
            services.enrolment_create(**kwargs)
        return str(refused.value.message)


def test_staff_nominate_a_person_of_their_body_who_is_then_on_the_list(learning):
    enrolment = services.enrolment_create(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    assert enrolment.person == learning.house_term.person
    assert enrolment.organisation == learning.network.pavlodar_house
    assert enrolment.role == Membership.Role.STAFF
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert AuditEntry.objects.filter(
        object_type="learning.Enrolment", note="nomination", actor=learning.house_staff
    ).exists()


def test_a_term_outside_the_staffs_scope_is_refused_as_unknown(learning):
    message = _refusal(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.almaty_term
    )
    assert "Choose a person from the list" in message
    assert not Enrolment.objects.exists()


def test_an_ended_term_is_refused_as_unknown(learning):
    Membership.objects.filter(pk=learning.house_term.pk).update(end_date=datetime.date(2021, 1, 1))
    learning.house_term.refresh_from_db()
    message = _refusal(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    assert "Choose a person from the list" in message


def test_a_full_cohort_refuses_the_next_person(learning):
    for index in range(3):
        enrol(learning.cohort, make_term(learning.network.pavlodar_house, last_name=f"Т{index}"))
    message = _refusal(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    assert message == "The cohort is full: all 3 places are taken."


def test_a_withdrawn_trainee_frees_the_place(learning):
    rows = [
        enrol(learning.cohort, make_term(learning.network.pavlodar_house, last_name=f"Т{index}"))
        for index in range(3)
    ]
    services.enrolment_withdraw(
        actor=learning.house_staff, enrolment=rows[0], reason="Ауырып қалды"
    )
    enrolment = services.enrolment_create(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    assert enrolment.pk


def test_a_missing_prerequisite_is_named(learning):
    basics = make_course(learning.academy, title_en="Interethnic accord: the basics")
    advanced = make_course(learning.academy, title_en="Ethno-mediation")
    advanced.prerequisites.set([basics])
    cohort = make_cohort(advanced)
    message = _refusal(actor=learning.house_staff, cohort=cohort, membership=learning.house_term)
    assert "first needs a valid certificate of: Interethnic accord: the basics" in message

    revoked = certificate_for(learning.house_term.person, basics, datetime.date(2024, 3, 1))
    revoked.revoked_at, revoked.revocation_reason = timezone.now(), "Қате"
    revoked.save()
    assert "first needs" in _refusal(
        actor=learning.house_staff, cohort=cohort, membership=learning.house_term
    )

    certificate_for(learning.house_term.person, basics, datetime.date(2024, 6, 1))
    assert services.enrolment_create(
        actor=learning.house_staff, cohort=cohort, membership=learning.house_term
    ).pk


def test_a_person_is_enrolled_once_per_cohort(learning):
    services.enrolment_create(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    other_term = make_term(
        learning.network.pavlodar_elders,
        role=Membership.Role.MEMBER,
        person=learning.house_term.person,
    )
    message = _refusal(
        actor=learning.network.users["coordinator_pavlodar"],
        cohort=learning.cohort,
        membership=other_term,
    )
    assert "is already on the list of this cohort" in message
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("status", ["planned", "running", "finished", "cancelled"])
def test_nominations_wait_for_the_enrolment_to_open(learning, status):
    Cohort.objects.filter(pk=learning.cohort.pk).update(status=status)
    learning.cohort.refresh_from_db()
    message = _refusal(
        actor=learning.house_staff, cohort=learning.cohort, membership=learning.house_term
    )
    assert message == "Enrolment to this cohort is closed."


# --- The nomination page ---------------------------------------------------------------------


def _url(learning):
    return reverse("learning:nominate", kwargs={"pk": learning.cohort.pk})


def test_the_person_picker_offers_only_people_of_the_staffs_bodies(client, learning):
    client.force_login(learning.house_staff)
    found = client.get(_url(learning), {"q": "Бекова"}).content.decode()
    assert "Бекова Айжан" in found
    assert "Ли Виктория" not in client.get(_url(learning), {"q": "Ли"}).content.decode()


def test_a_posted_term_out_of_scope_is_refused_like_an_unknown_one(client, learning):
    client.force_login(learning.house_staff)
    with translation.override("en"):
        url = reverse("learning:nominate", kwargs={"pk": learning.cohort.pk})
    for value in (learning.almaty_term.pk, 999999, "abc"):
        response = client.post(url, {"membership": value}, follow=True)
        assert response.status_code == 200
        assert "Choose a person from the list" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_nomination_page_nominates_and_lists_who_was_sent(client, learning):
    client.force_login(learning.house_staff)
    with translation.override("en"):
        url = reverse("learning:nominate", kwargs={"pk": learning.cohort.pk})
    response = client.post(url + "?q=Бекова", {"membership": learning.house_term.pk}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "is nominated to the cohort" in page
    assert "On the list" in page  # the search kept its words, and shows who is already on it
    assert Enrolment.objects.filter(person=learning.house_term.person).exists()


def test_analysts_and_auditors_do_not_nominate(client, learning):
    for name in ("analyst", "auditor"):
        client.force_login(learning.network.users[name])
        assert client.get(_url(learning)).status_code == 403


def test_the_sending_bodys_staff_withdraw_with_a_reason(client, learning):
    enrolment = enrol(learning.cohort, learning.house_term)
    client.force_login(learning.house_staff)
    url = reverse("learning:enrolment_withdraw", kwargs={"pk": enrolment.pk})
    client.post(url, {"reason": ""})
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED
    client.post(url, {"reason": "Іссапарда"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert enrolment.withdrawal_reason == "Іссапарда"


def test_another_regions_staff_do_not_see_nor_withdraw_an_enrolment(client, learning):
    from ..factories import GrantFactory, UserFactory

    enrolment = enrol(learning.cohort, learning.house_term)
    almaty = UserFactory(username="almaty_house_staff")
    GrantFactory(user=almaty, organisation=learning.network.almaty_house)
    client.force_login(almaty)
    assert client.get(reverse("learning:enrolment", kwargs={"pk": enrolment.pk})).status_code == 404
    url = reverse("learning:enrolment_withdraw", kwargs={"pk": enrolment.pk})
    assert client.post(url, {"reason": "Себепсіз"}).status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED


def test_opening_a_trainees_record_is_audited(client, learning):
    enrolment = enrol(learning.cohort, learning.house_term)
    client.force_login(learning.academy_staff)
    response = client.get(reverse("learning:enrolment", kwargs={"pk": enrolment.pk}))
    assert response.status_code == 200
    assert "Бекова Айжан" in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_type="learning.Enrolment"
    ).exists()
