"""Numbers, counts and amounts in tenge written as each language writes them (glossary rule 8):
grouped with no-break spaces in Kazakh and Russian, tiyn only when an amount is not whole."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from birlik.core.templatetags.birlik_format import money, number

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "whole", "part"),
    [
        ("kk", "1\xa0250\xa0000\xa0₸", "1\xa0250\xa0000,50\xa0₸"),
        ("ru", "1\xa0250\xa0000\xa0₸", "1\xa0250\xa0000,50\xa0₸"),
        ("en", "₸1,250,000", "₸1,250,000.50"),
    ],
)
def test_money_is_written_in_tenge_with_tiyn_only_when_not_whole(language, whole, part):
    with translation.override(language):
        assert money(1_250_000) == whole
        assert money(Decimal("1250000.00")) == whole
        assert money("1250000") == whole
        assert money(Decimal("1250000.5")) == part


def test_money_of_nothing_is_empty_and_of_text_is_the_text():
    with translation.override("kk"):
        assert money(None) == "" and money("") == ""
        assert money("көп") == "көп"
        assert money(Decimal("NaN")) == "NaN"


def test_number_of_text_is_the_text_rather_than_an_error():
    with translation.override("ru"):
        assert number("—") == "—"
        assert number(1_250_000) == f"1{NBSP}250{NBSP}000"


COUNTED = Template(
    "{% load i18n birlik_format %}{% blocktranslate count counter=n|counted %}"
    "{{ counter }} request{% plural %}{{ counter }} requests{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("language", "n", "expected"),
    [
        ("kk", 1250, "1\xa0250 өтінім"),
        ("ru", 1, "1 заявка"),
        ("ru", 3, "3 заявки"),
        ("ru", 1250, "1\xa0250 заявок"),  # the plural rule still sees the number
        ("ru", 1251, "1\xa0251 заявка"),
        ("en", 1250, "1,250 requests"),
    ],
)
def test_a_count_in_a_plural_message_is_grouped_and_keeps_its_plural_form(language, n, expected):
    with translation.override(language):
        assert COUNTED.render(Context({"n": n})) == expected
