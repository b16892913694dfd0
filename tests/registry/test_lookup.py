"""Kinds of body, ethnic groups, roles and bodies found by the names staff write."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from birlik.registry.lookup import BodyIndex, EthnicGroupIndex, KindIndex, RoleIndex
from birlik.registry.models import EthnicGroup, Organisation, OrganisationKind

from ..factories import OrganisationFactory, kind

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english():
    """Messages and names in English, whatever the catalogues translate."""
    with translation.override("en"):
        yield


# -- kinds of body ----------------------------------------------------------------------------


@pytest.fixture
def kinds(db) -> KindIndex:
    return KindIndex()


def test_kind_index_reads_one_table_once(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        index = KindIndex()
    with django_assert_num_queries(0):
        index.find("Дом дружбы")
        index.find("ЭКО")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("house_of_friendship", "house_of_friendship"),
        ("Достық үйі", "house_of_friendship"),
        ("Дом дружбы", "house_of_friendship"),
        ("ДОМ  ДРУЖБЫ", "house_of_friendship"),
        (f"дом{NBSP}дружбы", "house_of_friendship"),
        ("Дома дружбы", "house_of_friendship"),  # the plural name
        ("Достық үйлері", "house_of_friendship"),
        ("Достык уйи", "house_of_friendship"),  # Russian letters for Kazakh ones
        ("House of Friendship", "house_of_friendship"),
        ("ЭКО", "ethnocultural_association"),
        ("эко", "ethnocultural_association"),
        ("этнокультурное объединение", "ethnocultural_association"),
        ("Этнокультурные объединения", "ethnocultural_association"),
        ("Этномәдени бірлестік", "ethnocultural_association"),
        ("ЭМБ", "ethnocultural_association"),
        ("НКЦ", "ethnocultural_association"),
        ("национально-культурный центр", "ethnocultural_association"),
        ("Ethnocultural association", "ethnocultural_association"),
        ("Совет матерей", "mothers_council"),
        ("Аналар кеңесі", "mothers_council"),
        ("Совет старейшин", "elders_council"),
        ("Совет аксакалов", "elders_council"),
        ("Ақсақалдар кеңесі", "elders_council"),
        ("Council of elders", "elders_council"),
        ("Секретариат АНК", "secretariat"),
        ("ҚХА Хатшылығы", "secretariat"),
        ("областная ассамблея", "regional_assembly"),
        ("Аудандық ассамблеялар", "district_assembly"),
        ("КГУ «Қоғамдық келісім»", "public_accord_institution"),
        ("Қоғамдық келісім", "public_accord_institution"),
        ("Научно-экспертный совет", "scientific_expert_council"),
        ("ансамбль", "creative_collective"),
        ("Cоветы мeдиaции", "mediation_council"),  # Latin C, e, a inside Cyrillic words
    ],
)
def test_kind_is_found_by_code_name_plural_or_staff_word(kinds, text, code):
    found = kinds.find(text)
    assert found.value is not None, found.error
    assert (found.value.code, found.warning, found.error) == (code, "", "")


def test_kind_shared_by_two_kinds_is_an_error_naming_both(kinds):
    found = kinds.find("Ассамблея жастары")
    assert found.value is None
    assert found.error.startswith("«Ассамблея жастары» may be ")
    assert str(kind("youth_movement").name) in found.error
    assert str(kind("youth_branch").name) in found.error


def test_unknown_kind_is_an_error_with_an_example(kinds):
    found = kinds.find("Клуб любителей шахмат")
    assert found.value is None
    assert found.error == (
        "Unknown kind of body «Клуб любителей шахмат»: write its name, e.g. ethnocultural "
        "association."
    )
    assert kinds.find("  ") == kinds.find("")
    assert (kinds.find("").value, kinds.find("").error) == (None, "")


def test_a_kind_renamed_by_an_admin_is_found_by_its_new_name(db):
    house = kind("house_of_friendship")
    OrganisationKind.objects.filter(pk=house.pk).update(name_ru="Дом дружбы народов")
    assert KindIndex().find("дом дружбы народов").value == house


# -- ethnic groups ----------------------------------------------------------------------------


@pytest.fixture
def groups(db) -> EthnicGroupIndex:
    return EthnicGroupIndex()


def test_ethnic_group_index_reads_one_table_once(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        index = EthnicGroupIndex()
    with django_assert_num_queries(0):
        index.find_many("казахи, русские")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("kazakh", "kazakh"),
        ("Қазақтар", "kazakh"),
        ("қазақ", "kazakh"),
        ("казак", "kazakh"),  # «қазақ» typed with Russian letters
        ("Казахи", "kazakh"),
        ("казах", "kazakh"),
        ("казашка", "kazakh"),
        ("казахская", "kazakh"),
        ("Казахский", "kazakh"),
        ("Kazakhs", "kazakh"),
        ("Kazakh", "kazakh"),
        ("Ұйғырлар", "uyghur"),
        ("уйгуры", "uyghur"),
        ("уйгурский", "uyghur"),
        ("Uyghur", "uyghur"),
        ("Uighurs", "uyghur"),
        ("немцы", "german"),
        ("немец", "german"),
        ("немецкий", "german"),
        ("неміс", "german"),
        ("German", "german"),
        ("Кореец", "korean"),
        ("Корейцы", "korean"),
        ("корейская диаспора", "korean"),
        ("Кәрістер", "korean"),
        ("кәріс", "korean"),
        ("турок", "turk"),
        ("Турки", "turk"),
        ("турецкое", "turk"),
        ("Turkish", "turk"),
        ("туркмен", "turkmen"),
        ("Туркмены", "turkmen"),
        ("русские", "russian"),
        ("русская", "russian"),
        ("орыс", "russian"),
        ("РУССКИЕ", "russian"),
        ("татарин", "tatar"),
        ("Татары", "tatar"),
        ("еврей", "jewish"),
        ("Jewish", "jewish"),
        ("кыргызы", "kyrgyz"),
        ("киргиз", "kyrgyz"),
        ("марийцы", "mari"),
        ("Другие национальности", "other"),
        ("Узбекистан", None),  # a country, not a people: nothing rather than a neighbour
    ],
)
def test_ethnic_group_is_found_by_every_form(groups, text, code):
    found = groups.find(text)
    if code is None:
        assert found.value is None and found.error
        return
    assert found.value is not None, found.error
    assert (found.value.code, found.error) == (code, "")


def test_every_group_is_found_by_its_names_in_each_language(groups):
    names = EthnicGroup.objects.values_list("pk", "code", "name_kk", "name_ru", "name_en")
    for pk, *texts in names:
        for text in texts:
            found = groups.find(text)
            assert found.value is not None and found.value.pk == pk, text


@pytest.mark.parametrize(
    ("text", "not_code"),
    [
        ("Кореец", "kurd"),
        ("турок", "turkmen"),
        ("туркмен", "turk"),
        ("татарин", "bashkir"),
        ("крымские татары", "tatar"),  # a group of its own in the census: not guessed
        ("чеченец", "ingush"),
        ("каракалпак", "kalmyk"),
    ],
)
def test_similar_names_do_not_match_another_group(groups, text, not_code):
    found = groups.find(text)
    assert found.value is None or found.value.code != not_code


def test_unknown_ethnic_group_is_an_error_with_examples(groups):
    found = groups.find("марсиане")
    assert found.value is None
    assert found.error == "Unknown ethnic group «марсиане»: write its name, e.g. Kazakhs, Uyghurs."


def test_a_list_of_groups_is_read_in_order_once_each_with_errors_for_the_rest(groups):
    found, errors = groups.find_many("казахи, русские; уйгуры и корейцы / казах\nнемцы, марсиане")
    assert [g.code for g in found] == ["kazakh", "russian", "uyghur", "korean", "german"]
    assert errors == ["Unknown ethnic group «марсиане»: write its name, e.g. Kazakhs, Uyghurs."]
    assert groups.find_many("") == ([], [])


# -- roles ------------------------------------------------------------------------------------


def test_role_index_reads_no_table(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        RoleIndex().find("член")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("member", "member"),
        ("член", "member"),
        ("Мүше", "member"),
        ("MEMBER", "member"),
        ("председатель", "chair"),
        ("Төраға", "chair"),
        ("chair", "chair"),
        ("deputy_chair", "deputy_chair"),
        ("зам. председателя", "deputy_chair"),
        ("Заместитель председателя", "deputy_chair"),
        ("төрағаның орынбасары", "deputy_chair"),
        ("deputy chair", "deputy_chair"),
        ("секретарь", "secretary"),
        ("хатшы", "secretary"),
        ("руководитель", "head"),
        ("басшы", "head"),
        ("сотрудник", "staff"),
        ("қызметкер", "staff"),
        ("staff member", "staff"),
        ("активист", "activist"),
        ("белсенді", "activist"),
        ("медиатор", "mediator"),
        ("эксперт", "expert"),
        ("сарапшы", "expert"),
        ("волонтер", "volunteer"),
        ("волонтёр", "volunteer"),
        ("ерікті", "volunteer"),
        (f" Волонтер{NBSP}", "volunteer"),
    ],
)
def test_role_is_found_by_code_label_or_synonym(db, text, code):
    found = RoleIndex().find(text)
    assert (found.value, found.error) == (code, "")


def test_unknown_role_is_an_error_listing_the_roles(db):
    found = RoleIndex().find("директор клуба")
    assert found.value is None
    assert found.error == (
        "Unknown role «директор клуба»: write one of chair, deputy chair, secretary, head, "
        "staff member, member, activist, mediator, expert, volunteer."
    )
    assert RoleIndex().find("").error == ""


# -- bodies -----------------------------------------------------------------------------------


def test_body_index_is_a_constant_number_of_queries(network, django_assert_max_num_queries):
    for _ in range(5):
        OrganisationFactory(parent=network.pavlodar, kind=kind("ethnocultural_association"))
    user = network.users["coordinator_pavlodar"]
    with django_assert_max_num_queries(2):
        index = BodyIndex(user=user, under=network.root)
    with django_assert_max_num_queries(0):
        found = index.find("Дом дружбы Павлодарской области")
        assert found.value is not None and found.value.region is not None
        assert found.value.kind.code == "house_of_friendship"
        assert found.value.region.iso == "KZ-55"


@pytest.mark.parametrize(
    "text",
    [
        "Дом дружбы Павлодарской области",
        "Павлодар облысының Достық үйі",
        "House of Friendship of Pavlodar Region",
        "дом  дружбы павлодарской области",
        f"ДОМ ДРУЖБЫ{NBSP}ПАВЛОДАРСКОЙ ОБЛАСТИ ",
        "«Дом дружбы Павлодарской области»",
        "Дом дружбы Пaвлoдapской области",  # Latin a, o, p inside a Cyrillic word
    ],
)
def test_body_is_found_by_any_of_its_names(network, text):
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    found = index.find(text)
    assert (found.value, found.error) == (network.pavlodar_house, "")


def test_body_is_found_by_its_birlik_number(network):
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    number = network.pavlodar_elders.pk
    for text in (str(number), f"№ {number}", f"{number}.0"):
        assert index.find(text).value == network.pavlodar_elders


def test_body_out_of_the_users_scope_is_not_found(network):
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    found = index.find("Дом дружбы города Алматы")
    assert found.value is None
    assert found.error == (
        "No body named «Дом дружбы города Алматы» in your scope under «Secretariat of the "
        "Assembly»; add it first or use its Birlik number."
    )
    by_number = index.find(str(network.almaty_house.pk))
    assert by_number.value is None
    assert by_number.error == (
        f"There is no body number {network.almaty_house.pk} under the body chosen for the import."
    )


def test_body_outside_the_chosen_subtree_is_not_found_even_for_an_admin(network):
    index = BodyIndex(user=network.users["admin"], under=network.pavlodar_house)
    assert index.find("Совет аксакалов").value is None
    assert index.find("Дом дружбы Павлодарской области").value == network.pavlodar_house
    everything = BodyIndex(user=network.users["admin"], under=network.root)
    assert everything.find("Дом дружбы города Алматы").value == network.almaty_house


def test_user_without_a_grant_finds_nothing(network):
    index = BodyIndex(user=network.users["nobody"], under=network.root)
    assert index.find("Дом дружбы Павлодарской области").value is None


def test_two_bodies_with_one_name_is_an_error_listing_their_numbers(network):
    first = OrganisationFactory(
        parent=network.pavlodar, kind=kind("ethnocultural_association"), name_ru="Корейский центр"
    )
    second = OrganisationFactory(
        parent=network.pavlodar_house,
        kind=kind("ethnocultural_association"),
        name_ru="Корейский центр",
    )
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    found = index.find("корейский центр")
    assert found.value is None
    assert found.error == (
        f"Several bodies are named «корейский центр» (Birlik numbers {first.pk}, {second.pk}): "
        "write the number instead."
    )
    assert index.find(str(second.pk)).value == second


def test_an_active_body_wins_over_a_closed_one_of_the_same_name(network):
    OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("ethnocultural_association"),
        name_ru="Немецкий центр",
        status=Organisation.Status.CLOSED,
        closed_on=datetime.date(2020, 1, 1),
    )
    active = OrganisationFactory(
        parent=network.pavlodar, kind=kind("ethnocultural_association"), name_ru="Немецкий центр"
    )
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    assert index.find("Немецкий центр").value == active


def test_legal_form_words_around_a_name_are_ignored(network):
    body = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("ethnocultural_association"),
        name_ru="ОО «Корейский центр»",
        name_kk="«Корей орталығы» ҚБ",
    )
    index = BodyIndex(user=network.users["coordinator_pavlodar"], under=network.root)
    for text in ("Корейский центр", "«Корейский центр»", "ОО Корейский центр", "Корей орталығы"):
        assert index.find(text).value == body, text
    assert index.find("Корейский").value is None


def test_empty_body_text_is_nothing_and_no_error(network):
    index = BodyIndex(user=network.users["admin"], under=network.root)
    found = index.find(" ")
    assert (found.value, found.error) == (None, "")


def test_kind_index_and_organisation_kind_agree(db):
    # Every kind shipped with the data is found by its code.
    index = KindIndex()
    for each in OrganisationKind.objects.all():
        assert index.find(each.code).value == each
