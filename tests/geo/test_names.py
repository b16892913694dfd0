"""Regions and districts found by the names staff write in their spreadsheets."""

from __future__ import annotations

import pytest
from django.utils import translation

from birlik.geo.models import District, Region
from birlik.geo.names import PlaceIndex

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english():
    """Messages and unit names in English, whatever the catalogues translate."""
    with translation.override("en"):
        yield


@pytest.fixture
def places(db) -> PlaceIndex:
    return PlaceIndex()


def district(kato: str) -> District:
    return District.objects.get(kato=kato)


def test_building_the_index_reads_two_tables_and_lookups_read_none(db, django_assert_num_queries):
    with django_assert_num_queries(2):
        places = PlaceIndex()
    with django_assert_num_queries(0):
        found = places.district("Аягозский район", places.region("ВКО").value, region_text="ВКО")
        assert found.value is not None
        assert found.value.region.iso == "KZ-10"
        places.region("Нур-Султан")


@pytest.mark.parametrize(
    "text",
    [
        "Павлодар облысы",
        "Павлодарская область",
        "Павлодарская обл.",
        "павлодарская",
        "ПАВЛОДАР",
        "Павлодар обл",
        "Павлодарской области",
        "Pavlodar Region",
        "pavlodar",
        f"Павлодар{NBSP} облысы ",
        "Павлодар   облысы",
        "Пaвлoдap oблыcы",  # Latin a, o, p, c inside Cyrillic words
        "ПАВЛОДАРСКАЯ ОБЛ",
        "KZ-55",
        "kz55",
        "KZ-PAV",  # the letter code of ISO 3166-2 before the numeric one
        "55",
        "550000000",
    ],
)
def test_region_is_found_by_any_usual_spelling_or_code(places, text):
    found = places.region(text)
    assert (found.value.iso, found.warning, found.error) == ("KZ-55", "", "")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Шыгыс Казахстан", "KZ-63"),  # Russian letters for Kazakh ones, «х» for «қ»
        ("Шығыс Қазақстан облысы", "KZ-63"),
        ("Восточно-Казахстанская область", "KZ-63"),
        ("East Kazakhstan", "KZ-63"),
        ("ВКО", "KZ-63"),
        ("ШҚО", "KZ-63"),
        ("ЗКО", "KZ-27"),
        ("Западно-Казахстанская обл.", "KZ-27"),
        ("СКО", "KZ-59"),
        ("Солтүстік Қазақстан", "KZ-59"),
        ("Актобе", "KZ-15"),
        ("Ақтөбе облысы", "KZ-15"),
        ("Актюбинская область", "KZ-15"),
        ("AKTOБE", "KZ-15"),  # Latin A, K, T, O, B inside a Cyrillic word
        ("Жетысу", "KZ-33"),
        ("область Жетісу", "KZ-33"),
        ("Zhetisu", "KZ-33"),
        ("Ұлытау облысы", "KZ-62"),
        ("Улытау", "KZ-62"),
        ("Абайская область", "KZ-10"),
        ("Туркестанская обл.", "KZ-61"),
        ("Түркістан облысы", "KZ-61"),
        ("Turkestan", "KZ-61"),
        ("Мангистауская", "KZ-47"),
        ("Кызылординская", "KZ-43"),
        ("Акмолинская обл", "KZ-11"),
        ("Акмола", "KZ-11"),  # the region today; only «г. Акмола» is the old capital
        ("Астана", "KZ-71"),
        ("город Астана", "KZ-71"),
        ("Алматы", "KZ-75"),  # a bare «Алматы» is the city
        ("г.Алматы", "KZ-75"),
        ("Алматы қ.", "KZ-75"),
        ("Алматы обл", "KZ-19"),
        ("Алматинская область", "KZ-19"),
        ("Алматы облысы", "KZ-19"),
        ("Шымкент", "KZ-79"),
        ("Шымкент қаласы", "KZ-79"),
    ],
)
def test_region_names_in_kazakh_russian_and_english_need_no_warning(places, text, iso):
    found = places.region(text)
    assert found.value is not None, found.error
    assert (found.value.iso, found.warning, found.error) == (iso, "", "")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ЮКО", "KZ-61"),
        ("Южно-Казахстанская область", "KZ-61"),
        ("Южно-Казахстанская", "KZ-61"),
        ("Оңтүстік Қазақстан", "KZ-61"),
        ("Оңтүстік Қазақстан облысы", "KZ-61"),
        ("ОҚО", "KZ-61"),
        ("South Kazakhstan Region", "KZ-61"),
        ("Нур-Султан", "KZ-71"),
        ("Нұр-Сұлтан қаласы", "KZ-71"),
        ("г. Нур-Султан", "KZ-71"),
        ("Nur-Sultan", "KZ-71"),
        ("г. Акмола", "KZ-71"),
        ("Ақмола қ.", "KZ-71"),
        ("Целиноград", "KZ-71"),
        ("Акмолинск", "KZ-71"),
        ("Целиноградская область", "KZ-11"),
        ("Семипалатинская область", "KZ-10"),
        ("Семипалатинская обл.", "KZ-10"),
        ("Талдыкорганская область", "KZ-33"),
        ("Жезказганская обл.", "KZ-62"),
        ("Алма-Ата", "KZ-75"),
        ("Алма-Атинская область", "KZ-19"),
        ("Чимкент", "KZ-79"),
        ("Гурьевская область", "KZ-23"),
        ("Уральская область", "KZ-27"),
        ("Кустанайская обл", "KZ-39"),
        ("Кзыл-Ординская область", "KZ-43"),
    ],
)
def test_old_region_names_are_read_as_todays_units_with_a_warning(places, text, iso):
    found = places.region(text)
    assert found.value is not None, found.error
    assert (found.value.iso, found.error) == (iso, "")
    assert "old name" in found.warning
    assert str(found.value.name) in found.warning


