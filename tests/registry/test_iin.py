import datetime

import pytest
from django.core.exceptions import ValidationError

from birlik.registry.iin import iin_digest, make_iin, validate_iin


def test_valid_iin_gives_birth_date_and_sex():
    facts = validate_iin("900101300017")
    assert facts.birth_date == datetime.date(1990, 1, 1)
    assert facts.sex == "m"


def test_iin_of_a_woman_born_in_this_century():
    facts = validate_iin("021231500075")
    assert facts.birth_date == datetime.date(2002, 12, 31)
    assert facts.sex == "m"
    assert validate_iin(make_iin(datetime.date(2002, 12, 31), "f", 7)).sex == "f"


def test_check_digit_falls_back_to_second_weights_when_first_gives_ten():
    assert validate_iin("800101300706").birth_date == datetime.date(1980, 1, 1)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("900101300018", "iin_checksum"),
        ("800101300720", "iin_checksum"),  # both weightings give 10: no valid check digit
        ("901301300017", "iin_date"),
        ("900230300017", "iin_date"),
        ("900101700017", "iin_century"),
        ("900101000017", "iin_century"),
        ("90010130001", "iin_length"),
        ("9001013000177", "iin_length"),
        ("90010130001a", "iin_length"),
        ("", "iin_length"),
    ],
)
def test_invalid_iin_is_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as error:
        validate_iin(value)
    assert error.value.code == code


def test_made_iins_are_valid_or_none():
    made = [make_iin(datetime.date(1975, 6, 15), "f", n) for n in range(200)]
    valid = [iin for iin in made if iin]
    assert len(valid) > 150
    for iin in valid:
        assert validate_iin(iin).birth_date == datetime.date(1975, 6, 15)


def test_digest_matches_equal_numbers_and_hides_the_number():
    assert iin_digest("900101300017") == iin_digest(" 900101300017 ")
    assert iin_digest("900101300017") != iin_digest("021231500075")
    assert "900101300017" not in iin_digest("900101300017")
