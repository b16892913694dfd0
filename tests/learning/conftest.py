from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from birlik.access.models import Role
from birlik.learning.models import Cohort, Course
from birlik.registry.models import Membership, Organisation

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region
from .factories import make_cohort, make_course, make_term


@dataclass
class Learning:
    network: Any
    academy: Organisation  # the APK Academy, under the secretariat
    department: Organisation  # an APK department in Pavlodar Region, under the Academy
    academy_staff: Any  # body staff of the Academy
    course: Course  # the Academy's course of 24 hours in two modules
    cohort: Cohort  # enrolling, 3 places
    house_staff: Any  # body staff of the Pavlodar house of friendship
    house_term: Membership  # a staff term in the Pavlodar house
    almaty_term: Membership  # a staff term in the Almaty house


@pytest.fixture
def learning(network) -> Learning:
    academy = OrganisationFactory(
        parent=network.root,
        kind=kind("apk_academy"),
        name_kk="ҚХА Академиясы",
        name_ru="Академия АНК",
        name_en="APK Academy",
    )
    department = OrganisationFactory(
        parent=academy,
        kind=kind("university_department"),
        region=region("KZ-55"),
        name_en="APK Department at Toraighyrov University",
    )
    academy_staff = UserFactory(username="academy")
    GrantFactory(user=academy_staff, role=Role.BODY_STAFF, organisation=academy)
    course = make_course(academy)
    return Learning(
        network=network,
        academy=academy,
        department=department,
        academy_staff=academy_staff,
        course=course,
        cohort=make_cohort(course),
        house_staff=network.users["staff_pavlodar_house"],
        house_term=make_term(network.pavlodar_house, last_name="Бекова", first_name="Айжан"),
        almaty_term=make_term(network.almaty_house, last_name="Ли", first_name="Виктория"),
    )
