"""The public link and panel invitations: the questionnaire in the page's language, consent
first, errors next to their questions, one answer per invitation, the rate limit, nothing
identifying kept."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from birlik.surveys import collect_forms, services
from birlik.surveys.models import Mode, PanelInvitation, Response, Survey

from .factories import make_survey, make_version

pytestmark = pytest.mark.django_db


def simple_version(organisation):
    return make_version(
        organisation,
        [
            ("Q1", "single", {"options": ["1", "2"], "required": True}),
            ("Q2", "text", {"show_if": {"q": "Q1", "op": "eq", "v": "1"}, "required": True}),
            ("Q3", "scale", {"scale_min": 0, "scale_max": 10, "options": ["88"]}),
            (
                "Q4",
                "matrix",
                {"scale_min": 1, "scale_max": 3, "rows": ["a", "b"], "required": False},
            ),
        ],
    )


@pytest.fixture
def survey(network) -> Survey:
    return make_survey(simple_version(network.root), slug="trust-2026")


def url(survey: Survey, language: str = "kk") -> str:
    with translation.override(language):
        return reverse("surveys_portal:survey", kwargs={"slug": survey.slug})


def panel_url(survey: Survey, token: str, language: str = "kk") -> str:
    with translation.override(language):
        return reverse("surveys_portal:panel", kwargs={"slug": survey.slug, "token": token})


GOOD = {"sv_consent": "on", "Q1": "2", "Q3": "7", "Q4__a": "1", "Q4__b": "3"}


def post(client, address: str, data: dict, **extra):
    return client.post(address, data, REMOTE_ADDR=extra.pop("addr", "10.0.0.1"), **extra)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_questionnaire_is_in_the_page_language(client, survey, language):
    page = client.get(url(survey, language))
    assert page.status_code == 200
    html = page.content.decode()
    suffix = {"kk": " (kk)", "ru": " (ru)", "en": ""}[language]
    assert f"Question Q1{suffix}" in html
    assert f"I agree to answer anonymously{suffix}" in html
    assert "Survey" in html
    with translation.override(language):
        assert translation.gettext("Your answers are anonymous") in html
        assert translation.gettext("Send the answers") in html
    for other in {"kk", "ru", "en"} - {language}:
        assert f'href="{url(survey, other)}"' in html
    assert 'id="q-Q1"' in html and 'name="Q4__a"' in html
    assert 'data-show-if="' in html
    assert "style=" not in html and "<script>" not in html


def test_unknown_survey_is_404_and_a_closed_one_says_so(client, survey, network):
    assert client.get("/kk/surveys/no-such-survey/").status_code == 404
    survey.status = Survey.Status.CLOSED
    survey.save()
    page = client.get(url(survey, "en"))
    assert page.status_code == 200
    assert "This survey is not open for answers now." in page.content.decode()
    assert 'name="Q1"' not in page.content.decode()
    web_off = make_survey(simple_version(network.root), modes=[Mode.PAPER])
    assert "not open" in client.get(url(web_off, "en")).content.decode()
    assert post(client, url(web_off, "en"), GOOD).status_code != 302
    assert not Response.objects.exists()


def test_a_good_answer_is_stored_anonymously(client, survey):
    started = signing.dumps(
        {"s": survey.pk, "t": int(time.time()) - 300}, salt=collect_forms.STARTED_SALT
    )
    page = post(client, url(survey, "ru"), {**GOOD, "sv_started": started})
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys_portal:thanks", kwargs={"slug": survey.slug})
    response = Response.objects.get()
    assert response.mode == Mode.WEB and response.language == "ru"
    assert response.answers == {"Q1": "2", "Q3": 7, "Q4": {"a": 1, "b": 3}}
    assert 299 <= response.duration_seconds <= 310
    assert len(response.device_digest) == 64
    cookie = page.cookies[f"birlik_sv_{survey.pk}"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie.value not in response.device_digest
    assert response.entered_by is None
    thanks = client.get(page["Location"])
    assert thanks.status_code == 200
    with translation.override("ru"):  # the page of the language the answers were given in
        assert translation.gettext("Thank you for your answers") in thanks.content.decode()


def test_the_same_browser_gets_the_same_digest_and_is_not_refused(client, survey):
    post(client, url(survey), GOOD)
    post(client, url(survey), GOOD)
    digests = set(Response.objects.values_list("device_digest", flat=True))
    assert Response.objects.count() == 2 and len(digests) == 1


def test_a_forged_start_stamp_gives_no_duration(client, survey):
    post(client, url(survey), {**GOOD, "sv_started": "forged"})
    assert Response.objects.get().duration_seconds is None


def test_consent_is_required(client, survey):
    page = post(client, url(survey, "en"), {k: v for k, v in GOOD.items() if k != "sv_consent"})
    assert page.status_code == 400
    assert "Tick the box to agree before answering." in page.content.decode()
    assert not Response.objects.exists()


def test_errors_are_shown_next_to_their_question_with_a_summary(client, survey):
    page = post(client, url(survey, "en"), {"sv_consent": "on", "Q1": "1", "Q3": "12"})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'href="#q-Q2"' in html and 'href="#q-Q3"' in html
    assert 'id="q-Q2-error"' in html
    assert "This question needs an answer." in html
    assert "Choose a point from 0 to 10." in html
    assert not Response.objects.exists()
    # a tampered choice gets a message, not a 500
    page = post(client, url(survey, "en"), {**GOOD, "Q1": "<script>"})
    assert page.status_code == 400
    assert not Response.objects.exists()


def test_kazakh_errors(client, survey):
    page = post(client, url(survey, "kk"), {"sv_consent": "on"})
    with translation.override("kk"):
        assert translation.gettext("This question needs an answer.") in page.content.decode()


def test_the_hidden_trap_field_stores_nothing(client, survey):
    page = post(client, url(survey), {**GOOD, "sv_website": "http://spam"})
    assert page.status_code == 302
    assert not Response.objects.exists()


def test_the_eleventh_answer_in_an_hour_is_refused(client, survey, settings):
    settings.RATE_SURVEY_RESPONSES = "10/h"
    for _ in range(10):
        assert post(client, url(survey, "en"), GOOD, addr="10.0.0.9").status_code == 302
    page = post(client, url(survey, "en"), GOOD, addr="10.0.0.9")
    assert page.status_code == 429
    assert "Too many attempts" in page.content.decode()
    assert Response.objects.count() == 10
    assert post(client, url(survey, "en"), GOOD, addr="10.0.0.10").status_code == 302


def test_get_never_cached_and_other_methods_refused(client, survey):
    page = client.get(url(survey))
    assert "no-store" in page["Cache-Control"]
    assert client.put(url(survey)).status_code == 405


# --- Panel -------------------------------------------------------------------------------------


def invite(survey: Survey, token: str) -> PanelInvitation:
    return PanelInvitation.objects.create(
        survey=survey, token_digest=services._c_invitation_digest(token)
    )


def test_a_panel_invitation_answers_once(client, survey):
    invite(survey, "tok-123456")
    address = panel_url(survey, "tok-123456", "en")
    page = client.get(address)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["Cache-Control"] == "private, no-store"
    assert 'name="Q1"' in page.content.decode()
    done = post(client, address, GOOD)
    assert done.status_code == 302
    assert done["Referrer-Policy"] == "no-referrer"
    response = Response.objects.get()
    assert response.mode == Mode.PANEL
    again = client.get(address)
    assert again.status_code == 200
    assert "This invitation is not valid or has already been used." in again.content.decode()
    assert 'name="Q1"' not in again.content.decode()
    second = post(client, address, GOOD)
    assert second.status_code == 200
    assert Response.objects.count() == 1


def test_an_unknown_token_reads_like_a_used_one(client, survey):
    page = client.get(panel_url(survey, "never-issued", "en"))
    assert page.status_code == 200
    assert "This invitation is not valid or has already been used." in page.content.decode()
    assert page["Referrer-Policy"] == "no-referrer"
    with translation.override("kk"):
        expected = translation.gettext("This invitation is not valid or has already been used.")
    assert expected in client.get(panel_url(survey, "never-issued", "kk")).content.decode()


def test_a_token_of_another_survey_is_refused(client, survey, network):
    other = make_survey(simple_version(network.root))
    invite(other, "tok-other")
    page = client.get(panel_url(survey, "tok-other", "en"))
    assert "not valid" in page.content.decode()


def test_panel_closed_when_the_survey_takes_no_panel(client, network):
    survey = make_survey(simple_version(network.root), modes=[Mode.WEB])
    invite(survey, "tok-x")
    page = client.get(panel_url(survey, "tok-x", "en"))
    assert "not open" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
