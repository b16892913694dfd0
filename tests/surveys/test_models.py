"""The data model's promises: responses are anonymous by design, and the standard
questionnaire is built from the trust index's one definition."""

from __future__ import annotations

import pytest

from birlik.surveys import trust_index
from birlik.surveys.models import Response

from .factories import make_response, make_survey, trust_version

pytestmark = pytest.mark.django_db

# Every field a response has. A new field must be added here on purpose: none may hold who
# answered (an account, a person, an IIN, an address, a device or a time of day).
RESPONSE_FIELDS = {
    "id",
    "survey",
    "version",
    "client_uuid",
    "content_hash",
    "mode",
    "language",
    "submitted_on",
    "duration_seconds",
    "region",
    "district",
    "settlement_type",
    "sex",
    "age_group",
    "ethnic_group",
    "home_language",
    "answers",
    "flags",
    "device_digest",
    "excluded",
    "excluded_reason",
    "weight",
    "entered_by",
    "import_job_id",
    "conflict",
}


def test_a_response_has_no_field_that_could_name_its_respondent():
    names = {f.name for f in Response._meta.get_fields()}
    assert names == RESPONSE_FIELDS
    related = {
        f.name: f.related_model._meta.label
        for f in Response._meta.get_fields()
        if f.is_relation and f.related_model is not None
    }
    assert "registry.Person" not in related.values()
    # entered_by is the staff member who typed a paper form or interviewed, never the respondent
    assert related["entered_by"] == "access.User"
    assert not any(
        type(f).__name__ in {"GenericIPAddressField", "DateTimeField", "TimeField"}
        for f in Response._meta.get_fields()
    )


def test_the_trust_questionnaire_asks_the_five_items(network):
    version = trust_version(network.root)
    codes = list(version.questions.values_list("code", flat=True))
    assert codes[-5:] == list(trust_index.ITEM_CODES)
    survey = make_survey(version)
    response = make_response(survey, {"T1": 7, "T2": 8, "T3": "88", "T4": 6, "T5": 9})
    assert trust_index.score(response.answers) == pytest.approx(75.0)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"T1": 10, "T2": 10, "T3": 10, "T4": 10, "T5": 10}, 100.0),
        ({"T1": 0, "T2": 0, "T3": 0, "T4": 0, "T5": 0}, 0.0),
        ({"T1": 5, "T2": 6, "T3": 7, "T4": 8}, 65.0),
        ({"T1": 5, "T2": 6, "T3": 7, "T4": "99", "T5": "88"}, None),
        ({"T1": 5, "T2": 6, "T3": 7, "T4": 11, "T5": True}, None),
        ({}, None),
    ],
)
def test_a_score_needs_four_answered_items(answers, expected):
    assert trust_index.score(answers) == (pytest.approx(expected) if expected is not None else None)
