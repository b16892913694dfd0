"""The demo generator: a valid national network, deterministic, created once, with demo logins."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.access import policies
from birlik.access.models import Grant, Role, User
from birlik.demo.plan import build_plan, planned_counts, territory_from_files
from birlik.demo.services import DEMO_LOGINS, DEMO_PASSWORD, demo_seed
from birlik.registry.models import (
    Consent,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
)
from birlik.registry.services import person_find_by_iin

SCALE = 0.05
TWELVE_DIGITS = re.compile(r"\d{12}")


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_seeding_creates_bodies_of_every_kind(seeded):
    present = set(Organisation.objects.values_list("kind__code", flat=True).distinct())
    assert present == set(OrganisationKind.objects.values_list("code", flat=True))


def test_seeded_tree_is_a_valid_treebeard_tree(seeded):
    assert Organisation.objects.find_problems() == ([], [], [], [], [])
    assert Organisation.objects.filter(depth=1).count() == 1
    root = Organisation.objects.get(depth=1)
    assert root.kind.code == "secretariat"
    below = Organisation.objects.filter(path__startswith=root.path).exclude(pk=root.pk)
    assert below.count() == Organisation.objects.count() - 1
    for body in Organisation.objects.all():
        children = Organisation.objects.filter(path__startswith=body.path, depth=body.depth + 1)
        assert body.numchild == children.count(), body.name


def test_every_body_sits_where_its_kind_and_its_parent_allow(seeded):
    bodies = {o.path: o for o in Organisation.objects.select_related("kind")}
    allowed = {
        kind.code: {parent.code for parent in kind.allowed_parents.all()}
        for kind in OrganisationKind.objects.prefetch_related("allowed_parents")
    }
    for path, body in bodies.items():
        if body.depth == 1:
            continue
        parent = bodies[path[:-4]]
        assert parent.kind.code in allowed[body.kind.code], body.name
        if parent.region_id and body.region_id:
            assert body.region_id == parent.region_id, body.name
        if parent.district_id and body.district_id:
            assert body.district_id == parent.district_id, body.name
        if body.kind.requires_region:
            assert body.region_id is not None, body.name
        if body.district_id:
            assert body.district.region_id == body.region_id, body.name


def test_database_holds_exactly_what_the_plan_says(seeded):
    plan = planned_counts(SCALE)
    in_db = Counter(Organisation.objects.values_list("kind__code", flat=True))
    for code, count in in_db.items():
        assert plan[code] == count, code
    # Youth projects' graduates join the registry after it was seeded: a person and an
    # activist's term each, on top of the plan's.
    graduates = Person.objects.filter(youth_applications__isnull=False).distinct().count()
    assert graduates > 0
    assert Person.objects.count() == plan["people"] + graduates
    assert Membership.objects.count() == plan["memberships"] + graduates
    assert Organisation.objects.filter(status="closed").count() == plan["closed_bodies"]
    assert Membership.objects.filter(end_date__isnull=False).count() == plan["ended_terms"]


def test_names_read_naturally_in_three_languages(seeded):
    house = Organisation.objects.get(
        kind__code="house_of_friendship", region__iso="KZ-55", district__isnull=True
    )
    assert house.name == house.name_kk == "Павлодар облысының Достық үйі"
    assert house.name_ru == "Дом дружбы Павлодарской области"
    assert house.name_en == "House of Friendship of Pavlodar Region"
    assert house.address_ru.startswith("г. Павлодар, ")
    assert re.fullmatch(r"\+7 7\d\d \d{3} \d\d \d\d", house.phone)
    assert house.email.endswith(".kz")
    assert "dostik" in house.search_text  # the Latin spelling is searchable


def test_associations_are_linked_to_ethnic_groups_and_some_bodies_are_closed(seeded):
    associations = Organisation.objects.filter(kind__code="ethnocultural_association")
    assert associations.exists()
    assert not associations.filter(ethnic_groups__isnull=True).exists()
    assert not Organisation.objects.exclude(kind__code="ethnocultural_association").filter(
        ethnic_groups__isnull=False
    )
    closed = Organisation.objects.filter(status="closed")
    assert closed.exists()
    for body in closed:
        assert body.closed_on is not None and body.founded_on < body.closed_on
        assert body.numchild == 0
        assert not Membership.objects.filter(organisation=body, end_date__isnull=True).exists()


def test_people_are_stored_without_clear_text_iins(seeded):
    plan = build_plan(territory_from_files(), scale=SCALE)
    iins = {p.iin for p in plan.people if p.iin}
    assert len(iins) > 100
    stored = "|".join(str(value) for row in Person.objects.values() for value in row.values())
    assert not [iin for iin in iins if iin in stored]
    assert not [v for v in stored.split("|") if TWELVE_DIGITS.fullmatch(v)]
    share = Person.objects.filter(iin_digest__isnull=False).count() / Person.objects.count()
    assert 0.4 < share < 0.6
    planned = next(p for p in plan.people if p.iin)
    found = person_find_by_iin(iin=planned.iin)
    assert found is not None
    assert (found.last_name, found.first_name) == (planned.last_name, planned.first_name)
    assert found.iin_last4 == planned.iin[-4:]


def test_every_person_has_a_consent_and_councils_have_a_chair(seeded):
    assert Consent.objects.filter(purpose="membership").count() == Person.objects.count()
    councils = Organisation.objects.filter(
        kind__code__in=["elders_council", "mothers_council"], status="active"
    )
    for council in councils:
        assert council.memberships.filter(role="chair", end_date__isnull=True).count() == 1
    assert Membership.objects.filter(role="mediator").count() >= 21
    assert Membership.objects.filter(role="expert").exists()
    assert Membership.objects.filter(role="activist").exists()


def test_demo_logins_sign_in_and_hold_their_grants(seeded, client):
    assert [username for username, _ in DEMO_LOGINS] == [
        "admin", "analyst", "auditor", "coordinator_pavlodar", "coordinator_almaty",
        "staff_house", "staff_elders", "mediator_almaty", "head_mediation_almaty",
        "staff_charity_almaty", "head_charity_almaty", "expert_council", "participant",
        "academy", "diplomacy", "deputy_group",
    ]  # fmt: skip
    with translation.override("en"):
        login = reverse("access:login")
    response = client.post(login, {"username": "staff_elders", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")

    def grant(username):
        return Grant.objects.select_related("organisation__kind", "organisation__region").get(
            user__username=username
        )

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.full_name
    assert grant("admin").role == Role.NATIONAL_ADMIN
    assert grant("admin").organisation.depth == 1
    assert grant("analyst").role == Role.ANALYST
    assert grant("auditor").role == Role.AUDITOR
    pavlodar = grant("coordinator_pavlodar")
    assert (pavlodar.role, pavlodar.organisation.region.iso) == (Role.REGIONAL_COORDINATOR, "KZ-55")
    assert pavlodar.organisation.kind.code == "regional_assembly"
    almaty = grant("coordinator_almaty").organisation
    assert (almaty.kind.code, almaty.region.iso) == ("city_assembly", "KZ-75")
    assert grant("staff_house").organisation.kind.code == "house_of_friendship"
    for username, kind_code in (
        ("head_mediation_almaty", "mediation_centre"),
        ("head_charity_almaty", "charity_centre"),
    ):
        head = grant(username)
        assert (head.role, head.organisation.kind.code) == (Role.CENTRE_HEAD, kind_code)
        assert head.organisation.region.iso == "KZ-75"
    for username, kind_code in (
        ("mediator_almaty", "mediation_centre"),
        ("staff_charity_almaty", "charity_centre"),
    ):
        staff = grant(username)
        assert (staff.role, staff.organisation.kind.code) == (Role.BODY_STAFF, kind_code)
    elders = grant("staff_elders").organisation
    assert elders.kind.code == "elders_council" and elders.district_id is not None
    assert User.objects.get(username="coordinator_pavlodar").language == "ru"

    coordinator = User.objects.get(username="coordinator_pavlodar")
    house = grant("staff_house").organisation
    assert policies.can(coordinator, "registry.change_organisation", house)
    assert not policies.can(coordinator, "registry.change_organisation", almaty)


def test_seeding_twice_changes_nothing(seeded):
    before = (Organisation.objects.count(), Person.objects.count(), User.objects.count())
    assert demo_seed(scale=SCALE) is False
    assert demo_seed(scale=1.0, seed=7) is False
    after = (Organisation.objects.count(), Person.objects.count(), User.objects.count())
    assert after == before


def test_same_seed_gives_the_same_network(seeded):
    stored = list(Organisation.objects.order_by("path").values_list("path", "name_ru"))
    plan = build_plan(territory_from_files(), scale=SCALE)
    planned = sorted((body.path, body.name[1]) for body in plan.bodies)
    assert stored == planned
    people = list(Person.objects.order_by("id").values_list("last_name", "first_name")[:50])
    assert people == [(p.last_name, p.first_name) for p in plan.people[:50]]


def test_plan_is_deterministic_and_the_seed_matters(db):
    territory = territory_from_files()
    first = build_plan(territory, scale=SCALE, seed=11)
    again = build_plan(territory, scale=SCALE, seed=11)
    other = build_plan(territory, scale=SCALE, seed=12)
    assert first.fingerprint() == again.fingerprint()
    assert first.fingerprint() != other.fingerprint()


def test_full_scale_plan_meets_the_national_targets():
    counts = planned_counts(1.0)
    assert counts["secretariat"] == 1
    assert counts["regional_assembly"] + counts["city_assembly"] == 20
    assert counts["city_assembly"] == 3
    assert counts["district_assembly"] >= 30
    assert counts["public_accord_institution"] == 20
    assert counts["house_of_friendship"] == 36
    assert 950 <= counts["ethnocultural_association"] <= 1100
    assert counts["elders_council"] >= 1200
    assert 7000 <= counts["elders_members"] <= 7500
    assert 12000 <= counts["mothers_members"] <= 12500
    assert counts["youth_movement"] == 1
    assert counts["youth_branch"] == 20
    assert 10000 <= counts["youth_activists"] <= 10500
    assert 95 <= counts["student_assembly"] <= 115
    assert counts["mediation_centre"] == 21
    assert counts["mediation_council"] == 21
    assert counts["mediators"] == 330
    assert counts["scientific_expert_group"] == 20
    assert 280 <= counts["experts"] <= 320
    assert counts["charity_centre"] == 20
    assert 18 <= counts["university_department"] <= 25
    assert 140 <= counts["creative_collective"] <= 160
    for single in ("deputy_group", "young_scientists_club", "apk_academy", "journalists_club",
                   "peoples_diplomacy_centre", "friendship_ambassadors"):  # fmt: skip
        assert counts[single] == 1
    assert 0 < counts["closed_bodies"] < 50
    assert 0.45 < counts["people_with_iin"] / counts["people"] < 0.55
