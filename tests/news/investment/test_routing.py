"""The routing rule (spec 1, rule 2) as a table: each row the desks, the enquiry, the desk expected."""

import pytest

from news.investment.routing import DeskFacts, desk_facts, route
from tests.factories import make_desk, make_enquiry

S_AUTO, S_FOOD = 1, 2
R_CC, R_JL = 10, 11

DEFAULT = DeskFacts(id=100, languages=frozenset({"zh-hans", "en"}), is_default=True)
AUTO_CC = DeskFacts(id=101, sectors=frozenset({S_AUTO}), regions=frozenset({R_CC}), languages=frozenset({"zh-hans"}))
AUTO = DeskFacts(id=102, sectors=frozenset({S_AUTO}), languages=frozenset({"zh-hans", "en"}), open_count=3)
AUTO_BUSY = DeskFacts(id=103, sectors=frozenset({S_AUTO}), languages=frozenset({"zh-hans", "en"}), open_count=9)
JILIN = DeskFacts(id=104, regions=frozenset({R_JL}), languages=frozenset({"zh-hans"}))
FRENCH = DeskFacts(id=105, languages=frozenset({"fr"}))
ZH_DEFAULT = DeskFacts(id=106, languages=frozenset({"zh-hans"}), is_default=True)

TABLE = [
    # (why, desks, enquiry, expected)
    ("the project's desk wins", [DEFAULT, AUTO_CC], {"project_desk": 999, "sectors": {S_AUTO}, "region": R_CC}, 999),
    ("the project's desk before the zone's", [DEFAULT], {"project_desk": 999, "zone_desk": 998}, 999),
    ("the zone's desk before sectors and regions", [DEFAULT, AUTO_CC], {"zone_desk": 998, "sectors": {S_AUTO}}, 998),
    ("sector and region both match", [DEFAULT, AUTO, AUTO_CC], {"sectors": {S_AUTO}, "region": R_CC}, 101),
    ("sector only: the least busy of two", [DEFAULT, AUTO_BUSY, AUTO], {"sectors": {S_AUTO}, "region": R_JL}, 102),
    ("sector beats region", [DEFAULT, JILIN, AUTO], {"sectors": {S_AUTO}, "region": R_JL}, 102),
    ("region only", [DEFAULT, JILIN, AUTO], {"sectors": {S_FOOD}, "region": R_JL}, 104),
    (
        "among matches, the one speaking the language",
        [AUTO_CC, AUTO_BUSY],
        {"sectors": {S_AUTO}, "language": "en"},
        103,
    ),
    (
        "no one speaks it: the match still wins",
        [DEFAULT, AUTO_CC],
        {"sectors": {S_AUTO}, "region": R_CC, "language": "en"},
        101,
    ),
    ("nothing matches: the default desk", [DEFAULT, AUTO, JILIN], {"sectors": {S_FOOD}}, 100),
    ("no facts at all: the default desk", [AUTO, DEFAULT], {}, 100),
    ("default lacks the language: a desk that has it", [ZH_DEFAULT, FRENCH], {"language": "fr"}, 105),
    ("nobody has the language: the default desk", [ZH_DEFAULT, AUTO], {"language": "fr"}, 106),
    ("no default desk: the least busy", [AUTO_BUSY, AUTO], {"language": "fr"}, 102),
    ("ties in load go to the first in order", [AUTO_CC, JILIN], {"language": "fr"}, 101),
]


@pytest.mark.parametrize(("desks", "enquiry", "expected"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE])
def test_routing_table(desks, enquiry, expected):
    assert route(desks, **{"language": "zh-hans", **enquiry}) == expected


def test_no_desk_at_all_is_an_error():
    with pytest.raises(LookupError):
        route([], language="en")


@pytest.mark.django_db
def test_desk_facts_come_from_the_database_with_open_counts(django_assert_max_num_queries):
    from news.models import Region

    region = Region.objects.create(slug="changchun", name_zh_hans="长春", name_en="Changchun")
    default = make_desk(is_default=True)
    city = make_desk(regions=[region], languages=["zh-hans"])
    make_enquiry(region=region)
    with django_assert_max_num_queries(3):
        facts = desk_facts()
    assert [f.id for f in facts] == [default.pk, city.pk]
    assert facts[1].regions == {region.pk} and facts[1].open_count == 1 and facts[0].is_default
