"""The interethnic trust index (ITI): its items, scale and formula — the one definition that the
standard questionnaire, the estimates, the indicators and the public method page all read.

Five items on the 0–10 format of the European Social Survey, with labelled ends: three adapt
the ESS social-trust battery (``ppltrst``, ``pplfair``, ``pplhlp``) to people of other ethnic
groups, two ask about relations where the respondent lives and about a marriage in the family.
A respondent's score is ten times the mean of the items they answered, on 0–100, when they
answered at least ``MIN_ANSWERED`` of the five ("don't know" 88 and "refusal" 99 are missing);
otherwise they have no score. Equal item weights, fixed across waves. Changing an item or the
formula makes a new ``VERSION`` with its own series.

Computations over many respondents live in ``estimates.py`` (stats), which calls ``score``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VERSION = "ITI v1"
CODE = "TRUST_INDEX"
SCALE_MIN = 0
SCALE_MAX = 10
MIN_ANSWERED = 4
TRUSTING_FROM = 60  # a score of 60 or more counts as "trusting" (the secondary figure)
MISSING = ("88", "99")


@dataclass(frozen=True)
class Item:
    code: str
    text: dict[str, str]  # language → question
    label_min: dict[str, str]
    label_max: dict[str, str]


ITEMS: tuple[Item, ...] = (
    Item(
        "T1",
        {
            "kk": "Жалпы алғанда, Қазақстанда тұратын басқа этнос өкілдеріне қаншалықты сенуге "
            "болады?",
            "ru": "Вообще говоря, насколько можно доверять людям других этносов, живущим в "
            "Казахстане?",
            "en": "Generally speaking, how far can people of other ethnic groups living in "
            "Kazakhstan be trusted?",
        },
        {
            "kk": "мүлде сенуге болмайды",
            "ru": "совсем нельзя доверять",
            "en": "cannot be trusted at all",
        },
        {
            "kk": "толық сенуге болады",
            "ru": "можно полностью доверять",
            "en": "can be trusted completely",
        },
    ),
    Item(
        "T2",
        {
            "kk": "Басқа этнос өкілдері мүмкіндік болса сізді пайдаланып кетуге тырысар ма еді, "
            "әлде әділ болуға тырысар ма еді?",
            "ru": "Как вы думаете, люди других этносов при случае попытались бы воспользоваться "
            "вами или постарались бы поступить честно?",
            "en": "Would people of other ethnic groups try to take advantage of you if they got "
            "the chance, or would they try to be fair?",
        },
        {
            "kk": "пайдаланып кетуге тырысар еді",
            "ru": "попытались бы воспользоваться",
            "en": "would try to take advantage",
        },
        {
            "kk": "әділ болуға тырысар еді",
            "ru": "постарались бы поступить честно",
            "en": "would try to be fair",
        },
    ),
    Item(
        "T3",
        {
            "kk": "Басқа этнос өкілдері көбінесе көмектесуге тырыса ма, әлде тек өз мүддесін "
            "ойлай ма?",
            "ru": "Люди других этносов чаще стараются помочь или думают только о себе?",
            "en": "Do people of other ethnic groups mostly try to be helpful, or mostly look out "
            "for themselves?",
        },
        {
            "kk": "тек өз мүддесін ойлайды",
            "ru": "думают только о себе",
            "en": "look out for themselves",
        },
        {"kk": "көмектесуге тырысады", "ru": "стараются помочь", "en": "try to be helpful"},
    ),
    Item(
        "T4",
        {
            "kk": "Сіз тұратын жердегі этностар арасындағы қарым-қатынасты қалай бағалайсыз?",
            "ru": "Как бы вы оценили отношения между этносами там, где вы живёте?",
            "en": "How would you describe relations between ethnic groups where you live?",
        },
        {"kk": "өте нашар", "ru": "очень плохие", "en": "very bad"},
        {"kk": "өте жақсы", "ru": "очень хорошие", "en": "very good"},
    ),
    Item(
        "T5",
        {
            "kk": "Басқа этнос өкілі сіздің жақын туысыңызға үйленсе (тұрмысқа шықса), өзіңізді "
            "қалай сезінер едіңіз?",
            "ru": "Как бы вы себя чувствовали, если бы человек другого этноса вступил в брак с "
            "вашим близким родственником?",
            "en": "How would you feel if a person of another ethnic group married a close "
            "relative of yours?",
        },
        {"kk": "өте ыңғайсыз", "ru": "очень некомфортно", "en": "very uncomfortable"},
        {"kk": "мүлде алаңдамас едім", "ru": "совершенно спокойно", "en": "completely at ease"},
    ),
)
ITEM_CODES = tuple(item.code for item in ITEMS)


def _value(raw: Any) -> float | None:
    """An item's answer as a number on the scale, or None when missing or out of range."""
    if raw is None or isinstance(raw, bool) or str(raw) in MISSING:
        return None
    try:
        number = float(raw)
    except (TypeError, ValueError):
        return None
    return number if SCALE_MIN <= number <= SCALE_MAX else None


def score(answers: Mapping[str, Any]) -> float | None:
    """A respondent's index on 0–100: ten times the mean of the answered items, when at least
    ``MIN_ANSWERED`` of them were answered; else None."""
    values = [v for v in (_value(answers.get(code)) for code in ITEM_CODES) if v is not None]
    if len(values) < MIN_ANSWERED:
        return None
    return 100.0 * sum(values) / (len(values) * (SCALE_MAX - SCALE_MIN))


# --- Reliability (stats): the method note of each wave -----------------------------------------

ALPHA_ACCEPTABLE = 0.7  # below it the method note says the items hang together poorly


def cronbach_alpha(items: Any) -> float | None:
    """Cronbach's α of an (respondents × items) array of complete answers:
    ``k/(k−1) × (1 − Σ var(item) / var(sum))``; None with fewer than two respondents or items,
    or no variance."""
    import numpy as np

    data = np.asarray(items, dtype=float)
    if data.ndim != 2 or data.shape[0] < 2 or data.shape[1] < 2:
        return None
    k = data.shape[1]
    total_var = data.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return None
    return float(k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var))


def first_factor_loadings(items: Any, *, iterations: int = 100) -> list[float] | None:
    """Loadings of the items on one common factor (principal-axis factoring of the correlation
    matrix: communalities start at the squared multiple correlations and are iterated), signed
    so that their sum is positive; None when the correlations cannot be computed."""
    import numpy as np

    data = np.asarray(items, dtype=float)
    if data.ndim != 2 or data.shape[0] < 3 or data.shape[1] < 2:
        return None
    if not np.all(data.std(axis=0) > 0):
        return None
    corr = np.corrcoef(data, rowvar=False)
    try:
        communality = 1 - 1 / np.diag(np.linalg.inv(corr))
    except np.linalg.LinAlgError:
        communality = np.full(corr.shape[0], 0.5)
    loadings = np.zeros(corr.shape[0])
    for _step in range(iterations):
        reduced = corr.copy()
        np.fill_diagonal(reduced, communality)
        values, vectors = np.linalg.eigh(reduced)
        top = max(float(values[-1]), 0.0)
        new = vectors[:, -1] * np.sqrt(top)
        if np.allclose(new * np.sign(new.sum() or 1), loadings, atol=1e-6):
            loadings = new * np.sign(new.sum() or 1)
            break
        loadings = new * np.sign(new.sum() or 1)
        communality = np.clip(loadings**2, 0.0, 1.0)
    return [round(float(v), 4) for v in loadings]
