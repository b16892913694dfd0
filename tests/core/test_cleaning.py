"""Cleaning the values staff type into spreadsheets: text, names, dates, IINs and phones, in
every form the regional files hold them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from birlik.core import cleaning
from birlik.registry import iin as registry_iin
from birlik.registry.iin import make_iin, validate_iin

D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("Абай\xa0 облысы ", "Абай облысы"),
        ("  Нұр\u200bлан\n Серіков\t", "Нұрлан Серіков"),
        ("Ә".encode().decode() + "\u0301", "Ә\u0301"),
        (None, ""),
        (12, "12"),
    ],
)
def test_clean_text_collapses_spaces_and_drops_invisible_characters(value, cleaned):
    assert cleaning.clean_text(value) == cleaned


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kазақстан", "Қазақстан"),  # a Latin K inside a Cyrillic word
        ("ДОСТЫҚ  ҮЙІ", "достык уйи"),
        ("Алёна", "Алена"),
    ],
)
def test_match_key_makes_differently_typed_names_equal(one, other):
    assert cleaning.match_key(one) == cleaning.match_key(other)


@pytest.mark.parametrize(
    ("value", "mixed"),
    [
        ("Нурлaн", True),  # Latin a
        ("Cерік", True),  # Latin C
        ("Нұрлан Серіков", False),
        ("Nurlan Serikov", False),
        ("Nurlan Нұрлан", False),  # two scripts, but each word in one
        ("", False),
    ],
)
def test_mixed_script_finds_a_word_of_latin_and_cyrillic_letters(value, mixed):
    assert cleaning.mixed_script(value) is mixed


@pytest.mark.parametrize(
    ("value", "lost"),
    [
        ("Н?рлан", True),
        ("Ж?нісов", True),
        ("Серік?", True),
        ("?азақ", True),
        ("Н\ufffdрлан", True),
        ("Нұрлан Жүнісов", False),
        ("Who? ", True),  # at the end of a word: the check cannot tell, so it asks
        ("Кто ? нет", False),
        ("", False),
    ],
)
def test_lost_letters_finds_question_marks_where_kazakh_letters_were(value, lost):
    assert cleaning.lost_letters(value) is lost


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("Серіков Нұрлан Асқарұлы", ("Серіков", "Нұрлан", "Асқарұлы")),
        ("Серікова Айгүл Асқар қызы", ("Серікова", "Айгүл", "Асқар қызы")),
        ("Серіков Нұрлан Асқар ұлы", ("Серіков", "Нұрлан", "Асқар ұлы")),
        ("Сериков Нурлан Аскар улы", ("Сериков", "Нурлан", "Аскар улы")),
        ("Серикова Айгуль Аскар кызы", ("Серикова", "Айгуль", "Аскар кызы")),
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("Иванов, Иван", ("Иванов", "Иван", "")),
        ("  Иванов\xa0\xa0Иван   Иванович ", ("Иванов", "Иван", "Иванович")),
        ("Серіков", ("Серіков", "", "")),
        ("Мамедов Али Гусейн оглы", ("Мамедов", "Али", "Гусейн оглы")),
        ("Ли Мария Ен Сун Хо", ("Ли", "Мария", "Ен Сун Хо")),
        ("сеРіков нұрлан", ("сеРіков", "нұрлан", "")),  # letters kept as written
        ("", ("", "", "")),
        (None, ("", "", "")),
    ],
)
def test_split_full_name_gives_last_first_and_patronymic(value, parts):
    assert cleaning.split_full_name(value) == parts


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (D(2024, 3, 1), D(2024, 3, 1)),
        (datetime.datetime(2024, 3, 1, 15, 30), D(2024, 3, 1)),
        ("2024-03-01", D(2024, 3, 1)),
        ("2024-03-01 00:00:00", D(2024, 3, 1)),
        ("2024-03-01T10:00", D(2024, 3, 1)),
        ("01.03.2024", D(2024, 3, 1)),
        ("1.3.2024", D(2024, 3, 1)),
        ("01/03/2024", D(2024, 3, 1)),
        ("01-03-2024", D(2024, 3, 1)),
        ("01.03.24", D(2024, 3, 1)),
        ("12.05.85", D(1985, 5, 12)),
        ("2024.03.01", D(2024, 3, 1)),
        ("01.03.2024 г.", D(2024, 3, 1)),
        ("01.03.2024ж.", D(2024, 3, 1)),
        ("01.03.2024 ж", D(2024, 3, 1)),
        (" 01.03.2024\xa0", D(2024, 3, 1)),
        ("01.03.2024 10:30", D(2024, 3, 1)),
        (45352, D(2024, 3, 1)),
        (45352.0, D(2024, 3, 1)),
        (45352.75, D(2024, 3, 1)),  # a serial with a time of day
        ("45352", D(2024, 3, 1)),
        (61, D(1900, 3, 1)),  # after Excel's 29 February 1900
        (59, D(1900, 2, 28)),
        (1, D(1900, 1, 1)),
        ("12 марта 2001", D(2001, 3, 12)),
        ("12 мая 2001 года", D(2001, 5, 12)),
        ("1 декабря 1999 г.", D(1999, 12, 1)),
        ("12 наурыз 2001", D(2001, 3, 12)),
        ("12 қыркүйек 2001 ж.", D(2001, 9, 12)),
        ("2001 жылғы 5 желтоқсан", D(2001, 12, 5)),
        ("12 March 2001", D(2001, 3, 12)),
        ("March 12, 2001", D(2001, 3, 12)),
        ("12 янв. 2001", D(2001, 1, 12)),
    ],
)
def test_parse_date_reads_every_form_staff_write(value, day):
    assert cleaning.parse_date(value) == day


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "не знаю",
        "31.02.2024",
        "2024-13-01",
        "01.03.1850",  # before 1900
        "01.03.2150",  # after 2100
        D(1850, 1, 1),
        60,  # Excel's 29 February 1900, a day that never was
        0,
        -5,
        3_000_000,
        1985,  # a year, not the serial of a day in 1905
        "1985",
        True,
        "12 блабла 2001",
        "12 марта",
        "март 2001",
    ],
)
def test_parse_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        cleaning.parse_date(value)


def test_the_iin_checksum_has_one_home_in_core():
    assert registry_iin.check_digit is cleaning.iin_check_digit
    assert cleaning.iin_checksum_ok("900101300017")
    assert cleaning.iin_checksum_ok("800101300706")  # the second weighting
    assert not cleaning.iin_checksum_ok("900101300018")
    assert not cleaning.iin_checksum_ok("90010130001")
    assert not cleaning.iin_checksum_ok("９００１０１３０００１７")  # full-width digits
    assert validate_iin("900101300017").birth_date == D(1990, 1, 1)


def _iin_born(day: D) -> str:
    return next(code for serial in range(1, 50) if (code := make_iin(day, "f", serial)))


ZERO = _iin_born(D(2003, 5, 4))  # "03…": Excel drops the 0
TWO_ZEROS = _iin_born(D(2000, 5, 4))  # "00…"


@pytest.mark.parametrize(
    ("value", "digits"),
    [
        (900101300017, "900101300017"),
        (900101300017.0, "900101300017"),
        ("900101300017", "900101300017"),
        ("9001 0130 0017", "900101300017"),
        ("900101\xa0300017", "900101300017"),
        ("900101-300017", "900101300017"),
        ("'900101300017", "900101300017"),
        ("900101300017.0", "900101300017"),
        (int(ZERO), ZERO),
        (float(ZERO), ZERO),
        (ZERO[1:], ZERO),
        (int(TWO_ZEROS), TWO_ZEROS),
        ("9.00101E+11", "9.00101E+11"),  # the digits are lost: kept for the check to say so
        ("90010130001", "90010130001"),  # 11 digits whose padding does not check out
        ("ЖСН жоқ", "ЖСН жоқ"),
        (None, ""),
    ],
)
def test_clean_iin_gives_digits_and_puts_back_the_zero_excel_dropped(value, digits):
    assert cleaning.clean_iin(value) == digits


@pytest.mark.parametrize(
    ("value", "phone"),
    [
        ("8 (701) 234-56-78", "+77012345678"),
        ("+7 701 234 56 78", "+77012345678"),
        ("+7 (701) 234-56-78", "+77012345678"),
        (87012345678, "+77012345678"),
        (87012345678.0, "+77012345678"),
        (77012345678, "+77012345678"),
        ("7012345678", "+77012345678"),
        (7012345678, "+77012345678"),
        ("701 234 5678", "+77012345678"),
        ("8 7182 32-00-00", "+77182320000"),
        ("+7(7182)320000", "+77182320000"),
        ("8-701-234-56-78", "+77012345678"),
        ("8\xa0701\xa0234\xa056\xa078", "+77012345678"),
        ("тел.: 8 701 234 56 78", "+77012345678"),
        ("моб. 87012345678", "+77012345678"),
    ],
)
def test_normalise_phone_reads_every_kazakh_form(value, phone):
    assert cleaning.normalise_phone(value) == phone


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("8 7182 32-00-00 доб. 12", "extension"),
        ("8 7182 32-00-00 вн. 12", "extension"),
        ("87012345678, 87022345678", "more than one phone number"),
        ("8 701 234 56 78; 8 702 234 56 78", "more than one phone number"),
        ("8 701 234 56 78 / 32-00-00", "more than one phone number"),
        ("+998 90 123 45 67", "Only Kazakhstan numbers"),
        ("+49 30 1234567", "Only Kazakhstan numbers"),
        ("32-00-00", "11 digits"),
        ("8701234567", "11 digits"),
        ("12", "11 digits"),
        ("не помню", "not a phone number"),
        ("", "empty"),
        (None, "empty"),
    ],
)
def test_normalise_phone_refuses_with_a_message_saying_what_to_change(value, message):
    with pytest.raises(ValueError, match=message):
        cleaning.normalise_phone(value)
