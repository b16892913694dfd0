"""Survey waves in the workspace: the section's landing page for researchers and collectors,
making and changing a wave (bounds of weighting, interviewers from the body's network only),
its status steps, and panel invitations (tokens shown once, only their digests kept)."""

from __future__ import annotations

import base64
import datetime
import sys
import types
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import Role
from birlik.surveys import services
from birlik.surveys.models import MarginSet, Mode, PanelInvitation, Survey

from ..factories import GrantFactory, UserFactory
from .factories import make_response, make_survey, make_version, trust_version

pytestmark = pytest.mark.django_db


def url(name: str, *args: int, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name, args=args or None)


def page(client, address: str) -> tuple[int, str]:
    response = client.get(address)
    return response.status_code, response.content.decode()


def simple_version(body):
    return make_version(body, [("Q1", "single", {"options": ["1", "2"]})])


@pytest.fixture
def waves(network):
    """A national wave, a Pavlodar one and an Almaty one."""
    return {
        "national": make_survey(simple_version(network.root), title_en="National wave"),
        "pavlodar": make_survey(simple_version(network.pavlodar), title_en="Pavlodar wave"),
        "almaty": make_survey(simple_version(network.almaty), title_en="Almaty wave"),
    }


def survey_post(version, organisation, **changes) -> dict:
    data = {
        "version": version.pk,
        "organisation": organisation.pk,
        "title_kk": "Толқын",
        "title_ru": "Волна",
        "title_en": "Wave",
        "slug": "wave-2026",
        "year": "2026",
        "wave": "1",
        "starts_on": "2026-03-01",
        "ends_on": "2026-04-30",
        "modes": ["web", "panel", "paper"],
        "trim_cap": "4",
        "min_cell": "50",
        "caution_cell": "100",
        "interviewers": "",
    }
    data.update(changes)
    return data


# --- The landing page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "sees"),
    [
        ("admin", 200, {"National wave", "Pavlodar wave", "Almaty wave"}),
        ("analyst", 200, {"National wave", "Pavlodar wave", "Almaty wave"}),
        ("coordinator_pavlodar", 200, {"National wave", "Pavlodar wave"}),
        ("coordinator_almaty", 200, {"National wave", "Almaty wave"}),
        ("staff_pavlodar_house", 200, {"National wave", "Pavlodar wave"}),
        ("auditor", 403, set()),
        ("nobody", 403, set()),
    ],
)
def test_the_landing_page_shows_each_role_the_waves_it_runs_or_collects_for(
    network, waves, login, name, status, sees
):
    code, html = page(login(network.users[name]), url("surveys:home"))

    assert code == status
    assert {t for t in ("National wave", "Pavlodar wave", "Almaty wave") if t in html} == sees


def test_the_landing_page_sends_anonymous_visitors_to_sign_in(client, waves):
    response = client.get(url("surveys:home"))
    assert response.status_code == 302
    assert "/account/" in response["Location"]


def test_an_assigned_interviewer_from_another_region_sees_the_wave(network, waves, login):
    interviewer = UserFactory(username="interviewer")
    GrantFactory(user=interviewer, role=Role.BODY_STAFF, organisation=network.almaty_house)
    waves["pavlodar"].interviewers.add(interviewer)

    _, html = page(login(interviewer), url("surveys:home"))

    assert "Pavlodar wave" in html
    assert url("surveys:interview", waves["pavlodar"].pk) in html
    assert url("surveys:paper", waves["pavlodar"].pk) in html


def test_collectors_get_collecting_links_researchers_also_results(network, waves, login):
    pavlodar, national = waves["pavlodar"], waves["national"]
    national.modes = [Mode.WEB]
    national.save()

    _, staff = page(login(network.users["staff_pavlodar_house"]), url("surveys:home"))
    _, coordinator = page(login(network.users["coordinator_pavlodar"]), url("surveys:home"))

    assert url("surveys:paper", pavlodar.pk) in staff
    assert url("surveys:paper", national.pk) not in staff  # not collected on paper
    assert url("surveys:results", pavlodar.pk) not in staff
    assert url("surveys:survey_new") not in staff
    assert url("surveys:results", pavlodar.pk) in coordinator
    assert url("surveys:results", national.pk) not in coordinator  # a national wave
    assert url("surveys:survey_new") in coordinator


def test_collecting_links_only_during_the_fieldwork(network, waves, login):
    waves["pavlodar"].status = Survey.Status.PLANNED
    waves["pavlodar"].save()

    _, html = page(login(network.users["staff_pavlodar_house"]), url("surveys:home"))

    assert url("surveys:paper", waves["pavlodar"].pk) not in html
    assert url("surveys:paper", waves["national"].pk) in html


