"""The long date form of each language (glossary rule 7): «2025 жылғы 5 қаңтар» in Kazakh."""

import datetime

import pytest
from django.utils import translation

from birlik.core.templatetags.birlik_format import long_date


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("kk", "2025 жылғы 5 қаңтар"),
        ("ru", "5 января 2025\u202fг."),  # CLDR: a narrow no-break space
        ("en", "5 January 2025"),
    ],
)
def test_long_date_is_written_as_each_language_writes_it(language, expected):
    with translation.override(language):
        assert long_date(datetime.date(2025, 1, 5)) == expected


def test_long_date_of_nothing_is_empty():
    assert long_date(None) == ""
