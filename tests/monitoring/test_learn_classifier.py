"""The classifier: our own transform equals scikit-learn's, files are never unpickled, keyword
rules read Kazakh, Russian and English with their endings, the scorer follows the database."""

from __future__ import annotations

import hashlib
import io
import os
import stat

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from birlik.monitoring import classifier
from birlik.monitoring.models import KeywordRule, RiskModel

from .learn_fixtures import corpus, models_in_tmp, no_keyword_rules  # noqa: F401 - fixtures

TOPICS_TRAINED = ("conflict", "unity")


def _labels(answers: list[bool], size: int) -> dict[str, list[bool | None]]:
    """conflict: the corpus's answer; unity: its opposite; every tenth text unlabelled;
    hate: two answers only (too few to train)."""
    conflict = [None if n % 10 == 9 else answer for n, answer in enumerate(answers)]
    unity = [None if label is None else not label for label in conflict]
    hate = [True, False] + [None] * (size - 2)
    return {"conflict": conflict, "unity": unity, "hate": hate}


@pytest.fixture(scope="module")
def trained():
    texts, languages, answers = corpus(seed=1, size=150)
    labels = _labels(answers, len(texts))
    return texts, languages, labels, classifier.train(texts, languages, labels)


def _sklearn_probabilities(texts, labels, topic, unseen):
    """The same pipeline fitted by scikit-learn itself, on the texts as the model reads them."""
    used = [n for n in range(len(texts)) if any(labels[t][n] is not None for t in TOPICS_TRAINED)]
    vectoriser = TfidfVectorizer(**classifier.vectoriser_arguments(classifier.VECTORISER))
    matrix = vectoriser.fit_transform([classifier.prepare(texts[n]) for n in used])
    rows = [row for row, n in enumerate(used) if labels[topic][n] is not None]
    answers = [int(labels[topic][used[row]]) for row in rows]
    logistic = LogisticRegression(**classifier.LOGISTIC).fit(matrix[rows], answers)
    prepared = [classifier.prepare(text) for text in unseen]
    return vectoriser.transform(prepared), logistic.predict_proba(vectoriser.transform(prepared))[
        :, 1
    ]


def test_predictions_equal_scikit_learn_to_1e_9_in_kazakh_russian_and_english(trained):
    texts, _languages, labels, model = trained
    unseen_texts, _, _ = corpus(seed=2, size=60)
    unseen = [
        *unseen_texts,
        "Ultaralyk qaqtygys",  # Latin letters
        "ултаралык кактыгыс Павлодарда",  # Kazakh typed in Russian letters
        "",  # nothing to read
        "a",  # a word shorter than the n-grams
        "  Тек   бос  орындар\tжәне\nжолдар  ",
    ]
    ours = model.predict(unseen)
    assert sorted(ours) == sorted(TOPICS_TRAINED)
    for topic in TOPICS_TRAINED:
        matrix, theirs = _sklearn_probabilities(texts, labels, topic, unseen)
        assert np.max(np.abs(model.transform(unseen).toarray() - matrix.toarray())) < 1e-9
        assert np.max(np.abs(ours[topic] - theirs)) < 1e-9
    # The model learnt something: clashes score above calm news.
    _, _, answers = corpus(seed=2, size=60)
    clashes = ours["conflict"][:60][np.array(answers)]
    calm = ours["conflict"][:60][~np.array(answers)]
    assert clashes.mean() > 0.5 > calm.mean()


def test_a_topic_with_too_few_answers_gets_no_model(trained):
    *_, model = trained
    assert "hate" not in model.topics
    assert model.params["label_counts"]["conflict"]["all"]["yes"] >= classifier.MIN_PER_CLASS


def test_training_without_any_topic_having_enough_answers_is_refused():
    texts, languages, answers = corpus(seed=3, size=15)
    with pytest.raises(classifier.NotEnoughLabels):
        classifier.train(texts, languages, {"conflict": list(answers)})


