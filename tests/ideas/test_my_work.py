"""The staff's "my work" home counts ideas waiting for a moderator and for their official
answer, in the user's scope only, with the days left to the nearest answer."""

from __future__ import annotations

import datetime

from birlik.ideas.models import Idea
from birlik.workspace.mywork import my_work

from .factories import make_idea

TODAY = datetime.date(2026, 3, 10)


def _work(user):
    return {item.key: item for item in my_work(user, today=TODAY)}


def test_ideas_waiting_show_to_the_staff_in_scope_only(network):
    make_idea(network.pavlodar, status=Idea.Status.PENDING)
    make_idea(
        network.pavlodar,
        threshold_reached_on=datetime.date(2026, 2, 20),
        answer_due=datetime.date(2026, 3, 6),
    )
    make_idea(
        network.pavlodar,
        threshold_reached_on=datetime.date(2026, 3, 2),
        answer_due=datetime.date(2026, 3, 20),
        answered_on=datetime.date(2026, 3, 5),
    )

    pavlodar = _work(network.users["coordinator_pavlodar"])
    almaty = _work(network.users["coordinator_almaty"])

    assert pavlodar["ideas_to_moderate"].count == 1
    assert pavlodar["ideas_to_answer"].count == 1
    assert pavlodar["ideas_to_answer"].days_left == -4
    assert pavlodar["ideas_to_answer"].tone == "late"
    assert pavlodar["ideas_to_answer"].url.endswith("/workspace/ideas/answers/")
    assert "ideas_to_moderate" not in almaty and "ideas_to_answer" not in almaty


def test_analysts_and_staff_of_other_bodies_see_no_ideas_item(network):
    make_idea(network.pavlodar, status=Idea.Status.PENDING)
    assert not {"ideas_to_moderate", "ideas_to_answer"} & set(_work(network.users["analyst"]))
    # The house of friendship's staff do not moderate their region's assembly's ideas.
    assert "ideas_to_moderate" not in _work(network.users["staff_pavlodar_house"])
