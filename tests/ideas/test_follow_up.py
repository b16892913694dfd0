"""Follow-up of accepted ideas: progress, steps, a linked event, the result — shown publicly."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from birlik.ideas import services
from birlik.ideas.models import Idea, Milestone

from ..events.factories import EventFactory
from .factories import make_idea

pytestmark = pytest.mark.django_db


def _accepted(body, **extra):
    return make_idea(
        body,
        decision=Idea.Decision.ACCEPTED,
        progress=Idea.Progress.PLANNED,
        answered_on=timezone.localdate(),
        answer_body=body,
        answer_text="Қабылданды: турнир өткізіледі.",
        **extra,
    )


def _public(idea):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    idea = Idea.objects.select_related("event", "project", "answer_body").get(pk=idea.pk)
    with translation.override("en"):
        return render_to_string("ideas/portal/_answer.html", {"idea": idea}) + render_to_string(
            "ideas/portal/_progress.html", {"idea": idea, "request": request}
        )


def test_an_implemented_idea_shows_its_steps_event_and_result_publicly(network):
    idea = _accepted(network.pavlodar)
    actor = network.users["coordinator_pavlodar"]
    event = EventFactory(organiser=network.pavlodar_house, title_en="District youth cup")
    services.milestone_save(
        actor=actor,
        idea=idea,
        data={"title": "Командалар тіркелді", "due_on": None, "done_on": None},
    )
    step = Milestone.objects.get()
    services.milestone_done(actor=actor, milestone=step)
    services.idea_follow_up(
        actor=actor,
        idea=idea,
        progress=Idea.Progress.DONE,
        event=event,
        result="12 команда қатысты.",
    )
    idea.refresh_from_db()
    assert idea.implemented_on == timezone.localdate()
    html = _public(idea)
    assert "Official answer" in html and "Қабылданды: турнир өткізіледі." in html
    assert "Командалар тіркелді" in html and "done on" in html
    assert f"/events/{event.pk}/" in html
    assert "12 команда қатысты." in html


def test_an_implemented_idea_needs_its_result(network):
    with pytest.raises(services.IdeaError) as error:
        services.idea_follow_up(
            actor=network.users["admin"],
            idea=_accepted(network.pavlodar),
            progress=Idea.Progress.DONE,
        )
    assert error.value.field == "result"


def test_a_rejected_idea_is_not_followed_up(network):
    idea = make_idea(network.pavlodar, decision=Idea.Decision.REJECTED)
    with pytest.raises(services.IdeaError):
        services.idea_follow_up(
            actor=network.users["admin"], idea=idea, progress=Idea.Progress.IN_PROGRESS
        )
    assert "Implementation" not in _public(idea)


def test_an_event_out_of_the_actors_scope_is_refused(network):
    event = EventFactory(organiser=network.almaty_house)
    with pytest.raises(services.IdeaError) as error:
        services.idea_follow_up(
            actor=network.users["coordinator_pavlodar"],
            idea=_accepted(network.pavlodar),
            progress=Idea.Progress.IN_PROGRESS,
            event=event,
        )
    assert error.value.field == "event"


def test_a_step_cannot_be_done_in_the_future(network):
    with pytest.raises(services.IdeaError):
        services.milestone_save(
            actor=network.users["admin"],
            idea=_accepted(network.pavlodar),
            data={"title": "Кезең", "done_on": timezone.localdate() + datetime.timedelta(days=3)},
        )


def test_the_follow_up_form_and_steps_in_the_workspace(network, login):
    idea = _accepted(network.pavlodar)
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(reverse("ideas:idea", kwargs={"pk": idea.pk})).status_code == 200
    response = client.post(
        reverse("ideas:follow_up", kwargs={"pk": idea.pk}),
        {"progress": "in_progress", "result": ""},
    )
    assert response.status_code == 302
    client.post(reverse("ideas:milestone_new", kwargs={"pk": idea.pk}), {"title": "Алаң табылды"})
    step = Milestone.objects.get()
    edit = reverse("ideas:milestone_edit", kwargs={"pk": idea.pk, "milestone": step.pk})
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "Алаң жалға алынды"})
    step.refresh_from_db()
    assert step.title == "Алаң жалға алынды"
    idea.refresh_from_db()
    assert idea.progress == Idea.Progress.IN_PROGRESS
    other = _accepted(network.pavlodar)
    wrong = reverse("ideas:milestone_edit", kwargs={"pk": other.pk, "milestone": step.pk})
    assert client.get(wrong).status_code == 404