def test_a_saved_model_loads_with_its_checksum_and_predicts_the_same(trained):
    *_, model = trained
    path = classifier.model_path(1)
    digest = classifier.save(model, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded = classifier.load(path, digest)
    unseen, _, _ = corpus(seed=4, size=30)
    before, after = model.predict(unseen), loaded.predict(unseen)
    for topic in TOPICS_TRAINED:
        assert np.array_equal(before[topic], after[topic])
    assert loaded.params == model.params


def test_a_file_that_does_not_match_its_checksum_is_refused(trained):
    *_, model = trained
    path = classifier.model_path(2)
    digest = classifier.save(model, path)
    with pytest.raises(classifier.ModelFileError):
        classifier.load(path, "0" * 64)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(classifier.ModelFileError):
        classifier.load(path, digest)
    with pytest.raises(classifier.ModelFileError):
        classifier.load(path.with_name("v404.npz"), digest)


TRIPPED: list[str] = []


def _tripwire() -> str:
    TRIPPED.append("unpickled")
    return "unpickled"


class _Tripwire:
    def __reduce__(self):
        return (_tripwire, ())


def test_a_model_file_carrying_a_pickle_is_refused_without_running_it(trained):
    *_, model = trained
    arrays = dict(model.arrays)
    arrays["coef"] = np.array([_Tripwire()], dtype=object)
    buffer = io.BytesIO()
    np.savez(buffer, params=np.frombuffer(b'{"topics": []}', dtype=np.uint8), **arrays)
    path = classifier.models_dir() / "v9.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    digest = hashlib.sha256(buffer.getvalue()).hexdigest()
    with pytest.raises(classifier.ModelFileError):
        classifier.load(path, digest)
    assert TRIPPED == []


# --- Keyword rules -----------------------------------------------------------------------------


def _rule(topic, language, terms, weight=0.6, enabled=True):
    return KeywordRule(topic=topic, language=language, terms=terms, weight=weight, enabled=enabled)


RULES = [
    _rule("conflict", "kk", "ұлтаралық қақтығыс\nжаппай төбелес"),
    _rule("conflict", "ru", "межнациональн конфликт\nдрака"),
    _rule("conflict", "en", "ethnic clash\nriot"),
    _rule("violence", "", "бей"),
    _rule("hate", "ru", "ненависть", enabled=False),
]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ауылда ұлтаралық қақтығыстар болды", "kk"),
        ("Павлодарда ұлтаралық қақтығыстың алдын алды", "kk"),
        ("Ауылда ултаралык кактыгыстар болды", "kk"),  # Kazakh typed in Russian letters
        ("Жаппай төбелесте үш адам ұсталды", "kk"),
        ("Полиция предотвратила межнационального конфликта", "ru"),
        ("Межнациональные конфликты в регионе", "ru"),
        ("Ethnic clashes were reported", "en"),
        ("Police stopped a RIOT.", "en"),
        ("Межнациональному конфликту положен конец", "ru"),
    ],
)
def test_keyword_rules_find_terms_with_their_endings(text, language):
    [scores] = classifier.keyword_scores([text], [language], RULES)
    assert scores["conflict"] == pytest.approx(0.6)
    assert set(scores) == set(classifier.TOPICS)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Бейбітшілік пен келісім", "kk"),  # «бей» is short: only the whole word
        ("Драка на национальной почве", "en"),  # a Russian list does not read English
        ("Drakas happen", "en"),
        ("Riots were reported", "en"),  # «riot» is short: no endings
        ("Межнационального сотрудничество", "ru"),  # one word of a phrase is not enough
    ],
)
def test_keyword_rules_miss_parts_of_words_and_other_languages(text, language):
    [scores] = classifier.keyword_scores([text], [language], RULES)
    assert scores["conflict"] == 0
    assert scores["violence"] == 0


def test_a_text_of_unknown_language_is_read_with_every_list():
    [scores] = classifier.keyword_scores(["драка и riot"], ["unknown"], RULES)
    assert scores["conflict"] == pytest.approx(1 - 0.4 * 0.4)


def test_more_terms_found_saturate_the_score_and_a_repeated_term_counts_once():
    texts = ["драка", "драка, драка и драка", "драка и межнациональный конфликт"]
    scores = classifier.keyword_scores(texts, ["ru"] * 3, RULES)
    assert [row["conflict"] for row in scores] == pytest.approx([0.6, 0.6, 1 - 0.4**2])


def test_a_rule_switched_off_scores_nothing():
    [scores] = classifier.keyword_scores(["ненависть"], ["ru"], RULES)
    assert scores["hate"] == 0


def test_risk_is_the_highest_risk_topic_and_unity_never_counts():
    assert classifier.risk_of({"unity": 0.99, "hate": 0.3, "conflict": 0.5}) == 0.5
    assert classifier.risk_of({"unity": 0.99}) == 0


# --- Scorer ------------------------------------------------------------------------------------


def test_the_scorer_takes_the_higher_of_model_and_keywords(trained):
    *_, model = trained
    scorer = classifier.Scorer(rules=RULES, model=model, model_version_id=7)
    calm = "A festival of national cultures took place in Taraz, with 30 guests"
    rows = scorer.score([calm, calm + ". Riot"], ["en", "en"])
    predicted = model.predict([calm])
    assert rows[0]["conflict"] == pytest.approx(float(predicted["conflict"][0]))
    assert rows[0]["conflict"] < 0.5
    assert rows[1]["conflict"] >= 0.6  # the keyword is a floor the model cannot lower
    assert rows[0]["unity"] == pytest.approx(float(predicted["unity"][0]))
    assert rows[0]["violence"] == 0  # no model for it: keywords alone
    assert scorer.model_version_id == 7


@pytest.mark.usefixtures("no_keyword_rules")
def test_the_process_scorer_follows_rules_and_the_active_model_with_one_query(
    trained, django_assert_num_queries
):
    *_, model = trained
    first = classifier.current_scorer()
    assert first.score(["межнациональный конфликт"], ["ru"])[0]["conflict"] == 0
    with django_assert_num_queries(1):
        assert classifier.current_scorer() is first
    rule = KeywordRule.objects.create(topic="conflict", language="ru", terms="конфликт", weight=0.5)
    second = classifier.current_scorer()
    assert second.score(["межнациональный конфликт"], ["ru"])[0]["conflict"] == 0.5
    rule.delete()
    assert classifier.current_scorer().score(["конфликт"], ["ru"])[0]["conflict"] == 0
    path = classifier.model_path(3)
    active = RiskModel.objects.create(
        version=3, weights_name=path.name, weights_sha256=classifier.save(model, path), active=True
    )
    scorer = classifier.current_scorer()
    assert scorer.model_version_id == active.pk
    assert scorer.score(["Interethnic clash in Taraz"], ["en"])[0]["conflict"] > 0.5
    RiskModel.objects.filter(pk=active.pk).update(active=False)
    assert classifier.current_scorer().model_version_id is None


@pytest.mark.usefixtures("no_keyword_rules")
def test_an_active_model_whose_file_is_damaged_leaves_scoring_to_the_keywords(trained):
    *_, model = trained
    path = classifier.model_path(5)
    digest = classifier.save(model, path)
    path.write_bytes(b"not a model")
    RiskModel.objects.create(version=5, weights_name=path.name, weights_sha256=digest, active=True)
    scorer = classifier.current_scorer()
    assert scorer.model_version_id is None
    assert scorer.score(["Interethnic clash"], ["en"])[0]["conflict"] == 0
