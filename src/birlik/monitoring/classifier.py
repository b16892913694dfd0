"""The risk classifier: keyword rules for the cold start, and one model per topic that analysts
train from their labels.

A model is kept without pickle: one ``.npz`` of plain arrays, read with
``numpy.load(allow_pickle=False)`` and checked against the sha256 kept on its ``RiskModel`` row.
Prediction is our own char n-gram TF-IDF transform and a logistic sigmoid, equal to
scikit-learn's pipeline to 1e-9 (tests/monitoring/test_learn_classifier.py); scikit-learn is
imported only to train, so the worker that scores items never needs it.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import connection
from scipy import sparse
from scipy.special import expit

from birlik.core.cleaning import match_key

from .models import RISK_TOPICS, KeywordRule, RiskModel, Topic

log = logging.getLogger(__name__)

TOPICS: tuple[str, ...] = tuple(Topic.values)
KNOWN_LANGUAGES = ("kk", "ru", "en")
# The model reads the title and the start of the text: n-grams of the first 1,500 characters
# carry the topic, and the transform stays within the pipeline's budget per item.
MODEL_CHARS = 1500
# A topic gets a model only with this many "yes" and this many "no" labels; below, its keyword
# rules stay its score.
MIN_PER_CLASS = 10
# A word of a keyword rule this long is a stem: it also matches the word with any ending
# (Kazakh and Russian cases, plurals: «қақтығыс» → «қақтығыстарда», «конфликт» → «конфликта»).
# Its final vowels are dropped first when at least this many letters stay, so that a Russian
# word written in its dictionary form matches its other cases («массовая» → «массовой»).
MIN_STEM = 5
# Vowels after folding (``match_key``: Kazakh letters typed as Russian ones, й → и, ь dropped).
_FINAL_VOWELS = "аеиоуыэюяaeiouy"
# Decided in docs/design/monitoring.md §1.4. The text is folded by ``prepare`` before it reaches
# the vectoriser (Kazakh letters typed as Russian ones give the same n-grams), so the
# vectoriser's own lower-casing is not needed.
VECTORISER: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": [2, 5],
    "sublinear_tf": True,
    "lowercase": False,
    "min_df": 2,
    "max_features": 100_000,
}
LOGISTIC: dict[str, Any] = {"class_weight": "balanced", "C": 1.0, "max_iter": 2000}
ARRAYS = ("vocabulary", "idf", "coef", "intercept")
WORD_CACHE = 200_000  # words whose n-gram columns a loaded model keeps (a few tens of MB at most)
# Shared cache keys of training on demand: one training at a time, and how the last one ended.
TRAINING_LOCK = "birlik:monitoring:risk-model-training"
TRAINING_STATUS = "birlik:monitoring:risk-model-training-status"


class ModelFileError(Exception):
    """A model file is missing, damaged, or not the one its row names (checksum)."""


class NotEnoughLabels(ValueError):
    """No topic has enough "yes" and "no" labels to fit a model."""


def prepare(text: str) -> str:
    """The text as the model reads it: its start, folded (case, Kazakh letters, punctuation)."""
    return match_key((text or "")[:MODEL_CHARS])


def item_text(title: str, text: str) -> str:
    """What is scored of an item, in training and in the pipeline alike."""
    return f"{title or ''}\n{text or ''}".strip()


# --- Keyword rules -----------------------------------------------------------------------------


class RuleLike(Protocol):
    topic: str
    language: str
    terms: str
    weight: float
    enabled: bool


@dataclass(frozen=True)
class _Term:
    rule: int
    number: int
    words: tuple[str, ...]
    stems: tuple[str | None, ...]

    @classmethod
    def of(cls, rule: int, number: int, key: str) -> _Term:
        words = tuple(key.split())
        return cls(rule, number, words, tuple(stem_of(word) for word in words))

    def matches(self, tokens: Sequence[str], start: int) -> bool:
        if start + len(self.words) > len(tokens):
            return False
        return all(
            tokens[start + offset] == word
            if stem is None
            else tokens[start + offset].startswith(stem)
            for offset, (word, stem) in enumerate(zip(self.words, self.stems, strict=True))
        )


def stem_of(word: str) -> str | None:
    """What a folded word of a rule must begin a word of the text with; None: the whole word.

    Short words match only whole («бей» never finds «бейбітшілік»); longer ones lose their
    final vowels when five letters stay («массовая» → «массов», «драка» stays «драка»)."""
    if len(word) < MIN_STEM:
        return None
    stem = word.rstrip(_FINAL_VOWELS)
    return stem if len(stem) >= MIN_STEM else word


def rule_terms(terms: str) -> list[str]:
    """The terms of a rule as they are matched: one per line, folded, empty lines dropped."""
    keys = (match_key(line) for line in (terms or "").splitlines())
    return list(dict.fromkeys(key for key in keys if key))


class KeywordIndex:
    """Enabled rules compiled once: terms found by their first word, exact or by stem."""

    def __init__(self, rules: Iterable[RuleLike]) -> None:
        self.rules = [rule for rule in rules if rule.enabled]
        self.exact: dict[str, list[_Term]] = defaultdict(list)
        self.stems: dict[str, list[_Term]] = defaultdict(list)
        for number, rule in enumerate(self.rules):
            for term_number, key in enumerate(rule_terms(rule.terms)):
                term = _Term.of(number, term_number, key)
                if term.stems[0] is None:
                    self.exact[term.words[0]].append(term)
                else:
                    self.stems[term.stems[0]].append(term)

    def _applies(self, rule: RuleLike, language: str) -> bool:
        # A text of no known language (too short, another language) is read with every list:
        # better a signal for an analyst to dismiss than a call to violence missed.
        return not rule.language or rule.language == language or language not in KNOWN_LANGUAGES

    def _hits(self, text: str, language: str) -> dict[int, set[int]]:
        tokens = match_key(text).split()
        hits: dict[int, set[int]] = defaultdict(set)
        for start, token in enumerate(tokens):
            candidates = list(self.exact.get(token, ()))
            for length in range(MIN_STEM, len(token) + 1):
                candidates.extend(self.stems.get(token[:length], ()))
            for term in candidates:
                if term.matches(tokens, start) and self._applies(self.rules[term.rule], language):
                    hits[term.rule].add(term.number)
        return hits

    def score(self, texts: Sequence[str], languages: Sequence[str]) -> list[dict[str, float]]:
        """Per text, every topic: 1 − Π (1 − weight) over the distinct terms found.

        Each distinct term found is one more piece of evidence (a saturating "noisy or"); the
        same term repeated ten times is still one.
        """
        scores = []
        for text, language in zip(texts, languages, strict=True):
            missed = dict.fromkeys(TOPICS, 1.0)
            for rule_number, terms in self._hits(text, language).items():
                rule = self.rules[rule_number]
                weight = min(max(float(rule.weight), 0.0), 1.0)
                missed[rule.topic] = missed.get(rule.topic, 1.0) * (1.0 - weight) ** len(terms)
            scores.append({topic: 1.0 - missed[topic] for topic in TOPICS})
        return scores


def keyword_scores(
    texts: Sequence[str], languages: Sequence[str], rules: Iterable[RuleLike]
) -> list[dict[str, float]]:
    """Cold-start scores of ``texts`` from the enabled keyword ``rules`` (see ``KeywordIndex``)."""
    return KeywordIndex(rules).score(texts, languages)


# --- Models ----------------------------------------------------------------------------------


@dataclass
class TrainedModel:
    """A fitted model: ``params`` (JSON) and ``arrays`` — the vocabulary in column order, the
    idf, and per trained topic a row of ``coef`` and an ``intercept``."""

    params: dict[str, Any]
    arrays: dict[str, np.ndarray]
    _columns: dict[str, int] | None = field(default=None, init=False, repr=False)
    _words: dict[str, tuple[int, ...]] = field(default_factory=dict, init=False, repr=False)

    @property
    def topics(self) -> list[str]:
        return list(self.params["topics"])

    def _index(self) -> dict[str, int]:
        if self._columns is None:
            terms = self.arrays["vocabulary"].tolist()
            self._columns = {term: column for column, term in enumerate(terms)}
        return self._columns

    def _word_columns(self, word: str) -> tuple[int, ...]:
        """The vocabulary columns of one word's n-grams; words repeat, so they are kept."""
        columns = self._words.get(word)
        if columns is None:
            index = self._index()
            low, high = self.params["vectoriser"]["ngram_range"]
            grams = _char_wb_grams(f" {word} ", low, high)
            columns = tuple(column for column in map(index.get, grams) if column is not None)
            if len(self._words) < WORD_CACHE:
                self._words[word] = columns
        return columns

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF rows as scikit-learn's ``TfidfVectorizer(analyzer="char_wb", sublinear_tf=
        True)`` makes them: padded words cut into n-grams, counts → 1 + ln(count), × idf, l2."""
        indptr, indices, counts = [0], [], []
        for text in texts:
            row: Counter[int] = Counter()
            for word in prepare(text).split():
                row.update(self._word_columns(word))
            for column in sorted(row):
                indices.append(column)
                counts.append(row[column])
            indptr.append(len(indices))
        column_ids = np.asarray(indices, dtype=np.int64)
        pointers = np.asarray(indptr, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts)), np.diff(pointers))
        tf = 1.0 + np.log(np.asarray(counts, dtype=np.float64))
        data = tf * self.arrays["idf"][column_ids]
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
        norms[norms == 0] = 1.0
        data = data / norms[rows]
        shape = (len(texts), len(self.arrays["vocabulary"]))
        return sparse.csr_matrix((data, column_ids, pointers), shape=shape)

    def predict(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """P(yes) per trained topic: sigmoid(X · coef + b)."""
        if not self.topics:
            return {}
        decision = self.transform(texts) @ self.arrays["coef"].T + self.arrays["intercept"]
        probabilities = expit(np.asarray(decision))
        return {topic: probabilities[:, n] for n, topic in enumerate(self.topics)}


def _char_wb_grams(padded: str, low: int, high: int) -> Iterable[str]:
    """scikit-learn's ``_char_wb_ngrams`` for one padded word: a word no longer than n gives
    itself once, and no longer n-grams."""
    length = len(padded)
    for n in range(low, high + 1):
        if n >= length:
            yield padded
            return
        for start in range(length - n + 1):
            yield padded[start : start + n]


def train(
    texts: Sequence[str],
    languages: Sequence[str],
    labels_by_topic: Mapping[str, Sequence[bool | None]],
) -> TrainedModel:
    """Fit one binary model per topic with enough labels; ``labels_by_topic[topic][i]`` is the
    label of ``texts[i]`` (None: not labelled on that topic)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    trainable = [
        topic for topic in TOPICS if topic in labels_by_topic and _enough(labels_by_topic[topic])
    ]
    if not trainable:
        raise NotEnoughLabels(MIN_PER_CLASS)
    used = [
        i for i in range(len(texts)) if any(labels_by_topic[t][i] is not None for t in trainable)
    ]
    vectoriser = TfidfVectorizer(**vectoriser_arguments(VECTORISER))
    matrix = vectoriser.fit_transform([prepare(texts[i]) for i in used])
    rows = {text_number: row for row, text_number in enumerate(used)}
    coefs, intercepts, counts = [], [], {}
    for topic in trainable:
        labelled = [i for i in used if labels_by_topic[topic][i] is not None]
        answers = np.array([bool(labels_by_topic[topic][i]) for i in labelled], dtype=int)
        logistic = LogisticRegression(**LOGISTIC)
        logistic.fit(matrix[[rows[i] for i in labelled]], answers)
        coefs.append(logistic.coef_[0])
        intercepts.append(logistic.intercept_[0])
        counts[topic] = _counts(labelled, labels_by_topic[topic], languages)
    terms = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)
    params = {
        "vectoriser": VECTORISER,
        "logistic": LOGISTIC,
        "model_chars": MODEL_CHARS,
        "topics": trainable,
        "label_counts": counts,
        "texts": len(used),
    }
    arrays = {
        "vocabulary": np.array(terms, dtype=str),
        "idf": np.asarray(vectoriser.idf_, dtype=np.float64),
        "coef": np.vstack(coefs).astype(np.float64),
        "intercept": np.asarray(intercepts, dtype=np.float64),
    }
    return TrainedModel(params=params, arrays=arrays)


