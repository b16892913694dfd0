"""Plans: the national admin creates, sets targets (form or XLSX), approves; others read."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from birlik.access.models import AuditEntry
from birlik.reports.models import Plan, Target

from ..factories import region
from .factories import PlanFactory, TargetFactory

PLANS = "/en/workspace/reports/plans/"


def xlsx(rows, header=("indicator", "region", "kind", "target")) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "targets.xlsx"
    return out


@pytest.mark.django_db
def test_admin_creates_a_plan_sets_a_target_and_approves_it(network, login):
    client = login(network.users["admin"])
    response = client.post(PLANS, {"year": 2026, "title": "Plan 2026"})
    plan = Plan.objects.get(year=2026)
    assert response.url == f"{PLANS}{plan.pk}/"
    response = client.post(
        f"{PLANS}{plan.pk}/targets/",
        {"indicator": "events.events", "region": "KZ-55", "kind": "", "value": "120"},
    )
    assert response.status_code == 302
    target = Target.objects.get(plan=plan)
    assert (target.region.iso, target.value) == ("KZ-55", 120)
    client.post(f"{PLANS}{plan.pk}/edit/", {"title": "Plan of the Assembly 2026"})
    client.post(f"{PLANS}{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.is_approved and plan.approved_by == network.users["admin"]
    assert plan.title == "Plan of the Assembly 2026"
    assert (
        AuditEntry.objects.filter(object_type="reports.Plan", object_id=str(plan.pk)).count() == 4
    )
    # Approved: the targets are fixed.
    client.post(f"{PLANS}{plan.pk}/targets/", {"indicator": "events.events", "value": "1"})
    assert Target.objects.filter(plan=plan).count() == 1


@pytest.mark.django_db
def test_a_second_plan_for_the_same_year_is_refused_with_a_message(network, login):
    PlanFactory(year=2025)
    response = login(network.users["admin"]).post(PLANS, {"year": 2025, "title": "Again"})
    assert response.status_code == 200
    assert "There is already a plan for 2025." in response.content.decode()
    assert Plan.objects.count() == 1


@pytest.mark.django_db
def test_a_plan_without_targets_cannot_be_approved(network, login):
    plan = PlanFactory(year=2025)
    response = login(network.users["admin"]).post(f"{PLANS}{plan.pk}/approve/", follow=True)
    assert "Add at least one target before approving the plan." in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_approved


@pytest.mark.django_db
def test_a_target_by_kind_needs_an_indicator_counted_by_kind(network, login):
    plan = PlanFactory(year=2025)
    response = login(network.users["admin"]).post(
        f"{PLANS}{plan.pk}/targets/",
        {"indicator": "events.participants_unique", "kind": "elders_council", "value": "5"},
    )
    assert response.status_code == 400
    assert "is not counted by kind of body" in response.content.decode()
    assert not Target.objects.exists()


@pytest.mark.django_db
def test_only_the_national_admin_manages_plans(network, login):
    plan = PlanFactory(year=2025)
    for name in ("coordinator_pavlodar", "analyst"):
        client = login(network.users[name])
        assert client.post(PLANS, {"year": 2027, "title": "x"}).status_code == 403
        assert client.post(f"{PLANS}{plan.pk}/approve/").status_code == 403
        assert client.get(f"{PLANS}{plan.pk}/targets.xlsx").status_code in {403, 404}
        # A draft is not shown to them.
        assert client.get(f"{PLANS}{plan.pk}/").status_code == 404
    assert not Plan.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_a_coordinator_sees_their_region_against_its_plan(activity, login):
    plan = PlanFactory(year=2025, status=Plan.Status.APPROVED)
    TargetFactory(plan=plan, indicator="events.events", region=region("KZ-55"), value=4)
    TargetFactory(plan=plan, indicator="events.events", region=region("KZ-75"), value=9)
    client = login(activity.users["coordinator_pavlodar"])
    response = client.get(f"{PLANS}{plan.pk}/")
    assert response.url == f"{PLANS}{plan.pk}/regions/KZ-55/"
    page = client.get(response.url).content.decode()
    assert "Plan for 2025: Pavlodar Region" in page
    assert "Actual by district" in page
    assert "Almaty" not in page
    assert client.get(f"{PLANS}{plan.pk}/regions/KZ-75/").status_code == 404


@pytest.mark.django_db
def test_plan_pages_cost_a_fixed_number_of_queries(activity, login, django_assert_max_num_queries):
    plan = PlanFactory(year=2025, status=Plan.Status.APPROVED)
    for iso in ("KZ-55", "KZ-75", "KZ-11"):
        TargetFactory(plan=plan, indicator="events.events", region=region(iso), value=4)
        TargetFactory(plan=plan, indicator="appeals.answered_on_time", region=region(iso), value=4)
    client = login(activity.users["admin"])
    for url in (PLANS, f"{PLANS}{plan.pk}/", f"{PLANS}{plan.pk}/regions/KZ-55/"):
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_targets_export_and_import_back(network, login):
    plan = PlanFactory(year=2025)
    TargetFactory(plan=plan, indicator="events.events", region=region("KZ-55"), value=12)
    client = login(network.users["admin"])
    exported = client.get(f"{PLANS}{plan.pk}/targets.xlsx")
    sheet = load_workbook(io.BytesIO(exported.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("indicator", "region", "kind", "target")
    assert rows[1][:4] == ("events.events", "KZ-55", None, 12)
    upload = xlsx(
        [
            ("events.events", "KZ-55", "", 15),
            ("events.events", "", "", "1 500,5"),
            ("events.participants", "kz-75", "house_of_friendship", 300),
        ]
    )
    response = client.post(f"{PLANS}{plan.pk}/targets/import/", {"file": upload})
    assert response.status_code == 302
    stored = {
        (t.indicator, t.region.iso if t.region else "", t.kind.code if t.kind else ""): t.value
        for t in Target.objects.filter(plan=plan)
    }
    assert stored == {
        ("events.events", "KZ-55", ""): 15,
        ("events.events", "", ""): 1500.5,
        ("events.participants", "KZ-75", "house_of_friendship"): 300,
    }


@pytest.mark.django_db
def test_an_import_with_bad_rows_lists_them_and_stores_nothing(network, login):
    plan = PlanFactory(year=2025)
    TargetFactory(plan=plan, indicator="events.events", value=12)
    upload = xlsx(
        [
            ("events.events", "KZ-55", "", 15),
            ("events.nothing", "KZ-55", "", 1),
            ("events.events", "KZ-99", "", 1),
            ("events.events", "", "no_such_kind", 1),
            ("events.events", "KZ-75", "", "many"),
            ("events.events", "KZ-55", "", 16),
            ("events.participants_unique", "", "elders_council", 3),
            ("events.events", "", "", -4),
        ]
    )
    response = login(network.users["admin"]).post(
        f"{PLANS}{plan.pk}/targets/import/", {"file": upload}
    )
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    for expected in (
        "Row 3: unknown indicator “events.nothing”",
        "Row 4: unknown region “KZ-99”",
        "Row 5: unknown kind of body “no_such_kind”",
        "Row 6: the target must be a number",
        "Row 7: the same indicator, region and kind as row 2",
        "Row 8: this indicator is not counted by kind of body",
        "Row 9: the target must be a number",
    ):
        assert expected in page
    assert list(Target.objects.filter(plan=plan).values_list("value", flat=True)) == [12]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "The file is not an XLSX or CSV spreadsheet."),
        (None, "Columns missing from the first row: target."),
    ],
)
@pytest.mark.django_db
def test_a_file_that_is_not_a_targets_sheet_is_refused(network, login, content, message):
    plan = PlanFactory(year=2025)
    upload = (
        xlsx([("events.events", "", "")], header=("indicator", "region", "kind"))
        if content is None
        else io.BytesIO(content)
    )
    upload.name = "targets.xlsx"
    response = login(network.users["admin"]).post(
        f"{PLANS}{plan.pk}/targets/import/", {"file": upload}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Target.objects.exists()
