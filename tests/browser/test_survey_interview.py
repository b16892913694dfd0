"""The offline interview on a 360 px phone in Chromium, and the skip-logic cases on logic.js.

An interviewer (assigned to the survey, no other role) opens the interview page once online;
the service worker keeps the page, its questionnaire and scripts. Offline, two interviews are
filled (one with a question opened by the skip logic, one where it stays hidden) and saved to
IndexedDB; the page is reloaded offline (from the worker) and still counts two waiting. Back
online, the page sends them: "0 waiting", and the database holds exactly two responses. A record
sent again (the same client_uuid and answers) is taken as already there: still two rows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, BrowserContext, Page, expect

from birlik.surveys.models import Mode, Response, Survey
from tests.conftest import PASSWORD, Network
from tests.factories import UserFactory
from tests.surveys.factories import make_survey, make_version

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "surveys" / "logic_cases.json").read_text("utf-8")
)
PHONE = {"width": 360, "height": 740}
# Put a record into the phone's queue and tell the page the connection is back.
RESEND = "record => BirlikQueue.put(record).then(() => window.dispatchEvent(new Event('online')))"


def interview_survey(network: Network) -> Survey:
    version = make_version(
        network.pavlodar,
        [
            ("D_SEX", "single", {"options": ["female", "male"], "required": True, "role": "sex"}),
            ("Q1", "single", {"options": ["yes", "no"], "required": True}),
            (
                "Q2",
                "multiple",
                {"options": ["a", "b"], "required": True, "show_if": {"q": "Q1", "v": "yes"}},
            ),
            (
                "T1",
                "scale",
                {"scale_min": 0, "scale_max": 10, "options": ["88", "99"], "required": True},
            ),
            ("AGE", "number", {"number_min": 18, "number_max": 120}),
        ],
    )
    return make_survey(version, network.pavlodar, modes=[Mode.INTERVIEWER])


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[tuple[BrowserContext, Page]]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="kk-KZ",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    tab.on(
        "console",
        lambda message: (
            errors.append(f"{tab.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield context, tab
    context.close()
    assert not errors, "JavaScript errors or blocked content on the page:\n" + "\n".join(errors)


def screenshot(tab: Page, name: str) -> None:
    folder = os.environ.get("BIRLIK_SCREENSHOTS")
    if folder:
        tab.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def sign_in(tab: Page, username: str) -> None:
    with translation.override("kk"):
        tab.goto(reverse("access:login"))
    form = tab.locator("form").filter(has=tab.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    tab.wait_for_load_state()


def waiting(count: int) -> str:
    with translation.override("kk"):
        return gettext("Interviews waiting to be sent: %(count)s") % {"count": count}


def test_logic_js_gives_what_logic_py_gives(page: Page, browser_network: Network):
    page.goto("/kk/")
    page.add_script_tag(url=static("birlik/surveys/logic.js"))
    results = page.evaluate(
        """cases => ({
            evaluate: cases.evaluate.map(c => BirlikLogic.evaluate(c.condition, c.answers)),
            visible: cases.visible.map(c => BirlikLogic.visibleCodes(c.questions, c.answers)),
        })""",
        CASES,
    )
    wrong = [
        case["name"]
        for case, got in zip(CASES["evaluate"], results["evaluate"], strict=True)
        if got is not case["expected"]
    ]
    wrong += [
        case["name"]
        for case, got in zip(CASES["visible"], results["visible"], strict=True)
        if got != case["expected"]
    ]
    assert not wrong, wrong


FORM = """
<form novalidate id="answers">
  <fieldset data-question="Q1"><legend>Q1</legend>
    <input type="radio" name="Q1" value="yes" id="q1y"><label for="q1y">yes</label>
    <input type="radio" name="Q1" value="no" id="q1n"><label for="q1n">no</label></fieldset>
  <fieldset data-question="Q2" data-show-if='{"q": "Q1", "v": "yes"}'><legend>Q2</legend>
    <input type="checkbox" name="Q2" value="a" id="q2a"><label for="q2a">a</label>
    <input type="checkbox" name="Q2" value="b" id="q2b"><label for="q2b">b</label></fieldset>
  <fieldset data-question="Q3" data-show-if='{"q": "Q2", "op": "in", "v": ["b"]}'>
    <legend>Q3</legend><label for="q3">Q3</label><input type="text" name="Q3" id="q3"></fieldset>
  <fieldset data-question="AGE"><legend>AGE</legend>
    <label for="age">age</label><input type="text" name="AGE" id="age"></fieldset>
  <fieldset data-question="WORK" data-show-if='{"q": "AGE", "op": "gte", "v": 18}'>
    <legend>WORK</legend><label for="w">w</label><input type="text" name="WORK" id="w"></fieldset>
