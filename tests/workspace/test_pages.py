"""The workspace pages: who sees what, and 404 / 403 for what is out of reach."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from birlik.access.models import AuditEntry

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


def test_anonymous_visitor_is_sent_to_sign_in(client, network):
    response = client.get(url("home"))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_user_without_any_grant_gets_the_403_page(as_user):
    response = as_user("nobody").get(url("home"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_home_lists_the_users_role_and_the_figures_of_their_subtree(as_user, network):
    response = as_user("coordinator_pavlodar").get(url("home"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert network.pavlodar.name in page
    figures = response.context["figures"]
    # The regional assembly, its house of friendship and its council of elders.
    assert figures.active_bodies == 3
    assert figures.members == 1
    assert {row.kind.code: row.value for row in figures.by_kind} == {
        "regional_assembly": 1,
        "house_of_friendship": 1,
        "elders_council": 1,
    }


def test_coordinator_of_pavlodar_sees_only_pavlodar_bodies(as_user, network):
    response = as_user("coordinator_pavlodar").get(url("bodies"))
    page = response.content.decode()
    assert response.status_code == 200
    shown = {body.pk for body in response.context["page"].object_list}
    assert shown == {network.pavlodar.pk, network.pavlodar_house.pk, network.pavlodar_elders.pk}
    assert network.pavlodar_house.name in page
    assert network.almaty_house.name not in page
    assert url("body", network.root.pk) not in page


def test_coordinator_of_pavlodar_gets_404_for_an_almaty_body(as_user, network):
    client = as_user("coordinator_pavlodar")
    for name in ("body", "body_edit", "body_close", "body_create"):
        assert client.get(url(name, network.almaty_house.pk)).status_code == 404, name
    response = client.post(url("body_edit", network.almaty_house.pk), {"name_kk": "Жаңа"})
    assert response.status_code == 404


def test_coordinator_of_pavlodar_sees_only_pavlodar_people(as_user, network):
    client = as_user("coordinator_pavlodar")
    page = client.get(url("people")).content.decode()
    assert network.pavlodar_person.last_name in page
    assert network.almaty_person.last_name not in page
    assert client.get(url("person", network.almaty_person.pk)).status_code == 404
    assert client.get(url("person_edit", network.almaty_person.pk)).status_code == 404


def test_bodies_list_reports_a_filter_it_does_not_understand(as_user, network):
    response = as_user("admin").get(url("bodies"), {"region": "XX", "page": "abc"})
    assert response.status_code == 200
    assert response.context["invalid"]
    assert network.almaty_house.name in response.content.decode()


def test_bodies_list_filters_by_kind_region_and_name(as_user, network):
    client = as_user("admin")
    response = client.get(url("bodies"), {"kind": "house_of_friendship", "region": "KZ-75"})
    assert [b.pk for b in response.context["page"].object_list] == [network.almaty_house.pk]
    response = client.get(url("bodies"), {"q": "Павлодар"})
    assert network.almaty.pk not in {b.pk for b in response.context["page"].object_list}
    assert network.pavlodar.pk in {b.pk for b in response.context["page"].object_list}


def test_analyst_cannot_open_people(as_user, network):
    client = as_user("analyst")
    assert client.get(url("people")).status_code == 403
    assert client.get(url("person", network.pavlodar_person.pk)).status_code == 404


def test_analyst_sees_member_counts_but_no_names_on_a_body_page(as_user, network):
    response = as_user("analyst").get(url("body", network.pavlodar_elders.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["member_counts"][0]["value"] == 1
    assert network.pavlodar_person.last_name not in page
    assert not response.context["sees_members"]


def test_coordinator_sees_member_names_on_a_body_page(as_user, network):
    response = as_user("coordinator_pavlodar").get(url("body", network.pavlodar_elders.pk))
    assert network.pavlodar_person.last_name in response.content.decode()


def test_person_page_shows_only_the_masked_iin_and_logs_the_read(as_user, network):
    person = network.pavlodar_person
    person.iin_last4 = "4321"
    person.save(update_fields=["iin_last4"])
    before = AuditEntry.objects.filter(action=AuditEntry.Action.READ).count()
    response = as_user("coordinator_pavlodar").get(url("person", person.pk))
    assert response.status_code == 200
    assert "••••••••4321" in response.content.decode()
    reads = AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_type="registry.Person", object_id=str(person.pk)
    )
    assert reads.count() == before + 1
    assert reads.get().actor == network.users["coordinator_pavlodar"]


def test_body_staff_cannot_see_the_audit_trail_but_auditor_can(as_user, network):
    assert (
        not as_user("staff_pavlodar_house")
        .get(url("body", network.pavlodar_house.pk))
        .context["sees_audit"]
    )
    assert as_user("auditor").get(url("body", network.pavlodar_house.pk)).context["sees_audit"]


def test_post_without_csrf_token_is_rejected(network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["coordinator_pavlodar"])
    response = client.post(url("body_edit", network.pavlodar_house.pk), {"name_kk": "Басқа атау"})
    assert response.status_code == 403
    network.pavlodar_house.refresh_from_db()
    assert network.pavlodar_house.name_kk != "Басқа атау"


def test_import_upload_without_csrf_token_is_rejected(network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["coordinator_pavlodar"])
    response = client.post(url("import", network.pavlodar.pk), {"import_kind": "bodies"})
    assert response.status_code == 403
