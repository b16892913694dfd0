"""Amounts and counts of charity as each language writes them: «1 250 000 ₸» with no-break
spaces in Kazakh and Russian, on the staff pages, the portal and the donor's notice."""

from __future__ import annotations

import pytest

from birlik.charity import services
from birlik.charity.models import Kind
from birlik.notify.models import Notice

from .factories import bring_to_helping, give, make_project, make_request

AMOUNT = "1\xa0250\xa0000"  # 1 250 000 grouped with no-break spaces
TENGE = f"{AMOUNT}\xa0₸"
LANGUAGES = ["kk", "ru"]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_project_ledger_and_the_receipt_write_amounts_in_tenge(login, charity, language):
    project = make_project(charity.centre, budget=1_250_000)
    donation = services.donation_record(
        actor=charity.worker, project=project, kind=Kind.MONEY, amount=1_250_000,
        donor_name="ТОО «Ертіс»", donor_kind="company",
    )  # fmt: skip
    services.donation_record(
        actor=charity.worker, project=project, kind=Kind.IN_KIND, item="Көмір",
        quantity=12_500, value=1_250_000, donor_name="ТОО «Ертіс»", donor_kind="company",
    )  # fmt: skip
    client = login(charity.worker)
    base = f"/{language}/workspace/charity"
    ledger = _page(client, f"{base}/projects/{project.pk}/")
    assert f"<dd>{AMOUNT}</dd>" in ledger  # the budget, under "Budget, KZT"
    assert f'<td id="money-left">{AMOUNT}</td>' in ledger
    assert f"<td>{TENGE}</td>" in ledger  # the donation in money
    assert f"Көмір × 12\xa0500 ({TENGE})" in ledger  # the gift in kind and its value
    assert "1250000" not in ledger
    projects = _page(client, f"{base}/projects/")
    assert f"<td>{AMOUNT}</td>" in projects and "1250000" not in projects
    receipt = _page(client, f"{base}/donations/{donation.pk}/receipt/")
    assert f"<dd>{TENGE}</dd>" in receipt and "1250000" not in receipt


@pytest.mark.parametrize("language", LANGUAGES)
def test_requests_and_pledges_write_amounts_grouped(login, client, charity, language):
    help_request = make_request(charity.centre, charity.worker, amount=1_250_000)
    bring_to_helping(charity, help_request)
    give(charity, 2_000_000)
    services.distribution_record(
        actor=charity.worker, help_request=help_request, kind=Kind.MONEY, amount=1_250_000,
        signed=True,
    )  # fmt: skip
    services.pledge_make(
        help_request=help_request, kind="money", amount=1_250_000, donor_name="Асель",
        donor_phone="+77017770000",
    )  # fmt: skip
    base = f"/{language}/workspace/charity"
    staff = login(charity.worker)
    listed = _page(staff, f"{base}/")
    assert f"<td>{AMOUNT}</td>" in listed
    detail = _page(staff, f"{base}/requests/{help_request.pk}/")
    assert f"<dd>{AMOUNT}</dd>" in detail  # amount needed
    assert f"<td>{TENGE}" in detail  # money handed out
    assert f"Асель — {TENGE}" in detail  # the pledge
    assert "1250000" not in detail
    pledges = _page(login(charity.head), f"{base}/pledges/")
    assert f"<td>{TENGE}</td>" in pledges and "1250000" not in pledges
    client.logout()
    portal = _page(client, f"/{language}/charity/")
    assert f"<td>{AMOUNT}</td>" in portal
    public = _page(client, f"/{language}/charity/requests/{help_request.public_id}/")
    assert f"<dd>{AMOUNT}</dd>" in public and "1250000" not in public


@pytest.mark.parametrize(
    ("language", "expected"), [("kk", TENGE), ("ru", TENGE), ("en", "₸1,250,000")]
)
def test_the_donor_is_told_the_amount_in_their_language(charity, language, expected):
    services.donation_record(
        actor=charity.worker, project=charity.project, kind=Kind.MONEY, amount=1_250_000,
        donor_name="Асель", donor_phone="+77017770000", language=language,
    )  # fmt: skip
    body = Notice.objects.get(channel="sms").body
    assert expected in body and "1250000" not in body and "KZT" not in body


def test_an_amount_left_is_grouped_in_the_refusal(charity):
    bring_to_helping(charity)
    give(charity, 1_250_000)
    with pytest.raises(services.CharityError) as error:
        services.distribution_record(
            actor=charity.worker, help_request=charity.request, kind=Kind.MONEY,
            amount=2_000_000, signed=True,
        )  # fmt: skip
    assert AMOUNT in str(error.value.message)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_figures_write_money_raised_in_tenge(client, charity, language):
    give(charity, 1_250_000)
    page = _page(client, f"/{language}/figures/all/")
    heading = page.split('<h2 id="charitymoney_raised-heading">', 1)[1].split("</h2>", 1)[0]
    assert heading.endswith(f": {TENGE}")
    rows = page.split('<h2 id="charitymoney_raised-heading">', 1)[1].split("</section>", 1)[0]
    assert f'<td class="num">{AMOUNT}</td>' in rows and "1250000" not in rows
