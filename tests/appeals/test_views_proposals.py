"""Proposals to state bodies through the staff pages: draft, approve, send, answer; the list."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from birlik.appeals.models import Proposal, StateBody
from birlik.appeals.services import proposal_draft

GROUNDS = "Ауылдағы мәдениет үйін жөндеу қажет: шатыры ағып тұр, жылу жүйесі ескірген."


def akimat_of(network) -> StateBody:
    return StateBody.objects.filter(region=network.pavlodar.region, kind="akimat").first()


def test_a_proposal_goes_from_draft_to_approval_by_someone_else_to_sending_to_answer(
    network, login, client
):
    staff = network.users["staff_pavlodar_house"]
    body = network.pavlodar_house
    login(staff)
    create = reverse("appeals:proposal_create", kwargs={"body": body.pk})
    form_page = client.get(create).content.decode()
    assert akimat_of(network).name in form_page
    response = client.post(
        create,
        {"state_body": akimat_of(network).pk, "title": "Мәдениет үйін жөндеу", "text": GROUNDS},
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.status == Proposal.Status.DRAFT
    page_url = reverse("appeals:proposal", kwargs={"pk": proposal.pk})

    # The drafter is not the chair: the service refuses, and says so.
    response = client.post(reverse("appeals:proposal_approve", kwargs={"pk": proposal.pk}))
    assert "The chair, not the drafter" in client.get(page_url).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT

    login(network.users["coordinator_pavlodar"])
    client.post(reverse("appeals:proposal_approve", kwargs={"pk": proposal.pk}))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED

    login(staff)
    response = client.post(
        reverse("appeals:proposal_send", kwargs={"pk": proposal.pk}), {"number": "01-12/345"}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT
    assert proposal.number == "01-12/345"
    assert proposal.answer_due is not None
    assert proposal.answer_due.strftime("%d.%m.%Y") in client.get(page_url).content.decode()

    answer = reverse("appeals:proposal_answer", kwargs={"pk": proposal.pk})
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        answer, {"answered_on": tomorrow.isoformat(), "outcome": "accepted", "answer_text": "Иә"}
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()

    response = client.post(
        answer,
        {
            "answered_on": timezone.localdate().isoformat(),
            "outcome": "partly",
            "answer_text": "Шатыр биыл жөнделеді.",
            "actions_taken": "Бюджетке енгізілді.",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ANSWERED
    assert proposal.outcome == Proposal.Outcome.PARTLY
    assert "Partly taken into account" in client.get(page_url).content.decode()


def test_staff_cannot_draft_for_a_body_outside_their_own(network, login):
    client = login(network.users["staff_pavlodar_house"])
    assert (
        client.get(
            reverse("appeals:proposal_create", kwargs={"body": network.almaty_house.pk})
        ).status_code
        == 404
    )
    # In scope (the coordinator sees the elders) but the analyst may not draft.
    analyst = login(network.users["analyst"])
    response = analyst.get(
        reverse("appeals:proposal_create", kwargs={"body": network.pavlodar_elders.pk})
    )
    assert response.status_code == 403


def test_the_proposal_list_is_scoped_filtered_and_costs_the_same_queries(network, login):
    admin = network.users["admin"]
    akimat = akimat_of(network)

    def draft(body, title):
        return proposal_draft(
            actor=admin, organisation=body, state_body=akimat, title=title, text=GROUNDS
        )

    draft(network.pavlodar_house, "Павлодар ұсынысы")
    draft(network.almaty_house, "Алматы ұсынысы")
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(reverse("appeals:proposals"))
    page = response.content.decode()
    assert "Павлодар ұсынысы" in page
    assert "Алматы ұсынысы" not in page
    assert (
        client.get(reverse("appeals:proposals"), {"status": "sent"}).context["page"].paginator.count
        == 0
    )
    bad = client.get(reverse("appeals:proposals"), {"outcome": "maybe", "page": "zz"})
    assert bad.status_code == 200
    assert "Some search values were not understood" in bad.content.decode()

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("appeals:proposals"))
    for n in range(15):
        draft(network.pavlodar_elders if n % 2 else network.pavlodar_house, f"Ұсыныс {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("appeals:proposals"))
    assert response.context["page"].paginator.count == 16
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_proposal_without_a_drafter_opens(network, login):
    """Demo proposals of bodies without staff have no drafter, nor an approver."""
    proposal = Proposal.objects.create(
        organisation=network.pavlodar_elders,
        state_body=akimat_of(network),
        title="Ауылдық клубты жөндеу туралы",
        text=GROUNDS,
        status=Proposal.Status.SENT,
        sent_at=timezone.now(),
        answer_due=timezone.localdate() + datetime.timedelta(days=21),
    )
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(reverse("appeals:proposal", kwargs={"pk": proposal.pk}))
    assert response.status_code == 200
    assert "Drafted by" in response.content.decode()
    assert client.get(reverse("appeals:proposals")).status_code == 200
