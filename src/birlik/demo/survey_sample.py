"""Synthetic survey responses with a KNOWN truth and known sampling biases, for the demo, the
tests of weighting and estimates, and ``bench/surveys_bench.py``.

The population the generator samples from:

* region, sex × age group, ethnic group and urban/rural are independent of each other, with
  the shares of ``population_shares()``. Region shares: the Bureau of National Statistics'
  figures of 1 December 2025 for the regions it named (Almaty city, Turkistan, Astana, Almaty
  Region, Shymkent, Zhambyl, Karaganda, North Kazakhstan, Abai about 596,000, Ulytau); the other
  ten regions' figures are ILLUSTRATIVE (rounded, invented for the demo), and all of them count
  every age, not adults. Sex × age: ``settings.SURVEY_SEX_AGE_SHARES``. Ethnic groups: the 2021
  census (``EthnicGroup.population_2021``), groups under 1 % merged into "other" (inside it, a
  respondent gets a real small group, drawn by its census size). Urban 63 %, rural 37 %
  (Bureau, 1 January 2025).
* A respondent's expected trust index (0–100) is the truth of their region plus an age-sex
  effect and an ethnic effect, each centred on the population so that the population mean of
  every region is exactly ``true_index[region]`` (and the national truth is the
  population-share-weighted mean of the regions, ``national_truth()``).
* Answers to T1–T5: a person-level propensity ``p ~ Beta(κm, κ(1−m))`` with ``m`` the expected
  index / 100, then each item ``~ Binomial(10, p)`` (so ``E[10 × mean(items)] = 100 m``
  exactly, with no clipping or rounding bias, and the items correlate: Cronbach's α ≈ 0.9).
  Each item is "don't know" (88) with probability 2 % and "refusal" (99) with 1 %, at random.

The sample: each dimension is drawn from its population shares times a bias factor (``biases``:
the three cities ×1.8, women ×1.3, 60+ ×1.4, Kazakhs ×1.3, other groups than Kazakhs and
Russians ×0.6 by default; ``biases={}`` draws without bias). The biases are multiplicative
over independent dimensions, so raking to the population margins removes them; unweighted, the
sample is off by several points on the margins and on the index.

Other questions of the version get plausible answers by kind (single, multiple, scale, number,
matrix, an occasional open text), hidden questions (skip logic) are dropped. Everything is
decided by ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

if TYPE_CHECKING:
    from birlik.surveys.models import Survey

# Illustrative true index per region (0–100): invented for the demo and the tests.
TRUE_INDEX: dict[str, float] = {
    "KZ-10": 66.0,
    "KZ-11": 70.0,
    "KZ-15": 63.0,
    "KZ-19": 68.0,
    "KZ-23": 58.0,
    "KZ-27": 64.0,
    "KZ-31": 67.0,
    "KZ-33": 69.0,
    "KZ-35": 74.0,
    "KZ-39": 72.0,
    "KZ-43": 60.0,
    "KZ-47": 56.0,
    "KZ-55": 76.0,
    "KZ-59": 78.0,
    "KZ-61": 62.0,
    "KZ-62": 65.0,
    "KZ-63": 75.0,
    "KZ-71": 71.0,
    "KZ-75": 73.0,
    "KZ-79": 61.0,
}

# Population of each region, all ages. Bureau of National Statistics, 1 December 2025, for the
# regions it named; the others (marked) are illustrative, invented for the demo.
REGION_POPULATION: dict[str, int] = {
    "KZ-75": 2_345_012,  # Almaty city (Bureau)
    "KZ-61": 2_148_168,  # Turkistan (Bureau)
    "KZ-71": 1_630_640,  # Astana (Bureau)
    "KZ-19": 1_592_652,  # Almaty Region (Bureau)
    "KZ-79": 1_291_011,  # Shymkent (Bureau)
    "KZ-31": 1_215_892,  # Zhambyl (Bureau)
    "KZ-35": 1_131_438,  # Karaganda (Bureau)
    "KZ-59": 514_732,  # North Kazakhstan (Bureau)
    "KZ-10": 596_000,  # Abai, "about" (Bureau)
    "KZ-62": 219_200,  # Ulytau (Bureau)
    "KZ-11": 785_000,  # Akmola (illustrative)
    "KZ-15": 930_000,  # Aktobe (illustrative)
    "KZ-23": 700_000,  # Atyrau (illustrative)
    "KZ-27": 690_000,  # West Kazakhstan (illustrative)
    "KZ-33": 700_000,  # Zhetysu (illustrative)
    "KZ-39": 830_000,  # Kostanay (illustrative)
    "KZ-43": 840_000,  # Kyzylorda (illustrative)
    "KZ-47": 790_000,  # Mangystau (illustrative)
    "KZ-55": 750_000,  # Pavlodar (illustrative)
    "KZ-63": 730_000,  # East Kazakhstan (illustrative)
}
REGION_SOURCE = (
    "Bureau of National Statistics, 1 December 2025, for ten regions; the other ten are "
    "illustrative (demo); all ages"
)
CITIES = ("KZ-71", "KZ-75", "KZ-79")
URBAN_SHARE = 12_774_743 / 20_286_084  # Bureau, 1 January 2025

# Effects on the expected index (points), centred on the population before use.
SEX_AGE_EFFECT = {
    "female:18-29": 3.0,
    "female:30-44": 1.5,
    "female:45-59": -1.0,
    "female:60+": -3.0,
    "male:18-29": 2.5,
    "male:30-44": 0.5,
    "male:45-59": -2.0,
    "male:60+": -4.0,
}
ETHNIC_EFFECT = {
    "kazakh": -2.0,
    "russian": 3.0,
    "uzbek": 1.0,
    "ukrainian": 3.5,
    "uyghur": 0.5,
    "german": 4.0,
    "tatar": 4.0,
    "other": 3.0,
}
DEFAULT_BIASES: dict[str, float] = {
    "cities": 1.8,  # the three cities of republican significance
    "female": 1.3,
    "60+": 1.4,
    "kazakh": 1.3,
    "small_groups": 0.6,  # every group but Kazakhs and Russians
}
CONCENTRATION = 5.0  # κ of the person-level Beta: lower → more spread between people
DONT_KNOW = 0.02
REFUSAL = 0.01
BATCH = 2000


def census_groups() -> tuple[dict[str, float], dict[str, list[tuple[str, float]]]]:
    """Ethnic shares as margins (groups under 1 % merged into "other") and, per merged
    category, the real groups inside it with their shares of the category."""
    from birlik.surveys.services import census_ethnic_members, census_ethnic_shares

    return census_ethnic_shares(), census_ethnic_members()


def population_shares() -> dict[str, dict[str, float]]:
    """The shares the generator samples from before biases, by margin dimension: ``region``
    (ISO code), ``sex_age`` ("female:18-29"…), ``ethnic_group`` (census, merged) and
    ``settlement_type``."""
    total = sum(REGION_POPULATION.values())
    shares, _members = census_groups()
    return {
        "region": {iso: count / total for iso, count in sorted(REGION_POPULATION.items())},
        "sex_age": dict(settings.SURVEY_SEX_AGE_SHARES),
        "ethnic_group": shares,
        "settlement_type": {"urban": URBAN_SHARE, "rural": 1 - URBAN_SHARE},
    }


def national_truth(true_index: Mapping[str, float] | None = None) -> float:
    """The population mean of the index over every region (regions weighted by their shares)."""
    truth = dict(TRUE_INDEX if true_index is None else true_index)
    shares = population_shares()["region"]
    covered = {iso: share for iso, share in shares.items() if iso in truth}
    total = sum(covered.values())
    return sum(share * truth[iso] for iso, share in covered.items()) / total


def _centred(effects: Mapping[str, float], shares: Mapping[str, float]) -> dict[str, float]:
    mean = sum(effects.get(key, 0.0) * share for key, share in shares.items()) / sum(
        shares.values()
    )
    return {key: effects.get(key, 0.0) - mean for key in shares}


def _draw(rng: Any, shares: Mapping[str, float], factors: Mapping[str, float], n: int) -> Any:
    import numpy as np

    keys = list(shares)
    p = np.array([shares[k] * factors.get(k, 1.0) for k in keys], dtype=float)
    p = p / p.sum()
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p)]


def generate(
    survey: Survey,
    n: int,
    *,
    seed: int,
    true_index: Mapping[str, float] | None = None,
    biases: Mapping[str, float] | None = None,
    mode: str = "interviewer",
) -> int:
    """Write ``n`` responses to ``survey`` (bulk, in batches); the number written.

    Regions are the survey's regions when it has any (else every region of ``true_index``),
    limited to the options of its region question. ``true_index`` maps ISO codes to the
    population mean index of the region (default ``TRUE_INDEX``)."""
    import numpy as np

    from birlik.geo.models import District, Region
    from birlik.registry.models import EthnicGroup
    from birlik.surveys.models import Question

    rng = np.random.default_rng(seed)
    truth = dict(TRUE_INDEX if true_index is None else true_index)
    bias = dict(DEFAULT_BIASES if biases is None else biases)
    shares = population_shares()
    questions = list(
        Question.objects.filter(version=survey.version)
        .prefetch_related("options")
        .order_by("order", "id")
    )
    by_role = {q.role: q for q in questions if q.role}

    # Regions in scope.
    isos = [iso for iso in shares["region"] if iso in truth]
    covered = set(survey.regions.values_list("iso", flat=True)) if survey.pk else set()
    if covered:
        isos = [iso for iso in isos if iso in covered]
    region_question = by_role.get("region")
    if region_question is not None:
        offered = {o.code for o in region_question.options.all()}
        isos = [iso for iso in isos if iso in offered] or isos
    if not isos:
        return 0
    region_shares = {iso: shares["region"][iso] for iso in isos}

    # Demographics, each drawn from its biased marginal.
    region = _draw(rng, region_shares, {iso: bias.get("cities", 1.0) for iso in CITIES}, n)
    sex_age_factors: dict[str, float] = {}
    for key in shares["sex_age"]:
        sex, age = key.split(":")
        sex_age_factors[key] = (bias.get("female", 1.0) if sex == "female" else 1.0) * (
            bias.get("60+", 1.0) if age == "60+" else 1.0
        )
    sex_age = _draw(rng, shares["sex_age"], sex_age_factors, n)
    ethnic_factors = {
        code: bias.get("kazakh", 1.0)
        if code == "kazakh"
        else (1.0 if code == "russian" else bias.get("small_groups", 1.0))
        for code in shares["ethnic_group"]
    }
    ethnic_category = _draw(rng, shares["ethnic_group"], ethnic_factors, n)
    settlement = _draw(rng, shares["settlement_type"], {}, n)

    # The expected index of each respondent; the region's population mean is its truth.
    sa_effect = _centred(SEX_AGE_EFFECT, shares["sex_age"])
    eth_effect = _centred(ETHNIC_EFFECT, shares["ethnic_group"])
    expected = (
        np.array([truth[r] for r in region])
        + np.array([sa_effect[k] for k in sex_age])
        + np.array([eth_effect[k] for k in ethnic_category])
    ) / 100.0
    expected = np.clip(expected, 0.02, 0.98)
    propensity = rng.beta(CONCENTRATION * expected, CONCENTRATION * (1 - expected))

    # The real group of each respondent (inside a merged category, by census size).
    _shares, members = census_groups()
    ethnic_code = np.empty(n, dtype=object)
    for category in shares["ethnic_group"]:
        where = np.flatnonzero(ethnic_category == category)
        inside = members.get(category) or [(category, 1.0)]
        codes = [code for code, _share in inside]
        p = np.array([share for _code, share in inside], dtype=float)
        ethnic_code[where] = np.array(codes, dtype=object)[
            rng.choice(len(codes), size=where.size, p=p / p.sum())
        ]
    groups = dict(EthnicGroup.objects.values_list("code", "pk"))
    region_ids = dict(Region.objects.values_list("iso", "pk"))

    # Home language (no effect on the index).
    language = np.where(
        ethnic_code == "kazakh",
        np.where(rng.random(n) < 0.8, "kk", "ru"),
        np.where(
            np.isin(ethnic_code, ["russian", "ukrainian", "german", "tatar"]),
            np.where(rng.random(n) < 0.95, "ru", "kk"),
            np.where(rng.random(n) < 0.6, "ru", np.where(rng.random(n) < 0.75, "other", "kk")),
        ),
    ).astype(object)

    columns: dict[str, list[Any]] = {}
    # Trust items.
    from birlik.surveys import trust_index

    codes_asked = {q.code for q in questions}
    items = [c for c in trust_index.ITEM_CODES if c in codes_asked or not questions]
    for item in items:
        values = rng.binomial(10, propensity).astype(object)
        u = rng.random(n)
        values[u < DONT_KNOW + REFUSAL] = "99"
        values[u < DONT_KNOW] = "88"
        columns[item] = [int(v) if not isinstance(v, str) else v for v in values]

    # Demographic answers.
    district_question = by_role.get("district")
    districts: list[Any] = [None] * n
    if district_question is not None:
        offered = {o.code for o in district_question.options.all()}
        by_region: dict[str, list[tuple[int, str]]] = {}
        for pk, kato, iso in District.objects.values_list("pk", "kato", "region__iso"):
            if not offered or kato in offered:
                by_region.setdefault(iso, []).append((pk, kato))
        picks = rng.random(n)
        for i in range(n):
            choices = by_region.get(region[i])
            if choices:
                districts[i] = choices[int(picks[i] * len(choices))]
    demographic_answers: dict[str, list[Any]] = {}
    for role, values_of in (
        ("region", list(region)),
        ("settlement_type", list(settlement)),
        ("sex", [k.split(":")[0] for k in sex_age]),
        ("age_group", [k.split(":")[1] for k in sex_age]),
        ("ethnic_group", list(ethnic_code)),
        ("home_language", list(language)),
    ):
        question = by_role.get(role)
        if question is None:
            continue
        offered = {o.code for o in question.options.all()}
        fallback = "other" if "other" in offered else None
        demographic_answers[question.code] = [
            v if (not offered or v in offered) else fallback for v in values_of
        ]
    if district_question is not None:
        demographic_answers[district_question.code] = [d[1] if d else None for d in districts]

    # Other questions.
    handled = set(items) | set(demographic_answers)
    for question in questions:
        if question.code in handled:
            continue
        columns[question.code] = _answers_for(rng, question, n)
    columns.update(demographic_answers)

    conditional = [q for q in questions if q.show_if]
    codes = [q.code for q in questions] or list(columns)
    known = set(codes)
    extra = [c for c in columns if c not in known]
    order = codes + extra

    start = survey.starts_on or timezone.localdate() - datetime.timedelta(days=30)
    end = survey.ends_on or max(start, timezone.localdate())
    span = max((end - start).days, 0)
    days = rng.integers(0, span + 1, size=n)
    durations = rng.integers(240, 1500, size=n)
    sexes = [k.split(":")[0] for k in sex_age]
    ages = [k.split(":")[1] for k in sex_age]

    from birlik.surveys.logic import visible_codes

    written = 0
    rows: list[dict[str, Any]] = []
    with transaction.atomic():
        for i in range(n):
            answers = {}
            for code in order:
                value = columns[code][i]
                if value is not None:
                    answers[code] = value
            if conditional:
                shown = set(visible_codes(questions, answers))
                answers = {k: v for k, v in answers.items() if k in shown or k not in known}
            text = json.dumps(answers, sort_keys=True, ensure_ascii=False)
            rows.append(
                {
                    "survey_id": survey.pk,
                    "version_id": survey.version_id,
                    "client_uuid": f"sample:{survey.pk}:{seed}:{i}",
                    "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                    "mode": mode,
                    "language": language[i] if language[i] in ("kk", "ru") else "ru",
                    "submitted_on": start + datetime.timedelta(days=int(days[i])),
                    "duration_seconds": int(durations[i]),
                    "region_id": region_ids.get(region[i]),
                    "district_id": districts[i][0] if districts[i] else None,
                    "settlement_type": settlement[i],
                    "sex": sexes[i],
                    "age_group": ages[i],
                    "ethnic_group_id": groups.get(ethnic_code[i]),
                    "home_language": language[i],
                    "answers": answers,
                }
            )
            if len(rows) >= BATCH:
                written += insert_responses(rows)
                rows = []
        if rows:
            written += insert_responses(rows)
    return written


def insert_responses(rows: list[dict[str, Any]]) -> int:
    """Insert response rows (field attname → value; every other field gets its default) with
    one ``executemany``: ``bulk_create`` spends most of its time building model instances and
    the SQL, ~0.6 ms a row on a small machine."""
    from django.db import connection

    from birlik.surveys.models import Response

    if not rows:
        return 0
    fields = [f for f in Response._meta.concrete_fields if not f.primary_key]
    given = set(rows[0])
    defaults = {
        f.attname: f.get_db_prep_save(f.get_default(), connection)
        for f in fields
        if f.attname not in given
    }
    prepared = {
        f.attname: f for f in fields if f.attname in given and f.get_internal_type() == "JSONField"
    }
    quote = connection.ops.quote_name
    names = [str(f.column) for f in fields]
    columns = ", ".join(quote(c) for c in names)
    marks = ", ".join(["%s"] * len(names))
    table = quote(Response._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names, values bound
    params = []
    for row in rows:
        values = []
        for f in fields:
            if f.attname in prepared:
                values.append(prepared[f.attname].get_db_prep_save(row[f.attname], connection))
            elif f.attname in row:
                values.append(row[f.attname])
            else:
                values.append(defaults[f.attname])
        params.append(values)
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)


def _answers_for(rng: Any, question: Any, n: int) -> list[Any]:
    """Plausible answers to one question of another kind, None where left unanswered."""
    import numpy as np

    options = [o for o in question.options.all() if o.kind == "choice"]
    rows = [o for o in question.options.all() if o.kind == "row"]
    real = [o.code for o in options if o.code not in ("88", "99")]
    missing = [o.code for o in options if o.code in ("88", "99")]
    skipped = rng.random(n) < (0.0 if question.required else 0.05)
    out: np.ndarray = np.empty(n, dtype=object)
    kind = question.kind
    if kind == "single" and real:
        p = rng.dirichlet(np.ones(len(real)) * 2)
        out[:] = np.array(real, dtype=object)[rng.choice(len(real), size=n, p=p)]
    elif kind == "multiple" and real:
        chance = rng.uniform(0.1, 0.6, size=len(real))
        picked = rng.random((n, len(real))) < chance
        out[:] = [[real[j] for j in np.flatnonzero(row)] or None for row in picked]
    elif kind in ("scale", "matrix"):
        low = question.scale_min if question.scale_min is not None else 1
        high = question.scale_max if question.scale_max is not None else 5
        if kind == "scale":
            values = low + rng.binomial(high - low, rng.uniform(0.3, 0.8), size=n)
            out[:] = [int(v) for v in values]
        else:
            table = [low + rng.binomial(high - low, rng.uniform(0.3, 0.8), size=n) for _row in rows]
            out[:] = [
                {row.code: int(table[j][i]) for j, row in enumerate(rows)} or None for i in range(n)
            ]
    elif kind == "number":
        low_n = float(question.number_min) if question.number_min is not None else 0.0
        high_n = float(question.number_max) if question.number_max is not None else 100.0
        out[:] = [int(v) for v in rng.integers(int(low_n), int(high_n) + 1, size=n)]
    elif kind == "text":
        words = ["Бәрі жақсы", "Всё хорошо", "Көбірек іс-шара керек", "Нужно больше встреч"]
        said = rng.random(n) < 0.3
        out[:] = [words[i % len(words)] if said[i] else None for i in range(n)]
        return list(out)
    else:
        return [None] * n
    if missing and kind in ("single", "scale"):
        out[rng.random(n) < 0.02] = missing[0]
    out[skipped] = None
    return list(out)
