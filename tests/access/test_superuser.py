"""A superuser obeys the confidentiality rules: ``is_superuser`` opens no confidential record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from birlik.access import policies
from birlik.access.models import AuditEntry
from birlik.appeals.models import AppealAttachment

from ..appeals.helpers import register
from ..charity.factories import BENEFICIARY, build
from ..mediation.conftest import PARTY_NAME, med  # noqa: F401 — the mediation fixture

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def superuser(network):
    admin = network.users["admin"]
    admin.is_superuser = True
    admin.is_staff = True
    admin.save()
    return admin


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_superuser_is_refused_a_mediation_case_and_its_export(login, superuser, med):  # noqa: F811
    assert not superuser.has_perm("mediation.view_case", med.case)
    assert not policies.can(superuser, "mediation.export")
    client = login(superuser)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    case = client.get(en("mediation:case", med.case.pk))
    assert case.status_code in {403, 404}
    assert PARTY_NAME.encode() not in _content(case)
    document = client.get(en("mediation:document", med.case.pk, med.agreement.pk))
    assert document.status_code in {403, 404}
    export = client.get(en("mediation:export"))
    assert export.status_code in {403, 404}
    assert PARTY_NAME.encode() not in _content(export)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ).count() == reads


def test_the_superuser_is_refused_a_charity_beneficiary(login, network, superuser):
    charity = build(network)
    request = charity.request
    assert not superuser.has_perm("charity.view_personal", request)
    client = login(superuser)
    for address in (
        f"/en/workspace/charity/requests/{request.pk}/",
        "/en/workspace/charity/beneficiaries.xlsx",
    ):
        response = client.get(address)
        assert response.status_code in {200, 403, 404}, address
        assert BENEFICIARY.encode() not in _content(response), address


def test_the_superuser_is_refused_an_appeal_attachment(
    login, network, superuser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_DIR = tmp_path
    appeal = register(
        network.pavlodar_house,
        attachments=[SimpleUploadedFile("letter.pdf", PDF, "application/pdf")],
    )
    attachment = AppealAttachment.objects.get(appeal=appeal)
    client = login(superuser)
    response = client.get(en("appeals:attachment", appeal.pk, attachment.pk))
    assert response.status_code in {403, 404}
    assert PDF not in _content(response)
    assert not superuser.has_perm("appeals.view_content", appeal)


def test_templates_asking_perms_do_not_open_confidential_menus_to_a_superuser(
    rf, superuser, network
):
    from django.contrib.auth.context_processors import PermWrapper

    template = Template(
        "{% if perms.mediation.view_cases %}cases{% endif %}"
        "{% if perms.workspace.enter %}workspace{% endif %}"
    )
    assert template.render(Context({"perms": PermWrapper(superuser)})) == "workspace"


def test_django_model_permissions_keep_their_meaning_for_the_admin(superuser):
    # Not a rule of Birlik: Django's own permissions (used by the admin) are unchanged.
    assert superuser.has_perm("registry.change_ethnicgroup")
    assert policies.is_rule("mediation.view_case")
    assert not policies.is_rule("registry.change_ethnicgroup")
