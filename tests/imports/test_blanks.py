"""The import templates (header, example, drop-down lists, the lists and how-to sheets) in each
language, and the file of rejected rows that goes back to the user to fix."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from birlik.core.spreadsheets import extract
from birlik.events.models import Event, Programme
from birlik.geo.models import District, Region
from birlik.geo.names import PlaceIndex
from birlik.imports import fields as catalogue
from birlik.imports.blanks import LAST_ROW, MEMBER_NAME, PHONE, rejected_xlsx, template_xlsx
from birlik.registry.lookup import EthnicGroupIndex, KindIndex, RoleIndex
from birlik.registry.models import EthnicGroup, Membership, Organisation, OrganisationKind

KINDS = [catalogue.BODIES, catalogue.MEMBERS, catalogue.EVENTS, catalogue.HISTORY, catalogue.SIGNIN]
LANGUAGES = ["kk", "ru", "en"]
LISTED = {
    catalogue.BODIES: {"kind", "region", "district", "status", "ethnic_groups"},
    catalogue.MEMBERS: {"role"},
    catalogue.EVENTS: {"kind", "programme"},
    catalogue.HISTORY: {"programme"},
    catalogue.SIGNIN: set(),
}
PAVLODAR = {"kk": "Павлодар облысы", "ru": "Павлодарская область", "en": "Pavlodar Region"}
EKIBASTUZ = {"kk": "Екібастұз", "ru": "Экибастуз", "en": "Ekibastuz"}
REFERENCE = re.compile(r"^'?(?P<sheet>.+?)'?!\$(?P<col>[A-Z]+)\$2:\$(?P=col)\$(?P<last>\d+)$")


def workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def expected_header(kind: str) -> list[str]:
    if kind == catalogue.SIGNIN:
        return [
            gettext("No."),
            *(str(catalogue.field(kind, key).label) for key in ("full_name", "phone", "email")),
            gettext("Signature"),
        ]
    return [str(spec.label) for spec in catalogue.FIELDS[kind]]


def example(kind: str) -> dict[str, object]:
    """The example row of the template (active language), by column header."""
    sheet = workbook(template_xlsx(kind)).worksheets[0]
    return {head.value: cell.value for head, cell in zip(sheet[1], sheet[2], strict=True)}


def label(kind: str, key: str) -> str:
    return str(catalogue.field(kind, key).label)


def column_values(sheet, letter: str) -> list[object]:
    return [
        row[0]
        for row in sheet.iter_rows(
            min_col=column_index_from_string(letter),
            max_col=column_index_from_string(letter),
            min_row=2,
            values_only=True,
        )
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_template_header_is_the_field_labels_in_the_users_language(db, kind, language):
    with translation.override(language):
        book = workbook(template_xlsx(kind))
        sheet = book.worksheets[0]
        title = (
            gettext("Sign-in sheet")
            if kind == catalogue.SIGNIN
            else str(catalogue.KIND_LABELS[kind])
        )

        assert sheet.title == title[:31]
        assert [cell.value for cell in sheet[1]] == expected_header(kind)
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert book.active.title == sheet.title
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(len(cell.value), 40), cell.value
        if kind == catalogue.BODIES:
            assert sheet["I1"].value == {"kk": "Өңір", "ru": "Регион", "en": "Region"}[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_bodies_example_is_a_pavlodar_body_named_as_in_the_lists(db, language):
    with translation.override(language):
        row = example(catalogue.BODIES)

        assert row[label(catalogue.BODIES, "region")] == PAVLODAR[language]
        assert row[label(catalogue.BODIES, "district")] == EKIBASTUZ[language]
        assert row[label(catalogue.BODIES, "kind")] == (
            OrganisationKind.objects.get(code="ethnocultural_association").name
        )
        assert row[label(catalogue.BODIES, "ethnic_groups")] == (
            EthnicGroup.objects.get(code="ukrainian").name
        )
        assert row[label(catalogue.BODIES, "status")] == str(Organisation.Status.ACTIVE.label)
        assert row[label(catalogue.BODIES, "founded_on")] == datetime.datetime(2003, 4, 15)
        assert row[label(catalogue.BODIES, "phone")] == PHONE
        assert row[label(catalogue.BODIES, "id")] is None
    if language == "kk":
        assert row[label(catalogue.BODIES, "name")] == (
            "Екібастұз қаласының украин этномәдени бірлестігі"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_members_example_has_a_name_dates_as_dates_and_no_iin(db, language):
    with translation.override(language):
        sheet = workbook(template_xlsx(catalogue.MEMBERS)).worksheets[0]
        row = {head.value: cell for head, cell in zip(sheet[1], sheet[2], strict=True)}

        assert row[label(catalogue.MEMBERS, "full_name")].value == MEMBER_NAME
        assert row[label(catalogue.MEMBERS, "iin")].value is None
        assert row[label(catalogue.MEMBERS, "phone")].value == "+7 701 234 56 78"
        assert row[label(catalogue.MEMBERS, "role")].value == str(Membership.Role.MEMBER.label)
        birth = row[label(catalogue.MEMBERS, "birth_date")]
        assert birth.value == datetime.datetime(1978, 2, 14)
        assert birth.is_date
        assert birth.number_format == "dd.mm.yyyy"
        iin_letter = row[label(catalogue.MEMBERS, "iin")].column_letter
        # IINs typed later keep their leading zeros: the whole column is text.
        assert sheet.column_dimensions[iin_letter].number_format == "@"


@pytest.mark.parametrize("language", LANGUAGES)
def test_events_example_is_a_dated_festival_of_a_programme(db, language):
    with translation.override(language):
        sheet = workbook(template_xlsx(catalogue.EVENTS)).worksheets[0]
        row = {head.value: cell for head, cell in zip(sheet[1], sheet[2], strict=True)}

        date = row[label(catalogue.EVENTS, "date")]
        assert date.value == datetime.datetime(2024, 3, 21)
        assert date.number_format == "dd.mm.yyyy"
        assert row[label(catalogue.EVENTS, "kind")].value == str(Event.Kind.FESTIVAL.label)
        assert row[label(catalogue.EVENTS, "programme")].value == (
            Programme.objects.get(code="creative_festivals").name
        )
        assert row[label(catalogue.EVENTS, "participants")].value == 350
        assert row[label(catalogue.EVENTS, "title")].value


@pytest.mark.parametrize("language", LANGUAGES)
def test_history_example_is_2019_myn_bala_12_events_430_people(db, language):
    with translation.override(language):
        row = example(catalogue.HISTORY)
        myn_bala = Programme.objects.get(code="myn_bala").name

        assert row[label(catalogue.HISTORY, "year")] == 2019
        assert row[label(catalogue.HISTORY, "programme")] == myn_bala
        assert row[label(catalogue.HISTORY, "events")] == 12
        assert row[label(catalogue.HISTORY, "participants")] == 430
    if language == "kk":
        assert myn_bala == "«Мың бала»"


@pytest.mark.parametrize("language", LANGUAGES)
def test_signin_sheet_has_number_name_contacts_and_a_signature_column_ruled_for_paper(db, language):
    with translation.override(language):
        sheet = workbook(template_xlsx(catalogue.SIGNIN)).worksheets[0]

        assert [cell.value for cell in sheet[2]] == [1, MEMBER_NAME, PHONE, None, None]
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.cell(row=20, column=5).border.bottom.style == "thin"
        # Ruled rows hold no values: the importer sees no empty people in them.
        assert all(
            value is None for row in sheet.iter_rows(min_row=3, values_only=True) for value in row
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_drop_down_lists_point_at_the_whole_list_on_the_codes_sheet(db, kind, language):
    with translation.override(language):
        book = workbook(template_xlsx(kind))
        sheet = book.worksheets[0]
        headers = {cell.value: cell.column_letter for cell in sheet[1]}
        validations = sheet.data_validations.dataValidation
        codes_title = gettext("Codes")[:31]

        assert len(validations) == len(LISTED[kind])
        assert (codes_title in book.sheetnames) == bool(LISTED[kind])
        validated = set()
        for validation in validations:
            assert validation.type == "list"
            assert validation.allow_blank
            assert validation.showErrorMessage
            assert 0 < len(validation.error) <= 255
            assert 0 < len(validation.errorTitle) <= 32
            (coord,) = [cells.coord for cells in validation.sqref.ranges]
            rows = re.fullmatch(rf"(?P<col>[A-Z]+)2:(?P=col){LAST_ROW}", coord)
            assert rows, coord
            letter = rows[1]
            key = next(k for k in LISTED[kind] if headers.get(label(kind, k)) == letter)
            validated.add(key)

            found = REFERENCE.match(validation.formula1)
            assert found, validation.formula1
            assert found["sheet"] == codes_title
            codes = book[found["sheet"]]
            values = column_values(codes, found["col"])
            count = int(found["last"]) - 1
            # The range is the whole list: every cell in it filled, none after it.
            assert all(values[:count]) and not any(values[count:])
            assert codes[f"{found['col']}1"].value == label(kind, key)
            example_value = sheet[f"{letter}2"].value
            if example_value:
                assert example_value in values[:count]
        assert validated == LISTED[kind]


@pytest.mark.parametrize("language", LANGUAGES)
def test_codes_sheet_lists_regions_districts_kinds_and_ethnic_groups_by_name(db, language):
    OrganisationKind.objects.filter(code="creative_collective").update(is_active=False)
    with translation.override(language):
        book = workbook(template_xlsx(catalogue.BODIES))
        codes = book[gettext("Codes")[:31]]
        columns = {cell.value: cell.column_letter for cell in codes[1]}

        regions = [v for v in column_values(codes, columns[label(catalogue.BODIES, "region")]) if v]
        assert len(regions) == 20
        assert PAVLODAR[language] in regions

        district_letter = columns[label(catalogue.BODIES, "district")]
        districts = [v for v in column_values(codes, district_letter) if v]
        assert len(districts) == District.objects.count()
        # The district alone (as the importer reads it), its region beside it for people.
        region_letter = get_column_letter(column_index_from_string(district_letter) + 1)
        assert codes[f"{region_letter}1"].value == gettext("Region of the district")
        by_district = dict(zip(districts, column_values(codes, region_letter), strict=False))
        assert by_district[EKIBASTUZ[language]] == PAVLODAR[language]

        kinds = [v for v in column_values(codes, columns[label(catalogue.BODIES, "kind")]) if v]
        assert kinds == [k.name for k in OrganisationKind.objects.filter(is_active=True)]
        assert OrganisationKind.objects.get(code="creative_collective").name not in kinds
        groups = column_values(codes, columns[label(catalogue.BODIES, "ethnic_groups")])
        assert [v for v in groups if v] == [g.name for g in EthnicGroup.objects.all()]
        statuses = column_values(codes, columns[label(catalogue.BODIES, "status")])
        assert [v for v in statuses if v] == [str(s.label) for s in Organisation.Status]
    if language == "kk":
        assert "Павлодар облысы" in regions
        assert Region.objects.count() == 20


def test_codes_sheet_of_members_lists_the_roles_and_of_events_kinds_and_active_programmes(db):
    Programme.objects.filter(code="uide_soile").update(is_active=False)
    with translation.override("ru"):
        members = workbook(template_xlsx(catalogue.MEMBERS))[gettext("Codes")[:31]]
        events = workbook(template_xlsx(catalogue.EVENTS))[gettext("Codes")[:31]]

        assert [c.value for c in members["A"]] == [
            label(catalogue.MEMBERS, "role"),
            *(str(role.label) for role in Membership.Role),
        ]
        assert [c.value for c in events["A"] if c.value] == [
            label(catalogue.EVENTS, "kind"),
            *(str(kind.label) for kind in Event.Kind),
        ]
        programmes = [c.value for c in events["B"] if c.value]
        assert programmes[0] == label(catalogue.EVENTS, "programme")
        assert "Языковые курсы" in programmes
        assert Programme.objects.get(code="uide_soile").name not in programmes


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_how_to_sheet_says_what_is_required_in_five_to_eight_lines(db, kind, language):
    with translation.override(language):
        book = workbook(template_xlsx(kind))
        howto = book.worksheets[-1]
        lines = [row[0] for row in howto.iter_rows(values_only=True) if row[0]]

        assert howto.title == gettext("How to fill in")[:31]
        assert 5 <= len(lines) <= 8
        text = "\n".join(lines)
        for key in {catalogue.BODIES: ["name"], catalogue.EVENTS: ["title", "date"]}.get(kind, []):
            assert label(kind, key) in text
        if kind == catalogue.MEMBERS:
            assert label(kind, "iin") in text or "IIN" in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_template_reads_back_through_the_importer_as_its_example_row(db, kind, language):
    with translation.override(language):
        fields = catalogue.with_labels(catalogue.FIELDS[kind])
        table = extract(template_xlsx(kind), fields)

        assert table.header_line == 1
        keys = [key for _column, key in sorted(table.mapping.items())]
        if kind == catalogue.SIGNIN:
            assert keys == ["full_name", "phone", "email"]
            assert table.unknown == [gettext("No."), gettext("Signature")]
        else:
            assert keys == [spec.key for spec in catalogue.FIELDS[kind]]
            assert table.unknown == []
        assert [line for line, _row in table.rows] == [2]
        row = table.rows[0][1]
        date_key = {catalogue.MEMBERS: "birth_date", catalogue.EVENTS: "date"}.get(kind)
        if date_key:
            assert row[date_key] in {"1978-02-14", "2024-03-21"}
        if kind == catalogue.BODIES:
            assert row["region"] == PAVLODAR[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_listed_name_is_read_back_by_the_importers_name_indexes(db, language):
    with translation.override(language):
        bodies = workbook(template_xlsx(catalogue.BODIES))[gettext("Codes")[:31]]
        members = workbook(template_xlsx(catalogue.MEMBERS))[gettext("Codes")[:31]]
        places, kinds, groups, roles = PlaceIndex(), KindIndex(), EthnicGroupIndex(), RoleIndex()

        for region, district, its_region, kind, group, _status in bodies.iter_rows(
            min_row=2, values_only=True
        ):
            if region:
                assert places.region(region).value.name == region
            if district:
                # A district name alone may be in two regions; its region tells which.
                found_region, found = places.place(its_region, district)
                assert found.ok, (district, found.error)
                assert (found.value.name, found_region.value.name) == (district, its_region)
            if kind:
                assert kinds.find(kind).value.name == kind
            if group:
                assert groups.find(group).value.name == group
        for (role,) in members.iter_rows(min_row=2, values_only=True):
            assert str(Membership.Role(roles.find(role).value).label) == role


@pytest.mark.parametrize(
    ("kind", "queries"),
    [
        (catalogue.BODIES, 4),  # regions, districts with their regions, kinds, ethnic groups
        (catalogue.MEMBERS, 0),
        (catalogue.EVENTS, 1),
        (catalogue.HISTORY, 1),
        (catalogue.SIGNIN, 0),
    ],
)
def test_template_makes_one_query_per_catalogue_whatever_its_size(
    db, django_assert_num_queries, kind, queries
):
    for number in range(30):
        EthnicGroup.objects.create(code=f"extra-{number}", name=f"Extra {number}")
        Programme.objects.create(code=f"extra-{number}", name=f"Extra {number}")
    with django_assert_num_queries(queries):
        template_xlsx(kind)


def test_unknown_import_kind_is_refused():
    with pytest.raises(ValueError, match="plans"):
        template_xlsx("plans")


def test_rejected_rows_keep_the_files_columns_and_add_the_reasons(db):
    header = ["ФИО", "Дата рождения", "Телефон", "=cmd|' /C calc'!A0"]
    hyperlink = '=HYPERLINK("http://evil.example","click")'
    rows = [
        (["Ким Ольга", datetime.date(1990, 5, 1), hyperlink, None], ["Bad IIN", "Bad phone"]),
        (["Ли"], ["Give the first name."]),
        (["a", "b", "c", "d", "beyond the header"], ["Too long"]),
        ([" Ахметов ", datetime.datetime(2024, 3, 21, 14, 30), 87012345678, 12.5], []),
    ]

    data = rejected_xlsx(header=header, rows=iter(rows), reason_label="Неге қабылданбады")
    sheet = workbook(data).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert values[0] == [
        "ФИО",
        "Дата рождения",
        "Телефон",
        "'=cmd|' /C calc'!A0",
        "Неге қабылданбады",
    ]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert values[1] == [
        "Ким Ольга",
        datetime.datetime(1990, 5, 1),
        "'" + hyperlink,
        None,
        "Bad IIN; Bad phone",
    ]
    assert sheet["B2"].number_format == "dd.mm.yyyy"
    assert sheet["B2"].is_date
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert values[2] == ["Ли", None, None, None, "Give the first name."]
    assert values[3] == ["a", "b", "c", "d", "Too long"]
    assert values[4][:4] == [" Ахметов ", datetime.datetime(2024, 3, 21, 14, 30), 87012345678, 12.5]
    assert sheet["B5"].number_format == "dd.mm.yyyy hh:mm"
    assert len(values) == 5
