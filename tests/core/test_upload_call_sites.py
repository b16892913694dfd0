"""Call sites of the upload guard that had no early stop before: the targets sheet of a plan."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from birlik.reports.models import Target

from ..reports.factories import PlanFactory

PLANS = "/en/workspace/reports/plans/"


@pytest.mark.django_db
def test_an_oversize_targets_sheet_is_stopped_before_it_is_read(network, login):
    plan = PlanFactory(year=2025)
    big = io.BytesIO(b"PK\x03\x04" + b"\x00" * (3 * 1024 * 1024))
    big.name = "targets.xlsx"
    response = login(network.users["admin"]).post(
        f"{PLANS}{plan.pk}/targets/import/", {"file": big}
    )
    assert response.status_code == 400
    assert "The file is larger than 2 MB. Choose a smaller file." in response.content.decode()
    assert response.wsgi_request.upload_refused == "too_large"
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_the_targets_import_still_checks_csrf(network):
    plan = PlanFactory(year=2025)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(network.users["admin"])
    sheet = io.BytesIO(b"PK\x03\x04")
    sheet.name = "targets.xlsx"
    response = strict.post(f"{PLANS}{plan.pk}/targets/import/", {"file": sheet})
    assert response.status_code == 403
