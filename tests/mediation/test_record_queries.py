"""The case page reads its sessions, parties and documents at once: more of them cost no query."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from birlik.mediation import services


def _session(med, number: int) -> None:
    services.session_record(
        actor=med.mediator.user,
        case=med.case,
        held_at=timezone.now() - datetime.timedelta(minutes=number + 1),
        place=f"Room {number}",
        present=[party.pk for party in med.case.parties.all()],
        note=f"Session note {number}",
    )


def test_the_case_page_costs_the_same_for_one_session_and_ten(
    client, med, django_assert_max_num_queries
):
    _session(med, 0)
    client.force_login(med.mediator.user)
    url = reverse("mediation:case", kwargs={"pk": med.case.pk})
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for number in range(1, 10):
        _session(med, number)
    for number in range(3):
        services.party_add(
            actor=med.head, case=med.case, party=services.PartyData(name=f"Witness {number}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert "Room 9" in response.text
    assert "Witness 2" in response.text
