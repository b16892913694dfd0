"""Raking (weightipy wrapped): margins met, the cap, refusals, Kish's design effect, and the
library's defects the wrapper handles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.utils import translation

from birlik.core.errors import DomainError
from birlik.surveys import weighting

REGIONS = [f"R{i:02d}" for i in range(12)]
SEX_AGE = [f"{s}:{a}" for s in ("female", "male") for a in ("18-29", "30-44", "45-59", "60+")]
GROUPS = ["kazakh", "russian", "uzbek", "ukrainian", "other"]


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' messages are matched in English (the catalogue's kk/ru are checked by
    tests/test_translations.py)."""
    translation.activate("en")
    yield


def biased_sample(n: int = 3000, seed: int = 7) -> tuple[pd.DataFrame, dict]:
    """A sample drawn from known population shares times bias factors (cities, women,
    Kazakhs over-represented)."""
    rng = np.random.default_rng(seed)
    region_p = rng.dirichlet(np.ones(len(REGIONS)) * 4)
    sex_age_p = np.array([0.12, 0.16, 0.12, 0.12, 0.13, 0.16, 0.11, 0.08])
    group_p = np.array([0.70, 0.16, 0.03, 0.02, 0.09])
    margins = {
        "region": dict(zip(REGIONS, region_p, strict=True)),
        "sex_age": dict(zip(SEX_AGE, sex_age_p, strict=True)),
        "ethnic_group": dict(zip(GROUPS, group_p, strict=True)),
    }

    def draw(keys, p, factors):
        q = np.asarray(p) * np.asarray(factors)
        return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=q / q.sum())]

    frame = pd.DataFrame(
        {
            "region": draw(REGIONS, region_p, [1.8, 1.8] + [1.0] * 10),
            "sex_age": draw(SEX_AGE, sex_age_p, [1.3] * 4 + [1.0] * 4),
            "ethnic_group": draw(GROUPS, group_p, [1.3, 1.0, 0.6, 0.6, 0.6]),
        }
    )
    return frame, margins


def weighted_shares(frame: pd.DataFrame, weights, dimension: str) -> dict[str, float]:
    w = pd.Series(weights, index=frame.index)
    return (w.groupby(frame[dimension]).sum() / w.sum()).to_dict()


def test_margins_are_reproduced_within_a_hundredth_of_a_point():
    frame, margins = biased_sample()
    before = max(
        abs(frame[d].value_counts(normalize=True).get(c, 0) - s) * 100
        for d, by in margins.items()
        for c, s in by.items()
    )
    assert before > 1  # the biases show unweighted
    weights = weighting.rake(frame, margins, cap=4)
    for dimension, targets in margins.items():
        shares = weighted_shares(frame, weights.values, dimension)
        for category, share in targets.items():
            assert abs(shares[category] - share) * 100 <= 0.01
    assert weights.worst_margin_error <= 0.01
    assert weights.values.mean() == pytest.approx(1.0)
    assert weights.n == len(frame)
    assert weights.library.startswith("weightipy ")
    assert weights.iterations > 1


def test_the_cap_bounds_the_largest_weight_and_the_margins_still_hold():
    frame, margins = biased_sample(n=4000, seed=11)
    free = weighting.rake(frame, margins, cap=50)
    cap = 2.5
    assert free.largest > cap + 1  # the cap binds
    capped = weighting.rake(frame, margins, cap=cap)
    assert capped.largest <= cap * capped.values.mean() + 1e-3
    assert capped.worst_margin_error <= 0.01
    assert capped.smallest == pytest.approx(capped.values.min())
    assert capped.deff <= free.deff


def test_a_cap_that_cannot_meet_the_margins_fails_the_run():
    frame, margins = biased_sample(n=1500)
    with pytest.raises(DomainError, match="percentage points"):
        weighting.rake(frame, margins, cap=1.2)


def test_a_cap_of_one_or_less_is_refused():
    frame, margins = biased_sample(n=500)
    with pytest.raises(DomainError):
        weighting.rake(frame, margins, cap=1)


def test_an_empty_margin_category_is_refused_by_name():
    frame, margins = biased_sample()
    frame = frame[frame["region"] != "R05"].reset_index(drop=True)
    with pytest.raises(DomainError) as refused:
        weighting.rake(frame, margins, cap=4)
    assert "R05 (0)" in str(refused.value.message)


def test_a_thin_margin_category_is_refused_with_its_count():
    frame, margins = biased_sample()
    keep = frame.index[frame["ethnic_group"] == "uzbek"][:3]
    frame = frame[(frame["ethnic_group"] != "uzbek") | frame.index.isin(keep)]
    with pytest.raises(DomainError) as refused:
        weighting.rake(frame.reset_index(drop=True), margins, cap=4)
    assert "uzbek (3)" in str(refused.value.message)
    # Merged by the analyst into "other", the sample weighs.
    merged = frame.replace({"ethnic_group": {"uzbek": "other"}}).reset_index(drop=True)
    groups = dict(margins["ethnic_group"])
    groups["other"] += groups.pop("uzbek")
    weighting.rake(merged, {**margins, "ethnic_group": groups}, cap=4)


def test_respondents_outside_the_margins_and_missing_values_are_refused():
    frame, margins = biased_sample(n=800)
    stray = frame.copy()
    stray.loc[0, "region"] = "R99"
    with pytest.raises(DomainError, match="R99"):
        weighting.rake(stray, margins, cap=4)
    gap = frame.copy()
    gap.loc[0, "sex_age"] = None
    with pytest.raises(DomainError):
        weighting.rake(gap, margins, cap=4)


def test_kish_design_effect_of_a_hand_made_vector():
    w = [1.0, 1.0, 2.0, 4.0]
    # n Σw² / (Σw)² = 4 × 22 / 64
    assert weighting.kish_deff(w) == pytest.approx(1.375)
    assert weighting.effective_n(w) == pytest.approx(64 / 22)
    assert weighting.kish_deff([3.0] * 10) == pytest.approx(1.0)


def test_printed_messages_of_the_library_become_warnings(monkeypatch, capsys):
    frame = pd.DataFrame({"sex_age": ["female:18-29"] * 30 + ["male:18-29"] * 70})
    margins = {"sex_age": {"female:18-29": 0.5, "male:18-29": 0.5}}
    monkeypatch.setattr(weighting, "MAX_ITERATIONS", 1)
    weights = weighting.rake(frame, margins, cap=4)
    assert any("Convergence did not occur" in note for note in weights.warnings)
    assert capsys.readouterr().out == ""  # nothing reached the console


def test_the_library_still_crashes_on_a_lower_and_upper_cap():
    """weightipy 0.4.2 defect: ``cap=(min, max)`` raises; ``rake`` passes the upper cap only.
    When this test fails, the library was fixed: the smallest weight could be trimmed too."""
    import weightipy

    frame, margins = biased_sample(n=300)
    scheme = weightipy.Rim("t", cap=(0.5, 4))
    scheme.set_targets([{d: {c: 100 * s for c, s in by.items()}} for d, by in margins.items()])
    with pytest.raises(TypeError):
        weightipy.weight(frame, scheme)
