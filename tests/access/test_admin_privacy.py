"""The Django admin lists no confidential record, and its reads of people are audited."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from birlik.access.adminsite import kept_out_of_admin
from birlik.access.models import AuditEntry
from birlik.notify.services import notice_queue
from birlik.registry.models import Membership

from .conftest import url

CONFIDENTIAL_APPS = {"mediation", "charity", "appeals", "otp_totp", "otp_static"}


@pytest.fixture
def admin_client(login, network):
    user = network.users["admin"]
    user.is_staff = True
    user.save()
    return login(user)


def test_no_confidential_model_is_registered_in_the_admin():
    labels = {model._meta.label for model in admin.site._registry}
    assert not {label for label in labels if label.split(".")[0] in CONFIDENTIAL_APPS}
    assert "otp_totp.TOTPDevice" not in labels
    assert "access.RecoveryDevice" not in labels
    assert "django_tasks_database.DBTaskResult" not in labels
    # the catalogues and the registry stay editable
    assert {"registry.OrganisationKind", "registry.EthnicGroup", "registry.Organisation"} <= labels


def test_a_confidential_model_registered_later_is_still_kept_out():
    from birlik.mediation.models import MediationCase

    assert kept_out_of_admin(MediationCase)
    admin.site.register(MediationCase)
    assert MediationCase not in admin.site._registry


def test_the_admin_index_and_urls_show_no_confidential_model(admin_client):
    page = admin_client.get(url("admin:index"))
    assert page.status_code == 200
    text = page.content.decode()
    for fragment in ("/mediation/", "/charity/", "/appeals/", "/otp_totp/", "totpdevice"):
        assert fragment not in text
    assert admin_client.get("/en/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/en/admin/mediation/mediationcase/").status_code == 404


def test_the_outbox_in_the_admin_hides_recipients_and_texts(admin_client, network):
    notice = notice_queue(
        channel="sms",
        recipient="+77017778899",
        body="Your appeal: https://example.kz/a/private-link-123",
        key="test-notice",
    )
    assert notice is not None
    listing = admin_client.get(url("admin:notify_notice_changelist"))
    assert listing.status_code == 200
    detail = admin_client.get(url("admin:notify_notice_change", notice.pk))
    assert detail.status_code == 200
    for response in (listing, detail):
        text = response.content.decode()
        assert "+77017778899" not in text
        assert "private-link-123" not in text


def test_opening_a_person_a_membership_or_an_account_in_the_admin_is_audited(admin_client, network):
    person = network.pavlodar_person
    membership = Membership.objects.filter(person=person).first()
    account = network.users["staff_pavlodar_house"]
    for name, obj in (
        ("admin:registry_person_change", person),
        ("admin:registry_membership_change", membership),
        ("admin:access_user_change", account),
    ):
        before = AuditEntry.objects.filter(
            action=AuditEntry.Action.READ, object_type=obj._meta.label, object_id=str(obj.pk)
        ).count()
        assert admin_client.get(url(name, obj.pk)).status_code == 200
        entry = AuditEntry.objects.filter(
            action=AuditEntry.Action.READ, object_type=obj._meta.label, object_id=str(obj.pk)
        )
        assert entry.count() == before + 1, name
        assert entry.first().actor == network.users["admin"]


def test_an_admin_cannot_widen_their_own_account_in_the_admin(admin_client, network):
    page = admin_client.get(url("admin:access_user_change", network.users["admin"].pk))
    text = page.content.decode()
    assert 'name="is_superuser"' not in text
    assert 'name="is_staff"' not in text


def test_the_admin_needs_the_second_factor_when_it_is_required(admin_client, network, settings):
    settings.BIRLIK_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=network.users["admin"], name="phone", confirmed=True)
    response = admin_client.get(url("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("access:verify"))