def test_the_landing_page_filters_and_counts_responses(network, waves, login):
    for _ in range(3):
        make_response(waves["pavlodar"], {"Q1": "1"})
    waves["almaty"].year = 2025
    waves["almaty"].status = Survey.Status.CLOSED
    waves["almaty"].save()
    client = login(network.users["admin"])
    base = url("surveys:home")

    _, everything = page(client, base)
    _, closed = page(client, base + "?status=closed")
    _, of_2025 = page(client, base + "?year=2025")
    _, searched = page(client, base + "?q=pavlodar")
    code, bad = page(client, base + "?year=soon&status=nonsense&page=x")

    assert "3 surveys" in everything
    assert '<td class="num">3</td>' in everything
    assert "Almaty wave" in closed and "Pavlodar wave" not in closed
    assert "Almaty wave" in of_2025 and "National wave" not in of_2025
    assert "Pavlodar wave" in searched and "Almaty wave" not in searched
    assert code == 200 and "errorlist" in bad and "Almaty wave" in bad


def test_the_landing_page_speaks_kazakh_by_default(network, waves, login):
    _, html = page(login(network.users["admin"]), url("surveys:home", lang="kk"))
    with translation.override("kk"):
        heading = translation.pgettext("workspace menu", "Surveys")
    assert f"<h1>{heading}</h1>" in html
    assert "Survey 1 (kk)" in html or "(kk)" in html


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar", "staff_pavlodar_house"])
def test_the_landing_page_costs_the_same_queries_for_two_or_twelve_waves(
    network, login, django_assert_num_queries, django_assert_max_num_queries, name
):
    client = login(network.users[name])
    version = simple_version(network.pavlodar)
    for _ in range(2):
        make_response(make_survey(version), {"Q1": "1"})
    with django_assert_max_num_queries(14) as few:
        client.get(url("surveys:home"))
    for _ in range(10):
        make_response(make_survey(version), {"Q1": "2"})

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("surveys:home"))

    assert response.content.decode().count('<th scope="row"><a href="/en/workspace/surveys/') >= 12


# --- Making and changing a wave ------------------------------------------------------------------


def test_a_researcher_makes_a_wave_of_a_launched_version(network, login):
    version = simple_version(network.pavlodar)
    draft = make_version(network.pavlodar, [("Q1", "text", {})], launched=False)
    elsewhere = simple_version(network.almaty)
    client = login(network.users["coordinator_pavlodar"])

    _, form = page(client, url("surveys:survey_new") + f"?version={version.pk}")
    assert f'<option value="{version.pk}" selected>' in form
    assert f'value="{draft.pk}"' not in form.split('name="version"')[1].split("</select>")[0]
    assert f'value="{elsewhere.pk}"' not in form.split('name="version"')[1].split("</select>")[0]

    response = client.post(
        url("surveys:survey_new"),
        survey_post(version, network.pavlodar_house, interviewers="staff_pavlodar_house"),
    )

    survey = Survey.objects.get(slug="wave-2026")
    assert response.status_code == 302
    assert response["Location"] == url("surveys:survey", survey.pk)
    assert survey.status == Survey.Status.PLANNED
    assert survey.organisation == network.pavlodar_house
    assert survey.modes == ["web", "panel", "paper"]
    assert (survey.title_kk, survey.starts_on) == ("Толқын", datetime.date(2026, 3, 1))
    assert list(survey.interviewers.values_list("username", flat=True)) == ["staff_pavlodar_house"]


