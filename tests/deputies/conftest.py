"""The deputy group under the secretariat with its deputies, the Pavlodar assembly's members,
and their staff accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from birlik.access.models import Role
from birlik.registry.models import Organisation, Person

from ..factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
)


@dataclass
class Deputies:
    network: Any
    group: Organisation  # the national deputy group, under the secretariat
    group_staff: Any  # body staff of the group
    deputies: list[Person]  # the group's members
    pavlodar_members: list[Person]  # members of the Pavlodar regional assembly
    almaty_members: list[Person]

    @property
    def admin(self) -> Any:
        return self.network.users["admin"]

    @property
    def coordinator(self) -> Any:
        return self.network.users["coordinator_pavlodar"]


@pytest.fixture
def deputies(network) -> Deputies:
    group = OrganisationFactory(
        parent=network.root,
        kind=kind("deputy_group"),
        name_kk="«Бір ел – бір мүдде» депутаттық тобы",
        name_ru="Депутатская группа «Бір ел – бір мүдде»",
        name_en="Bir El – Bir Mudde Deputy Group",
    )
    staff = UserFactory(username="deputy_group_staff", full_name="Әлия Нұрланова")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=group)
    members = []
    for surname in ("Депутатов", "Мәжілісова", "Сенаторов"):
        person = PersonFactory(registered_by=group, last_name=surname)
        MembershipFactory(person=person, organisation=group)
        members.append(person)
    pavlodar = []
    for surname in ("Мәслихатов", "Облысова"):
        person = PersonFactory(registered_by=network.pavlodar, last_name=surname)
        MembershipFactory(person=person, organisation=network.pavlodar)
        pavlodar.append(person)
    almaty = [PersonFactory(registered_by=network.almaty, last_name="Алматинов")]
    MembershipFactory(person=almaty[0], organisation=network.almaty)
    return Deputies(network, group, staff, members, pavlodar, almaty)
