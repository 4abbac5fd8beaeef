"""Projects and zones in the site search, in the page's language, through their public gates."""

import pytest

from news.investment import search
from news.investment.models import ServiceSearchDocument
from tests.factories import make_project, make_zone

pytestmark = pytest.mark.django_db


def test_a_saved_project_or_zone_is_found_in_its_languages_only(client, site):
    project = make_project(title_en="Carbon fibre plant", title_zh_hans="碳纤维复合材料项目")
    zone = make_zone(languages=("zh-hans",), name_zh_hans="吉林高新技术产业开发区")
    english = client.get("/en/search/", {"q": "carbon plants"}).text  # stemmed: plants finds plant
    assert project.get_absolute_url("en") in english and "Projects and development zones" in english
    chinese = client.get("/zh-hans/search/", {"q": "碳纤维"}).text
    assert project.get_absolute_url("zh-hans") in chinese
    assert zone.get_absolute_url("zh-hans") in client.get("/zh-hans/search/", {"q": "吉林 高新"}).text
    # Traditional characters find the simplified text.
    assert zone.get_absolute_url("zh-hans") in client.get("/zh-hans/search/", {"q": "開發區"}).text
    assert zone.slug not in client.get("/en/search/", {"q": "吉林"}).text


def test_every_word_must_match_and_names_rank_first(db):
    in_name = make_project(title_en="Hydrogen plant", summary_en="Green energy.")
    in_text = make_project(title_en="Methanol plant", summary_en="Uses hydrogen from wind.")
    make_project(title_en="Other plant", summary_en="Nothing related.")
    assert [hit.obj for hit in search.find("hydrogen plant", "en")] == [in_name, in_text]
    assert search.find("hydrogen rice", "en") == []


def test_only_public_records_are_found_and_edits_are_indexed(db):
    draft = make_zone(name_en="Secret zone", status="draft")
    assert search.find("secret", "en") == []
    expired = make_project(title_en="Expired matchmaking")
    type(expired).objects.filter(pk=expired.pk).update(deal_status="withdrawn")
    assert search.find("matchmaking", "en") == []
    draft.status = "published"
    draft.name_en = "Open zone"
    draft.save()
    assert [hit.obj for hit in search.find("open", "en")] == [draft]
    assert search.find("secret", "en") == []
    draft.delete()
    assert not ServiceSearchDocument.objects.filter(kind="zone").exists()


def test_rebuild_indexes_everything_again(db):
    make_project(title_en="Glass plant")
    ServiceSearchDocument.objects.all().delete()
    assert search.find("glass", "en") == []
    assert search.rebuild() == 1
    assert len(search.find("glass", "en")) == 1


def test_a_column_filter_shows_articles_only(client, site):
    make_project(title_en="Glass plant")
    assert "Glass plant" not in client.get("/en/search/", {"q": "glass", "column": "investment-dynamics"}).text


def test_matching_records_that_are_not_public_never_crowd_out_a_public_one(db):
    """The public gate comes before any limit: 300 matching rows of drafts, withdrawn or deleted
    records (here, index rows of records that are not public) leave the one public match found."""
    draft = make_project(title_en="Lithium draft", status="draft")
    ServiceSearchDocument.objects.bulk_create(
        ServiceSearchDocument(
            kind=kind, object_id=10_000 + number, language="en", title_words=" lithium ", words=" lithium ", text="x"
        )
        for number in range(300)
        for kind in ("project", "zone")
    )
    public = make_project(title_en="Lithium battery plant")  # indexed after them all
    assert [hit.obj for hit in search.find("lithium", "en")] == [public]
    assert draft not in [hit.obj for hit in search.find("lithium draft", "en")]


def test_the_search_asks_four_queries_whatever_matches_and_one_when_nothing_does(
    db, client, site, django_assert_num_queries
):
    for number in range(8):
        make_project(title_en=f"Wind farm {number}")
        make_zone(name_en=f"Wind zone {number}")
    make_project(title_en="Solar farm", summary_en="Wind and sun.")
    with django_assert_num_queries(4):
        hits = search.find("wind", "en")
    assert [hit.kind for hit in hits] == ["zone"] * search.LIMIT + ["project"] * search.LIMIT
    # Only what the page shows is loaded, and all of it: showing the hits asks nothing more.
    with django_assert_num_queries(0):
        shown = [
            (hit.obj.get_absolute_url(), hit.obj.region.name, hit.obj.get_level_display(), hit.obj.name)
            if hit.kind == "zone"
            else (hit.obj.get_absolute_url(), hit.obj.region.name, hit.obj.code, hit.obj.title)
            for hit in hits
        ]
    assert all(all(row) for row in shown) and shown[-1][2].startswith("JL")
    with django_assert_num_queries(1):
        assert search.find("hydropower", "en") == []
    with django_assert_num_queries(3):  # the zones' gate is not asked: none matches
        assert [hit.kind for hit in search.find("farm", "en")] == ["project"] * search.LIMIT


def test_a_name_holding_more_of_the_words_ranks_first_then_the_newest(db):
    older_in_name = make_project(title_en="Wind turbine blades", summary_en="Composites.")
    newer_in_text = make_project(title_en="Composites plant", summary_en="Blades for a wind turbine.")
    newest_half_in_name = make_project(title_en="Wind farm", summary_en="Turbine maintenance.")
    found = [hit.obj for hit in search.find("wind turbine", "en")]
    assert found == [older_in_name, newest_half_in_name, newer_in_text]