@freeze_time("2027-02-01 10:00")
def test_a_new_wave_starts_in_the_current_year(network, login):
    client = login(network.users["coordinator_pavlodar"])
    _, form = page(client, url("surveys:survey_new"))
    assert 'name="year" value="2027"' in form


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"interviewers": "coordinator_almaty"}, "No account named coordinator_almaty"),
        ({"interviewers": "ghost"}, "No account named ghost"),
        ({"trim_cap": "12"}, "less than or equal to 10"),
        ({"trim_cap": "1.2"}, "greater than or equal to 1.5"),
        ({"min_cell": "5"}, "greater than or equal to 10"),
        ({"min_cell": "80", "caution_cell": "60"}, "cannot be below the smallest cell"),
        ({"ends_on": "2026-02-01"}, "The fieldwork cannot end before it starts."),
        ({"modes": []}, "This field is required."),
        ({"title_ru": ""}, "Give the title in Kazakh, Russian and English."),
        ({"slug": "Волна"}, "Latin letters, digits and hyphens"),
        ({"is_trust_index": "on"}, "The trust index needs the questions T1, T2, T3, T4, T5"),
    ],
)
def test_a_wave_that_breaks_a_rule_is_refused_with_the_reason(network, login, changes, message):
    version = simple_version(network.pavlodar)
    client = login(network.users["coordinator_pavlodar"])

    response = client.post(
        url("surveys:survey_new"), survey_post(version, network.pavlodar, **changes)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Survey.objects.exists()


def test_a_trust_index_wave_needs_the_five_items_and_scoped_margins(network, login):
    version = trust_version(network.pavlodar)
    own = MarginSet.objects.create(title="Pavlodar margins", organisation=network.pavlodar)
    other = MarginSet.objects.create(title="Almaty margins", organisation=network.almaty)
    client = login(network.users["coordinator_pavlodar"])

    refused = client.post(
        url("surveys:survey_new"),
        survey_post(version, network.pavlodar, is_trust_index="on", margin_set=other.pk),
    )
    made = client.post(
        url("surveys:survey_new"),
        survey_post(version, network.pavlodar, is_trust_index="on", margin_set=own.pk),
    )

    assert refused.status_code == 400
    assert made.status_code == 302
    survey = Survey.objects.get()
    assert survey.is_trust_index and survey.margin_set == own


def test_a_slug_is_unique(network, waves, login):
    client = login(network.users["admin"])
    response = client.post(
        url("surveys:survey_new"),
        survey_post(simple_version(network.root), network.root, slug=waves["almaty"].slug),
    )
    assert response.status_code == 400
    assert "Another survey has this address already." in response.content.decode()


def test_a_wave_is_changed_but_keeps_its_questionnaire_and_body(network, waves, login):
    survey = waves["pavlodar"]
    client = login(network.users["coordinator_pavlodar"])
    _, form = page(client, url("surveys:survey_edit", survey.pk))
    assert 'name="version"' not in form
    assert f'value="{survey.slug}"' in form

    response = client.post(
        url("surveys:survey_edit", survey.pk),
        survey_post(
            survey.version,
            network.almaty,
            slug=survey.slug,
            title_en="Renamed",
            trim_cap="3.5",
            interviewers="staff_pavlodar_house, coordinator_pavlodar",
        ),
    )

    survey.refresh_from_db()
    assert response.status_code == 302
    assert survey.title_en == "Renamed"
    assert survey.trim_cap == Decimal("3.5")
    assert survey.organisation == network.pavlodar
    assert survey.interviewers.count() == 2


@pytest.mark.parametrize(
    ("name", "wave", "status"),
    [
        ("admin", "pavlodar", 200),
        ("coordinator_pavlodar", "pavlodar", 200),
        ("coordinator_pavlodar", "national", 403),
        ("coordinator_almaty", "pavlodar", 404),
        ("staff_pavlodar_house", "pavlodar", 403),
        ("auditor", "pavlodar", 403),
        ("nobody", "pavlodar", 403),
    ],
)
def test_only_researchers_covering_the_wave_change_it(network, waves, login, name, wave, status):
    survey = waves[wave]
    client = login(network.users[name])

    assert client.get(url("surveys:survey_edit", survey.pk)).status_code == status
    assert client.get(url("surveys:invitations", survey.pk)).status_code == status
    assert client.post(url("surveys:invitations", survey.pk), {"count": "2"}).status_code == (
        status
    )
    posted = client.post(url("surveys:survey_status", survey.pk), {"status": "closed"})
    assert posted.status_code == (302 if status == 200 else status)
    if status != 200:
        assert Survey.objects.get(pk=survey.pk).status == Survey.Status.FIELDWORK
        assert not PanelInvitation.objects.exists()


@pytest.mark.parametrize(
    ("name", "status", "manages"),
    [
        ("admin", 200, True),
        ("coordinator_pavlodar", 200, True),
        ("staff_pavlodar_house", 200, False),
        ("coordinator_almaty", 404, False),
        ("auditor", 403, False),
    ],
)
def test_the_wave_page_shows_collectors_the_wave_and_researchers_its_settings(
    network, waves, login, name, status, manages
):
    survey = waves["pavlodar"]
    make_response(survey, {"Q1": "1"}, mode=Mode.PAPER)

    code, html = page(login(network.users[name]), url("surveys:survey", survey.pk))

    assert code == status
    if status == 200:
        assert "Pavlodar wave" in html
        assert url("surveys:paper", survey.pk) in html
        assert (url("surveys:survey_edit", survey.pk) in html) == manages
        assert (url("surveys:survey_status", survey.pk) in html) == manages
        assert ("Population margins" in html) == manages


# --- Status steps ---------------------------------------------------------------------------------


def test_the_page_offers_exactly_the_next_step_and_a_post_takes_it(network, login, monkeypatch):
    flagged: list[int] = []
    quality = types.ModuleType("birlik.surveys.quality")
    quality.flag_survey = lambda survey: flagged.append(survey.pk)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "birlik.surveys.quality", quality)
    survey = make_survey(simple_version(network.pavlodar), status=Survey.Status.PLANNED)
    client = login(network.users["coordinator_pavlodar"])
    address = url("surveys:survey_status", survey.pk)

    _, planned = page(client, url("surveys:survey", survey.pk))
    assert 'value="fieldwork"' in planned and 'value="closed"' not in planned
    skipped = client.post(address, {"status": "closed"}, follow=True)
    assert "cannot be moved to this step" in skipped.content.decode()
    client.post(address, {"status": "fieldwork"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.FIELDWORK and flagged == []

    _, fieldwork = page(client, url("surveys:survey", survey.pk))
    assert 'value="closed"' in fieldwork and 'value="fieldwork"' not in fieldwork
    client.post(address, {"status": "closed"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert flagged == [survey.pk]  # closing runs the quality flags
    _, closed = page(client, url("surveys:survey", survey.pk))
    assert address not in closed
    assert client.post(address, {"status": "nonsense"}).status_code == 302
    assert client.get(address).status_code == 405


def test_closing_works_without_the_quality_module(network, monkeypatch):
    monkeypatch.setitem(sys.modules, "birlik.surveys.quality", None)  # import fails
    survey = make_survey(simple_version(network.pavlodar))

    closed = services.survey_set_status(
        user=network.users["admin"], survey=survey, status=Survey.Status.CLOSED
    )

    assert closed.status == Survey.Status.CLOSED


# --- Panel invitations ----------------------------------------------------------------------------


def test_invitations_are_shown_once_as_links_and_a_file_and_only_digests_are_kept(
    network, waves, login
):
    survey = waves["pavlodar"]
    client = login(network.users["coordinator_pavlodar"])

    response = client.post(url("surveys:invitations", survey.pk), {"count": "3"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "3 invitations were made." in html
    prefix = f"http://testserver/en/surveys/{survey.slug}/t/"
    tokens = [part.split("/")[0] for part in html.split(prefix)[1:]]
    assert len(tokens) == 3 and len(set(tokens)) == 3
    stored = set(
        PanelInvitation.objects.filter(survey=survey).values_list("token_digest", flat=True)
    )
    assert stored == {services.invitation_digest(token) for token in tokens}
    assert not any(token in digest for token in tokens for digest in stored)
    data_uri = html.split('href="data:text/csv;charset=utf-8;base64,')[1].split('"')[0]
    lines = base64.b64decode(data_uri).decode("utf-8-sig").splitlines()
    assert lines[0] == "Invitation link"
    assert lines[1:] == [f"{prefix}{token}/" for token in tokens]

    code, later = page(client, url("surveys:invitations", survey.pk))
    assert code == 200
    assert "Used: 0. Not used yet: 3." in later
    assert tokens[0] not in later


def test_invitation_counts_tell_used_from_unused(network, waves, login):
    survey = waves["pavlodar"]
    services.invitations_create(user=network.users["admin"], survey=survey, count=4)
    PanelInvitation.objects.filter(pk=PanelInvitation.objects.first().pk).update(
        used_on=datetime.date(2026, 3, 2)
    )

    _, html = page(login(network.users["admin"]), url("surveys:survey", survey.pk))

    assert "Used: 1. Not used yet: 3." in html


@pytest.mark.parametrize(
    ("count", "message"),
    [
        ("0", "greater than or equal to 1"),
        ("5001", "less than or equal to 5000"),
        ("many", "Enter a whole number."),
    ],
)
def test_a_number_of_invitations_out_of_bounds_is_refused(network, waves, login, count, message):
    client = login(network.users["admin"])
    response = client.post(url("surveys:invitations", waves["pavlodar"].pk), {"count": count})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PanelInvitation.objects.exists()


def test_invitations_only_for_a_panel_wave_before_or_during_its_fieldwork(network, login):
    admin = network.users["admin"]
    web_only = make_survey(simple_version(network.root), modes=[Mode.WEB])
    closed = make_survey(simple_version(network.root), status=Survey.Status.CLOSED)

    with translation.override("en"):
        with pytest.raises(services.DomainError, match="does not collect by invitation"):
            services.invitations_create(user=admin, survey=web_only, count=2)
        with pytest.raises(services.DomainError, match="before and during the fieldwork"):
            services.invitations_create(user=admin, survey=closed, count=2)
    _, html = page(login(admin), url("surveys:invitations", closed.pk))
    assert 'name="count"' not in html
    response = login(admin).post(url("surveys:invitations", closed.pk), {"count": "2"})
    assert response.status_code == 400
    assert not PanelInvitation.objects.exists()


def test_the_invitation_digest_is_keyed_and_stable(settings):
    settings.PERSONAL_DATA_KEY = "one key"
    first = services.invitation_digest("token")
    assert first == services.invitation_digest("token")
    settings.PERSONAL_DATA_KEY = "another key"
    assert services.invitation_digest("token") != first
    assert len(first) == 64
