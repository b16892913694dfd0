from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from birlik.access.models import Role
from birlik.registry.models import Organisation
from birlik.youth.models import Cohort, YouthProject

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region
from .factories import make_cohort, make_project


@dataclass
class Youth:
    network: Any
    branch: Organisation  # the Pavlodar youth branch, under the regional assembly
    almaty_branch: Organisation
    project: YouthProject
    cohort: Cohort
    manager: Any  # body staff of the branch
    jurors: list[Any]


@pytest.fixture
def youth(network) -> Youth:
    branch = OrganisationFactory(
        parent=network.pavlodar, kind=kind("youth_branch"), region=region("KZ-55")
    )
    almaty_branch = OrganisationFactory(
        parent=network.almaty, kind=kind("youth_branch"), region=region("KZ-75")
    )
    manager = UserFactory(username="youth_manager", full_name="Manager")
    GrantFactory(user=manager, role=Role.BODY_STAFF, organisation=branch)
    jurors = []
    for index in range(2):
        juror = UserFactory(username=f"juror{index}", full_name=f"Juror {index}")
        GrantFactory(user=juror, role=Role.BODY_STAFF, organisation=branch)
        jurors.append(juror)
    project = make_project(branch)
    cohort = make_cohort(project)
    cohort.jury.set(jurors)
    return Youth(network, branch, almaty_branch, project, cohort, manager, jurors)
