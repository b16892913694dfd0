"""Shared fixtures: a small network in two regions and a user for every role."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pytest

from birlik.access.models import Role, User
from birlik.registry.models import Organisation, Person

from .factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    district_of,
    kind,
    region,
)
from .queries import assert_queries

PASSWORD = "correct-horse-battery"

# The longest tests first: pytest-xdist hands tests to its workers in the collected order, so
# a run that starts them early fills the other worker with short tests meanwhile, instead of
# waiting on one long test at its end (the kill run alone takes minutes). Modules stay whole.
# This runs before pytest-django's own ordering, whose stable sort then keeps transactional
# tests (the browser's live server, which empties every table) after the others.
SLOW_FIRST = (
    "tests/appeals/test_reliability.py::test_appeals_sent_while",
    "tests/security/test_role_crawl.py",
    "tests/demo/",
    # Transactional tests of a minute or more each (migration round trips): first among the
    # transactional tests, not left to the end of a worker while the other one waits.
    "tests/appeals/test_migrations.py",
    "tests/core/test_sequences.py::test_the_counters_go_back",
    "tests/browser/",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        for position, prefix in enumerate(SLOW_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order inside each group is kept


@dataclass
class Network:
    root: Organisation
    pavlodar: Organisation  # regional assembly, KZ-55
    pavlodar_house: Organisation  # house of friendship under it
    pavlodar_elders: Organisation  # council of elders in a district of KZ-55
    almaty: Organisation  # city assembly, KZ-75
    almaty_house: Organisation
    pavlodar_person: Person
    almaty_person: Person
    users: dict[str, User]


@pytest.fixture
def network(db) -> Network:
    return build_network()


def build_network() -> Network:
    """Two regions (Pavlodar, Almaty) under the secretariat, a person in each, a user per role.
    Also what ``bench/`` builds on a fresh database."""
    root = OrganisationFactory(
        kind=kind("secretariat"),
        name_kk="ҚХА Хатшылығы",
        name_ru="Секретариат АНК",
        name_en="Secretariat of the Assembly",
    )
    pavlodar = OrganisationFactory(
        parent=root,
        kind=kind("regional_assembly"),
        region=region("KZ-55"),
        name_kk="Павлодар облысының ассамблеясы",
        name_ru="Ассамблея Павлодарской области",
        name_en="Assembly of Pavlodar Region",
    )
    pavlodar_house = OrganisationFactory(
        parent=pavlodar,
        kind=kind("house_of_friendship"),
        region=region("KZ-55"),
        name_kk="Павлодар облысының Достық үйі",
        name_ru="Дом дружбы Павлодарской области",
        name_en="House of Friendship of Pavlodar Region",
    )
    pavlodar_elders = OrganisationFactory(
        parent=pavlodar,
        kind=kind("elders_council"),
        region=region("KZ-55"),
        district=district_of("KZ-55"),
        name_kk="Ақсақалдар кеңесі",
        name_ru="Совет аксакалов",
        name_en="Council of Elders",
    )
    almaty = OrganisationFactory(
        parent=root,
        kind=kind("city_assembly"),
        region=region("KZ-75"),
        name_kk="Алматы қаласының ассамблеясы",
        name_ru="Ассамблея города Алматы",
        name_en="Assembly of Almaty City",
    )
    almaty_house = OrganisationFactory(
        parent=almaty,
        kind=kind("house_of_friendship"),
        region=region("KZ-75"),
        name_kk="Алматы қаласының Достық үйі",
        name_ru="Дом дружбы города Алматы",
        name_en="House of Friendship of Almaty City",
    )
    pavlodar_person = PersonFactory(registered_by=pavlodar_house, last_name="Жұмабаев")
    MembershipFactory(person=pavlodar_person, organisation=pavlodar_elders)
    almaty_person = PersonFactory(registered_by=almaty_house, last_name="Ким")
    MembershipFactory(person=almaty_person, organisation=almaty_house)
    users = {}
    for name, role, organisation in [
        ("admin", Role.NATIONAL_ADMIN, root),
        ("coordinator_pavlodar", Role.REGIONAL_COORDINATOR, pavlodar),
        ("coordinator_almaty", Role.REGIONAL_COORDINATOR, almaty),
        ("staff_pavlodar_house", Role.BODY_STAFF, pavlodar_house),
        ("analyst", Role.ANALYST, root),
        ("auditor", Role.AUDITOR, root),
    ]:
        user = UserFactory(username=name)
        GrantFactory(user=user, role=role, organisation=organisation)
        users[name] = user
    users["nobody"] = UserFactory(username="nobody")
    return Network(
        root=root,
        pavlodar=pavlodar,
        pavlodar_house=pavlodar_house,
        pavlodar_elders=pavlodar_elders,
        almaty=almaty,
        almaty_house=almaty_house,
        pavlodar_person=pavlodar_person,
        almaty_person=almaty_person,
        users=users,
    )


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded():
    """Load the URLconf (and the API's schemas) once, before any test freezes time: pydantic
    cannot build a schema for freezegun's fake date class."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing every view module is the point


@pytest.fixture
def login(client):
    """Sign a fixture user in on the test client: ``login(user)``."""

    def do(user: User):
        client.force_login(user)
        return client

    return do


DATABASE_FIXTURES = ("db", "transactional_db", "live_server", "django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_blocker):
    """Cached figures (``kpi.cached``, report rows) belong to one test: rolled-back tests never
    run the on-commit ``kpi.invalidate``, and transactional tests keep what they cached, so a
    figure cached by one test would leak into the next. The cache is a table of the test
    database (the embedded default), emptied before each test that uses the database, outside
    its transaction."""
    uses_database = request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in DATABASE_FIXTURES
    )
    if not uses_database:
        return
    request.getfixturevalue("django_db_setup")
    from django.core.cache import cache

    with django_db_blocker.unblock():
        cache.clear()


@pytest.fixture
def django_assert_num_queries():
    """pytest-django's fixture, counting only queries on the records (tests/queries.py): the
    shared cache of the embedded default is a database table, not a read of the records."""
    return partial(assert_queries, exact=True)


@pytest.fixture
def django_assert_max_num_queries():
    """pytest-django's fixture, counting only queries on the records (tests/queries.py)."""
    return partial(assert_queries, exact=False)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2 at production strength would dominate the run; tests use a cheap hasher."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def catalogues_after_flush(request):
    """Regions, districts, kinds and ethnic groups for transactional tests (live server, job
    workers): each of them ends by emptying every table, migrated catalogues included."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from birlik.geo.loader import load_territory
    from birlik.geo.models import District, Region
    from birlik.registry.loader import load_ethnic_groups, load_kinds
    from birlik.registry.models import EthnicGroup, OrganisationKind

    if not District.objects.exists():
        load_territory(Region, District)
    if not OrganisationKind.objects.exists():
        load_kinds(OrganisationKind)
    if not EthnicGroup.objects.exists():
        load_ethnic_groups(EthnicGroup)
    from birlik.events.loader import load_catalogues
    from birlik.events.models import Audience, Programme

    if not Programme.objects.exists():
        load_catalogues(Programme, Audience)
    from birlik.appeals.loader import load_state_bodies
    from birlik.appeals.models import StateBody

    if not StateBody.objects.exists():
        load_state_bodies(StateBody, Region, District)


@pytest.fixture(autouse=True)
def _kazakh_by_default():
    """Each test starts in the default language, whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
