"""The workspace and portal pages of charity: what users see, bad input, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from birlik.charity import services
from birlik.charity.models import Donation, HelpRequest, Kind, Pledge, Project, Story
from birlik.geo.models import District

from ..factories import region
from .factories import BENEFICIARY, bring_to_helping, give, make_request, pdf_upload

BASE = "/en/workspace/charity"


def _portal_form(**overrides):
    data = {
        "category": "emergency",
        "urgency": "urgent",
        "need": "Үйіміз өртеніп кетті, киім мен төсек керек",
        "region": region("KZ-55").pk,
        "district": "",
        "amount": "150000",
        "name": "Гүлнар Исаева",
        "phone": "+77017770000",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_citizen_asks_for_help_on_the_portal(client, charity):
    response = client.post("/en/charity/ask/", _portal_form())
    assert response.status_code == 200
    assert "Your request is received" in response.content.decode()
    created = HelpRequest.objects.get(source=HelpRequest.Source.PORTAL)
    assert created.centre == charity.centre
    assert created.beneficiary.name == "Гүлнар Исаева"
    assert not created.workers.exists()
    from birlik.notify.models import Notice

    sms = Notice.objects.get(recipient="+77017770000")
    assert created.number in sms.body and sms.language == "en"


def test_portal_form_without_consent_is_refused_and_nothing_stored(client, charity):
    response = client.post("/en/charity/ask/", _portal_form(consent=""))
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not HelpRequest.objects.filter(source=HelpRequest.Source.PORTAL).exists()


def test_portal_form_with_a_district_of_another_region_is_refused(client, charity):
    response = client.post(
        "/en/charity/ask/",
        _portal_form(district=District.objects.exclude(region__iso="KZ-55").first().pk),
    )
    assert response.status_code == 400
    assert "The district is not in the chosen region." in response.content.decode()


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_stored(client, charity):
    response = client.post("/en/charity/ask/", _portal_form(website="http://spam"))
    assert response.status_code == 200
    assert not HelpRequest.objects.filter(source=HelpRequest.Source.PORTAL).exists()


def test_a_region_without_centre_gets_a_clear_message(client, charity):
    response = client.post("/en/charity/ask/", _portal_form(region=region("KZ-11").pk))
    assert response.status_code == 400
    assert "There is no charity centre in this region yet" in response.content.decode()


def test_open_requests_are_listed_without_personal_data_and_filtered(
    client, charity, django_assert_max_num_queries
):
    bring_to_helping(charity)
    for _ in range(5):
        other = make_request(charity.centre, charity.worker)
        bring_to_helping(charity, other)
    with django_assert_max_num_queries(6):
        response = client.get("/en/charity/?region=KZ-55&category=children")
    page = response.content.decode()
    assert "Школьный набор для ребёнка" in page
    assert BENEFICIARY not in page and "+77015550101" not in page
    assert charity.request.number not in page
    assert "6 requests open for help" in page
    empty = client.get("/en/charity/?region=KZ-75").content.decode()
    assert "0 requests open for help" in empty
    assert client.get("/en/charity/?region=XX").status_code == 400


def test_donor_pledges_on_the_portal(client, charity):
    bring_to_helping(charity)
    url = f"/en/charity/requests/{charity.request.public_id}/"
    bad = client.post(url, {"kind": "money", "amount": "-5", "donor_name": "Асель"})
    assert bad.status_code == 400
    assert not Pledge.objects.exists()
    no_contact = client.post(url, {"kind": "money", "amount": "5000", "donor_name": "Асель"})
    assert "Give a phone number or an e-mail address." in no_contact.content.decode()
    ok = client.post(
        url, {"kind": "money", "amount": "5000", "donor_name": "Асель", "donor_phone": "+7701"}
    )
    assert ok.status_code == 200
    assert "Thank you!" in ok.content.decode()
    assert Pledge.objects.get().amount == 5000


def test_an_unverified_request_is_not_on_the_portal(client, charity):
    assert client.get(f"/en/charity/requests/{charity.request.public_id}/").status_code == 404


def test_worker_takes_a_request_to_delivery_through_the_pages(login, charity):
    client = login(charity.worker)
    data = {
        "centre": charity.centre.pk,
        "source": "centre",
        "category": "elderly",
        "urgency": "normal",
        "region": charity.centre.region_id,
        "district": "",
        "need": "Дәрі-дәрмек жеткізу керек, жалғыз тұрады",
        "amount": "",
        "item_1": "Дәрі жинағы",
        "quantity_1": "2",
        "value_1": "8000",
        "beneficiary_kind": "person",
        "beneficiary_name": "Бекен Омаров",
        "phone": "",
        "address": "",
        "iin": "",
        "household": "1",
        "body": "",
        "consent": "on",
    }
    response = client.post(f"{BASE}/requests/new/", data)
    assert response.status_code == 302
    created = HelpRequest.objects.get(beneficiary__name="Бекен Омаров")
    url = f"{BASE}/requests/{created.pk}/"
    assert "Бекен Омаров" in client.get(url).content.decode()
    client.post(f"{url}do/start/")
    upload = client.post(f"{url}do/document/", {"purpose": "verification", "file": pdf_upload()})
    assert upload.status_code == 302
    client.post(f"{url}do/verify/", {"public_need": "Дәрі жеткізу"})
    client.post(f"{url}do/attach/", {"project": charity.project.pk})
    services.donation_record(
        actor=charity.worker,
        project=charity.project,
        kind=Kind.IN_KIND,
        item="Дәрі жинағы",
        quantity=5,
        value=20_000,
        donor_name="Дәріхана",
    )
    over = client.post(
        f"{url}do/distribute/",
        {
            "kind": "in_kind",
            "item": "Дәрі жинағы",
            "quantity": "6",
            "delivered_on": "",
            "signed": "on",
        },
    )
    assert over.status_code == 400
    assert "Only 5 of “Дәрі жинағы” remain" in over.content.decode()
    done = client.post(
        f"{url}do/distribute/",
        {"kind": "in_kind", "item": "Дәрі жинағы", "quantity": "2", "signed": "on"},
    )
    assert done.status_code == 302
    client.post(f"{url}do/deliver/")
    created.refresh_from_db()
    assert created.status == HelpRequest.Status.DELIVERED
    assert "Help delivered" in client.get(url).content.decode()


def test_a_bad_upload_is_refused_with_a_message(login, charity):
    client = login(charity.worker)
    url = f"{BASE}/requests/{charity.request.pk}/"
    response = client.post(
        f"{url}do/document/",
        {
            "purpose": "verification",
            "file": SimpleUploadedFile("x.pdf", b"<html>", "application/pdf"),
        },
    )
    assert response.status_code == 400
    assert (
        "Only photos (JPEG, PNG, WebP) and PDF documents can be attached."
        in response.content.decode()
    )


def test_a_colleague_cannot_act_on_a_request_she_is_not_named_on(login, charity):
    client = login(charity.colleague)
    response = client.post(f"{BASE}/requests/{charity.request.pk}/do/start/")
    assert response.status_code == 404
    charity.request.refresh_from_db()
    assert charity.request.status == HelpRequest.Status.RECEIVED


def test_donation_through_the_ledger_page_issues_a_receipt(login, charity):
    client = login(charity.worker)
    url = f"{BASE}/projects/{charity.project.pk}/"
    negative = client.post(
        f"{url}donate/",
        {
            "kind": "money",
            "amount": "-10",
            "donor_kind": "person",
            "donor_name": "Ерлан",
            "received_on": "2026-11-01",
        },
    )
    assert negative.status_code == 400
    assert not Donation.objects.exists()
    response = client.post(
        f"{url}donate/",
        {
            "kind": "money",
            "amount": "70000",
            "donor_kind": "company",
            "donor_name": "ТОО Ертіс",
            "donor_bin": "123456789012",
            "received_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    assert "ТОО Ертіс" in receipt and "₸70,000" in receipt
    ledger = client.get(url).content.decode()
    assert "ТОО Ертіс" not in ledger
    assert '<td id="money-left">70,000</td>' in ledger
    xlsx = client.get(f"{url}ledger.xlsx")
    assert xlsx.status_code == 200


def test_project_created_through_the_form(login, charity):
    client = login(charity.head)
    bad = client.post(
        f"{BASE}/projects/new/",
        {
            "centre": charity.centre.pk,
            "title_kk": "Қыс",
            "category": "elderly",
            "budget": "-1",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
        },
    )
    assert bad.status_code == 400
    bad_partner = client.post(
        f"{BASE}/projects/new/",
        {
            "centre": charity.centre.pk,
            "title_kk": "Қыс",
            "category": "elderly",
            "budget": "1",
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-01",
            "partners": "99999",
        },
    )
    assert "No body has one of these numbers." in bad_partner.content.decode()
    assert not Project.objects.filter(title_kk="Қыс").exists()
    ok = client.post(
        f"{BASE}/projects/new/",
        {
            "centre": charity.centre.pk,
            "title_kk": "Жылы қыс",
            "title_en": "Warm winter",
            "category": "elderly",
            "budget": "500000",
            "starts_on": "2026-11-01",
            "ends_on": "2027-02-28",
            "sources": ["sponsors", "grants"],
            "partners": f"{charity.other_centre.pk}",
        },
    )
    assert ok.status_code == 302
    project = Project.objects.get(title_kk="Жылы қыс")
    assert project.source_codes == ["grants", "sponsors"]
    assert list(project.partners.all()) == [charity.other_centre]
    assert "Warm winter" in client.get(f"{BASE}/projects/{project.pk}/").content.decode()


def test_story_published_is_shown_anonymously(login, client, charity):
    bring_to_helping(charity)
    give(charity, 5000)
    services.distribution_record(
        actor=charity.worker,
        help_request=charity.request,
        kind=Kind.MONEY,
        amount=5000,
        signed=True,
    )
    services.request_deliver(actor=charity.worker, help_request=charity.request)
    worker = login(charity.worker)
    worker.post(
        f"{BASE}/requests/{charity.request.pk}/do/story/",
        {
            "text_en": "A family of four got ready for school with new backpacks.",
            "consent_given_on": "2026-11-20",
        },
    )
    assert Story.objects.exists()
    client.logout()
    page = client.get("/en/charity/stories/").content.decode()
    assert "new backpacks" in page and BENEFICIARY not in page


@pytest.mark.parametrize("url", ["/", "/projects/", "/pledges/"])
def test_list_pages_cost_the_same_queries_for_many_rows(
    login, charity, url, django_assert_max_num_queries
):
    bring_to_helping(charity)
    for _ in range(12):
        make_request(charity.centre, charity.worker)
        services.project_create(
            actor=None,
            centre=charity.centre,
            title_kk="Жоба",
            category="other",
            budget=1,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 2, 1),
        )
        services.pledge_make(
            help_request=charity.request, kind="money", amount=1, donor_name="X", donor_phone="1"
        )
    client = login(charity.head)
    with django_assert_max_num_queries(12):
        response = client.get(f"{BASE}{url}")
    assert response.status_code == 200


def test_stories_page_query_count(client, charity, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/en/charity/stories/").status_code == 200


def test_a_donation_recorded_in_error_is_cancelled_from_its_receipt(login, charity):
    donation = give(charity, 3000)
    client = login(charity.worker)
    refused = client.post(f"{BASE}/donations/{donation.pk}/cancel/", {"reason": ""})
    assert refused.status_code == 302
    assert Donation.objects.get(pk=donation.pk).cancelled_at is None
    client.post(f"{BASE}/donations/{donation.pk}/cancel/", {"reason": "введено дважды"})
    assert Donation.objects.get(pk=donation.pk).cancelled_at is not None
    assert Project.objects.get(pk=charity.project.pk).money_in == 0


def test_the_ledger_page_costs_the_same_queries_for_many_entries(
    login, charity, django_assert_max_num_queries
):
    bring_to_helping(charity)
    for n in range(15):
        give(charity, 1000 + n)
        services.distribution_record(
            actor=charity.worker, help_request=charity.request, kind=Kind.MONEY, amount=10,
            signed=True,
        )  # fmt: skip
    client = login(charity.worker)
    with django_assert_max_num_queries(20):
        page = client.get(f"{BASE}/projects/{charity.project.pk}/")
    assert "15 donations" in page.content.decode()
    with django_assert_max_num_queries(20):
        assert client.get(f"{BASE}/requests/{charity.request.pk}/").status_code == 200
