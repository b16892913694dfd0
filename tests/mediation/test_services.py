"""Rules of mediation: refusal with a state body, conflicts of interest, numbering, outcomes,
the agreement in the parties' language, uploads."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.appeals.models import StateBody
from birlik.mediation import services
from birlik.mediation.models import Document, MediationCase, Mediator
from birlik.notify.models import Notice
from birlik.registry.models import Membership

from ..factories import OrganisationFactory, PersonFactory, kind
from .conftest import OTHER_PARTY, PARTY_NAME, PNG, docx_text, upload
from .factories import MediatorFactory

P = services.PartyData


def _open(med, *parties, **kwargs):
    options = {
        "actor": med.head,
        "centre": med.almaty_centre,
        "kind": "labour",
        "source": "walk_in",
        "parties": list(parties) or [P(name="Ахметов Бауыржан"), P(name="Жанұзақова Айгүл")],
        "language": "ru",
        "consent": True,
    }
    options.update(kwargs)
    return services.case_open(**options)


def test_a_case_with_a_state_body_as_a_party_is_refused_with_the_reason(med):
    akimat = StateBody.objects.filter(kind="akimat").first() or StateBody.objects.create(
        code="akimat-test", name="Akimat of a district", kind="akimat"
    )
    case = _open(med, P(name="Ахметов Бауыржан"), P(state_body=akimat))
    assert case.status == MediationCase.Status.REFUSED
    assert case.outcome == MediationCase.Outcome.REFUSED
    assert "государственный орган" in case.refusal_reason.lower() or "state body" in (
        case.refusal_reason.lower()
    )
    assert case.parties.filter(is_state_body=True).count() == 1
    assert AuditEntry.objects.filter(
        object_id=str(case.pk), action=AuditEntry.Action.CLOSE
    ).exists()
    with pytest.raises(services.MediationError):
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)


def test_adding_a_state_body_party_later_refuses_the_case(med):
    case = _open(med)
    services.party_add(
        actor=med.head, case=case, party=P(name="Police of Almaty", is_state_body=True)
    )
    case.refresh_from_db()
    assert case.status == MediationCase.Status.REFUSED
    assert case.refusal_reason


def test_numbers_are_gapless_per_centre_and_year(med):
    first = _open(med)
    second = _open(med)
    other = _open(
        med,
        actor=med.other_head,
        centre=med.pavlodar_centre,
    )
    year = datetime.date.today().year
    n1 = int(first.number.rsplit("-", 1)[1])
    assert second.number == f"M{med.almaty_centre.pk}-{year}-{n1 + 1:05d}"
    assert other.number == f"M{med.pavlodar_centre.pk}-{year}-00001"


def test_a_mediator_who_is_a_party_cannot_be_assigned(med):
    case = _open(med, P(person=med.other_mediator.person), P(name="Жанұзақова Айгүл"))
    with pytest.raises(services.MediationError) as error:
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)
    assert "Conflict of interest" in str(error.value.message)
    assert not case.assignments.exists()


def test_a_mediator_with_the_family_name_of_a_party_cannot_be_assigned(med):
    case = _open(med, P(name="Омаров Данияр"), P(name="Жанұзақова Айгүл"))
    with pytest.raises(services.MediationError, match="same family name"):
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)


def test_a_member_of_an_organisation_that_is_a_party_cannot_be_assigned(med):
    company = OrganisationFactory(kind=kind("ethnocultural_association"), parent=med.almaty_centre)
    Membership.objects.create(
        person=med.other_mediator.person, organisation=company, start_date=datetime.date(2020, 1, 1)
    )
    case = _open(
        med,
        P(name="Ахметов Бауыржан"),
        P(organisation=company, kind="organisation", bin="123456789012"),
    )
    with pytest.raises(services.MediationError, match="member of an organisation"):
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)


def test_a_declared_conflict_removes_the_mediator_and_blocks_reassignment(med):
    case = _open(med)
    services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)
    services.case_declare_conflict(actor=med.users["mediator_b"], case=case, note="neighbour")
    case.refresh_from_db()
    assert case.status == MediationCase.Status.REQUESTED
    with pytest.raises(services.MediationError, match="declared a conflict"):
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)


def test_suspended_mediators_and_a_third_mediator_are_refused(med):
    case = _open(med)
    med.other_mediator.status = Mediator.Status.SUSPENDED
    med.other_mediator.save()
    with pytest.raises(services.MediationError, match="Only an active mediator"):
        services.case_assign(actor=med.head, case=case, mediator=med.other_mediator)
    third = MediatorFactory(
        person=PersonFactory(registered_by=med.almaty_centre, last_name="Байға")
    )
    fourth = MediatorFactory(person=PersonFactory(registered_by=med.almaty_centre, last_name="Нұр"))
    services.case_assign(actor=med.head, case=case, mediator=med.mediator)
    services.case_assign(actor=med.head, case=case, mediator=third)
    with pytest.raises(services.MediationError, match="at most two"):
        services.case_assign(actor=med.head, case=case, mediator=fourth)


def test_only_the_centre_head_assigns(med):
    case = _open(med)
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.case_assign(actor=med.users["admin"], case=case, mediator=med.other_mediator)


@freeze_time("2026-05-20 10:00:00+05:00")
def test_closing_records_the_outcome_and_the_duration(med):
    case = _open(med, received_on=datetime.date(2026, 5, 1))
    services.case_assign(actor=med.head, case=case, mediator=med.mediator)
    closed = services.case_close(
        actor=med.users["mediator_a"],
        case=case,
        outcome="agreement",
        closed_on=datetime.date(2026, 5, 15),
        execution_due=datetime.date(2026, 6, 15),
    )
    assert closed.status == MediationCase.Status.CLOSED
    assert closed.duration_days == 14
    assert closed.is_settled
    services.execution_record(
        actor=med.users["mediator_a"], case=closed, execution="executed", note="paid"
    )
    closed.refresh_from_db()
    assert closed.execution == "executed"


@freeze_time("2026-05-20 10:00:00+05:00")
def test_a_closing_date_before_receipt_or_in_the_future_is_refused(med):
    case = _open(med, received_on=datetime.date(2026, 5, 1))
    for day in (datetime.date(2026, 4, 30), datetime.date(2026, 5, 21)):
        with pytest.raises(services.MediationError):
            services.case_close(actor=med.head, case=case, outcome="partly", closed_on=day)
    case.refresh_from_db()
    assert case.status == MediationCase.Status.REQUESTED


def test_no_agreement_outcome_forbids_generating_an_agreement(med):
    case = _open(med)
    services.case_close(actor=med.head, case=case, outcome="no_agreement")
    with pytest.raises(services.MediationError):
        services.agreement_generate(actor=med.head, case=case, terms="Nothing was agreed at all.")


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("kk", "Медиация нәтижесі бойынша келісім"),
        ("ru", "Соглашение об урегулировании спора"),
        ("en", "Mediation Settlement Agreement"),
    ],
)
def test_the_agreement_is_in_the_parties_language_with_their_names(med, language, title):
    case = _open(
        med, P(name=PARTY_NAME), P(name=OTHER_PARTY), language=language, kind="neighbourhood"
    )
    services.case_assign(actor=med.head, case=case, mediator=med.mediator)
    document = services.agreement_generate(
        actor=med.head, case=case, terms="The fence stays where it is.\nCosts are shared."
    )
    text = docx_text(document.file.open("rb").read())
    assert title in text
    assert PARTY_NAME in text and OTHER_PARTY in text
    assert med.mediator.person.full_name in text
    assert "The fence stays where it is." in text
    other_titles = {"kk", "ru", "en"} - {language}
    from birlik.mediation.documents import LABELS

    for other in other_titles:
        assert LABELS[other]["title"] not in text


def test_case_files_are_kept_outside_any_served_path_under_random_names(med):
    path = Path(med.signed.file.path)
    assert path.is_file()
    assert Path(settings.DATA_DIR) / "private" in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert "signed" not in path.name
    with pytest.raises(ValueError):
        med.signed.file.url  # noqa: B018 - no URL at all


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 not a document", "agreement.pdf", "PDF, JPEG or PNG"),
        (b"", "empty.pdf", "empty"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "photo.webp", "PDF, JPEG or PNG"),
    ],
)
def test_a_bad_upload_is_refused_with_a_message_and_nothing_is_stored(med, data, name, message):
    before = Document.objects.count()
    with pytest.raises(services.MediationError) as error:
        services.document_upload(actor=med.head, case=med.case, file=upload(data, name))
    assert message in str(error.value.message)
    assert Document.objects.count() == before


def test_a_too_large_upload_is_refused(med, settings):
    settings.EVENT_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(services.MediationError, match="larger than"):
        services.document_upload(actor=med.head, case=med.case, file=upload(PNG + b"0" * 200))


def test_a_request_from_the_portal_is_filed_and_receipted_through_the_outbox(med):
    case = services.case_request(
        centre=med.almaty_centre,
        name="Бекова Гүлнар",
        phone="+7 701 111 22 33",
        email="g@example.kz",
        kind="neighbourhood",
        other_party="Neighbour on the 3rd floor",
        description="Water leaks into my flat.",
        language="ru",
        consent=True,
    )
    assert case.status == MediationCase.Status.REQUESTED
    assert case.source == MediationCase.Source.ONLINE
    notices = Notice.objects.filter(idempotency_key__startswith=f"mediation:{case.pk}:")
    assert {n.channel for n in notices} == {"sms", "email"}
    assert all(case.number in n.body for n in notices)
    assert all(n.language == "ru" for n in notices)


def test_a_request_without_consent_stores_nothing(med):
    before = MediationCase.objects.count()
    with pytest.raises(services.MediationError):
        services.case_request(
            centre=med.almaty_centre,
            name="Бекова Гүлнар",
            phone="+7 701 111 22 33",
            kind="family",
            other_party="Husband",
            description="…",
            language="kk",
            consent=False,
        )
    assert MediationCase.objects.count() == before


def test_a_mediator_opening_a_case_is_assigned_to_it(med):
    case = _open(med, actor=med.users["mediator_a"])
    assert case.status == MediationCase.Status.OPEN
    assert list(case.assignments.values_list("mediator_id", flat=True)) == [med.mediator.pk]


def test_a_mediator_cannot_open_a_case_at_another_centre(med):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied or MediationError
        _open(med, actor=med.users["mediator_a"], centre=med.pavlodar_centre)


def test_sessions_record_the_attendance_of_each_party(med):
    parties = list(med.case.parties.all())
    session = services.session_record(
        actor=med.users["mediator_a"],
        case=med.case,
        held_at=datetime.datetime.now(datetime.UTC),
        place="Centre, room 2",
        present=[parties[0].pk],
    )
    attendance = {a.party_id: a.present for a in session.attendance.all()}
    assert attendance == {parties[0].pk: True, parties[1].pk: False}


def test_the_export_keeps_a_formula_typed_as_a_name_as_text_and_is_audited(med):
    import io

    from openpyxl import load_workbook

    from birlik.mediation.models import MediationCase as Case

    _open(med, P(name='=HYPERLINK("http://x","y")'), P(name="Жанұзақова Айгүл"))
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=med.head).count()
    data = services.cases_export(actor=med.head, cases=Case.objects.all())
    sheet = load_workbook(io.BytesIO(data)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    assert not any(v.startswith("=") for v in values)
    after = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=med.head).count()
    assert after == before + 1
