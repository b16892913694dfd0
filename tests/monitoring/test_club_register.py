"""The journalists' club's register in the workspace: who may read it, enter, correct and delete
a publication, what the list shows and filters, and what the audit log keeps."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Role, User
from birlik.monitoring import services
from birlik.monitoring.models import ClubPublication

from ..factories import GrantFactory, OrganisationFactory, PersonFactory, UserFactory, kind, region
from ..mediation.factories import MediatorFactory
from .club_fixtures import club_fixture, make_publication  # noqa: F401 - fixture

LIST = "/en/workspace/monitoring/club/"
NEW = "/en/workspace/monitoring/club/new/"
IMPORT = "/en/workspace/monitoring/club/import/"
NOW = "2025-11-20 10:00:00+05:00"


@pytest.fixture(autouse=True)
def _in_november_2025():
    """The register shows this year by default: the tests' publications are of 2025."""
    with freeze_time(NOW):
        yield


def edit_url(publication: ClubPublication) -> str:
    return f"/en/workspace/monitoring/club/{publication.pk}/edit/"


def delete_url(publication: ClubPublication) -> str:
    return f"/en/workspace/monitoring/club/{publication.pk}/delete/"


def figures(page: str) -> dict[str, str]:
    """The figures at the top of a page: label -> value."""
    found = re.findall(
        r'figure-value">([^<]+)</span> <span class="figure-label">([^<]+)</span>', page
    )
    return {label: value for value, label in found}