def test_unknown_region_is_an_error_saying_what_to_write(places):
    found = places.region("Казахстан")
    assert found.value is None
    assert found.error == "Unknown region «Казахстан»: write its name, e.g. Pavlodar Region."


def test_empty_region_is_nothing_and_no_error(places):
    assert places.region("") == places.region(f" {NBSP} ") == places.region(None)  # type: ignore[arg-type]
    found = places.region("")
    assert (found.value, found.warning, found.error) == (None, "", "")


@pytest.mark.parametrize("text", ["Кокчетавская область", "Тургайская обл.", "Торғай облысы"])
def test_region_split_between_todays_regions_is_an_error(places, text):
    found = places.region(text)
    assert found.value is None
    assert "no longer exists" in found.error


def test_unit_names_in_messages_are_in_the_users_language(places):
    with translation.override("ru"):
        found = places.region("Шыгыс Казахстан")
        assert str(found.value.name) == "Восточно-Казахстанская область"
        assert "Павлодарская область" in places.region("Марс").error


# -- districts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kato"),
    [
        ("Екібастұз", "552200000"),
        ("Екібастұз қ.", "552200000"),
        ("Екібастұз қаласы", "552200000"),
        ("г. Экибастуз", "552200000"),
        ("город Экибастуз", "552200000"),
        ("Екибастуз", "552200000"),  # Kazakh name in Russian letters
        ("Павлодар", "551000000"),  # a bare name is the city
        ("г. Павлодар", "551000000"),
        ("Павлодарский район", "556000000"),
        ("Павлодарский р-н", "556000000"),
        ("Павлодар ауданы", "556000000"),
        ("Аққулы ауданы", "555200000"),
        ("район Аққулы", "555200000"),
        ("Аккулы", "555200000"),
        ("Аккулинский район", "555200000"),  # an adjective that the data do not spell
        ("Ертіс ауданы", "554600000"),
        ("Иртышский р-н", "554600000"),
        ("ИРТЫШСКИЙ  РАЙОН", "554600000"),
        (f"Иртышский{NBSP}район", "554600000"),
        ("Шарбақты", "556800000"),
        ("Щербактинский район", "556800000"),
        ("Aктoгaйский paйoн", "553200000"),  # Latin a, o, p inside Cyrillic words
        ("554600000", "554600000"),
    ],
)
def test_district_is_found_inside_its_region(places, text, kato):
    pavlodar = Region.objects.get(iso="KZ-55")
    found = places.district(text, pavlodar, region_text="Павлодар облысы")
    assert found.value is not None, found.error
    assert (found.value.kato, found.warning, found.error) == (kato, "", "")


