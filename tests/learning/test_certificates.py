"""Completion and certificates: numbered without gaps per year (in the order given within one
transaction, a failed issue leaving no gap, a revoked one keeping its number), revoked only by
the provider's staff or a national administrator with a reason, printed as a PDF in kk/ru/en."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time
from pypdf import PdfReader

from birlik.access.models import AuditEntry, Role
from birlik.core import sequences
from birlik.learning import services
from birlik.learning.certificate_pdf import certificate_pdf
from birlik.learning.models import Certificate, Cohort, Enrolment

from ..factories import GrantFactory, UserFactory
from .factories import enrol, make_cohort, make_term


def _passed(learning, count: int, cohort=None):
    cohort = cohort or learning.cohort
    rows = []
    for index in range(count):
        term = make_term(learning.network.pavlodar_house, last_name=f"Оқушы{index}")
        rows.append(enrol(cohort, term, passed=True, score=80))
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RUNNING)
    cohort.refresh_from_db()
    return rows


@freeze_time("2025-06-10 10:00:00")
def test_certificates_are_numbered_in_order_without_gaps_within_a_year(learning):
    rows = _passed(learning, 3)

    issued = services.enrolments_complete(
        actor=learning.academy_staff,
        cohort=learning.cohort,
        enrolments=[rows[2].pk, rows[0].pk, rows[1].pk],
    )

    assert [c.number for c in issued] == ["ACAD-2025-00001", "ACAD-2025-00002", "ACAD-2025-00003"]
    assert [c.enrolment_id for c in issued] == [rows[2].pk, rows[0].pk, rows[1].pk]
    assert all(c.hours == 24 and c.issued_on == datetime.date(2025, 6, 10) for c in issued)
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"completed"}


def test_two_certificates_issued_in_one_transaction_take_consecutive_numbers(learning):
    with freeze_time("2025-03-01 09:00:00"):
        first, second = _passed(learning, 2)
        with transaction.atomic():
            a = services.enrolments_complete(
                actor=learning.academy_staff, cohort=learning.cohort, enrolments=[second.pk]
            )
            b = services.enrolments_complete(
                actor=learning.academy_staff, cohort=learning.cohort, enrolments=[first.pk]
            )
    assert (a[0].number, b[0].number) == ("ACAD-2025-00001", "ACAD-2025-00002")


def test_a_failed_issue_leaves_no_gap_and_each_year_starts_again(learning):
    with freeze_time("2025-12-30 09:00:00"):
        passed, failed = _passed(learning, 2)
        Enrolment.objects.filter(pk=failed.pk).update(passed=False)
        with pytest.raises(services.LearningError):
            services.enrolments_complete(
                actor=learning.academy_staff,
                cohort=learning.cohort,
                enrolments=[passed.pk, failed.pk],
            )
        assert not Certificate.objects.exists()
        assert sequences.last_numbers(services.CERTIFICATE_SCOPE).get(2025, 0) == 0
        [first] = services.enrolments_complete(
            actor=learning.academy_staff, cohort=learning.cohort, enrolments=[passed.pk]
        )
    other = make_cohort(learning.course, status=Cohort.Status.RUNNING)
    [late] = _passed(learning, 1, cohort=other)
    with freeze_time("2026-01-05 09:00:00"):
        [next_year] = services.enrolments_complete(
            actor=learning.academy_staff, cohort=other, enrolments=[late.pk]
        )
    assert (first.number, next_year.number) == ("ACAD-2025-00001", "ACAD-2026-00001")


@freeze_time("2025-06-10 10:00:00")
def test_a_revoked_certificate_keeps_its_number_and_the_next_one_follows(learning):
    first, second = _passed(learning, 2)
    [certificate] = services.enrolments_complete(
        actor=learning.academy_staff, cohort=learning.cohort, enrolments=[first.pk]
    )

    services.certificate_revoke(
        actor=learning.academy_staff, certificate=certificate, reason="Бағалау қатесі"
    )
    [following] = services.enrolments_complete(
        actor=learning.academy_staff, cohort=learning.cohort, enrolments=[second.pk]
    )

    certificate.refresh_from_db()
    assert certificate.number == "ACAD-2025-00001" and certificate.revoked_at is not None
    assert following.number == "ACAD-2025-00002"
    assert AuditEntry.objects.filter(
        object_type="learning.Certificate", object_id=str(certificate.pk), note__contains="revoked"
    ).exists()


def test_only_passed_trainees_complete_and_one_certificate_each(learning):
    with freeze_time("2025-06-10 10:00:00"):
        [row] = _passed(learning, 1)
        Enrolment.objects.filter(pk=row.pk).update(passed=None)
        with translation.override("en"), pytest.raises(services.LearningError) as refused:
            services.enrolments_complete(
                actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
            )
        assert "has not passed the assessment" in str(refused.value.message)
        Enrolment.objects.filter(pk=row.pk).update(passed=True)
        services.enrolments_complete(
            actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
        )
        with pytest.raises(services.LearningError):
            services.enrolments_complete(
                actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
            )
    assert Certificate.objects.count() == 1


def test_a_course_without_hours_issues_no_certificate(learning):
    learning.course.modules.all().delete()
    [row] = _passed(learning, 1)
    with translation.override("en"):
        with pytest.raises(services.LearningError) as refused:
            services.enrolments_complete(
                actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
            )
        assert "modules" in str(refused.value.message)


def _issued(learning):
    [row] = _passed(learning, 1)
    [certificate] = services.enrolments_complete(
        actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
    )
    return certificate


def test_a_regional_coordinator_over_the_provider_may_not_revoke(learning):
    certificate = _issued(learning)
    coordinator = UserFactory(username="over_the_academy")
    GrantFactory(user=coordinator, role=Role.REGIONAL_COORDINATOR, organisation=learning.academy)

    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=coordinator, certificate=certificate, reason="Қате")

    services.certificate_revoke(
        actor=learning.network.users["admin"], certificate=certificate, reason="Қате"
    )
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is not None


def test_revoking_needs_a_reason_and_happens_once(learning):
    certificate = _issued(learning)
    with translation.override("en"):
        with pytest.raises(services.LearningError) as refused:
            services.certificate_revoke(
                actor=learning.academy_staff, certificate=certificate, reason=" "
            )
        assert "reason" in str(refused.value.message)
    services.certificate_revoke(
        actor=learning.academy_staff, certificate=certificate, reason="Қате"
    )
    with pytest.raises(services.LearningError):
        services.certificate_revoke(
            actor=learning.academy_staff, certificate=certificate, reason="Тағы"
        )


def test_the_revoke_page_revokes_and_the_enrolment_page_says_so(client, learning):
    certificate = _issued(learning)
    client.force_login(learning.academy_staff)
    url = reverse("learning:certificate_revoke", kwargs={"pk": certificate.pk})
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200  # the form asks for a reason
    response = client.post(url, {"reason": "Құжат қате толтырылған"}, follow=True)
    assert response.status_code == 200
    assert "Құжат қате толтырылған" in response.content.decode()
    assert Certificate.objects.get(pk=certificate.pk).revocation_reason == "Құжат қате толтырылған"


def test_the_sending_bodys_staff_read_the_certificate_but_may_not_revoke_it(client, learning):
    certificate = _issued(learning)
    client.force_login(learning.house_staff)
    url = reverse("learning:certificate_revoke", kwargs={"pk": certificate.pk})
    assert client.get(url).status_code == 403
    pdf = client.get(reverse("learning:certificate_pdf", kwargs={"pk": certificate.pk}))
    assert pdf.status_code == 200


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_certificate_pdf_is_printed_in_each_language_and_the_download_audited(
    client, learning, language
):
    certificate = _issued(learning)
    client.force_login(learning.academy_staff)
    response = client.get(
        reverse("learning:certificate_pdf", kwargs={"pk": certificate.pk}), {"lang": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_type="learning.Certificate"
    ).exists()


def test_a_pdf_in_an_unknown_language_is_not_found(client, learning):
    certificate = _issued(learning)
    client.force_login(learning.academy_staff)
    url = reverse("learning:certificate_pdf", kwargs={"pk": certificate.pk})
    assert client.get(url, {"lang": "de"}).status_code == 404


def test_a_revoked_certificate_prints_revoked_across_its_top(learning):
    certificate = _issued(learning)
    services.certificate_revoke(
        actor=learning.academy_staff, certificate=certificate, reason="Қате"
    )
    certificate = Certificate.objects.select_related("course__provider", "enrolment__cohort").get(
        pk=certificate.pk
    )

    data = certificate_pdf(certificate, link="https://example.kz/c", language="en")

    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "this certificate is no longer valid" in text
    assert certificate.number in text and certificate.holder_name in text
