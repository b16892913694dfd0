"""A scope that holds every body filters nothing: the national administrator's lists read the
tables without a join on the body tree (what keeps them fast at ten times the national scale),
and see exactly what the filtered scope would show. A second top-level body ends that."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from birlik.access import policies
from birlik.access.models import User
from birlik.events.models import Event
from birlik.registry.models import Membership, Organisation, Person
from tests.events.factories import EventFactory
from tests.factories import OrganisationFactory, PersonFactory, kind

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """The user as the next request loads it: nothing kept from earlier calls."""
    return User.objects.get(pk=user.pk)


def _sql(queryset) -> str:
    with CaptureQueriesContext(connection) as queries:
        list(queryset)
    return queries.captured_queries[-1]["sql"]


def test_the_national_scope_reads_every_row_without_a_filter_on_the_tree(network):
    EventFactory(organiser=network.pavlodar_house)
    EventFactory(organiser=network.almaty_house)
    admin = _fresh(network.users["admin"])
    assert policies.whole_tree_of(admin, policies.ALL_ROLES)
    for model in (Event, Person, Membership, Organisation):
        rows = policies.scoped(model.objects.all(), admin)
        assert "LIKE" not in _sql(rows).upper(), model
        assert rows.count() == model.objects.count() > 0


def test_the_answer_is_kept_for_the_request_and_forgotten_with_the_grants(network):
    admin = _fresh(network.users["admin"])
    with CaptureQueriesContext(connection) as queries:
        policies.whole_tree_of(admin, policies.ALL_ROLES)
        policies.whole_tree_of(admin, policies.ALL_ROLES)
    assert len(queries) == 2  # the grants, then the tree: once each
    policies.forget_grants(admin)
    assert not hasattr(admin, "_birlik_whole_tree")


def test_a_regional_scope_keeps_its_filter_and_costs_no_query_for_it(network):
    EventFactory(organiser=network.pavlodar_house)
    outside = EventFactory(organiser=network.almaty_house)
    coordinator = _fresh(network.users["coordinator_pavlodar"])
    policies.grants_of(coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert not policies.whole_tree_of(coordinator, policies.ALL_ROLES)
    assert len(queries) == 0
    events = policies.scoped(Event.objects.all(), coordinator)
    assert outside not in events and events.count() == 1
    assert Person.objects.count() > policies.scoped(Person.objects.all(), coordinator).count()


def test_a_second_top_level_body_is_outside_the_national_scope(network):
    other = OrganisationFactory(kind=kind("secretariat"), name_en="Another tree")
    assert other.depth == 1
    elsewhere = EventFactory(organiser=other)
    stranger = PersonFactory(registered_by=other)
    EventFactory(organiser=network.pavlodar_house)
    admin = _fresh(network.users["admin"])
    assert not policies.whole_tree_of(admin, policies.ALL_ROLES)
    assert elsewhere not in policies.scoped(Event.objects.all(), admin)
    assert stranger not in policies.scoped(Person.objects.all(), admin)
    assert other not in policies.scoped(Organisation.objects.all(), admin)