@pytest.mark.parametrize(
    ("text", "region_text", "kato"),
    [
        ("Аксуатский район", "Абай облысы", "103400000"),  # data: «район Ақсуат»
        ("Бухар-Жырауский район", "Карагандинская", "354000000"),
        ("Бұқар жырау ауданы", "Карагандинская", "354000000"),
        ("Есильский район", "СКО", "594200000"),
        ("Есіл ауданы", "Астана", "711210000"),
        ("Алматы ауданы", "Астана", "711110000"),
        ("Алматы", "Астана", "711110000"),  # in Astana, «Алматы» is its district
        ("Алмалинский район", "г. Алматы", "751110000"),
        ("Жамбылский район", "Алматинская", "194200000"),
        ("Жамбыл", "Жамбылская", "314000000"),
        ("Абайский район", "Карагандинская обл.", "353200000"),
        ("Аягөз ауданы", "Абай облысы", "103600000"),
        ("Панфиловский район", "Жетысу", "334600000"),
    ],
)
def test_district_names_shared_by_several_regions_are_found_in_the_given_one(
    places, text, region_text, kato
):
    region = places.region(region_text).value
    found = places.district(text, region, region_text=region_text)
    assert found.value is not None, found.error
    assert (found.value.kato, found.warning, found.error) == (kato, "", "")


@pytest.mark.parametrize(
    ("text", "kato"),
    [
        ("Аягоз", "103600000"),
        ("Уйгурский район", "196600000"),
        ("Ұйғыр ауданы", "196600000"),
        ("Экибастуз", "552200000"),
        ("Аккулы", "555200000"),
    ],
)
def test_district_unique_in_the_country_needs_no_region(places, text, kato):
    found = places.district(text)
    assert (found.value.kato, found.error) == (kato, "")


@pytest.mark.parametrize("text", ["Абай ауданы", "Абайский район", "Есиль", "Жамбылский район"])
def test_district_name_shared_by_several_regions_without_a_region_is_an_error(places, text):
    found = places.district(text)
    assert found.value is None
    assert found.error.startswith(f"Several places are named «{text}»")
    assert found.error.endswith("Give the region.")


def test_ambiguous_district_error_names_the_regions(places):
    error = places.district("Абай ауданы").error
    assert error == (
        "Several places are named «Абай ауданы»: Abai District (Abai Region), "
        "Abai District (Karaganda Region), Abai District (Shymkent). Give the region."
    )


def test_district_in_the_wrong_region_is_an_error_naming_where_it_is(places):
    pavlodar = Region.objects.get(iso="KZ-55")
    found = places.district("Аягозский район", pavlodar, region_text="Павлодарская обл.")
    assert found.value is None
    assert found.error == (
        "«Аягозский район» is not in Pavlodar Region: a place of this name is in Abai Region. "
        "Check the region and the district."
    )


def test_district_code_of_another_region_is_an_error(places):
    almaty = Region.objects.get(iso="KZ-75")
    assert "is not in Almaty:" in places.district("551000000", almaty).error
    assert places.district("999999999").error.startswith("Unknown district «999999999»")


def test_unknown_district_is_an_error_with_an_example_from_the_region(places):
    pavlodar = Region.objects.get(iso="KZ-55")
    found = places.district("Марсианский район", pavlodar)
    assert found.value is None
    assert found.error == (
        "Unknown district «Марсианский район»: write its name, e.g. Aktogay District."
    )


def test_empty_district_is_nothing_and_no_error(places):
    found = places.district("  ", Region.objects.get(iso="KZ-55"))
    assert (found.value, found.warning, found.error) == (None, "", "")


@pytest.mark.parametrize(
    ("text", "region_text", "kato", "region_name"),
    [
        # The regions formed in 2022 took districts from three others.
        ("Аягозский район", "Восточно-Казахстанская область", "103600000", "Abai Region"),
        ("Аягоз", "ВКО", "103600000", "Abai Region"),
        ("Үржар ауданы", "Шығыс Қазақстан облысы", "104600000", "Abai Region"),
        ("Панфиловский район", "Алматинская область", "334600000", "Zhetysu Region"),
        ("Аксуский район", "Алматинская обл.", "333200000", "Zhetysu Region"),
        ("Текели", "Алматы облысы", "331800000", "Zhetysu Region"),
        ("Жанааркинский район", "Карагандинская", "623600000", "Ulytau Region"),
        ("г. Сатпаев", "Карагандинская область", "622000000", "Ulytau Region"),
    ],
)
def test_district_moved_in_2022_is_found_with_a_warning(
    places, text, region_text, kato, region_name
):
    region = places.region(region_text).value
    found = places.district(text, region, region_text=region_text)
    assert found.value is not None, found.error
    assert (found.value.kato, found.error) == (kato, "")
    assert found.warning == f"The district has been in {region_name} since 2022."


