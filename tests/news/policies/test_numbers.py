"""Document numbers (发文字号) in their one spelling, and read from what readers type."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from news.policies.numbers import (
    CLOSING,
    OPENING,
    index_number,
    normalize_document_number,
    typed_document_number,
)

SPELLINGS = [
    ("吉政发〔2025〕7号", "吉政发〔2025〕7号"),
    ("吉政发[2025]7号", "吉政发〔2025〕7号"),
    ("吉政发（2025）7号", "吉政发〔2025〕7号"),
    ("吉政发(2025)7号", "吉政发〔2025〕7号"),
    ("吉政发【2025】7号", "吉政发〔2025〕7号"),
    ("吉政发［2025］7号", "吉政发〔2025〕7号"),
    ("吉政发﹝2025﹞7号", "吉政发〔2025〕7号"),
    ("吉政发〖2025〗7号", "吉政发〔2025〕7号"),
    ("吉政发{2025}7号", "吉政发〔2025〕7号"),
    ("吉政发 〔2025〕 7 号", "吉政发〔2025〕7号"),
    ("吉政发\u3000〔２０２５〕７号", "吉政发〔2025〕7号"),
    ("吉政发〔2025〕07号", "吉政发〔2025〕7号"),
    ("吉政发〔2025〕第7号", "吉政发〔2025〕7号"),
    ("吉政发〔2025〕7", "吉政发〔2025〕7号"),
    ("吉政发2025年7号", "吉政发〔2025〕7号"),
    ("国发〔2017〕39号", "国发〔2017〕39号"),
    ("国办发[2017]47号", "国办发〔2017〕47号"),
    ("吉政办函〔2024〕120号", "吉政办函〔2024〕120号"),
    ("", ""),
    ("  ", ""),
    ("无", "无"),
    (" 无 ", "无"),
    # Not a document number: kept, spaces removed, full-width letters made ASCII.
    ("第 三 号 公告", "第三号公告"),
    ("ＡＢＣ-12", "ABC-12"),
]


@pytest.mark.parametrize(("typed", "stored"), SPELLINGS)
def test_every_usual_spelling_is_stored_one_way(typed, stored):
    assert normalize_document_number(typed) == stored


prefixes = st.sampled_from(["吉政发", "国发", "国办发", "吉政办发", "长府发", "吉商务字"])
years = st.integers(1990, 2099)
serials = st.integers(1, 9999)


@given(prefixes, years, serials, st.sampled_from(list(zip(OPENING, CLOSING, strict=True))), st.booleans())
def test_any_bracket_pair_and_padding_gives_the_standard_spelling(prefix, year, serial, brackets, padded):
    opening, closing = brackets
    typed = (
        f"{prefix}{opening}{year}{closing}{serial:04d}号" if padded else f"{prefix}{opening}{year}{closing}{serial}号"
    )
    assert normalize_document_number(typed) == f"{prefix}〔{year}〕{serial}号"


@given(st.text(max_size=30))
def test_normalising_is_idempotent(text):
    once = normalize_document_number(text)
    assert normalize_document_number(once) == once


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("吉政发 2025 7", ("吉政发", 2025, 7)),
        ("吉政发2025 7", ("吉政发", 2025, 7)),
        ("吉政发〔2025〕7号", ("吉政发", 2025, 7)),
        ("吉政发[2025]7号", ("吉政发", 2025, 7)),
        ("2025年7号", ("", 2025, 7)),
        ("〔2025〕7号", ("", 2025, 7)),
        ("吉政发 2025年 第7号", ("吉政发", 2025, 7)),
    ],
)
def test_a_document_number_typed_any_usual_way_is_read(query, read):
    assert typed_document_number(query) == read


@pytest.mark.parametrize("query", ["招商引资", "2025 7", "2025", "吉林 外资", ""])
def test_words_and_bare_figures_are_not_read_as_a_document_number(query):
    assert typed_document_number(query) is None


def test_index_number_has_the_central_catalogues_form():
    assert index_number("000014349", 2017, 156) == "000014349/2017-00156"
