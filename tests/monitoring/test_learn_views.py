"""The pages of training: who opens each, what labelling does, the models page with its
confirmation, training on demand, the keyword lists."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from birlik.access.models import AuditEntry
from birlik.monitoring import classifier
from birlik.monitoring.models import KeywordRule, Label, RiskModel

from .conftest import make_item, make_source
from .learn_fixtures import corpus, models_in_tmp, no_keyword_rules, regional_analyst  # noqa: F401

GET_PAGES = ("learn_queue", "learn_item", "learn_models", "learn_keywords")
RULE_PAGES = ("learn_keyword_new", "learn_keyword_edit")


def url(name, *args, lang="en", query=""):
    with translation.override(lang):
        address = reverse(f"monitoring:{name}", args=args)
    return f"{address}?{query}" if query else address


@pytest.fixture(scope="module")
def small_model():
    texts, languages, answers = corpus(seed=11, size=90)
    return classifier.train(texts, languages, {"conflict": answers})


def make_version(model, version, *, active=False, metrics=None):
    path = classifier.model_path(version)
    return RiskModel.objects.create(
        version=version,
        weights_name=path.name,
        weights_sha256=classifier.save(model, path),
        metrics=metrics or {},
        params=model.params,
        label_count=90,
        active=active,
    )


def measures(precision, recall, n=10, support=5):
    f1 = 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "n": n, "support": support}


def metrics(precision, recall):
    topic = {language: measures(precision, recall) for language in ("kk", "ru", "en", "all")}
    return {"held_out_items": 10, "topics": {"conflict": {"trained": True, **topic}}}


@pytest.fixture
def pages(network):
    """An item of Pavlodar, a keyword rule: what the pages of each URL name take."""
    item = make_item(regions=("KZ-55",), title="Драка у рынка", text="Полный текст о драке.")
    rule = KeywordRule.objects.create(topic="conflict", language="ru", terms="драка")
    return {"learn_item": (item.pk,), "learn_keyword_edit": (rule.pk,)}


EXPECTED = {
    # user: status of the labelling pages, status of the keyword editing pages
    "admin": (200, 200),
    "analyst": (200, 200),
    "analyst_pavlodar": (200, 403),
    "coordinator_pavlodar": (403, 403),
    "coordinator_almaty": (403, 403),
    "auditor": (403, 403),
    "staff_pavlodar_house": (403, 403),
    "nobody": (403, 403),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_page_opens_for_trainers_only(network, client, login, pages, username):
    user = regional_analyst(network) if username == "analyst_pavlodar" else network.users[username]
    login(user)
    labelling, editing = EXPECTED[username]
    for name in GET_PAGES:
        address = url(name, *pages.get(name, ()), lang="kk")  # the default language
        assert client.get(address).status_code == labelling, name
    for name in RULE_PAGES:
        assert client.get(url(name, *pages.get(name, ()), lang="kk")).status_code == editing, name


def test_anonymous_visitors_are_sent_to_sign_in(client, pages):
    for name in (*GET_PAGES, *RULE_PAGES):
        response = client.get(url(name, *pages.get(name, ())))
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_an_item_outside_the_analysts_regions_is_not_found(network, client, login):
    almaty = make_item(regions=("KZ-75",))
    login(regional_analyst(network))
    assert client.get(url("learn_item", almaty.pk)).status_code == 404
    assert client.post(url("learn_item", almaty.pk), {"conflict": "yes"}).status_code == 404
    assert not Label.objects.exists()
    login(network.users["analyst"])
    assert client.get(url("learn_item", almaty.pk)).status_code == 200


def test_actions_answer_only_posts(network, client, login, pages, small_model):
    version = make_version(small_model, 1)
    login(network.users["admin"])
    for name, args in (
        ("learn_train", ()),
        ("learn_model_activate", (version.pk,)),
        ("learn_keyword_delete", pages["learn_keyword_edit"]),
    ):
        assert client.get(url(name, *args)).status_code == 405, name


# --- Labelling ---------------------------------------------------------------------------------


def test_labelling_an_item_saves_the_answers_and_opens_the_next_one(network, client, login):
    source = make_source(name="Павлодар хабары")
    first = make_item(
        source, regions=("KZ-55",), title="Ауылда төбелес", text="Толық мәтін.", language="kk",
        topics={"conflict": 0.5},
    )  # fmt: skip
    second = make_item(source, regions=("KZ-55",), title="Екінші", topics={"conflict": 0.3})
    analyst = network.users["analyst"]
    login(analyst)
    page = client.get(url("learn_item", first.pk, query="topic=conflict")).content.decode()
    for shown in ("Ауылда төбелес", "Толық мәтін.", "Павлодар хабары", "Kazakh", "Pavlodar"):
        assert escape(shown) in page, shown
    assert "interethnic conflict or tension".capitalize() in page

    response = client.post(
        url("learn_item", first.pk), {"topic": "conflict", "conflict": "yes", "hate": "no"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("learn_item", second.pk, query="topic=conflict")
    stored = dict(Label.objects.filter(item=first, analyst=analyst).values_list("topic", "value"))
    assert stored == {"conflict": "yes", "hate": "no"}
    assert AuditEntry.objects.filter(object_type="monitoring.Label").count() == 2

    response = client.post(url("learn_item", second.pk), {"topic": "conflict", "conflict": "no"})
    assert response["Location"] == url("learn_queue", query="topic=conflict")
    queue = client.get(response["Location"]).content.decode()
    assert "No more items wait for you on this topic." in queue


def test_an_empty_or_broken_answer_is_refused_with_a_message(network, client, login):
    item = make_item(regions=("KZ-55",))
    login(network.users["analyst"])
    response = client.post(url("learn_item", item.pk), {"topic": "conflict"})
    assert response.status_code == 400
    assert "Answer on at least one topic." in response.content.decode()
    response = client.post(url("learn_item", item.pk), {"conflict": "perhaps"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Label.objects.exists()


def test_the_queue_page_lists_disagreements_first_at_a_fixed_number_of_queries(
    network, client, login, django_assert_max_num_queries
):
    analyst = network.users["analyst"]
    disputed = make_item(regions=("KZ-55",), title="Disputed item", topics={"hate": 0.9})
    Label.objects.create(item=disputed, topic="hate", analyst=network.users["admin"], value="yes")
    other = regional_analyst(network)
    Label.objects.create(item=disputed, topic="hate", analyst=other, value="no")
    make_item(regions=("KZ-55",), title="Unsure item", topics={"hate": 0.5})
    login(analyst)
    with django_assert_max_num_queries(30) as few:
        page = client.get(url("learn_queue", query="topic=hate")).content.decode()
    assert page.index("Disputed item") < page.index("Unsure item")
    assert "Analysts disagree" in page
    for number in range(12):
        make_item(make_source(), regions=("KZ-75",), title=f"More {number}", topics={"hate": 0.1})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url("learn_queue", query="topic=hate")).content.decode()
    assert "More 11" in page


def test_an_unknown_topic_shows_the_first_risk_topic_and_says_why(network, client, login):
    login(network.users["analyst"])
    response = client.get(url("learn_queue", query="topic=gossip"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert "interethnic conflict or tension" in response.content.decode()


# --- Models ------------------------------------------------------------------------------------


def test_the_models_page_compares_versions_at_a_fixed_number_of_queries(
    network, client, login, small_model, django_assert_max_num_queries
):
    make_version(small_model, 1, active=True, metrics=metrics(0.9, 0.8))
    make_version(small_model, 2, metrics=metrics(0.7, 0.85))
    login(network.users["analyst"])
    with django_assert_max_num_queries(30) as few:
        page = client.get(url("learn_models")).content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "worse" in page
    assert "Switch on version 2" in page
    for version in range(3, 7):
        make_version(small_model, version, metrics=metrics(0.5, 0.5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("learn_models")).status_code == 200


def test_an_analyst_of_one_region_sees_the_models_but_cannot_switch_one_on(
    network, client, login, small_model
):
    version = make_version(small_model, 1)
    login(regional_analyst(network))
    page = client.get(url("learn_models")).content.decode()
    assert "Switch on version 1" not in page
    response = client.post(url("learn_model_activate", version.pk), {"confirmed": "1"})
    assert response.status_code == 403
    login(network.users["coordinator_pavlodar"])
    assert client.post(url("learn_model_activate", version.pk)).status_code == 403
    version.refresh_from_db()
    assert version.active is False


def test_switching_on_asks_first_showing_where_the_version_is_worse(
    network, client, login, small_model
):
    make_version(small_model, 1, active=True, metrics=metrics(0.9, 0.8))
    candidate = make_version(small_model, 2, metrics=metrics(0.7, 0.85))
    login(network.users["analyst"])
    response = client.post(url("learn_model_activate", candidate.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Switch on version 2?" in page
    assert "Version 2 measures worse than the active version 1 here:" in page
    assert "Interethnic conflict or tension, Kazakh: Precision 0.70 against 0.90" in page
    assert "Recall 0.85 against" not in page
    candidate.refresh_from_db()
    assert candidate.active is False

    response = client.post(url("learn_model_activate", candidate.pk), {"confirmed": "1"})
    assert response.status_code == 302
    assert list(RiskModel.objects.filter(active=True)) == [candidate]
    assert "Version 2 is switched on" in client.get(response["Location"]).content.decode()


def test_a_damaged_version_is_not_switched_on_and_the_page_says_why(
    network, client, login, small_model
):
    candidate = make_version(small_model, 1)
    (classifier.models_dir() / candidate.weights_name).write_bytes(b"broken")
    login(network.users["admin"])
    response = client.post(
        url("learn_model_activate", candidate.pk), {"confirmed": "1"}, follow=True
    )
    assert "does not match its checksum" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.active is False


def test_training_is_asked_once_and_the_page_shows_it_is_queued(
    network, client, login, django_capture_on_commit_callbacks
):
    login(network.users["analyst"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(url("learn_train"), follow=True)
    assert len(queued) == 1
    page = response.content.decode()
    assert "Training has started." in page
    assert "A training is queued." in page
    response = client.post(url("learn_train"), follow=True)
    assert "A new version is being trained already." in response.content.decode()
    cache.delete(classifier.TRAINING_LOCK)


# --- Keyword rules -----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyword_rules")
def test_keyword_rules_are_listed_created_changed_and_deleted(network, client, login):
    login(network.users["admin"])
    response = client.post(
        url("learn_keyword_new"),
        {"topic": "hate", "language": "ru", "terms": "ненависть\nрозни", "weight": "0.5",
         "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    rule = KeywordRule.objects.get()
    assert (rule.topic, rule.language, rule.weight, rule.enabled) == ("hate", "ru", 0.5, True)
    page = client.get(url("learn_keywords", query="topic=hate")).content.decode()
    assert "ненависть" in page and "Hate speech" in page
    assert (
        "ненависть" not in client.get(url("learn_keywords", query="topic=unity")).content.decode()
    )
    assert "ненависть" in client.get(url("learn_keywords", query="language=ru")).content.decode()
    assert "ненависть" not in client.get(url("learn_keywords", query="language=*")).content.decode()

    response = client.post(
        url("learn_keyword_edit", rule.pk),
        {"topic": "hate", "language": "", "terms": "ненависть", "weight": "0.7"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.language, rule.weight, rule.enabled, rule.terms) == ("", 0.7, False, "ненависть")

    response = client.post(url("learn_keyword_delete", rule.pk))
    assert response.status_code == 302
    assert not KeywordRule.objects.exists()
    assert AuditEntry.objects.filter(object_type="monitoring.KeywordRule").count() == 3


@pytest.mark.usefixtures("no_keyword_rules")
def test_a_broken_keyword_rule_is_refused_with_a_message(network, client, login):
    login(network.users["analyst"])
    response = client.post(
        url("learn_keyword_new"), {"topic": "hate", "terms": "ненависть\nя", "weight": "0.5"}
    )
    assert response.status_code == 400
    assert escape("“я” is too short") in response.content.decode()
    response = client.post(
        url("learn_keyword_new"), {"topic": "hate", "terms": "ненависть", "weight": "7"}
    )
    assert response.status_code == 400
    assert not KeywordRule.objects.exists()


def test_an_analyst_of_one_region_cannot_delete_a_rule(network, client, login):
    rule = KeywordRule.objects.create(topic="hate", terms="ненависть")
    login(regional_analyst(network))
    assert client.post(url("learn_keyword_delete", rule.pk)).status_code == 403
    assert KeywordRule.objects.filter(pk=rule.pk).exists()