def vectoriser_arguments(params: dict[str, Any]) -> dict[str, Any]:
    """The stored (JSON) vectoriser parameters as scikit-learn takes them."""
    return {**params, "ngram_range": tuple(params["ngram_range"]), "dtype": np.float64}


def _enough(labels: Sequence[bool | None]) -> bool:
    yes = sum(1 for label in labels if label is True)
    no = sum(1 for label in labels if label is False)
    return yes >= MIN_PER_CLASS and no >= MIN_PER_CLASS


def _counts(
    labelled: list[int], labels: Sequence[bool | None], languages: Sequence[str]
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for i in labelled:
        for language in (_language_group(languages[i]), "all"):
            slot = counts.setdefault(language, {"yes": 0, "no": 0})
            slot["yes" if labels[i] else "no"] += 1
    return counts


def _language_group(language: str) -> str:
    return language if language in KNOWN_LANGUAGES else "other"


# --- Files -----------------------------------------------------------------------------------


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / "models"


def model_path(version: int) -> Path:
    return models_dir() / f"v{version}.npz"


def save(model: TrainedModel, path: Path) -> str:
    """Write the model (owner-only, mode 600) and return the sha256 of the file's bytes."""
    payload = {name: model.arrays[name] for name in ARRAYS}
    document = json.dumps(model.params, sort_keys=True, ensure_ascii=False).encode("utf-8")
    payload["params"] = np.frombuffer(document, dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **payload)  # type: ignore[arg-type]
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as out:
        out.write(data)
    os.chmod(path, 0o600)
    return hashlib.sha256(data).hexdigest()


def load(path: Path, sha256: str) -> TrainedModel:
    """The model in ``path`` if its bytes have the sha256 its row names; never unpickles."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise ModelFileError(str(error)) from error
    if not sha256 or hashlib.sha256(data).hexdigest() != sha256:
        raise ModelFileError("checksum mismatch")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in (*ARRAYS, "params")}
        params = json.loads(arrays.pop("params").tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError) as error:
        raise ModelFileError(str(error)) from error
    _check_shapes(params, arrays)
    return TrainedModel(params=params, arrays=arrays)


def _check_shapes(params: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    topics = params.get("topics")
    columns = arrays["vocabulary"].shape
    valid = (
        isinstance(topics, list)
        and set(topics) <= set(TOPICS)
        and arrays["vocabulary"].dtype.kind == "U"
        and len(columns) == 1
        and arrays["idf"].shape == columns
        and arrays["coef"].shape == (len(topics), columns[0])
        and arrays["intercept"].shape == (len(topics),)
    )
    if not valid:
        raise ModelFileError("arrays do not fit together")


# --- Scoring ---------------------------------------------------------------------------------


class Scorer:
    """Scores items on every topic, with the active model where it has the topic and the keyword
    rules everywhere.

    The score of a topic is max(model, keywords). Keyword lists are what analysts wrote down on
    purpose — a new slogan, a call to violence the model has not seen labelled yet — so a term
    found is a floor the model cannot talk down; the model adds what no list names. A keyword
    that misfires is fixed where it was written (lower its weight, switch the rule off), not by
    hoping the model outvotes it.
    """

    def __init__(
        self,
        *,
        rules: Iterable[RuleLike],
        model: TrainedModel | None = None,
        model_version_id: int | None = None,
    ) -> None:
        self.keywords = KeywordIndex(rules)
        self.model = model
        self.model_version_id = model_version_id if model is not None else None

    def score(self, texts: list[str], languages: list[str]) -> list[dict[str, float]]:
        scores = self.keywords.score(texts, languages)
        if self.model is None or not texts:
            return scores
        for topic, probabilities in self.model.predict(texts).items():
            for row, probability in zip(scores, probabilities.tolist(), strict=True):
                row[topic] = max(row[topic], float(probability))
        return scores


def risk_of(topics: dict[str, float]) -> float:
    """An item's risk: its highest score on a risk topic (positive coverage never counts)."""
    return max((float(topics.get(topic, 0.0)) for topic in RISK_TOPICS), default=0.0)


_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], Scorer] | None = None


