"""Labels, training, switching a version on, keyword rules: who may, what is stored, what is
audited."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import translation

from birlik.access.models import AuditEntry
from birlik.monitoring import classifier, services
from birlik.monitoring.models import KeywordRule, Label, RiskModel, Topic
from birlik.monitoring.services import LearningError, NotEnoughLabelsError, label_held_out

from ..factories import UserFactory
from .conftest import make_item
from .learn_fixtures import (  # noqa: F401 - fixtures
    labelled_items,
    models_in_tmp,
    no_keyword_rules,
    regional_analyst,
)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _audits(obj, action=None):
    entries = AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
    return list(entries.filter(action=action) if action else entries)


# --- Labels ------------------------------------------------------------------------------------


def test_a_label_is_kept_once_per_analyst_and_each_change_is_audited(network):
    analyst = network.users["analyst"]
    item = make_item(regions=("KZ-55",))
    label = services.label_record(analyst=analyst, item=item, topic="hate", value="yes")
    assert (label.value, label.held_out) == ("yes", label_held_out(item.pk))
    [created] = _audits(label, AuditEntry.Action.CREATE)
    assert created.actor == analyst
    assert created.changes == {"value": [None, "yes"]}

    again = services.label_record(analyst=analyst, item=item, topic="hate", value="no")
    assert again.pk == label.pk
    assert Label.objects.get(pk=label.pk).value == "no"
    [changed] = _audits(label, AuditEntry.Action.UPDATE)
    assert changed.changes == {"value": ["yes", "no"]}

    services.label_record(analyst=analyst, item=item, topic="hate", value="no")
    assert len(_audits(label)) == 2  # the same answer again changes nothing
    assert Label.objects.filter(item=item).count() == 1


def test_one_item_in_ten_is_held_out_the_same_way_for_everyone(network):
    shares = sum(label_held_out(pk) for pk in range(1, 20_001)) / 20_000
    assert 0.09 < shares < 0.11
    item = make_item(regions=("KZ-55",))
    for username in ("analyst", "admin"):
        services.label_record(
            analyst=network.users[username], item=item, topic="conflict", value="yes"
        )
    assert {label.held_out for label in Label.objects.filter(item=item)} == {
        label_held_out(item.pk)
    }


def test_an_analyst_of_one_region_cannot_label_an_item_of_another(network):
    analyst = regional_analyst(network)
    almaty_item = make_item(regions=("KZ-75",))
    with pytest.raises(PermissionDenied):
        services.label_record(analyst=analyst, item=almaty_item, topic="hate", value="yes")
    assert not Label.objects.exists()
    pavlodar_item = make_item(regions=("KZ-55",))
    services.label_record(analyst=analyst, item=pavlodar_item, topic="hate", value="yes")
    assert Label.objects.filter(item=pavlodar_item).count() == 1


@pytest.mark.parametrize("username", ["coordinator_pavlodar", "auditor", "staff_pavlodar_house"])
def test_readers_who_are_not_analysts_cannot_label(network, username):
    item = make_item(regions=("KZ-55",))
    with pytest.raises(PermissionDenied):
        services.label_record(analyst=network.users[username], item=item, topic="hate", value="yes")
    assert not Label.objects.exists()


def test_an_unknown_topic_or_answer_is_refused_with_a_message(network):
    item = make_item(regions=("KZ-55",))
    with pytest.raises(LearningError) as error:
        services.label_record(analyst=network.users["analyst"], item=item, topic="x", value="yes")
    assert error.value.field == "topic"
    with pytest.raises(LearningError) as error:
        services.label_record(
            analyst=network.users["analyst"], item=item, topic="hate", value="maybe"
        )
    assert error.value.field == "hate"
    with pytest.raises(LearningError):
        services.labels_record(analyst=network.users["analyst"], item=item, values={"hate": ""})
    assert not Label.objects.exists()


# --- Training ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyword_rules")
def test_training_fits_outside_the_held_out_tenth_and_measures_each_language(network):
    analyst = network.users["analyst"]
    labelled = labelled_items(analyst)
    # A tie between two analysts and a «not sure» are left out of training.
    other = network.users["admin"]
    tie = next(item for item in labelled.items if label_held_out(item.pk) is False)
    answer = Label.objects.get(item=tie, topic="conflict").value
    services.label_record(
        analyst=other, item=tie, topic="conflict", value="no" if answer == "yes" else "yes"
    )
    unsure = make_item(regions=("KZ-55",))
    services.label_record(analyst=analyst, item=unsure, topic="conflict", value="unsure")

    model = services.risk_model_train(by=analyst)

    assert (model.version, model.active, model.created_by) == (1, False, analyst)
    assert model.label_count == len(labelled.items) - 1
    assert model.params["texts"] == len(labelled.items) - 1
    path = classifier.models_dir() / model.weights_name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == model.weights_sha256
    conflict = model.metrics["topics"]["conflict"]
    assert conflict["trained"] is True
    assert model.metrics["topics"]["hate"]["trained"] is False
    held = {
        lang: [i for i in labelled.held_out if i.language == lang] for lang in ("kk", "ru", "en")
    }
    for language, items in held.items():
        assert conflict[language]["n"] == len(items)
        assert conflict[language]["recall"] is not None
        assert conflict[language]["precision"] is not None
    assert conflict["all"]["n"] == len(labelled.held_out)
    assert conflict["all"]["f1"] >= 0.8
    assert _audits(model, AuditEntry.Action.CREATE)


def test_training_with_too_few_labels_is_refused_and_stores_nothing(network):
    analyst = network.users["analyst"]
    # Nine answers of each kind: one short of the ten a topic needs (whatever the ids, so
    # whichever items the held-out tenth takes).
    for n in range(18):
        item = make_item(regions=("KZ-55",), title=f"Хабар {n}", text=f"Хабар мәтіні {n}")
        Label.objects.create(
            item=item,
            topic="conflict",
            value=Label.Value.YES if n % 2 else Label.Value.NO,
            analyst=analyst,
            held_out=False,
        )
    with pytest.raises(NotEnoughLabelsError):
        services.risk_model_train(by=analyst)
    assert not RiskModel.objects.exists()
    assert not list(classifier.models_dir().glob("*.npz"))


def test_a_training_request_runs_once_at_a_time_and_reports_how_it_ended(
    network, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    analyst = network.users["analyst"]
    labelled_items(analyst, per_language=8, held_out_per_language=2)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.risk_model_train_request(by=analyst)
    with pytest.raises(LearningError):
        services.risk_model_train_request(by=analyst)
    assert cache.get(classifier.TRAINING_STATUS)["state"] == "queued"
    for callback in queued:
        callback()
    [model] = RiskModel.objects.all()
    assert cache.get(classifier.TRAINING_STATUS)["state"] == "done"
    assert cache.get(classifier.TRAINING_STATUS)["version"] == model.version
    with django_capture_on_commit_callbacks(execute=False):
        services.risk_model_train_request(by=analyst)  # the lock was let go


def test_a_training_job_without_enough_labels_says_so_and_lets_the_next_one_in(network):
    cache.add(classifier.TRAINING_LOCK, 1)
    assert services.risk_model_train_run(user_id=network.users["analyst"].pk) is None
    assert cache.get(classifier.TRAINING_STATUS)["reason"] == "few_labels"
    assert cache.get(classifier.TRAINING_LOCK) is None


# --- Switching a version on ---------------------------------------------------------------------


@pytest.fixture
def two_versions(network):
    analyst = network.users["analyst"]
    labelled_items(analyst, per_language=8, held_out_per_language=2)
    return services.risk_model_train(by=analyst), services.risk_model_train(by=analyst)


@pytest.mark.parametrize("username", ["analyst", "admin"])
def test_a_national_trainer_switches_a_version_on_and_one_is_active_at_a_time(
    network, two_versions, username
):
    first, second = two_versions
    user = network.users[username]
    services.risk_model_activate(by=user, model=first)
    services.risk_model_activate(by=user, model=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.active, second.active) == (False, True)
    assert second.activated_by == user
    assert list(RiskModel.objects.filter(active=True)) == [second]
    first_changes = sorted(str(e.changes) for e in _audits(first, AuditEntry.Action.UPDATE))
    assert first_changes == sorted([str({"active": [False, True]}), str({"active": [True, False]})])
    assert [e.changes for e in _audits(second, AuditEntry.Action.UPDATE)] == [
        {"active": [False, True]}
    ]
    with pytest.raises(LearningError):
        services.risk_model_activate(by=user, model=second)


def test_a_coordinator_or_an_analyst_of_one_region_cannot_switch_a_version_on(
    network, two_versions
):
    first, _ = two_versions
    for user in (network.users["coordinator_pavlodar"], regional_analyst(network)):
        with pytest.raises(PermissionDenied):
            services.risk_model_activate(by=user, model=first)
    assert not RiskModel.objects.filter(active=True).exists()


def test_a_version_whose_file_fails_its_checksum_is_not_switched_on(network, two_versions):
    first, _ = two_versions
    path = classifier.models_dir() / first.weights_name
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(LearningError) as error, translation.override("en"):
        services.risk_model_activate(by=network.users["admin"], model=first)
    with translation.override("en"):
        assert "checksum" in str(error.value.message)
    first.refresh_from_db()
    assert first.active is False


# --- Keyword rules -----------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyword_rules")
def test_a_keyword_rule_is_saved_cleaned_audited_and_read_by_the_scorer(network):
    admin = network.users["admin"]
    rule = services.keyword_rule_save(
        by=admin,
        topic="conflict",
        language="ru",
        terms="  массовая потасовка \n\nМАССОВАЯ  ПОТАСОВКА\nпогром",
        weight=0.5,
        enabled=True,
    )
    assert rule.terms == "массовая потасовка\nпогром"
    assert rule.updated_by == admin
    [created] = _audits(rule, AuditEntry.Action.CREATE)
    assert created.changes["weight"] == [None, 0.5]
    scorer = classifier.current_scorer()
    assert scorer.score(["Массовую потасовку остановили"], ["ru"])[0]["conflict"] == 0.5

    services.keyword_rule_save(by=admin, rule=rule, weight=0.8)
    [changed] = _audits(rule, AuditEntry.Action.UPDATE)
    assert changed.changes == {"weight": [0.5, 0.8]}
    assert classifier.current_scorer().score(["погром"], ["ru"])[0]["conflict"] == 0.8

    services.keyword_rule_delete(by=admin, rule=rule)
    assert not KeywordRule.objects.exists()
    [deleted] = _audits(rule, AuditEntry.Action.DELETE)
    assert deleted.changes["terms"] == ["массовая потасовка\nпогром", None]
    assert classifier.current_scorer().score(["погром"], ["ru"])[0]["conflict"] == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"topic": "nonsense", "terms": "драка"}, "topic"),
        ({"topic": "hate", "terms": "\n  \n"}, "terms"),
        ({"topic": "hate", "terms": "драка\nи"}, "terms"),
        ({"topic": "hate", "terms": "драка", "weight": 0}, "weight"),
        ({"topic": "hate", "terms": "драка", "weight": 1.5}, "weight"),
        ({"topic": "hate", "terms": "драка", "language": "de"}, "language"),
    ],
)
@pytest.mark.usefixtures("no_keyword_rules")
def test_a_keyword_rule_that_breaks_a_rule_is_refused(network, fields, field):
    with pytest.raises(LearningError) as error:
        services.keyword_rule_save(by=network.users["admin"], **fields)
    assert error.value.field == field
    assert not KeywordRule.objects.exists()


@pytest.mark.usefixtures("no_keyword_rules")
def test_only_national_trainers_change_keyword_rules(network):
    rule = KeywordRule.objects.create(topic="hate", terms="ненависть")
    for user in (
        network.users["coordinator_pavlodar"],
        network.users["auditor"],
        regional_analyst(network),
        UserFactory(),
    ):
        with pytest.raises(PermissionDenied):
            services.keyword_rule_save(by=user, topic="hate", terms="драка")
        with pytest.raises(PermissionDenied):
            services.keyword_rule_delete(by=user, rule=rule)
    assert list(KeywordRule.objects.all()) == [rule]


@pytest.mark.usefixtures("no_keyword_rules")
def test_the_starter_lists_load_once_and_find_tension_in_three_languages():
    added = services.keyword_rules_seed()
    entries = json.loads(services.KEYWORDS_FILE.read_text(encoding="utf-8"))
    assert added == len(entries) == KeywordRule.objects.count()
    assert services.keyword_rules_seed() == 0
    for topic in Topic.values:
        languages = set(KeywordRule.objects.filter(topic=topic).values_list("language", flat=True))
        assert {"kk", "ru", "en"} <= languages, topic
    scorer = classifier.current_scorer()
    texts = [
        ("Ауылда ұлтаралық қақтығыс болды", "kk", "conflict"),
        ("Әлеуметтік желіде зорлық-зомбылыққа шақырған адам ұсталды", "kk", "violence"),
        ("В соцсетях распространяют фейки о драке", "ru", "disinformation"),
        ("Задержан автор призывов к насилию", "ru", "violence"),
        ("Языковой патруль снова в центре скандала", "ru", "language"),
        ("Festival celebrates unity in diversity", "en", "unity"),
        ("Police investigate hate speech against a community", "en", "hate"),
    ]
    for text, language, topic in texts:
        assert scorer.score([text], [language])[0][topic] > 0, text
    calm = scorer.score(["Мектепте жаңа кітапхана ашылды"], ["kk"])[0]
    assert classifier.risk_of(calm) == 0
