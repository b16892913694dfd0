"""Registry writes: hierarchy rules, territory, audit rows in the same transaction."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from birlik.access.models import AuditEntry
from birlik.registry import services
from birlik.registry.models import Consent, Membership, Organisation, Person

from ..factories import district_of, kind, region


def names(text):
    return {"name_kk": f"{text} kk", "name_ru": f"{text} ru", "name_en": f"{text} en"}


def test_coordinator_creates_a_council_under_the_regional_assembly_with_an_audit_row(network):
    council = services.organisation_create(
        actor=network.users["coordinator_pavlodar"],
        parent=network.pavlodar,
        kind=kind("mothers_council"),
        data={**names("Аналар кеңесі"), "region": region("KZ-55")},
    )
    assert Organisation.objects.get_parent(council) == network.pavlodar
    assert council.path.startswith(network.pavlodar.path)
    entry = AuditEntry.objects.get(object_type="registry.Organisation", object_id=str(council.pk))
    assert entry.action == "create"
    assert entry.actor == network.users["coordinator_pavlodar"]
    assert entry.changes["name_ru"] == [None, "Аналар кеңесі ru"]
    assert entry.organisation_path == council.path


def test_kind_not_allowed_under_parent_is_refused(network):
    with pytest.raises(services.RegistryError) as error:
        services.organisation_create(
            actor=network.users["admin"],
            parent=network.pavlodar_house,
            kind=kind("regional_assembly"),
            data={**names("X"), "region": region("KZ-55")},
        )
    assert error.value.field == "parent"
    assert not Organisation.objects.filter(name_en="X en").exists()


def test_child_must_stay_in_its_parents_region(network):
    with pytest.raises(services.RegistryError) as error:
        services.organisation_create(
            actor=network.users["admin"],
            parent=network.pavlodar,
            kind=kind("elders_council"),
            data={**names("Y"), "region": region("KZ-75")},
        )
    assert error.value.field == "region"


def test_district_must_be_in_the_region(network):
    with pytest.raises(services.RegistryError) as error:
        services.organisation_create(
            actor=network.users["admin"],
            parent=network.pavlodar,
            kind=kind("elders_council"),
            data={**names("Z"), "region": region("KZ-55"), "district": district_of("KZ-19")},
        )
    assert error.value.field == "district"


def test_coordinator_cannot_create_in_another_region(network):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=network.users["coordinator_almaty"],
            parent=network.pavlodar,
            kind=kind("elders_council"),
            data={**names("W"), "region": region("KZ-55")},
        )
    assert not AuditEntry.objects.exists()


def test_a_kind_added_by_an_admin_is_usable_without_a_release(network):
    from birlik.registry.models import OrganisationKind

    council = OrganisationKind.objects.create(
        code="peoples_council_branch",
        name="Халық Кеңесінің өңірлік бөлімшесі",
        name_plural="Бөлімшелер",
        level="regional",
    )
    council.allowed_parents.set([kind("regional_assembly")])
    body = services.organisation_create(
        actor=network.users["coordinator_pavlodar"],
        parent=network.pavlodar,
        kind=council,
        data={**names("Халық Кеңесі"), "region": region("KZ-55")},
    )
    assert body.kind.code == "peoples_council_branch"


def test_update_records_before_and_after(network):
    services.organisation_update(
        actor=network.users["staff_pavlodar_house"],
        organisation=network.pavlodar_house,
        data={"phone": "+7 718 255 00 11", "name_ru": "Дом дружбы г. Павлодар"},
    )
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes["phone"] == ["", "+7 718 255 00 11"]
    assert entry.changes["name_ru"] == ["Дом дружбы Павлодарской области", "Дом дружбы г. Павлодар"]
    network.pavlodar_house.refresh_from_db()
    assert "павлодар" in network.pavlodar_house.search_text


def test_update_without_changes_writes_no_audit_row(network):
    services.organisation_update(
        actor=network.users["admin"], organisation=network.pavlodar_house, data={}
    )
    assert not AuditEntry.objects.filter(action="update").exists()


def test_bad_email_is_refused_and_nothing_changes(network):
    with pytest.raises(services.RegistryError) as error:
        services.organisation_update(
            actor=network.users["admin"],
            organisation=network.pavlodar_house,
            data={"email": "not-an-email"},
        )
    assert error.value.field == "email"
    network.pavlodar_house.refresh_from_db()
    assert network.pavlodar_house.email == ""


def test_closing_a_body_with_active_children_is_refused(network):
    with pytest.raises(services.RegistryError):
        services.organisation_close(
            actor=network.users["admin"],
            organisation=network.pavlodar,
            closed_on=datetime.date(2026, 5, 1),
        )
    network.pavlodar.refresh_from_db()
    assert network.pavlodar.status == "active"


def test_closing_a_body_ends_its_terms_and_is_audited(network):
    services.organisation_close(
        actor=network.users["coordinator_pavlodar"],
        organisation=network.pavlodar_elders,
        closed_on=datetime.date(2026, 5, 1),
        reason="merged",
    )
    network.pavlodar_elders.refresh_from_db()
    assert network.pavlodar_elders.status == "closed"
    assert not Membership.objects.filter(
        organisation=network.pavlodar_elders, end_date__isnull=True
    ).exists()
    entry = AuditEntry.objects.get(action="close")
    assert entry.note == "merged"


def test_body_staff_cannot_close_their_own_body(network):
    with pytest.raises(PermissionDenied):
        services.organisation_close(
            actor=network.users["staff_pavlodar_house"],
            organisation=network.pavlodar_house,
            closed_on=datetime.date(2026, 5, 1),
        )


def test_person_needs_consent_and_a_valid_iin(network):
    actor = network.users["staff_pavlodar_house"]
    with pytest.raises(services.RegistryError) as error:
        services.person_create(
            actor=actor,
            registered_by=network.pavlodar_house,
            data={"last_name": "Ахметова", "first_name": "Айгүл"},
        )
    assert error.value.field == "consent_given_on"
    with pytest.raises(services.RegistryError) as error:
        services.person_create(
            actor=actor,
            registered_by=network.pavlodar_house,
            data={"last_name": "Ахметова", "first_name": "Айгүл"},
            iin="900101300018",
            consent_given_on=datetime.date(2026, 3, 1),
        )
    assert error.value.field == "iin"
    assert not Person.objects.filter(last_name="Ахметова").exists()


def test_person_iin_is_kept_only_as_a_digest_and_matched_once(network):
    actor = network.users["staff_pavlodar_house"]
    person = services.person_create(
        actor=actor,
        registered_by=network.pavlodar_house,
        data={"last_name": "Ахметова", "first_name": "Айгүл"},
        iin="021231500075",
        consent_given_on=datetime.date(2026, 3, 1),
    )
    assert person.iin_last4 == "0075"
    assert person.birth_date == datetime.date(2002, 12, 31)
    assert "021231500075" not in str(Person.objects.filter(pk=person.pk).values().first())
    assert services.person_find_by_iin(iin="021231500075") == person
    assert Consent.objects.get(person=person).purpose == "membership"
    audit = AuditEntry.objects.get(object_type="registry.Person", object_id=str(person.pk))
    assert "021231500075" not in str(audit.changes)
    with pytest.raises(services.RegistryError):
        services.person_create(
            actor=actor,
            registered_by=network.pavlodar_house,
            data={"last_name": "Другая", "first_name": "Анна"},
            iin="021231500075",
            consent_given_on=datetime.date(2026, 3, 1),
        )


def test_membership_overlap_is_refused_and_end_is_audited(network):
    actor = network.users["coordinator_pavlodar"]
    membership = services.membership_add(
        actor=actor,
        person=network.pavlodar_person,
        organisation=network.pavlodar_house,
        role="chair",
        start_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(services.RegistryError):
        services.membership_add(
            actor=actor,
            person=network.pavlodar_person,
            organisation=network.pavlodar_house,
            role="chair",
            start_date=datetime.date(2025, 6, 1),
        )
    with pytest.raises(services.RegistryError):
        services.membership_end(
            actor=actor, membership=membership, end_date=datetime.date(2024, 1, 1)
        )
    services.membership_end(actor=actor, membership=membership, end_date=datetime.date(2026, 1, 1))
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2026, 1, 1)
    assert (
        AuditEntry.objects.filter(object_type="registry.Membership", action="update").count() == 1
    )


def test_a_failed_write_leaves_no_audit_row(network, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.organisation_create(
            actor=network.users["admin"],
            parent=network.pavlodar,
            kind=kind("mothers_council"),
            data={**names("Rolled back"), "region": region("KZ-55")},
        )
    assert not Organisation.objects.filter(name_en="Rolled back en").exists()


def test_national_body_without_region_or_district_can_be_created(network):
    body = services.organisation_create(
        actor=network.users["admin"],
        parent=network.root,
        kind=kind("journalists_club"),
        data={**names("Клуб"), "region": None, "district": None, "founded_on": None},
    )
    assert body.region is None and body.district is None
