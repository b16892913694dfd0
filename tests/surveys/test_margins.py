"""Margin sets: the default (census ethnic groups, settings' sex × age, no invented regions),
uploads of messy files (kk/ru headers, counts, region names), all-or-nothing refusals, the
check, the setting's validation, and what weighing refuses."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils import translation

from birlik import settings as project_settings
from birlik.core import spreadsheets
from birlik.core.errors import DomainError
from birlik.registry.models import EthnicGroup
from birlik.surveys import services
from birlik.surveys.models import MarginSet, MarginTarget, Survey

from .factories import make_response, make_survey, trust_version

pytestmark = pytest.mark.django_db


def shares(margin_set: MarginSet, dimension: str) -> dict[str, float]:
    return {t.category: float(t.share) for t in margin_set.targets.filter(dimension=dimension)}


def test_the_default_margins_come_from_the_census_and_the_setting(network, settings):
    margin_set = services.margin_set_default(network.root, user=network.users["analyst"])
    ethnic = shares(margin_set, "ethnic_group")
    counts = dict(
        EthnicGroup.objects.filter(population_2021__gt=0).values_list("code", "population_2021")
    )
    total = sum(counts.values())
    big = {code for code, count in counts.items() if count / total >= 0.01 and code != "other"}
    assert set(ethnic) == big | {"other"}
    assert {"kazakh", "russian", "uzbek"} <= big and "korean" not in big
    assert ethnic["kazakh"] == pytest.approx(counts["kazakh"] / total, abs=1e-6)
    assert sum(ethnic.values()) == pytest.approx(1.0, abs=1e-9)
    target = margin_set.targets.get(dimension="ethnic_group", category="kazakh")
    assert target.source == "2021 census, all ages"
    assert target.as_of == datetime.date(2021, 10, 1)
    assert shares(margin_set, "sex_age") == pytest.approx(settings.SURVEY_SEX_AGE_SHARES)
    assert not margin_set.targets.filter(dimension="region").exists()
    with translation.override("kk"):
        problems = services.margin_set_check(margin_set)
    with translation.override("kk"):
        expected = translation.gettext(
            "No regional shares yet: enter them from the Bureau of National Statistics' "
            "release for the survey's date, with the source and date (they are never "
            "filled in for you)."
        )
    assert problems == [expected]


def test_the_default_needs_the_right_to_weigh_for_the_body(network):
    with pytest.raises(PermissionDenied):
        services.margin_set_default(network.pavlodar, user=network.users["coordinator_almaty"])
    assert (
        services.margin_set_default(
            network.pavlodar, user=network.users["coordinator_pavlodar"], title="Павлодар"
        ).title
        == "Павлодар"
    )


MESSY_CSV = """Халық құрылымы 2025 (облыстар)
Өлшем;Санат;Халық саны;Дереккөз;Жағдай бойынша
облыс;Павлодар облысы;750 000;ҰСБ;01.12.2025
облыс;город Алматы;2 345 012;ҰСБ;01.12.2025
облыс;kz-71;1 630 640;ҰСБ;01.12.2025
жыныс және жас;әйел 18–29;2 000;ҰСБ;2025-12-01
жыныс және жас;ер 60+;1 000;ҰСБ;2025-12-01
"""


def test_a_messy_file_with_kazakh_headers_and_counts_is_read(network):
    margin_set = services.margin_set_default(network.root, user=None)
    before = shares(margin_set, "ethnic_group")
    stored = services.margin_set_upload(
        margin_set, MESSY_CSV.encode("utf-8"), user=network.users["analyst"]
    )
    assert stored == 5
    regions = shares(margin_set, "region")
    total = 750_000 + 2_345_012 + 1_630_640
    assert regions == pytest.approx(
        {"KZ-55": 750_000 / total, "KZ-75": 2_345_012 / total, "KZ-71": 1_630_640 / total},
        abs=1e-6,
    )
    assert sum(regions.values()) == pytest.approx(1.0, abs=1e-9)
    # The file's sex × age replaced the default's; ethnic groups were not in it and stay.
    assert shares(margin_set, "sex_age") == pytest.approx(
        {"female:18-29": 2 / 3, "male:60+": 1 / 3}, abs=1e-6
    )
    assert shares(margin_set, "ethnic_group") == before
    target = margin_set.targets.get(dimension="region", category="KZ-55")
    assert (target.source, target.as_of) == ("ҰСБ", datetime.date(2025, 12, 1))


def test_an_xlsx_with_russian_headers_and_percentages(network):
    margin_set = MarginSet.objects.create(title="m", organisation=network.root)
    data = spreadsheets.xlsx_bytes(
        ["Измерение", "Категория", "Процент", "Источник", "Дата"],
        [
            ["тип поселения", "город", "63,0", "БНС", "01.01.2025"],
            ["тип поселения", "село", "37,0", "БНС", "01.01.2025"],
        ],
        title="Маржиналы",
    )
    assert services.margin_set_upload(margin_set, data, user=None) == 2
    assert shares(margin_set, "settlement_type") == pytest.approx({"urban": 0.63, "rural": 0.37})


def test_a_bad_category_is_named_and_nothing_is_stored(network):
    margin_set = services.margin_set_default(network.root, user=None)
    before = list(margin_set.targets.values_list("dimension", "category", "share"))
    bad = MESSY_CSV.replace("kz-71", "Атлантида")
    with translation.override("kk"), pytest.raises(DomainError) as refused:
        services.margin_set_upload(margin_set, bad.encode("utf-8"), user=None)
    message = str(refused.value.message)
    assert "«Атлантида»" in message
    assert "5" in message  # the line of the file
    assert list(margin_set.targets.values_list("dimension", "category", "share")) == before


def test_shares_that_do_not_sum_to_one_are_refused_by_dimension(network):
    margin_set = MarginSet.objects.create(title="m", organisation=network.root)
    data = (
        "dimension,category,share,source\nsex_age,female:18-29,0.5,x\nsex_age,male:18-29,0.45,x\n"
    )
    with pytest.raises(DomainError, match="0.9500"):
        services.margin_set_upload(margin_set, data.encode(), user=None)
    assert not margin_set.targets.exists()


def test_a_file_that_is_not_a_table_is_refused_with_a_message(network):
    margin_set = MarginSet.objects.create(title="m", organisation=network.root)
    with pytest.raises(DomainError):
        services.margin_set_upload(margin_set, b"%PDF-1.7 not a table", user=None)
    with pytest.raises(DomainError):
        services.margin_set_upload(margin_set, b"", user=None)


def test_the_check_lists_every_problem(network):
    margin_set = MarginSet.objects.create(title="m", organisation=network.root)
    assert services.margin_set_check(margin_set) == [
        translation.gettext("The margin set has no targets yet.")
    ]
    for category, share in (("KZ-55", "0.6"), ("KZ-99", "0.3")):
        MarginTarget.objects.create(
            margin_set=margin_set, dimension="region", category=category, share=Decimal(share)
        )
    problems = " ".join(services.margin_set_check(margin_set))
    assert "0.9000" in problems
    assert "KZ-99" in problems
    assert len(services.margin_set_check(margin_set)) == 3  # sum, unknown, no source


def test_the_sex_age_setting_is_validated_at_start_up():
    good = project_settings._sex_age_shares(
        '{"female:18-29": 0.125, "female:30-44": 0.125, "female:45-59": 0.125, '
        '"female:60+": 0.125, "male:18-29": 0.125, "male:30-44": 0.125, "male:45-59": 0.125, '
        '"male:60+": 0.125}'
    )
    assert sum(good.values()) == 1
    with pytest.raises(ImproperlyConfigured, match="JSON"):
        project_settings._sex_age_shares("{not json")
    with pytest.raises(ImproperlyConfigured, match="keys"):
        project_settings._sex_age_shares('{"female": 1}')
    with pytest.raises(ImproperlyConfigured, match="sum"):
        project_settings._sex_age_shares(
            '{"female:18-29": 0.5, "female:30-44": 0.125, "female:45-59": 0.125, '
            '"female:60+": 0.125, "male:18-29": 0.125, "male:30-44": 0.125, '
            '"male:45-59": 0.125, "male:60+": 0.125}'
        )


def test_weighing_refuses_open_fieldwork_missing_or_invalid_margins(network):
    analyst = network.users["analyst"]
    survey = make_survey(trust_version(network.root), network.root)
    make_response(survey, {"T1": 5})
    with pytest.raises(DomainError):
        services.survey_weigh(survey, user=analyst)  # fieldwork still open
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(DomainError):
        services.survey_weigh(survey, user=analyst)  # no margin set
    survey.margin_set = services.margin_set_default(network.root, user=None)
    survey.save(update_fields=["margin_set"])
    with pytest.raises(DomainError) as refused:
        services.survey_weigh(survey, user=analyst)  # no regions
    assert (
        "Bureau" in str(refused.value.message)
        or "ҰСБ" in str(refused.value.message)
        or (refused.value.message)
    )
    with pytest.raises(PermissionDenied):
        services.survey_weigh(survey, user=network.users["coordinator_almaty"])
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED and not survey.runs.exists()


def test_publishing_needs_a_weighted_survey(network):
    survey = make_survey(trust_version(network.root), network.root, status=Survey.Status.CLOSED)
    with pytest.raises(DomainError):
        services.survey_publish(survey, user=network.users["analyst"])
    with pytest.raises(DomainError):
        services.survey_unpublish(survey, user=network.users["analyst"])