def _signature() -> tuple[Any, ...]:
    """What the scorer is built from, in one query: the active model (id and checksum), the
    rules' last change and their number (a rule deleted changes the number, one edited or added
    the last change)."""
    quote = connection.ops.quote_name
    models_table = quote(RiskModel._meta.db_table)
    rules_table = quote(KeywordRule._meta.db_table)
    active = f"FROM {models_table} WHERE active = %s ORDER BY version DESC LIMIT 1"
    sql = (
        f"SELECT (SELECT id {active}), (SELECT weights_sha256 {active}), "  # noqa: S608 - names from the models, values bound
        f"(SELECT MAX(updated_at) FROM {rules_table}), (SELECT COUNT(*) FROM {rules_table})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, True])
        row = cursor.fetchone()
    return (connection.alias, *row)


def _build() -> Scorer:
    rules = list(KeywordRule.objects.filter(enabled=True))
    active = RiskModel.objects.filter(active=True).order_by("-version").first()
    if active is None:
        return Scorer(rules=rules)
    try:
        model = load(models_dir() / Path(active.weights_name).name, active.weights_sha256)
    except ModelFileError:
        # Scoring goes on with the keyword rules; the models page refuses this file too.
        log.exception("risk model v%s cannot be read; scoring with keyword rules", active.version)
        return Scorer(rules=rules)
    return Scorer(rules=rules, model=model, model_version_id=active.pk)


def current_scorer() -> Scorer:
    """The scorer of the active model and rules, kept per process and rebuilt when either
    changes (checked with one query per call)."""
    global _cached
    signature = _signature()
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
        scorer = _build()
        _cached = (signature, scorer)
        return scorer


def forget_scorer() -> None:
    """Drop the process's scorer (tests; a file replaced by hand)."""
    global _cached
    with _lock:
        _cached = None
