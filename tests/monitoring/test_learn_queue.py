"""The active-learning queue: disagreements first, then what the scores are least sure of, then
the newest; never what the analyst answered, what is agreed, reprints or other regions."""

from __future__ import annotations

import datetime

from django.utils import timezone

from birlik.access.models import Role
from birlik.monitoring import queries
from birlik.monitoring.models import Item, Label

from ..factories import GrantFactory, UserFactory
from .conftest import make_item, make_source
from .learn_fixtures import models_in_tmp, regional_analyst  # noqa: F401 - fixture


def _analyst(network, name):
    user = UserFactory(username=name)
    GrantFactory(user=user, role=Role.ANALYST, organisation=network.root)
    return user


def _answer(item, analyst, value, topic="conflict"):
    Label.objects.create(item=item, topic=topic, analyst=analyst, value=value)


def test_the_queue_puts_disagreements_first_then_the_least_sure_then_the_newest(network):
    me, first, second = (_analyst(network, n) for n in ("me", "first", "second"))
    source = make_source()
    now = timezone.now()

    def item(name, p=None, days=1, **fields):
        topics = {} if p is None else {"conflict": p, "hate": 0.5}
        published = now - datetime.timedelta(days=days)
        return make_item(
            source, regions=("KZ-55",), title=name, topics=topics, published_at=published, **fields
        )

    disputed = item("disputed", p=0.95, days=30)
    _answer(disputed, first, "yes")
    _answer(disputed, second, "no")
    item("sure no", p=0.05)
    nearly_even = item("nearly even", p=0.52, days=20)
    unsure_only = item("unsure only", p=0.9)  # «not sure» is no answer yet
    _answer(unsure_only, first, "unsure")
    other_topic = item("answered on another topic", p=0.3)
    _answer(other_topic, me, "yes", topic="hate")
    item("no score, new", days=1)
    item("no score, old", days=9)
    # Left out: agreed, answered by me, a reprint, not yet processed, in another region.
    agreed = item("agreed", p=0.5)
    _answer(agreed, first, "yes")
    _answer(agreed, second, "yes")
    mine = item("mine", p=0.5)
    _answer(mine, me, "no")
    _answer(mine, first, "yes")
    item("reprint", p=0.5, duplicate_of=nearly_even)
    item("waiting", p=0.5, state=Item.State.NEW)
    almaty = make_item(source, regions=("KZ-75",), title="almaty", topics={"conflict": 0.02})

    queue = queries.active_learning_queue(user=me, topic="conflict")

    assert [entry.title for entry in queue] == [
        "disputed",
        "nearly even",
        "answered on another topic",
        "unsure only",
        "sure no",
        "almaty",
        "no score, new",
        "no score, old",
    ]
    assert [entry.disputed for entry in queue][:2] == [True, False]
    assert queue[1].probability == 0.52
    regional = queries.active_learning_queue(user=regional_analyst(network), topic="conflict")
    assert almaty not in regional
    assert "disputed" in [entry.title for entry in regional]
    assert [e.title for e in queries.active_learning_queue(user=me, topic="conflict", limit=2)] == [
        "disputed",
        "nearly even",
    ]


def test_the_queue_is_one_query_whatever_its_length(network, django_assert_num_queries):
    me = _analyst(network, "me")
    source = make_source()
    queries.active_learning_queue(user=me, topic="conflict")  # the user's grants, read once
    make_item(source, regions=("KZ-55",), topics={"conflict": 0.4})
    with django_assert_num_queries(1):
        few = queries.active_learning_queue(user=me, topic="conflict")
        assert few[0].source.name == source.name
    for number in range(15):
        make_item(make_source(), regions=("KZ-55",), topics={"conflict": number / 15})
    with django_assert_num_queries(1):
        many = queries.active_learning_queue(user=me, topic="conflict")
        assert {entry.source.name for entry in many}


def test_an_unknown_topic_gives_an_empty_queue(network):
    make_item(regions=("KZ-55",))
    assert queries.active_learning_queue(user=network.users["analyst"], topic="gossip") == []


def test_label_counts_list_every_topic_with_their_answers(network):
    first, second = network.users["analyst"], network.users["admin"]
    item = make_item(regions=("KZ-55",))
    other = make_item(regions=("KZ-55",))
    _answer(item, first, "yes")
    _answer(item, second, "no")
    _answer(other, first, "unsure")
    Label.objects.create(item=other, topic="hate", analyst=first, value="yes", held_out=True)
    counts = {row.topic: row for row in queries.label_counts()}
    assert len(counts) == 6
    conflict = counts["conflict"]
    assert (conflict.yes, conflict.no, conflict.unsure, conflict.items) == (1, 1, 1, 2)
    assert (counts["hate"].yes, counts["hate"].held_out) == (1, 1)
    assert counts["unity"].items == 0
