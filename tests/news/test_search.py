"""Search, on whichever backend the test database is (SQLite FTS5 or PostgreSQL)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from news import search
from news.models import Article, SearchDocument
from tests.factories import make_article, make_column

pytestmark = pytest.mark.django_db


def found(query, language, **kwargs):
    results = search.search(query, language, **kwargs)
    return [hit.article for hit in results[0 : results.count()]]


@pytest.fixture
def seed(column):
    return make_article(
        column,
        title_zh_hans="北京市属国有企业赴吉林项目洽谈对接会举行",
        body_zh_hans="<p>3月30日上午，北京市属国有企业赴吉林项目洽谈对接会在长春南湖宾馆举行。</p>",
        title_en="Beijing SoEs to Jilin for Project Negotiation and Matchmaking Was Held",
        body_en="<p>The meeting was held at Nanhu Hotel in Changchun. More than 50 enterprises took part.</p>",
    )


class TestWhatIsFound:
    def test_jilin_finds_an_article_that_only_says_jilin_province(self, column):
        article = make_article(
            column, languages=("zh-hans",), title_zh_hans="省内新闻", body_zh_hans="<p>吉林省发布新政策。</p>"
        )
        assert found("吉林", "zh-hans") == [article]

    def test_zhaoshang_finds_zhaoshang_yinzi(self, column):
        article = make_article(
            column, languages=("zh-hans",), title_zh_hans="工作会议", body_zh_hans="<p>全面推进招商引资工作。</p>"
        )
        assert found("招商", "zh-hans") == [article]

    def test_qiatan_finds_the_seed_in_chinese(self, seed):
        assert found("洽谈", "zh-hans") == [seed]

    @pytest.mark.parametrize("query", ["matchmaking", "Nanhu Hotel", "MATCHMAKING", "nanhu   hotel"])
    def test_english_words_find_the_seed_in_english(self, seed, query):
        assert found(query, "en") == [seed]

    def test_invest_finds_investment(self, column):
        article = make_article(column, languages=("en",), title_en="News", body_en="<p>Foreign investment grew.</p>")
        assert found("invest", "en") == [article]

    def test_all_words_must_match(self, seed):
        assert found("Nanhu submarine", "en") == []

    def test_a_chinese_query_on_the_english_site_finds_nothing_chinese(self, seed, column):
        make_article(column, languages=("zh-hans",), title_zh_hans="吉林", body_zh_hans="<p>洽谈</p>")
        assert found("洽谈", "en") == []
        assert found("吉林", "en") == []

    @pytest.mark.parametrize(
        "fields",
        [
            {"status": Article.Status.DRAFT},
            {"status": Article.Status.REVIEW},
            {"publish_at": timezone.now() + timedelta(hours=1)},
            {"publish_at": timezone.now() - timedelta(days=2), "unpublish_at": timezone.now() - timedelta(hours=1)},
        ],
    )
    def test_unpublished_articles_are_never_found(self, column, fields):
        make_article(column, title_en="Secret matchmaking", **fields)
        assert found("matchmaking", "en") == []

    def test_a_scheduled_article_is_found_once_its_time_comes(self, column):
        article = make_article(column, title_en="Scheduled matchmaking", publish_at=timezone.now() + timedelta(hours=1))
        assert found("matchmaking", "en") == []
        Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
        assert found("matchmaking", "en") == [article]


class TestRanking:
    def test_title_matches_rank_above_body_matches(self, column):
        now = timezone.now()
        in_body = make_article(
            column,
            title_en="Weekly roundup",
            body_en="<p>Talk of matchmaking and matchmaking.</p>",
            publish_at=now - timedelta(hours=1),
        )
        in_title = make_article(
            column,
            title_en="Matchmaking in Changchun",
            body_en="<p>Companies met.</p>",
            publish_at=now - timedelta(days=30),
        )
        assert found("matchmaking", "en") == [in_title, in_body]

    def test_newer_first_on_ties(self, column):
        now = timezone.now()
        older = make_article(
            column, title_en="Matchmaking", body_en="<p>Same text.</p>", publish_at=now - timedelta(days=2)
        )
        newer = make_article(
            column, title_en="Matchmaking", body_en="<p>Same text.</p>", publish_at=now - timedelta(days=1)
        )
        assert found("matchmaking", "en") == [newer, older]


class TestIndexUpkeep:
    def test_the_index_follows_edits(self, seed):
        seed.body_en = "<p>Nothing about hotels any more.</p>"
        seed.title_en = "Changed"
        seed.save()
        assert found("matchmaking", "en") == []
        assert found("hotels", "en") == [seed]

    def test_removing_a_language_removes_its_document(self, seed):
        seed.title_en = ""
        seed.body_en = ""
        seed.save()
        assert list(SearchDocument.objects.filter(article=seed).values_list("language", flat=True)) == ["zh-hans"]

    def test_deleting_removes_it_from_the_index(self, seed):
        seed.delete()
        assert found("matchmaking", "en") == []
        assert not SearchDocument.objects.exists()

    def test_rebuild_restores_a_lost_index(self, seed):
        SearchDocument.objects.all().delete()
        assert found("matchmaking", "en") == []
        out = __import__("io").StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert "1/1" in out.getvalue() and "Indexed 1 articles" in out.getvalue()
        assert found("matchmaking", "en") == [seed]


class TestHostileInput:
    @pytest.mark.parametrize(
        "query",
        [
            "",
            "   ",
            "x" * 10_000,
            '"',
            '"unbalanced',
            "NEAR(matchmaking hotel)",
            "matchmaking NEAR hotel",
            "match*",
            "*",
            "matchmaking AND hotel",
            "matchmaking OR",
            "NOT matchmaking",
            "title:matchmaking",
            "{title}: x",
            "a\x00b",
            "'; DROP TABLE news_article; --",
            "吉林 matchmaking ñandú 🙂",
            "^matchmaking",
            "(((",
            "-matchmaking",
            "matchmaking & | ! <->",
        ],
    )
    def test_any_input_is_safe(self, seed, query):
        results = search.search(query, "en")
        hits = results[0:20]
        assert results.count() == len(hits)
        assert Article.objects.filter(pk=seed.pk).exists()

    def test_long_queries_are_cut(self):
        query = search.Query.parse("word " * 5000)
        assert query.truncated and len(query.text) <= search.MAX_QUERY_LENGTH
        assert len(query.terms) <= search.MAX_TERMS


class TestSearchPage:
    def test_results_with_highlighted_snippets(self, client, seed, site_settings, pages):
        page = client.get("/en/search/", {"q": "Nanhu"}).content.decode()
        assert "1 result" in page
        assert seed.get_absolute_url("en") in page
        assert "<mark>Nanhu</mark>" in page
        assert '<meta name="robots" content="noindex">' in page

    def test_twenty_a_page_and_pagination_keeps_the_query(self, client, column):
        Article.objects.bulk_create([])  # noqa - documents come from saves below
        for i in range(25):
            make_article(column, title_en=f"Matchmaking {i}", publish_at=timezone.now() - timedelta(hours=i + 1))
        page = client.get("/en/search/", {"q": "matchmaking"}).content.decode()
        assert "25 results" in page
        assert page.count('class="result-meta"') == 20
        assert 'href="?q=matchmaking&amp;page=2"' in page
        second = client.get("/en/search/", {"q": "matchmaking", "page": 2}).content.decode()
        assert second.count('class="result-meta"') == 5

    def test_filters_for_column_and_year(self, client, column):
        other = make_column("policies")
        now = timezone.now()
        in_column = make_article(column, title_en="Matchmaking here")
        make_article(other, title_en="Matchmaking elsewhere")
        last_year = make_article(column, title_en="Matchmaking last year", publish_at=now.replace(year=now.year - 1))
        page = client.get("/en/search/", {"q": "matchmaking", "column": column.slug}).content.decode()
        assert "Matchmaking here" in page and "Matchmaking last year" in page and "elsewhere" not in page
        page = client.get(
            "/en/search/", {"q": "matchmaking", "column": column.slug, "year": now.year - 1}
        ).content.decode()
        assert "Matchmaking last year" in page and "Matchmaking here" not in page
        assert in_column and last_year

    def test_a_forged_filter_is_ignored_with_a_notice(self, client, seed):
        response = client.get("/en/search/", {"q": "Nanhu", "column": "<script>", "year": "abc"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "A filter that does not exist was ignored." in page
        assert "<script>" not in page and "1 result" in page

    def test_the_query_is_never_reflected_unescaped(self, client, seed):
        page = client.get("/en/search/", {"q": '<script>alert("x")</script>'}).content.decode()
        assert '<script>alert("x")' not in page
        assert "&lt;script&gt;" in page

    def test_long_query_notice(self, client, seed):
        response = client.get("/zh-hans/search/", {"q": "吉" * 10_000})
        assert response.status_code == 200
        assert "只使用了您输入的前 100 个字符" in response.content.decode()

    def test_nul_bytes_and_bad_pages(self, client, seed):
        assert client.get("/en/search/", {"q": "a\x00b"}).status_code == 200
        assert client.get("/en/search/", {"q": "Nanhu", "page": "999"}).status_code == 404
        assert client.get("/en/search/", {"q": "Nanhu", "page": "x"}).status_code == 404

    def test_every_page_has_a_search_box(self, client, seed, site_settings, pages):
        for url in ("/en/", "/zh-hans/column/investment-dynamics/", seed.get_absolute_url("en"), "/en/page/about/"):
            assert 'role="search"' in client.get(url).content.decode()

    def test_a_hit_shows_its_article_as_it_is_now(self, client, column):
        """Hits' cards are kept per article (news/pagecache/fragments.py): a changed title, even
        written behind the ORM, and a renamed column show on the next search."""
        article = make_article(column, title_en="Matchmaking fair in Hunchun")
        assert "Matchmaking fair in Hunchun</a>" in client.get("/en/search/", {"q": "matchmaking"}).text
        type(article).objects.filter(pk=article.pk).update(title_en="Matchmaking fair in Yanji")
        column.name_en = "Renamed column"
        column.save()
        page = client.get("/en/search/", {"q": "matchmaking"}).text
        assert "Matchmaking fair in Yanji</a>" in page and "Renamed column · <time" in page

    def test_query_count_is_constant(self, client, column, django_assert_num_queries):
        from tests.factories import make_project, make_zone

        for batch in range(2):
            for i in range(30):
                make_article(column, title_en=f"Matchmaking {batch} {i}")
            for i in range(6):
                make_project(title_en=f"Matchmaking project {batch} {i}")
                make_zone(name_en=f"Matchmaking zone {batch} {i}")
            client.get("/en/search/", {"q": "nothing"})  # the chrome and the schedule, read once per edit
            # The years (1), the articles (4: matches, public gate, the excerpts with what the cards
            # show, the articles of the cards not kept yet), the projects and zones (4: matching
            # rows, zones, projects, texts); 30 results or 60, 12 records or 24.
            with django_assert_num_queries(9):
                response = client.get("/en/search/", {"q": "matchmaking"})
            assert response.status_code == 200 and f"Matchmaking zone {batch} 5" in response.text
            with django_assert_num_queries(8):  # the same hits, their cards kept: no article is built
                again = client.get("/en/search/", {"q": "MATCHMAKING"})  # another address: not a page-cache hit
            assert again.text.replace("MATCHMAKING", "matchmaking") == response.text


def test_highlight_escapes_and_marks():
    snippet = search.highlight("Investors <b>invest</b> in investment.", ["invest"])
    assert snippet == "<mark>Investors</mark> &lt;b&gt;<mark>invest</mark>&lt;/b&gt; in <mark>investment</mark>."


def test_the_admin_search_uses_the_engine_and_finds_drafts(admin_client, column):
    draft = make_article(
        column,
        languages=("zh-hans",),
        status=Article.Status.DRAFT,
        title_zh_hans="草稿",
        body_zh_hans="<p>推进招商引资。</p>",
    )
    make_article(column, title_zh_hans="别的", body_zh_hans="<p>无关内容</p>")
    page = admin_client.get("/admin/news/article/", {"q": "招商"}).content.decode()
    assert f"/admin/news/article/{draft.pk}/change/" in page
    assert "别的" not in page
    assert (
        f"/admin/news/article/{draft.pk}/change/"
        in admin_client.get("/admin/news/article/", {"q": str(draft.pk)}).content.decode()
    )


def test_a_very_common_word_ranks_only_the_newest_matches(client, column, monkeypatch):
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    now = timezone.now()
    # Written in the order they were published, as a newsroom does.
    articles = [
        make_article(column, title_en=f"Jilin news {i}", publish_at=now - timedelta(days=5 - i)) for i in range(5)
    ]
    results = search.search("Jilin", "en")
    assert results.capped and results.count() == 3
    assert [hit.article for hit in results[0:3]] == articles[:1:-1]
    page = client.get("/en/search/", {"q": "Jilin"}).content.decode()
    assert "only the newest matches were ranked" in page
    assert not search.search("Jilin news 4", "en").capped


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("新能源汽车 零部件", ["新能源", "汽车", "零部件"]),
        ("吉林 吉林", ["吉林"]),
        ("Investment in Jilin", ["investment", "in", "jilin"]),
    ],
)
def test_query_terms_drop_repeats_and_contained_chinese_words(text, terms):
    assert search.Query.parse(text).terms == terms


def test_sqlite_has_planner_statistics_after_loading_articles():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL's autovacuum analyzes by itself")
    call_command("load_demo", stdout=__import__("io").StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'news_article'")
        assert cursor.fetchone()[0] > 0


def snippet(query, language):
    results = search.search(query, language)
    return str(results[0:1][0].snippet)


class TestWhatChineseReadersType:
    """NFKC and traditional characters on both sides, blocks and cells apart, entities decoded once."""

    @pytest.fixture
    def full_width(self, column):
        return make_article(
            column,
            title_zh_hans="通信建设",
            body_zh_hans="<p>全省新建５Ｇ基站１２００个，投资２．５亿元。</p>",
            title_en="Telecoms",
            body_en="<p>The province built １２００ ５Ｇ base stations.</p>",
        )

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    @pytest.mark.parametrize("query", ["5G", "1200", "５Ｇ", "１２００"])
    def test_full_width_figures_are_found_by_ascii_and_back(self, full_width, language, query):
        assert found(query, language) == [full_width]

    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_the_full_width_text_is_marked_as_written(self, full_width, language):
        assert "<mark>１２００</mark>" in snippet("1200", language)

    @pytest.mark.parametrize(
        ("query", "text"), [("長春", "长春"), ("長春新區", "长春新区"), ("經濟開發區", "经济开发区")]
    )
    def test_traditional_characters_find_simplified_text(self, column, query, text):
        article = make_article(
            column, languages=("zh-hans",), title_zh_hans="新闻", body_zh_hans=f"<p>{text}举行签约仪式。</p>"
        )
        assert found(query, "zh-hans") == [article]
        assert f"<mark>{text[:2]}</mark>" in snippet(query, "zh-hans")

    def test_table_cells_are_apart(self, column):
        body = "<table><tr><td>24</td><td>408.78</td></tr><tr><td>项目</td><td>亿元</td></tr></table>"
        make_article(column, title_zh_hans="签约项目", body_zh_hans=body, title_en="Projects", body_en=body)
        for language in ("zh-hans", "en"):
            assert found("24408.78", language) == []
            assert len(found("408.78", language)) == 1
            assert "24 <mark>408.78</mark> 项目" in snippet("408.78", language)

    @pytest.mark.parametrize(
        ("text", "query", "marked"),
        [
            ("2021中国500强企业在长春签约", "2021", "<mark>2021</mark>中国500强企业"),
            ("入选2021中国500强企业", "2021", "入选<mark>2021</mark>中国"),
            ("共有500强企业12000家和1200家", "1200", "12000家和<mark>1200</mark>家"),
        ],
    )
    def test_only_the_matched_term_is_marked(self, column, text, query, marked):
        make_article(column, languages=("zh-hans",), title_zh_hans="新闻", body_zh_hans=f"<p>{text}</p>")
        assert marked in snippet(query, "zh-hans")

    def test_english_words_still_take_their_endings(self, column):
        make_article(column, languages=("en",), title_en="News", body_en="<p>Investments in 2021Q3 grew.</p>")
        assert "<mark>Investments</mark>" in snippet("invest", "en")


class TestEscapedOnce:
    @pytest.mark.parametrize("language", ["zh-hans", "en"])
    def test_an_entity_is_shown_once_escaped_and_indexed_decoded(self, client, column, language):
        make_article(
            column,
            title_zh_hans="研发中心",
            body_zh_hans="<p>新建R&amp;D中心 &lt;一期&gt;</p>",
            title_en="Research",
            body_en="<p>A new R&amp;D centre &lt;phase one&gt;</p>",
        )
        assert found("amp", language) == [] and found("lt", language) == []
        page = client.get(f"/{language}/search/?q=R%26D").content.decode()
        assert "R&amp;D" in page and "&amp;amp;" not in page and "&amp;lt;" not in page
        assert "&lt;" in page
