"""Results of a survey in the workspace: who may open them (the researchers covering the body
that conducted it), what the tables show (suppressed cells without a number, caution marks,
shares in per cent), weighing through the job, publishing, audited exports, and the population
margins pages."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.utils import timezone, translation

from birlik.access.models import AuditEntry
from birlik.surveys import services
from birlik.surveys.models import Estimate, MarginSet, MarginTarget, Survey, WeightingRun

from .factories import make_survey, make_version, trust_version
from .results_helpers import HIDDEN_VALUE, cell, index_cells, make_run

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def url(name: str, survey: Survey, suffix: str = "") -> str:
    paths = {
        "results": "",
        "runs": "runs/",
        "weigh": "weigh/",
        "publish": "publish/",
        "unpublish": "unpublish/",
        "csv": "export.csv",
        "sav": "export.sav",
        "codebook": "codebook.xlsx",
    }
    return f"/en/workspace/surveys/results/{survey.pk}/{paths[name]}{suffix}"


def text_of(response) -> str:
    html = re.sub(r"<svg.*?</svg>", " ", response.content.decode(), flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def wave(network) -> Survey:
    """A trust wave conducted by the Pavlodar assembly, weighted, with a question Q1."""
    version = make_version(
        network.pavlodar,
        [
            ("Q1", "single", {"options": ["1", "2", "88"]}),
            ("Q2", "scale", {"scale_min": 0, "scale_max": 10}),
        ],
    )
    survey = make_survey(version, network.pavlodar, is_trust_index=True, status="weighted")
    make_run(
        survey,
        [
            *index_cells(),
            cell("Q1", "all", "", 0.425, statistic="share:1", n=1500),
            cell("Q1", "all", "", 0.575, statistic="share:2", n=1500),
            cell("Q1", "region", "KZ-55", 0.31, statistic="share:1", n=90, caution=True),
            cell("Q1", "region", "KZ-75", None, statistic="share:1", n=12, suppressed=True),
            cell("Q2", "sex", "female", 6.4, n=800),
        ],
        created_at=timezone.now() - datetime.timedelta(days=1),
    )
    return survey


@pytest.mark.parametrize("who", ["admin", "analyst", "coordinator_pavlodar"])
def test_researchers_covering_the_body_read_the_results(login, network, wave, who):
    client = login(network.users[who])
    for name in ("results", "runs"):
        assert client.get(url(name, wave)).status_code == 200, name
    page = text_of(client.get(url("results", wave)))
    assert "Weigh now" in page
    assert "Download the answers (CSV)" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator_almaty", 404),  # another region's survey is not there for them
        ("auditor", 404),
        ("staff_pavlodar_house", 403),  # collects for it, does not read its results
        ("nobody", 403),
    ],
)
def test_others_get_a_404_or_a_403(login, network, wave, who, status):
    client = login(network.users[who])
    for name in ("results", "runs", "csv", "sav", "codebook"):
        assert client.get(url(name, wave)).status_code == status, name
    for name in ("weigh", "publish", "unpublish"):
        assert client.post(url(name, wave)).status_code == status, name
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, wave):
    response = client.get(url("results", wave))
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_actions_are_post_only(login, network, wave):
    client = login(network.users["analyst"])
    for name in ("weigh", "publish", "unpublish"):
        assert client.get(url(name, wave)).status_code == 405


def test_the_index_by_every_breakdown_and_a_suppressed_cell_without_number(login, network, wave):
    response = login(network.users["analyst"]).get(url("results", wave))
    html = response.content.decode()
    assert str(HIDDEN_VALUE) not in html and "13.6" not in html
    page = text_of(response)
    assert "Index of interethnic trust by region" in page
    assert "Index of interethnic trust by ethnic group" in page
    assert "66.4" in page and "64.8–68" in page
    assert "71.2" in page and "70.2 %" in page  # Pavlodar's index and its trusting share
    almaty = re.findall(r"<th scope=\"row\">Almaty</th>(.*?)</tr>", html, flags=re.S)
    assert almaty and all("too few respondents" in row for row in almaty)
    row = re.search(r"<th scope=\"row\">Russians?[^<]*</th>(.*?)</tr>", html, flags=re.S)
    assert row is not None and 'href="#caution-note"' in row.group(1)


def test_a_question_table_by_a_breakdown_shows_shares_in_per_cent(login, network, wave):
    client = login(network.users["analyst"])
    page = text_of(client.get(url("results", wave), {"question": "Q1", "dimension": "all"}))
    assert "42.5 %" in page and "57.5 %" in page
    assert "40.5–44.5 %" in page
    page = client.get(url("results", wave), {"question": "Q1", "dimension": "region"})
    html = page.content.decode()
    assert "31 %" in text_of(page)
    almaty = re.findall(r"<th scope=\"row\">Almaty</th>(.*?)</tr>", html, flags=re.S)
    assert almaty and "too few respondents" in almaty[0] and str(HIDDEN_VALUE) not in html


def test_kazakh_numbers_and_words(login, network, wave):
    client = login(network.users["analyst"])
    html = client.get(
        f"/kk/workspace/surveys/results/{wave.pk}/", {"question": "Q1", "dimension": "all"}
    ).content.decode()
    assert "42,5" in html
    with translation.override("kk"):
        assert translation.pgettext("estimate", "too few respondents") in html


@pytest.mark.parametrize(
    "query",
    [
        {"question": "NO_SUCH", "dimension": "all"},
        {"question": "Q1", "dimension": "shoe_size"},
        {"question": "", "dimension": ""},
        {"page": "x"},
    ],
)
def test_a_table_not_understood_is_said_not_a_500(login, network, wave, query):
    response = login(network.users["analyst"]).get(url("results", wave), query)
    assert response.status_code == 200
    if query.get("question") == "NO_SUCH" or query.get("dimension") == "shoe_size":
        assert "were not understood" in text_of(response)
    assert login(network.users["analyst"]).get(url("runs", wave), query).status_code == 200


def test_a_survey_never_weighed_says_so(login, network):
    survey = make_survey(trust_version(network.pavlodar), network.pavlodar, status="closed")
    page = text_of(login(network.users["analyst"]).get(url("results", survey)))
    assert "The survey has not been weighed yet" in page


def test_the_results_page_costs_a_fixed_number_of_queries(
    login, network, wave, django_assert_max_num_queries
):
    client = login(network.users["analyst"])
    client.get(url("results", wave))
    for _ in range(30):
        make_run(wave, index_cells())
    with django_assert_max_num_queries(30):
        assert (
            client.get(url("results", wave), {"question": "Q1", "dimension": "region"}).status_code
            == 200
        )
    with django_assert_max_num_queries(20):
        assert client.get(url("runs", wave)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url("runs", wave), {"page": 2}).status_code == 200


# --- Weighing, publishing ----------------------------------------------------------------------


def test_weighing_without_margins_says_why_and_stores_nothing(login, network, wave, settings):
    settings.TASKS = IMMEDIATE
    before = WeightingRun.objects.count()
    response = login(network.users["analyst"]).post(url("weigh", wave), follow=True)
    assert response.status_code == 200
    assert "The survey was not weighed" in text_of(response)
    assert "population margins" in text_of(response)
    assert WeightingRun.objects.count() == before


def test_while_the_job_waits_the_page_says_the_weights_are_being_computed(
    login, network, wave, settings
):
    settings.TASKS = DUMMY
    client = login(network.users["analyst"])
    response = client.post(url("weigh", wave), follow=True)
    page = text_of(response)
    assert "The weights are being computed" in page
    assert "Reload this page in a minute" in page


def test_publishing_and_withdrawing(login, network, wave):
    client = login(network.users["analyst"])
    response = client.post(url("publish", wave), follow=True)
    assert "The results are published" in text_of(response)
    wave.refresh_from_db()
    assert wave.public and wave.status == Survey.Status.PUBLISHED
    response = client.post(url("unpublish", wave), follow=True)
    assert "no longer public" in text_of(response)
    wave.refresh_from_db()
    assert not wave.public


def test_publishing_a_survey_not_weighed_is_refused_with_a_message(login, network):
    survey = make_survey(trust_version(network.pavlodar), network.pavlodar, status="closed")
    response = login(network.users["analyst"]).post(url("publish", survey), follow=True)
    assert response.status_code == 200
    assert "weigh it first" in text_of(response)
    survey.refresh_from_db()
    assert not survey.public


# --- Exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "suffix"),
    [
        ("csv", "text/csv", ".csv"),
        ("sav", "application/x-spss-sav", ".sav"),
        ("codebook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ],
)
def test_exports_are_private_downloads_written_to_the_audit_log(
    login, network, wave, name, kind, suffix
):
    from .factories import make_response

    make_response(wave, {"Q1": "1", "Q2": 7}, weight=1.0)
    response = login(network.users["analyst"]).get(
        url(name, wave), {"lang": "ru"} if name != "codebook" else {}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(kind)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment")
    assert suffix in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == network.users["analyst"]
    assert entry.object_type == "surveys.Survey" and entry.object_id == str(wave.pk)
    assert entry.organisation_path == network.pavlodar.path


def test_an_export_in_an_unknown_language_is_refused_and_not_logged(login, network, wave):
    response = login(network.users["analyst"]).get(url("sav", wave), {"lang": "de"}, follow=True)
    assert response.status_code == 200
    assert "The language of an export is kk, ru or en" in text_of(response)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


# --- Margins -------------------------------------------------------------------------------------

MARGINS = "/en/workspace/surveys/margins/"


def margin_url(margin_set: MarginSet, suffix: str = "") -> str:
    return f"{MARGINS}{margin_set.pk}/{suffix}"


@pytest.fixture
def margins(network) -> dict[str, MarginSet]:
    found = {}
    for key, body in (("pavlodar", network.pavlodar), ("almaty", network.almaty)):
        margin_set = MarginSet.objects.create(title=f"Margins of {key}", organisation=body)
        MarginTarget.objects.create(
            margin_set=margin_set, dimension="sex_age", category="female:18-29", share=1
        )
        found[key] = margin_set
    return found


def test_the_margins_list_is_scoped(login, network, margins, django_assert_max_num_queries):
    page = text_of(login(network.users["coordinator_pavlodar"]).get(MARGINS))
    assert "Margins of pavlodar" in page and "Margins of almaty" not in page
    page = text_of(login(network.users["analyst"]).get(MARGINS))
    assert "Margins of pavlodar" in page and "Margins of almaty" in page
    for index in range(30):
        MarginSet.objects.create(title=f"More {index}", organisation=network.pavlodar)
    client = login(network.users["analyst"])
    with django_assert_max_num_queries(15):
        assert client.get(MARGINS).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(MARGINS, {"page": "x"}).status_code == 200


@pytest.mark.parametrize("who", ["staff_pavlodar_house", "auditor", "nobody"])
def test_only_researchers_keep_margins(login, network, margins, who):
    client = login(network.users[who])
    assert client.get(MARGINS).status_code == 403
    assert client.get(MARGINS + "blank.csv").status_code == 403
    assert client.post(MARGINS + "new/", {"title": "x"}).status_code == 403
    assert client.get(margin_url(margins["pavlodar"])).status_code in (403, 404)


def test_another_regions_margins_answer_404(login, network, margins):
    client = login(network.users["coordinator_almaty"])
    assert client.get(margin_url(margins["pavlodar"])).status_code == 404
    assert client.post(margin_url(margins["pavlodar"], "upload/")).status_code == 404
    assert client.get(margin_url(margins["almaty"])).status_code == 200


def test_a_new_margin_set_starts_from_the_defaults(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        MARGINS + "new/", {"title": "Pavlodar adults 2026", "organisation": network.pavlodar.pk}
    )
    margin_set = MarginSet.objects.get(title="Pavlodar adults 2026")
    assert response.status_code == 302 and response["Location"].endswith(margin_url(margin_set))
    assert margin_set.organisation == network.pavlodar
    assert margin_set.targets.filter(dimension="sex_age").count() == 8
    page = text_of(client.get(margin_url(margin_set)))
    assert "Pavlodar adults 2026" in page
    assert "cannot be used for weighing yet" in page  # no regions yet


def test_a_new_margin_set_for_a_body_out_of_scope_is_refused(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(MARGINS + "new/", {"title": "Theirs", "organisation": network.almaty.pk})
    assert response.status_code == 400
    assert not MarginSet.objects.filter(title="Theirs").exists()


def test_the_blank_file_lists_the_twenty_regions(login, network):
    response = login(network.users["analyst"]).get(MARGINS + "blank.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["dimension", "category", "region_name"]
    assert len(rows) == 21
    assert rows[1:][[r[1] for r in rows[1:]].index("KZ-55")][:3] == [
        "region",
        "KZ-55",
        "Pavlodar Region",
    ]


def region_file(shares: dict[str, str]) -> bytes:
    lines = ["dimension,category,share,source,as_of"]
    lines += [f"region,{iso},{share},Bureau,2025-01-01" for iso, share in shares.items()]
    return "\n".join(lines).encode()


def upload(client, margin_set, data: bytes, name: str = "margins.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        margin_url(margin_set, "upload/"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def test_an_uploaded_file_is_stored_and_a_wrong_one_changes_nothing(login, network, margins):
    client = login(network.users["coordinator_pavlodar"])
    margin_set = margins["pavlodar"]
    response = upload(client, margin_set, region_file({"KZ-55": "0.5", "KZ-75": "0.5"}))
    assert response.status_code == 302
    assert margin_set.targets.filter(dimension="region").count() == 2
    response = upload(client, margin_set, region_file({"KZ-55": "0.5", "Atlantis": "0.5"}))
    assert response.status_code == 400
    assert "Atlantis" in text_of(response)
    assert set(
        margin_set.targets.filter(dimension="region").values_list("category", flat=True)
    ) == {
        "KZ-55",
        "KZ-75",
    }


def test_an_empty_or_missing_file_is_refused_with_a_message(login, network, margins):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(margin_url(margins["pavlodar"], "upload/"), {})
    assert response.status_code == 400
    assert "Please correct the errors below." in text_of(response)
    response = upload(client, margins["pavlodar"], b"\x00\x01\x02garbage")
    assert response.status_code == 400
    assert margins["pavlodar"].targets.count() == 1


def test_a_file_too_large_is_stopped_before_it_is_read(login, network, margins, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = login(network.users["coordinator_pavlodar"])
    response = upload(client, margins["pavlodar"], b"dimension,category,share\n" + b"x" * 5000)
    assert response.status_code == 400
    assert "larger than" in text_of(response)
    assert margins["pavlodar"].targets.count() == 1


def test_the_margin_page_shows_targets_sums_and_problems(login, network, margins):
    page = text_of(login(network.users["analyst"]).get(margin_url(margins["pavlodar"])))
    assert "Women, 18–29" in page or "female" in page.lower()
    assert "cannot be used for weighing yet" in page
    assert Estimate.objects.count() == 0


def test_weigh_now_runs_the_job_and_the_page_shows_the_new_run(login, network, settings):
    """End to end with the real services: generated answers, margins from the defaults and the
    regions' shares, the job run at once by the immediate backend."""
    from birlik.demo import survey_sample

    from .test_index_wave import region_margins

    settings.TASKS = IMMEDIATE
    margin_set = services.margin_set_default(network.pavlodar, user=None, title="Margins")
    region_margins(margin_set)
    survey = make_survey(
        trust_version(network.pavlodar),
        network.pavlodar,
        is_trust_index=True,
        margin_set=margin_set,
    )
    survey_sample.generate(survey, 1200, seed=7)
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(url("weigh", survey), follow=True)
    page = text_of(response)
    assert "The survey was weighed" in page
    run = WeightingRun.objects.get(survey=survey)
    assert run.created_by == network.users["coordinator_pavlodar"]
    national = Estimate.objects.get(
        run=run, question=Estimate.TRUST_INDEX, statistic="mean", dimension="all"
    )
    assert f"{national.value:.1f}" in page
    assert "1,200" in page  # respondents weighted


def test_staff_outside_the_surveys_network_get_a_404(login, network):
    survey = make_survey(trust_version(network.almaty), network.almaty, status="weighted")
    make_run(survey, index_cells())
    client = login(network.users["staff_pavlodar_house"])
    assert client.get(url("results", survey)).status_code == 404
    assert client.post(url("weigh", survey)).status_code == 404
    assert login(network.users["coordinator_almaty"]).get(url("results", survey)).status_code == 200
