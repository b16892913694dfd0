"""Charity services: the request's flow, receipts, distributions with proof, pledges, stories."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from birlik.access.models import AuditEntry
from birlik.charity import services
from birlik.charity.models import (
    Distribution,
    Document,
    Donation,
    HelpRequest,
    Kind,
    Pledge,
    Project,
)
from birlik.charity.services import CharityError
from birlik.notify.models import Notice

from .factories import BENEFICIARY, bring_to_helping, give, make_request, pdf_upload


def test_request_taken_at_the_centre_names_the_worker(charity):
    assert charity.request.number.startswith("ZhZ-")
    assert list(charity.request.workers.values_list("user__username", flat=True)) == ["worker"]
    assert charity.request.beneficiary.name == BENEFICIARY
    assert charity.request.status == HelpRequest.Status.RECEIVED


def test_request_without_consent_is_refused_and_nothing_stored(charity):
    count = HelpRequest.objects.count()
    with pytest.raises(CharityError) as error:
        make_request(charity.centre, charity.worker, consent=False)
    assert error.value.field == "consent"
    assert HelpRequest.objects.count() == count


@pytest.mark.parametrize("amount", [-5, 0, "abc"])
def test_request_with_a_bad_amount_is_refused(charity, amount):
    with pytest.raises(CharityError):
        make_request(charity.centre, charity.worker, amount=amount)


def test_staff_of_another_centre_cannot_take_a_request_here(charity):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        make_request(charity.centre, charity.other_head)


def test_verification_needs_a_document_or_a_visit(charity):
    with pytest.raises(CharityError):
        services.request_verify(
            actor=charity.worker, help_request=charity.request, public_need="Школьный набор"
        )
    services.document_add(actor=charity.worker, help_request=charity.request, file=pdf_upload())
    verified = services.request_verify(
        actor=charity.worker, help_request=charity.request, public_need="Школьный набор"
    )
    assert verified.status == HelpRequest.Status.VERIFIED


def test_a_renamed_program_is_refused_as_a_document(charity):
    bad = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(CharityError) as error:
        services.document_add(actor=charity.worker, help_request=charity.request, file=bad)
    assert "PDF" in str(error.value.message)
    assert not Document.objects.exists()


def test_a_colleague_not_named_cannot_handle_the_request(charity):
    with pytest.raises(CharityError):
        services.request_start_verification(actor=charity.colleague, help_request=charity.request)


def test_rejection_needs_a_reason(charity):
    with pytest.raises(CharityError):
        services.request_reject(actor=charity.worker, help_request=charity.request, reason="")
    rejected = services.request_reject(
        actor=charity.worker, help_request=charity.request, reason="Помощь уже оказана акиматом"
    )
    assert rejected.status == HelpRequest.Status.REJECTED


def test_receipts_are_numbered_without_gaps_per_centre_and_year(charity):
    first = give(charity, 1000)
    second = give(charity, 2000)
    assert (first.receipt_seq, second.receipt_seq) == (1, 2)
    assert second.receipt_number.endswith("-00002")
    assert Notice.objects.filter(recipient="donor@example.kz").count() == 2


def test_the_head_of_the_centre_assigns_a_caseworker(charity):
    services.request_assign(
        actor=charity.head, help_request=charity.request, worker=charity.colleague
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_assign(
            actor=charity.worker, help_request=charity.request, worker=charity.head
        )
    with pytest.raises(CharityError):
        services.request_assign(
            actor=charity.head, help_request=charity.request, worker=charity.other_head
        )


def test_request_from_intake_to_closing(charity):
    bring_to_helping(charity)
    give(charity, 100_000)
    distribution = services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.MONEY,
        amount=60_000,
        proof_file=pdf_upload("ack.pdf"),
    )
    assert distribution.proof.purpose == Document.Purpose.PROOF
    services.request_deliver(actor=charity.worker, help_request=charity.request)
    closed = services.request_close(actor=charity.worker, help_request=charity.request)
    assert closed.status == HelpRequest.Status.CLOSED
    project = Project.objects.get(pk=charity.project.pk)
    assert (project.money_in, project.money_out, project.money_left) == (100_000, 60_000, 40_000)


def test_over_distribution_is_refused_and_nothing_changes(charity):
    bring_to_helping(charity)
    give(charity, 10_000)
    with pytest.raises(CharityError) as error:
        services.distribution_record(
            actor=charity.worker,
            help_request=charity.request,
            kind=Kind.MONEY,
            amount=10_001,
            signed=True,
        )
    assert "10\xa0000" in str(error.value.message)  # grouped with a no-break space
    assert not Distribution.objects.exists()
    assert Project.objects.get(pk=charity.project.pk).money_out == 0


def test_a_distribution_needs_a_proof(charity):
    bring_to_helping(charity)
    give(charity, 10_000)
    with pytest.raises(CharityError) as error:
        services.distribution_record(
            actor=charity.worker, help_request=charity.request, kind=Kind.MONEY, amount=100
        )
    assert error.value.field == "proof"


def test_in_kind_value_goes_out_in_proportion_and_balances(charity):
    bring_to_helping(charity)
    services.donation_record(
        actor=charity.worker,
        project=charity.project,
        kind=Kind.IN_KIND,
        item="Рюкзак",
        quantity=3,
        value=10_000,
        donor_name="Иван",
    )
    first = services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.IN_KIND,
        item="рюкзак",
        quantity=2,
        signed=True,
    )
    last = services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.IN_KIND,
        item="Рюкзак",
        quantity=1,
        signed=True,
    )
    assert first.value + last.value == 10_000
    with pytest.raises(CharityError):
        services.distribution_record(
            actor=charity.worker,
            help_request=charity.request,
            kind=Kind.IN_KIND,
            item="Рюкзак",
            quantity=1,
            signed=True,
        )


def test_a_gift_already_handed_out_cannot_be_cancelled(charity):
    bring_to_helping(charity)
    donation = give(charity, 1000)
    services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.MONEY,
        amount=500,
        signed=True,
    )
    with pytest.raises(CharityError):
        services.donation_cancel(actor=charity.worker, donation=donation, reason="ошибка ввода")
    assert Donation.objects.get(pk=donation.pk).cancelled_at is None


def test_a_confirmed_pledge_becomes_a_donation_for_the_request(charity):
    bring_to_helping(charity)
    pledge = services.pledge_make(
        help_request=charity.request,
        kind=Kind.MONEY,
        amount=25_000,
        donor_name="Асель",
        donor_phone="+77010000000",
        language="ru",
    )
    donation = services.pledge_confirm(actor=charity.worker, pledge=pledge)
    assert donation.request == charity.request
    assert Pledge.objects.get(pk=pledge.pk).status == Pledge.Status.CONFIRMED
    assert Project.objects.get(pk=charity.project.pk).money_in == 25_000
    assert Notice.objects.filter(recipient="+77010000000", language="ru").exists()


def test_a_pledge_for_an_unverified_request_is_refused(charity):
    with pytest.raises(CharityError):
        services.pledge_make(
            help_request=charity.request,
            kind=Kind.MONEY,
            amount=1000,
            donor_name="Асель",
            donor_phone="+77010000000",
        )


def test_a_story_must_not_name_the_beneficiary(charity):
    bring_to_helping(charity)
    give(charity, 1000)
    services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.MONEY,
        amount=1000,
        signed=True,
    )
    services.request_deliver(actor=charity.worker, help_request=charity.request)
    with pytest.raises(CharityError):
        services.story_publish(
            actor=charity.worker,
            help_request=charity.request,
            text_kk="Айгүл апаның отбасы мектепке дайындалды, рахмет!",
            consent_given_on=datetime.date.today(),
        )
    story = services.story_publish(
        actor=charity.worker,
        help_request=charity.request,
        text_kk="Бір отбасының баласы мектепке жаңа рюкзакпен барды.",
        text_en="A child of one family went to school with a new backpack.",
        consent_given_on=datetime.date.today(),
    )
    assert story.published_at is not None


def test_every_read_of_personal_data_is_audited(charity):
    services.request_read(actor=charity.head, help_request=charity.request)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, actor=charity.head, object_id=str(charity.request.pk)
    ).exists()


def test_documents_are_stored_outside_the_public_media_directory(charity, settings):
    document = services.document_add(
        actor=charity.worker, help_request=charity.request, file=pdf_upload()
    )
    path = document.file.path
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert "/private/charity/" in path


def test_the_donor_iin_is_kept_only_as_a_digest(charity):
    from birlik.registry.iin import make_iin

    iin = make_iin(datetime.date(1985, 4, 12), "m", 123) or make_iin(
        datetime.date(1985, 4, 12), "m", 124
    )
    donation = give(charity, 1000, donor_iin=iin)
    assert donation.donor_iin_digest and iin not in donation.donor_iin_digest
    with pytest.raises(CharityError):
        give(charity, 1000, donor_iin="123456789012")


@pytest.mark.parametrize("days", [1, 30])
def test_dates_in_the_future_are_refused(charity, days):
    from freezegun import freeze_time

    with freeze_time("2026-11-25 10:00:00+05:00"):
        future = datetime.date(2026, 11, 25) + datetime.timedelta(days=days)
        with pytest.raises(CharityError) as error:
            give(charity, 1000, received_on=future)
        assert error.value.field == "received_on"
        with pytest.raises(CharityError):
            services.request_record_visit(
                actor=charity.worker, help_request=charity.request, visit_on=future, note="визит"
            )
        assert not Donation.objects.exists()


def test_a_rural_school_asks_through_the_centre(charity, network):
    from .factories import make_request as register

    school = network.pavlodar_elders  # any body of the registry stands in for a school
    request = register(
        charity.centre,
        charity.worker,
        source=HelpRequest.Source.BODY,
        category="rural_school",
        body=school,
        beneficiary_name="",
    )
    assert request.beneficiary.kind == "body"
    assert request.beneficiary.organisation == school