</form>
"""


def test_logic_js_hides_questions_of_a_server_rendered_form(page: Page, browser_network: Network):
    page.goto("/kk/")
    page.evaluate(
        "html => document.querySelector('main').insertAdjacentHTML('beforeend', html)", FORM
    )
    page.add_script_tag(url=static("birlik/surveys/logic.js"))
    form = page.locator("#answers")
    q2, q3, work = (form.locator(f"[data-question={code}]") for code in ("Q2", "Q3", "WORK"))
    expect(q2).to_be_hidden()
    expect(q3).to_be_hidden()
    expect(work).to_be_hidden()
    form.locator("#q1y").check()
    expect(q2).to_be_visible()
    form.locator("#q2b").check()
    expect(q3).to_be_visible()
    form.locator("#q1n").check()  # Q2 hidden again: Q3 reads it as unanswered
    expect(q2).to_be_hidden()
    expect(q3).to_be_hidden()
    form.locator("#age").fill("21")
    expect(work).to_be_visible()
    form.locator("#age").fill("17,5")
    expect(work).to_be_hidden()


def fill_first(tab: Page) -> None:
    form = tab.locator("[data-interview-form]")
    form.locator("input[name=D_SEX][value=female]").check()
    question_two = form.locator("[data-code=Q2]")
    expect(question_two).to_be_hidden()
    form.locator("input[name=Q1][value=yes]").check()
    expect(question_two).to_be_visible()  # opened by the skip logic
    question_two.locator("input[value=a]").check()
    form.locator("input[name=T1][value='7']").check()
    form.locator("input[name=AGE]").fill("35")


def fill_second(tab: Page) -> None:
    form = tab.locator("[data-interview-form]")
    form.locator("input[name=D_SEX][value=male]").check()
    form.locator("input[name=Q1][value=no]").check()
    expect(form.locator("[data-code=Q2]")).to_be_hidden()
    form.locator("input[name=T1][value='88']").check()


def save(tab: Page) -> None:
    tab.locator("[data-interview-form] button[type=submit]").click()


def test_two_interviews_saved_offline_are_sent_once_online(
    phone: tuple[BrowserContext, Page], browser_network: Network, axe_check: Any
):
    context, tab = phone
    survey = interview_survey(browser_network)
    interviewer = UserFactory(username="interviewer")
    survey.interviewers.add(interviewer)
    with translation.override("kk"):
        address = reverse("surveys:interview", args=[survey.pk])
        needs_answer = gettext("This question needs an answer.")
    sign_in(tab, "interviewer")
    response = tab.goto(address)
    assert response is not None and response.status == 200
    expect(tab.locator("[data-interview-form]")).to_be_visible()
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(0))
    # The worker has kept the page, its questionnaire, scripts and styles.
    expect(tab.locator("[data-interview]")).to_have_attribute("data-offline-ready", "true")
    axe_check(tab)
    screenshot(tab, "interview-phone")
    wider = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"the page is {wider}px wider than a 360 px phone"

    context.set_offline(True)
    # Nothing answered: the required visible questions say so, nothing is saved.
    save(tab)
    summary = tab.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(tab.locator("[data-code=D_SEX] .errorlist")).to_have_text(needs_answer)
    expect(tab.locator("[data-code=Q2] .errorlist")).to_be_hidden()  # hidden: not required
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(0))

    fill_first(tab)
    save(tab)
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(1))
    expect(tab.locator("[data-interview-form] input[name=D_SEX]:checked")).to_have_count(0)
    fill_second(tab)
    save(tab)
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(2))
    assert Response.objects.count() == 0

    # Offline, the page opens again from the worker; the interviews are still on the phone.
    tab.reload()
    expect(tab.locator("[data-interview-form]")).to_be_visible()
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(2))
    assert tab.evaluate("navigator.onLine") is False
    assert tab.evaluate("Boolean(navigator.serviceWorker.controller)") is True
    screenshot(tab, "interview-phone-offline")

    context.set_offline(False)
    tab.evaluate("window.dispatchEvent(new Event('online'))")
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(0), timeout=20_000)
    rows = list(Response.objects.order_by("pk"))
    assert len(rows) == 2
    first, second = rows
    assert first.answers == {"D_SEX": "female", "Q1": "yes", "Q2": ["a"], "T1": 7, "AGE": 35}
    assert second.answers == {"D_SEX": "male", "Q1": "no", "T1": "88"}
    assert {r.mode for r in rows} == {Mode.INTERVIEWER}
    assert {r.entered_by_id for r in rows} == {interviewer.pk}
    assert first.sex == "female" and first.language == "kk"

    # The same record sent again (a retry after a lost answer) is taken as already there.
    tab.evaluate(
        RESEND,
        {
            "client_uuid": first.client_uuid,
            "survey": survey.pk,
            "interviewer": str(interviewer.pk),
            "version": survey.version_id,
            "language": "kk",
            "answers": first.answers,
            "duration": 10,
            "saved_at": "2026-01-01T00:00:00Z",
            "state": "waiting",
            "errors": {},
        },
    )
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(0))
    tab.wait_for_function(f"() => BirlikQueue.list({survey.pk}).then(r => r.length === 0)")
    assert Response.objects.count() == 2

    # A phone shared with another interviewer: what they saved is neither listed nor sent
    # under this account; it waits on the phone for them.
    tab.evaluate(
        RESEND,
        {
            "client_uuid": "someone-elses-interview",
            "survey": survey.pk,
            "interviewer": "999999",
            "version": survey.version_id,
            "language": "kk",
            "answers": {"D_SEX": "male", "Q1": "no", "T1": 5},
            "duration": 10,
            "saved_at": "2026-01-02T00:00:00Z",
            "state": "waiting",
            "errors": {},
        },
    )
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(0))
    tab.wait_for_timeout(1500)
    assert Response.objects.count() == 2
    assert tab.evaluate(f"() => BirlikQueue.list({survey.pk}).then(r => r.length)") == 1


def test_a_conflict_is_kept_and_shown(phone: tuple[BrowserContext, Page], browser_network: Network):
    _context, tab = phone
    survey = interview_survey(browser_network)
    sign_in(tab, "staff_pavlodar_house")
    tab.goto(reverse("surveys:interview", args=[survey.pk]))
    expect(tab.locator("[data-interview-form]")).to_be_visible()
    fill_second(tab)
    save(tab)
    with translation.override("kk"):
        sent = gettext("Every interview saved on this phone has been sent.")
    expect(tab.locator("[data-queue-state]")).to_have_text(sent)
    stored = Response.objects.get()
    with translation.override("kk"):
        conflict = gettext(
            "Sent before with other answers: the first ones are kept. Remove this copy once "
            "you have checked it."
        )
    tab.evaluate(
        RESEND,
        {
            "client_uuid": stored.client_uuid,
            "survey": survey.pk,
            "interviewer": str(browser_network.users["staff_pavlodar_house"].pk),
            "version": survey.version_id,
            "language": "kk",
            "answers": {"D_SEX": "female", "Q1": "no", "T1": 3},
            "duration": 10,
            "saved_at": "2026-01-01T00:00:00Z",
            "state": "waiting",
            "errors": {},
        },
    )
    expect(tab.locator("[data-attention-list]")).to_contain_text(conflict)
    assert Response.objects.get().answers["T1"] == "88"
    # Removing the copy from the phone leaves the server's row as it is.
    tab.locator("[data-attention-list] button").last.click()
    expect(tab.locator("[data-attention]")).to_be_hidden()
    assert Response.objects.count() == 1


def test_a_signed_out_session_keeps_the_queue(
    phone: tuple[BrowserContext, Page], browser_network: Network
):
    context, tab = phone
    survey = interview_survey(browser_network)
    sign_in(tab, "staff_pavlodar_house")
    tab.goto(reverse("surveys:interview", args=[survey.pk]))
    expect(tab.locator("[data-interview-form]")).to_be_visible()
    context.clear_cookies()  # the session is gone
    fill_second(tab)
    save(tab)
    with translation.override("kk"):
        signin = gettext("Sign in again to send the interviews waiting on this phone.")
    expect(tab.locator("[data-queue-state]")).to_contain_text(signin)
    expect(tab.locator("[data-queue-count]")).to_have_text(waiting(1))
    assert Response.objects.count() == 0


def test_the_respondent_language_switches_without_losing_answers(
    phone: tuple[BrowserContext, Page], browser_network: Network
):
    _context, tab = phone
    survey = interview_survey(browser_network)
    sign_in(tab, "staff_pavlodar_house")
    tab.goto(reverse("surveys:interview", args=[survey.pk]))
    form = tab.locator("[data-interview-form]")
    expect(form.locator("[data-code=Q1] legend")).to_contain_text("Question Q1 (kk)")
    form.locator("input[name=Q1][value=yes]").check()
    form.locator("input[name=respondent_language][value=ru]").check()
    expect(form.locator("[data-code=Q1] legend")).to_contain_text("Question Q1 (ru)")
    expect(form).to_have_attribute("lang", "ru")
    expect(form.locator("input[name=Q1][value=yes]")).to_be_checked()
    expect(form.locator("[data-code=Q2]")).to_be_visible()
    # A number out of range is refused on the phone already.
    form.locator("input[name=AGE]").fill("7")
    save(tab)
    with translation.override("kk"):
        message = gettext("Enter a number from %(low)s to %(high)s.") % {"low": 18, "high": 120}
    expect(form.locator("[data-code=AGE] .errorlist")).to_have_text(message)


def test_answers_imported_from_a_spreadsheet(
    page: Page, browser_network: Network, axe_check: Any, tmp_path: Path
):
    from tests.surveys.test_import_answers import xlsx

    survey = interview_survey(browser_network)
    Survey.objects.filter(pk=survey.pk).update(modes=[Mode.IMPORT])
    sheet = tmp_path / "answers.xlsx"
    sheet.write_bytes(
        xlsx(
            [
                ["Answers of the first week"],
                ["D_SEX", "Question Q1", "Q2", "T1", "AGE"],
                ["female (ru)", "yes", "a; b", 6, 44],
                ["male", "no (kk)", None, "99", None],
                ["", "no", None, 3, None],
            ]
        )
    )
    sign_in(page, "coordinator_pavlodar")
    page.goto(reverse("surveys:import", args=[survey.pk]))
    axe_check(page)
    page.locator("input[name=file]").set_input_files(str(sheet))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    with translation.override("kk"):
        will_add = translation.pgettext("import row", "Will be added")
        not_imported = translation.pgettext("import row", "Not imported")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text(will_add)
    expect(rows.nth(2)).to_contain_text(not_imported)
    axe_check(page)
    screenshot(page, "import-answers-preview")
    page.locator("form[action$='/apply/'] button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_be_visible()
    assert Response.objects.filter(survey=survey, mode=Mode.IMPORT).count() == 2
