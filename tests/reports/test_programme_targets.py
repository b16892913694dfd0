"""Targets per region and programme in the national plan, their progress against the
programme's figures, the targets sheet and the annual report's table by programme (slice
``programmes``)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from birlik.core import kpi
from birlik.events import programme_services
from birlik.events.models import Event, Programme
from birlik.events.programme_queries import programme_figures, totals_by_programme
from birlik.reports import queries, services, spreadsheets
from birlik.reports.errors import PlanError
from birlik.reports.models import Target

from ..events.factories import EventFactory
from ..factories import region

PLANS = "/en/workspace/reports/plans/"
AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with freeze_time("2025-11-20 09:00:00"):
        yield


@pytest.fixture
def myn_bala(db):
    return Programme.objects.get(code="myn_bala")


@pytest.fixture
def figures(network, myn_bala):
    """Myn Bala in 2025: Pavlodar 2 festivals and a concert (house, elders), Almaty 1 concert;
    the Pavlodar house and elders and the Almaty house take part."""
    for body, kind in (
        (network.pavlodar_house, Event.Kind.FESTIVAL),
        (network.pavlodar_house, Event.Kind.CONCERT),
        (network.pavlodar_elders, Event.Kind.FESTIVAL),
        (network.almaty_house, Event.Kind.CONCERT),
    ):
        EventFactory(
            organiser=body,
            region=body.region,
            kind=kind,
            programme=myn_bala,
            starts_at=AT,
            ends_at=AT + datetime.timedelta(hours=2),
            status=Event.Status.HELD,
            participants_total=50,
        )
    for body in (network.pavlodar_house, network.pavlodar_elders, network.almaty_house):
        programme_services.programme_join(
            actor=network.users["admin"],
            programme=myn_bala,
            organisation=body,
            joined_on=datetime.date(2025, 1, 15),
        )
    return network


def target(indicator, value, *, programme=None, region_=None):
    return services.TargetInput(indicator, region_, None, Decimal(value), programme)


def test_targets_per_region_and_programme_and_their_progress(figures, myn_bala):
    admin = figures.users["admin"]
    plan = services.plan_create(year=2025, title="Plan", user=admin)
    services.target_set(
        plan=plan,
        target=target("events.festivals", 2, programme=myn_bala, region_=region("KZ-55")),
        user=admin,
    )
    services.target_set(
        plan=plan,
        target=target("events.festivals", 4, programme=myn_bala, region_=region("KZ-75")),
        user=admin,
    )
    services.target_set(
        plan=plan, target=target("events.programme_bodies", 6, programme=myn_bala), user=admin
    )
    # The same indicator without a programme is another target.
    services.target_set(plan=plan, target=target("events.festivals", 10), user=admin)
    assert Target.objects.filter(plan=plan).count() == 4
    progress = {
        (entry["key"], entry["programme"]): entry for entry in queries.plan_progress(plan=plan)
    }
    festivals = progress[("events.festivals", "myn_bala")]
    assert (festivals["target"], festivals["actual"]) == (6, 2)  # the regions' targets added
    regions = {row["iso"]: row for row in festivals["regions"]}
    assert (regions["KZ-55"]["target"], regions["KZ-55"]["actual"]) == (2, 2)
    assert (regions["KZ-75"]["target"], regions["KZ-75"]["actual"]) == (4, 0)
    bodies = progress[("events.programme_bodies", "myn_bala")]
    assert (bodies["target"], bodies["actual"], bodies["share"]) == (6, 3, 50.0)
    assert progress[("events.festivals", None)]["actual"] == 2
    pavlodar = {
        (entry["key"], entry["programme"]): entry
        for entry in queries.plan_progress(plan=plan, region=region("KZ-55"))
    }
    assert pavlodar[("events.programme_bodies", "myn_bala")]["actual"] == 2
    assert pavlodar[("events.festivals", "myn_bala")]["target"] == 2


def test_a_programme_target_needs_an_indicator_counted_by_programme(figures, myn_bala):
    admin = figures.users["admin"]
    plan = services.plan_create(year=2025, title="Plan", user=admin)
    with pytest.raises(PlanError) as refused, translation.override("en"):
        services.target_set(
            plan=plan, target=target("events.events", 5, programme=myn_bala), user=admin
        )
    with translation.override("en"):
        assert "not counted by programme" in str(refused.value.message)
    assert not Target.objects.exists()


def test_the_plan_page_sets_and_shows_a_programme_target(figures, login, myn_bala):
    client = login(figures.users["admin"])
    plan = services.plan_create(year=2025, title="Plan", user=figures.users["admin"])
    response = client.post(
        f"{PLANS}{plan.pk}/targets/",
        {
            "indicator": "events.performances",
            "region": "KZ-75",
            "kind": "",
            "programme": "myn_bala",
            "value": "3",
        },
    )
    assert response.status_code == 302
    saved = Target.objects.get(plan=plan)
    assert (saved.programme, saved.region.iso) == (myn_bala, "KZ-75")
    bad = client.post(
        f"{PLANS}{plan.pk}/targets/",
        {"indicator": "events.performances", "programme": "no-such", "value": "3"},
    )
    assert bad.status_code == 400
    assert Target.objects.filter(plan=plan).count() == 1
    page = client.get(f"{PLANS}{plan.pk}/").content.decode()
    with translation.override("en"):
        assert f"Performances given, by programme and region · {myn_bala.name}" in page
    coordinator = login(figures.users["coordinator_almaty"])
    services.plan_approve(plan=plan, user=figures.users["admin"])
    region_page = coordinator.get(f"{PLANS}{plan.pk}/regions/KZ-75/")
    assert region_page.status_code == 200
    entry = region_page.context["progress"][0]
    assert (entry["programme"], entry["target"], entry["actual"]) == ("myn_bala", 3, 1)


def test_the_targets_sheet_carries_the_programme_both_ways(figures, myn_bala):
    admin = figures.users["admin"]
    plan = services.plan_create(year=2025, title="Plan", user=admin)
    services.target_set(
        plan=plan, target=target("events.festivals", 7, programme=myn_bala), user=admin
    )
    exported = load_workbook(io.BytesIO(spreadsheets.export_targets(plan)))
    header = [cell.value for cell in exported.active[1]]
    row = [cell.value for cell in exported.active[2]]
    assert row[header.index("programme")] == "myn_bala"
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "region", "kind", "target", "programme"])
    sheet.append(["events.festivals", "KZ-55", "", 3, "myn_bala"])
    sheet.append(["events.events", "", "", 9, ""])
    sheet.append(["events.events", "", "", 9, "myn_bala"])
    sheet.append(["events.festivals", "", "", 9, "nope"])
    out = io.BytesIO()
    book.save(out)
    parsed = spreadsheets.parse_targets(out.getvalue())
    assert [number for number, _message in parsed.errors] == [4, 5]
    assert parsed.targets[0].programme == myn_bala
    # A sheet from before programme targets (no programme column) still reads.
    old = Workbook()
    old.active.append(["indicator", "region", "kind", "target"])
    old.active.append(["events.events", "", "", 9])
    out = io.BytesIO()
    old.save(out)
    parsed = spreadsheets.parse_targets(out.getvalue())
    assert parsed.errors == [] and parsed.targets[0].programme is None


def test_the_annual_reports_table_by_programme_has_the_programme_pages_numbers(
    figures, myn_bala, client
):
    from birlik.reports.documents import annual, annual_text

    with translation.override("en"):
        content = annual.collect(
            year=2025, language="en", region=None, progress=lambda _: None, with_regions=False
        )
    table = content.programmes
    assert table is not None
    columns = [column.key for column in table.columns]
    rows = dict(table.rows)
    page = client.get("/en/programmes/myn_bala/?year=2025").context["totals"]
    assert dict(zip(columns, rows[myn_bala.name], strict=True)) == page
    totals = totals_by_programme(programme_figures(period=kpi.Period.year(2025)))
    assert page == totals["myn_bala"]
    assert table.total[1][columns.index("events")] == 4
    assert table.total[1][columns.index("bodies")] is None
    assert annual_text.PROGRAMME_COLUMNS[0][0] == "bodies"