@pytest.mark.parametrize("region_text", ["ЮКО", "Южно-Казахстанская область", "Оңтүстік Қазақстан"])
def test_shymkent_district_named_with_south_kazakhstan_is_found_in_shymkent(places, region_text):
    found_region = places.region(region_text)
    assert found_region.value.iso == "KZ-61"
    found = places.district("Абайский район", found_region.value, region_text=region_text)
    assert (found.value.kato, found.error) == ("791110000", "")
    assert found.warning == "The district has been in Shymkent since 2018."
    assert places.district("Еңбекші ауданы", found_region.value, region_text=region_text).value


def test_shymkent_district_with_todays_turkistan_region_is_an_error(places):
    turkistan = Region.objects.get(iso="KZ-61")
    found = places.district("Абайский район", turkistan, region_text="Туркестанская область")
    assert found.value is None
    assert "is not in Turkistan Region" in found.error


@pytest.mark.parametrize(
    ("text", "kato"),
    [
        ("Капшагай", "191000000"),
        ("г. Капчагай", "191000000"),
        ("г. Капчагайск", None),  # not a name we know: no guess
        ("Семипалатинск", "101000000"),
        ("Гурьев", "231000000"),
        ("г. Кустанай", "391000000"),
        ("Актюбинск", "151000000"),
        ("Лениногорск", "632400000"),
        ("Ермак", "551600000"),
    ],
)
def test_old_city_names_are_read_with_a_warning(places, text, kato):
    found = places.district(text)
    if kato is None:
        assert found.value is None and found.error.startswith("Unknown district")
        return
    assert (found.value.kato, found.error) == (kato, "")
    assert found.warning == f"«{text}» is an old name: read as {found.value.name}."


def test_city_of_republican_significance_in_the_district_column(places):
    almaty = Region.objects.get(iso="KZ-75")
    assert places.district("г. Алматы", almaty, region_text="Алматы") == places.district("")
    found = places.district("г. Алматы")
    assert found.value is None
    assert "city of republican significance" in found.error
    assert (
        "city of republican significance"
        in places.district("Шымкент", Region.objects.get(iso="KZ-61"), region_text="ЮКО").error
    )


def test_place_reads_the_region_from_the_district_when_it_is_left_out(places):
    region, found = places.place("", "Екібастұз қ.")
    assert (region.value.iso, found.value.kato) == ("KZ-55", "552200000")
    region, found = places.place("", "г. Алматы")
    assert (region.value.iso, found.value, found.error) == ("KZ-75", None, "")
    region, found = places.place("ВКО", "Аягозский район")
    assert (region.value.iso, found.value.kato) == ("KZ-10", "103600000")
    assert "since 2022" in found.warning


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Караганда", "KZ-35"),
        ("г. Усть-Каменогорск", "KZ-63"),
        ("Өскемен", "KZ-63"),
        ("Уральск", "KZ-27"),
        ("Семей", "KZ-10"),
        ("Талдыкорган", "KZ-33"),
    ],
)
def test_the_centre_in_the_region_column_means_its_region(places, text, iso):
    found = places.region(text)
    assert (found.value.iso, found.warning, found.error) == (iso, "", "")


def test_a_region_and_a_district_in_one_cell_are_read_apart(places):
    almaty = Region.objects.get(iso="KZ-75")
    found = places.district("Алмалинский район, г. Алматы", almaty, region_text="г. Алматы")
    assert (found.value.kato, found.error) == ("751110000", "")
    assert places.district("Алмалинский район, г. Алматы").value == found.value
    assert places.region("Павлодарская область, г. Экибастуз").value.iso == "KZ-55"


def test_a_name_in_the_wrong_column_is_not_guessed(places):
    pavlodar = Region.objects.get(iso="KZ-55")
    assert places.district("Павлодарская область", pavlodar).error.startswith("Unknown district")
    assert places.region("Абай ауданы").error.startswith("Unknown region")
    assert places.region("Абай").value.iso == "KZ-10"