def entry(organisation, **fields) -> dict[str, str]:
    data = {
        "organisation": str(organisation.pk),
        "outlet": "Egemen Qazaqstan",
        "kind": "tv",
        "published_on": "2025-10-02",
        "title": "Бірлік күні Павлодарда",
        "url": "https://egemen.kz/article/1",
        "region": "KZ-55",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("who", ["admin", "club_staff"])
def test_club_staff_and_the_national_admin_keep_the_register(login, network, club, who):
    user = club.staff if who == "club_staff" else network.users["admin"]
    publication = make_publication(club.body)
    client = login(user)
    for url in (LIST, NEW, IMPORT, edit_url(publication)):
        assert client.get(url).status_code == 200, url
    page = client.get(LIST).content.decode()
    assert "Enter a publication" in page
    assert publication.title in page


def test_the_analyst_reads_the_register_but_changes_nothing(login, network, club):
    publication = make_publication(club.body)
    client = login(network.users["analyst"])
    page = client.get(LIST)
    assert page.status_code == 200
    assert publication.title in page.content.decode()
    assert "Enter a publication" not in page.content.decode()
    assert client.get(NEW).status_code == 403
    assert client.get(IMPORT).status_code == 403
    assert client.get(edit_url(publication)).status_code == 403
    assert client.post(delete_url(publication)).status_code == 403
    assert client.post(NEW, entry(club.body)).status_code == 403
    assert ClubPublication.objects.filter(pk=publication.pk).exists()
    assert ClubPublication.objects.count() == 1


@pytest.fixture(name="others")
def others_fixture(network) -> dict[str, User]:
    """Everyone of the URL matrix who does not keep the club's register: the network's other
    users, the staff of a council of elders, a mediator and the head of a mediation centre."""
    users = dict(network.users)
    elders = UserFactory(username="staff_pavlodar_elders")
    GrantFactory(user=elders, role=Role.BODY_STAFF, organisation=network.pavlodar_elders)
    centre = OrganisationFactory(
        parent=network.pavlodar_house, kind=kind("mediation_centre"), region=region("KZ-55")
    )
    head = UserFactory(username="head_pavlodar_centre")
    GrantFactory(user=head, role=Role.CENTRE_HEAD, organisation=centre)
    mediator = UserFactory(username="mediator_pavlodar")
    MediatorFactory(person=PersonFactory(registered_by=centre), centre=centre, user=mediator)
    users.update({"staff_pavlodar_elders": elders, "centre_head": head, "mediator": mediator})
    return users


@pytest.mark.parametrize(
    "who",
    [
        "coordinator_pavlodar",
        "coordinator_almaty",
        "staff_pavlodar_house",
        "staff_pavlodar_elders",
        "auditor",
        "centre_head",
        "mediator",
        "nobody",
    ],
)
def test_other_staff_may_not_open_the_register(login, club, others, who):
    publication = make_publication(club.body)
    client = login(others[who])
    for url in (LIST, NEW, IMPORT):
        assert client.get(url).status_code == 403, url
    # A publication out of one's scope is not admitted to exist; without any grant the
    # workspace itself is closed.
    expected = 403 if who in {"mediator", "nobody"} else 404
    assert client.get(edit_url(publication)).status_code == expected
    assert client.post(delete_url(publication)).status_code == expected
    assert ClubPublication.objects.filter(pk=publication.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, network, club):
    publication = make_publication(club.body)
    for url in (LIST, NEW, IMPORT, edit_url(publication)):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    client.post(delete_url(publication))
    assert ClubPublication.objects.filter(pk=publication.pk).exists()


def test_staff_of_another_club_do_not_see_this_clubs_publications(login, network, club):
    theirs = make_publication(club.body, title="National club story")
    mine = make_publication(club.other, title="Almaty club story")
    client = login(club.other_staff)
    page = client.get(LIST).content.decode()
    assert mine.title in page
    assert theirs.title not in page
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(delete_url(theirs)).status_code == 404
    assert ClubPublication.objects.filter(pk=theirs.pk).exists()


def test_club_staff_enter_a_publication_which_is_audited(login, network, club):
    client = login(club.staff)
    response = client.post(NEW, entry(club.body))
    assert response.status_code == 302
    publication = ClubPublication.objects.get()
    assert publication.organisation == club.body
    assert publication.kind == ClubPublication.Kind.TV
    assert publication.region.iso == "KZ-55"
    assert publication.created_by == club.staff
    audit = AuditEntry.objects.get(object_type="monitoring.ClubPublication")
    assert audit.action == AuditEntry.Action.CREATE
    assert audit.actor == club.staff
    assert audit.organisation_path == club.body.path
    page = client.get(LIST).content.decode()
    assert "Бірлік күні Павлодарда" in page
    assert "The publication was entered in the register." in page


def test_a_link_enters_the_register_once(login, network, club):
    make_publication(club.body, url="https://egemen.kz/article/1")
    client = login(club.staff)
    response = client.post(NEW, entry(club.body))
    assert response.status_code == 400
    assert "A publication with this link is already in the register." in response.content.decode()
    assert ClubPublication.objects.count() == 1


def test_a_date_in_the_future_and_a_missing_title_are_refused_with_a_message(login, club):
    client = login(club.staff)
    response = client.post(NEW, entry(club.body, published_on="2025-12-01"))
    assert response.status_code == 400
    assert "The date of publication is in the future." in response.content.decode()
    response = client.post(NEW, entry(club.body, title=""))
    assert response.status_code == 400
    assert ClubPublication.objects.count() == 0


def test_club_staff_file_only_under_their_own_club(login, club):
    client = login(club.staff)
    response = client.post(NEW, entry(club.other))
    assert response.status_code == 400
    assert ClubPublication.objects.count() == 0
    with translation.override("en"), pytest.raises(services.ClubError) as refused:
        services.club_publication_register(
            actor=club.staff,
            organisation=club.other,
            outlet="Almaty TV",
            kind="tv",
            published_on=datetime.date(2025, 5, 1),
            title="Not theirs",
        )
    assert refused.value.field == "organisation"
    assert ClubPublication.objects.count() == 0


def test_a_correction_and_a_deletion_are_audited(login, network, club):
    publication = make_publication(club.body, title="Old title")
    client = login(network.users["admin"])
    data = entry(club.body, title="New title", url=publication.url)
    assert client.post(edit_url(publication), data).status_code == 302
    publication.refresh_from_db()
    assert publication.title == "New title"
    update = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert update.changes["title"] == ["Old title", "New title"]
    assert client.post(delete_url(publication)).status_code == 302
    assert not ClubPublication.objects.filter(pk=publication.pk).exists()
    deletion = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert deletion.object_id == str(publication.pk)
    assert deletion.actor == network.users["admin"]


def test_deleting_is_a_post_only_action(login, club):
    publication = make_publication(club.body)
    client = login(club.staff)
    assert client.get(delete_url(publication)).status_code == 405
    assert ClubPublication.objects.filter(pk=publication.pk).exists()


def test_the_register_filters_and_counts_the_years_output_by_kind(login, network, club):
    make_publication(club.body, kind="publication", outlet="Kazinform", region=region("KZ-55"))
    make_publication(club.body, kind="tv", outlet="Khabar", region=region("KZ-75"))
    make_publication(club.body, kind="social", outlet="Kazinform Telegram")
    make_publication(club.body, kind="tv", published_on=datetime.date(2024, 6, 1), title="Last")
    client = login(club.staff)
    page = client.get(LIST).content.decode()
    assert "The club's output in 2025" in page
    assert figures(page) == {
        "Publication": "1",
        "TV story": "1",
        "Social-media post": "1",
        "in all": "3",
    }
    assert "3 publications" in page  # the list: this year by default
    assert "Last" not in page
    page = client.get(LIST, {"year": "2024"}).content.decode()
    assert "1 publication" in page
    assert figures(page)["TV story"] == "1"
    assert figures(page)["in all"] == "1"
    assert "Last" in page
    page = client.get(LIST, {"kind": "tv"}).content.decode()
    assert "1 publication" in page
    assert "Khabar" in page
    page = client.get(LIST, {"outlet": "kazinform"}).content.decode()
    assert "2 publications" in page
    page = client.get(LIST, {"region": "KZ-55"}).content.decode()
    assert "1 publication" in page


def test_a_year_not_understood_is_said_and_the_list_still_shows(login, club):
    make_publication(club.body)
    client = login(club.staff)
    for year in ("abc", "1800", "9999"):
        response = client.get(LIST, {"year": year})
        assert response.status_code == 200
        assert "Some filter values were not understood" in response.content.decode()


def test_the_register_costs_the_same_queries_for_3_or_30_rows(
    login, club, django_assert_max_num_queries
):
    for _index in range(3):
        make_publication(club.body)
    client = login(club.staff)
    client.get(LIST)
    with django_assert_max_num_queries(30) as few:
        assert client.get(LIST).status_code == 200
    for _index in range(27):
        make_publication(club.body)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
