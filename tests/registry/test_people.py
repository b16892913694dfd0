"""People and their IIN: names that agree, counted and audited look-ups, and who sees what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from birlik.access import policies
from birlik.access.models import AuditEntry
from birlik.registry import services
from birlik.registry.iin import make_iin
from birlik.registry.models import Consent, Membership, Person

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db


def iin_for(birth: datetime.date, serial: int) -> str:
    for offset in range(20):
        iin = make_iin(birth, "f", serial + offset)
        if iin:
            return iin
    raise AssertionError


@pytest.mark.parametrize(
    ("given_last", "given_first"),
    [
        ("Жұмабаева", "Әлия"),
        ("ЖУМАБАЕВА", "алия"),  # case, Kazakh letters typed as Russian ones
        ("  Жумабаева ", " Алия  "),  # extra spaces
        ("Жумабаевa", "Aлия"),  # Latin look-alike letters
        ("Zhumabaeva", "Aliya"),  # a Latin spelling
    ],
)
def test_names_agree_whatever_the_spelling(given_last, given_first):
    person = Person(last_name="Жұмабаева", first_name="Әлия")
    assert services.names_agree(person, last_name=given_last, first_name=given_first)


def test_names_agree_treats_yo_as_ye():
    person = Person(last_name="Ёлкина", first_name="Алёна")
    assert services.names_agree(person, last_name="Елкина", first_name="Алена")


@pytest.mark.parametrize(
    ("given_last", "given_first"),
    [("Жұмабаева", "Айгүл"), ("Иванова", "Әлия"), ("", "")],
)
def test_names_do_not_agree_when_either_differs(given_last, given_first):
    person = Person(last_name="Жұмабаева", first_name="Әлия")
    assert not services.names_agree(person, last_name=given_last, first_name=given_first)


def test_a_linked_member_is_known_by_name_but_their_data_stays_with_the_registering_body(
    network,
):
    kim = network.almaty_person
    pavlodar = network.users["coordinator_pavlodar"]
    Membership.objects.create(
        person=kim,
        organisation=network.pavlodar_house,
        role="member",
        start_date=datetime.date(2025, 1, 1),
    )
    assert policies.scoped(Person.objects.filter(pk=kim.pk), pavlodar).exists()
    assert not policies.can(pavlodar, "registry.view_person", kim)
    assert not policies.can(pavlodar, "registry.change_person", kim)
    assert not policies.scoped(Consent.objects.filter(person=kim), pavlodar).exists()
    almaty = network.users["coordinator_almaty"]
    assert policies.can(almaty, "registry.view_person", kim)
    assert policies.can(almaty, "registry.change_person", kim)
    assert policies.can(network.users["auditor"], "registry.view_person", kim)
    assert not policies.can(network.users["auditor"], "registry.change_person", kim)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=pavlodar, person=kim, data={"first_name": "Changed"})


def test_the_import_service_refuses_a_row_whose_name_does_not_agree(network):
    """Services never trust their callers: the check is made again when the rows are applied."""
    iin = iin_for(datetime.date(1984, 4, 4), 1)
    key = services.iin_key(iin)
    Person.objects.filter(pk=network.almaty_person.pk).update(
        iin_digest=key.digest, iin_last4=key.last4
    )
    row = services.MemberImportRow(
        line=2,
        organisation=network.pavlodar_house,
        person_data={"last_name": "Иванов", "first_name": "Иван", "patronymic": ""},
        role="member",
        start_date=datetime.date(2025, 1, 1),
        iin=key,
        consent_given_on=datetime.date(2025, 1, 1),
    )
    with translation.override("en"), pytest.raises(services.ImportRowError) as error:
        services.members_import(
            actor=network.users["coordinator_pavlodar"], under=network.pavlodar, rows=[row]
        )
    assert "another name" in str(error.value.message)
    assert not network.almaty_person.memberships.filter(
        organisation=network.pavlodar_house
    ).exists()


def test_look_ups_of_ones_own_people_and_by_national_admins_are_not_counted(network, settings):
    settings.IIN_LOOKUPS_PER_HOUR = 1
    own = iin_for(datetime.date(1970, 7, 7), 1)
    own_key = services.iin_key(own)
    Person.objects.filter(pk=network.pavlodar_person.pk).update(
        iin_digest=own_key.digest, iin_last4=own_key.last4
    )
    coordinator = network.users["coordinator_pavlodar"]
    for _ in range(3):
        lookups = services.iin_lookups(
            actor=coordinator, organisation=network.pavlodar, keys=[own_key], purpose="test"
        )
        assert lookups.allowed == {own_key.digest}
    others = [services.iin_key(iin_for(datetime.date(1971, 1, 1) + datetime.timedelta(i), 1))
              for i in range(2)]  # fmt: skip
    lookups = services.iin_lookups(
        actor=coordinator, organisation=network.pavlodar, keys=others, purpose="test"
    )
    assert lookups.allowed == {others[0].digest}
    assert lookups.refused is not None
    assert lookups.refused.field == "iin"
    admin = network.users["admin"]
    many = [services.iin_key(iin_for(datetime.date(1972, 1, 1) + datetime.timedelta(i), 1))
            for i in range(5)]  # fmt: skip
    lookups = services.iin_lookups(
        actor=admin, organisation=network.root, keys=many, purpose="test"
    )
    assert len(lookups.allowed) == 5
    assert AuditEntry.objects.filter(actor=admin, note="IIN look-up: test").count() == 5


def test_only_staff_of_the_body_may_look_up_iins(network):
    key = services.iin_key(iin_for(datetime.date(1975, 5, 5), 1))
    with pytest.raises(PermissionDenied):
        services.iin_lookups(
            actor=network.users["coordinator_pavlodar"],
            organisation=network.almaty,
            keys=[key],
            purpose="test",
        )
    with pytest.raises(PermissionDenied):
        services.iin_lookups(
            actor=network.users["analyst"], organisation=network.root, keys=[key], purpose="test"
        )
    assert not AuditEntry.objects.filter(note__startswith="IIN look-up").exists()


def test_a_new_iin_is_saved_with_its_birth_date_and_the_look_up_audited(network):
    person = PersonFactory(registered_by=network.pavlodar_house)
    iin = iin_for(datetime.date(2001, 2, 3), 7)
    services.person_update(
        actor=network.users["staff_pavlodar_house"], person=person, data={}, iin=iin
    )
    person.refresh_from_db()
    assert person.iin_last4 == iin[-4:]
    assert person.birth_date == datetime.date(2001, 2, 3)
    assert person.sex == "f"
    entry = AuditEntry.objects.get(note="IIN look-up: change of IIN")
    assert entry.changes["found"] == [None, False]
    assert iin not in str(entry.changes)


def test_iins_held_by_people_the_user_may_not_see_count_against_the_narrow_match_limit(
    network, settings
):
    """A list of new members loads (misses count only against the wide limit), but finding
    people registered elsewhere stops after ``IIN_MATCHES_PER_HOUR``."""
    settings.IIN_MATCHES_PER_HOUR = 1
    settings.IIN_LOOKUPS_PER_HOUR = 100
    held = []
    for i in range(2):
        key = services.iin_key(iin_for(datetime.date(1960, 3, 3) + datetime.timedelta(i), 1))
        PersonFactory(registered_by=network.almaty, iin_digest=key.digest, iin_last4=key.last4)
        held.append(key)
    fresh = [
        services.iin_key(iin_for(datetime.date(1980, 1, 1) + datetime.timedelta(i), 1))
        for i in range(30)
    ]
    coordinator = network.users["coordinator_pavlodar"]
    lookups = services.iin_lookups(
        actor=coordinator, organisation=network.pavlodar, keys=fresh, purpose="test"
    )
    assert lookups.allowed == {key.digest for key in fresh}
    assert lookups.refused is None
    lookups = services.iin_lookups(
        actor=coordinator, organisation=network.pavlodar, keys=held, purpose="test"
    )
    assert lookups.allowed == {held[0].digest}
    assert lookups.refused is not None
