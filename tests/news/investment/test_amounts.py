"""Amounts in 万元 and land in 亩, as each language shows them; never a foreign currency."""

from decimal import Decimal

import pytest

from news.investment.amounts import format_amount, format_land


@pytest.mark.parametrize(
    ("wan", "zh", "en"),
    [
        (35000, "3.5亿元", "CNY 350 million"),
        (8000, "8000万元", "CNY 80 million"),
        (10000, "1亿元", "CNY 100 million"),
        (1200000, "120亿元", "CNY 12 billion"),
        (123456, "12.35亿元", "CNY 1.23 billion"),
        (50, "50万元", "CNY 0.5 million"),
    ],
)
def test_amounts(wan, zh, en):
    assert format_amount(wan, "zh-hans") == zh
    assert format_amount(wan, "en") == en


def test_no_amount_is_empty():
    assert format_amount(None, "en") == "" and format_land(None, "zh-hans") == ""


def test_land_in_mu_and_hectares():
    assert format_land(Decimal("120"), "zh-hans") == "120亩"
    assert format_land(Decimal("120"), "en") == "8 ha (120 mu)"
    assert format_land(Decimal("100"), "en") == "6.67 ha (100 mu)"
