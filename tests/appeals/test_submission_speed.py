"""The public submission as a browser sends it (multipart, an empty file part): a fixed number
of queries whatever the data, and everything the law and the outbox need written in it."""

from __future__ import annotations

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from birlik.access.models import AuditEntry
from birlik.appeals.models import Appeal, AppealStep
from birlik.geo.models import Region
from birlik.notify.models import Notice

# Counted in the request (the test's transaction keeps on-commit work out): the rate counter,
# the region, routing, the term, the number (3), the appeal, its step, the rollup, the audit
# row, two notices with their savepoints, and the transaction itself.
SUBMISSION_QUERY_BUDGET = 22


def post_as_browser(client, path: str, data: dict[str, str], **extra):
    """A browser's multipart POST: with no file chosen it still sends an empty file part."""
    body = encode_multipart(BOUNDARY, data).rstrip(b"\r\n")
    closing = f"--{BOUNDARY}--".encode()
    empty = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    ).encode()
    body = body[: -len(closing)] + empty + closing + b"\r\n"
    return client.generic("POST", path, body, content_type=MULTIPART_CONTENT, **extra)


def appeal_data(index: int) -> dict[str, str]:
    return {
        "addressee": "assembly",
        "region": str(Region.objects.get(iso="KZ-55").pk),
        "body_query": "",
        "kind": "statement",
        "subject": f"Көше жарығы {index}",
        "text": "Біздің көшеде шамдар жанбайды, жөндеуді сұраймыз.",
        "applicant_name": f"Асқар Сейітов {index}",
        "applicant_address": "",
        "applicant_phone": f"+7 701 000 00 {index:02d}",
        "applicant_email": f"askar{index}@example.kz",
        "consent": "on",
    }


def new_url() -> str:
    with translation.override("kk"):
        return reverse("portal:appeal_new")


def test_a_browser_submission_is_numbered_audited_and_its_receipts_wait_in_the_outbox(
    client, network, django_capture_on_commit_callbacks, settings
):
    # Jobs in the database whatever the stage's backend (RQ on the PostgreSQL stage), so the
    # delivery job queued on commit can be seen.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = post_as_browser(client, new_url(), appeal_data(1))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert response["Location"].endswith(f"/{appeal.token}/")
    assert appeal.organisation == network.pavlodar
    assert appeal.number.endswith("-000001")
    assert appeal.effective_due > appeal.counted_from
    assert list(appeal.steps.values_list("action", flat=True)) == [AppealStep.Action.REGISTERED]
    assert AuditEntry.objects.filter(
        object_type="appeals.Appeal", object_id=str(appeal.pk), action=AuditEntry.Action.CREATE
    ).exists()
    receipts = Notice.objects.filter(idempotency_key__startswith=f"appeal:{appeal.pk}:receipt:")
    assert sorted(receipts.values_list("channel", "recipient")) == [
        ("email", "askar1@example.kz"),
        ("sms", "+7 701 000 00 01"),
    ]
    # Delivery is queued after the commit, never inside the request's transaction.
    deliveries = DBTaskResult.objects.filter(task_path__endswith="notices_deliver")
    assert not deliveries.exists()
    for callback in after_commit:
        callback()
    assert deliveries.exists()


def test_a_submission_costs_the_same_queries_with_many_appeals_stored(
    client, network, django_assert_max_num_queries
):
    for index in range(3):
        assert post_as_browser(client, new_url(), appeal_data(index)).status_code == 302
    with django_assert_max_num_queries(SUBMISSION_QUERY_BUDGET):
        response = post_as_browser(client, new_url(), appeal_data(50))
    assert response.status_code == 302
    for index in range(51, 70):
        post_as_browser(client, new_url(), appeal_data(index), REMOTE_ADDR=f"10.0.0.{index}")
    with django_assert_max_num_queries(SUBMISSION_QUERY_BUDGET):
        response = post_as_browser(client, new_url(), appeal_data(80), REMOTE_ADDR="10.0.1.1")
    assert response.status_code == 302
    assert Appeal.objects.count() > 20


def test_the_empty_file_part_of_a_browser_is_no_attachment(client, network):
    response = post_as_browser(client, new_url(), appeal_data(2))
    assert response.status_code == 302
    assert not Appeal.objects.get().attachments.exists()
