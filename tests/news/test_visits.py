import time
import types

import pytest
from django.db import DatabaseError

from news import visits
from news.models import ArticleDailyReads, DailyVisits
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = {"user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"}


def stored_total():
    return sum(DailyVisits.objects.values_list("count", flat=True))


class TestCounting:
    def test_a_page_view_is_counted_once_within_the_window(self, client, site):
        client.get("/en/", headers=BROWSER)
        client.get("/en/", headers=BROWSER)  # a reload
        assert visits.pending_total() == 1
        client.get("/zh-hans/", headers=BROWSER)
        assert visits.pending_total() == 2

    def test_another_visitor_is_counted(self, client, site):
        client.get("/en/", headers=BROWSER)
        client.get("/en/", headers=BROWSER, REMOTE_ADDR="10.0.0.7")
        assert visits.pending_total() == 2

    @pytest.mark.parametrize(
        "agent",
        [
            "",
            "Googlebot/2.1 (+http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0)",
            "curl/8.5.0",
            "python-requests/2.32",
        ],
    )
    def test_bots_are_not_counted(self, client, site, agent):
        client.get("/en/", headers={"user-agent": agent})
        assert visits.pending_total() == 0

    def test_a_user_agent_is_judged_once_then_from_memory_which_is_bounded_and_reset_empties(self, rf, monkeypatch):
        searched = []
        pattern = visits.BOT_USER_AGENT

        class Spy:
            def search(self, text):
                searched.append(text)
                return pattern.search(text)

        monkeypatch.setattr(visits, "BOT_USER_AGENT", Spy())
        visits.reset()
        bot, browser = rf.get("/", headers={"user-agent": "Googlebot/2.1"}), rf.get("/", headers=BROWSER)
        answers = [visits.is_bot(bot), visits.is_bot(browser), visits.is_bot(bot), visits.is_bot(browser)]
        assert answers == [True, False, True, False]
        assert searched == ["Googlebot/2.1", BROWSER["user-agent"]]  # the repeats came from memory
        assert visits.is_bot(rf.get("/")) is True  # no user agent: a bot
        assert visits._is_bot_user_agent.cache_info().maxsize == visits.BOT_MEMO_SIZE == 4096
        for n in range(visits.BOT_MEMO_SIZE + 10):
            visits._is_bot_user_agent(f"agent {n}")
        assert visits._is_bot_user_agent.cache_info().currsize == visits.BOT_MEMO_SIZE  # bounded
        visits.reset()
        assert visits._is_bot_user_agent.cache_info().currsize == 0
        searched.clear()
        assert visits.is_bot(bot) is True and searched == ["Googlebot/2.1"]  # judged afresh after reset()

    def test_errors_redirects_and_the_admin_are_not_counted(self, client, site):
        client.get("/en/no-such-page/", headers=BROWSER)
        client.get("/", headers=BROWSER)
        client.get("/admin/login/", headers=BROWSER)
        assert visits.pending_total() == 0

    def test_no_database_write_on_the_page_view(self, client, site, django_assert_max_num_queries, settings):
        settings.PORTAL_VISIT_FLUSH_SECONDS = 3600
        article = make_article(site)
        client.get("/en/", headers=BROWSER)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(article.get_absolute_url("en"), headers=BROWSER)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        assert writes == []
        assert visits.pending_total() == 2


class TestDeduplication:
    def test_nothing_is_written_to_the_shared_cache(self, client, site, monkeypatch):
        from django.core.cache import cache

        writes = []
        for name in ("set", "add", "set_many", "incr"):
            original = getattr(cache, name)
            monkeypatch.setattr(
                cache, name, lambda *a, _o=original, _n=name, **k: writes.append((_n, a[0])) or _o(*a, **k)
            )
        client.get("/en/page/about/", headers=BROWSER, REMOTE_ADDR="10.0.1.1")
        writes.clear()  # the first view renders and stores the page (and the total it shows)
        for number in range(2, 7):
            client.get("/en/page/about/", headers=BROWSER, REMOTE_ADDR=f"10.0.1.{number}")
        assert visits.pending_total() == 6
        assert writes == []  # a new reader costs no write: no key per visitor

    def test_a_rotating_user_agent_is_one_reader(self, client, site):
        for number in range(5):
            client.get("/en/", headers={"user-agent": f"Mozilla/5.0 Chrome/130.{number} Safari/537.36"})
        assert visits.pending_total() == 1

    def test_the_reader_address_behind_our_proxy_is_the_forwarded_one(self, client, site, settings):
        settings.PORTAL_BEHIND_PROXY = True
        for number in range(3):
            client.get("/en/", headers={**BROWSER, "x-forwarded-for": f"203.0.113.{number}"})
        assert visits.pending_total() == 3

    def test_memory_is_bounded_and_a_pushed_out_pair_counts_again(self, client, site, settings):
        settings.PORTAL_VISIT_DEDUP_ENTRIES = 3
        for number in range(7):
            client.get("/en/", headers=BROWSER, REMOTE_ADDR=f"10.0.2.{number}")
        recent = visits._recent
        assert len(recent.current) <= 3 and len(recent.previous) <= 3
        assert visits.pending_total() == 7
        client.get("/en/", headers=BROWSER, REMOTE_ADDR="10.0.2.0")  # two generations ago: forgotten
        client.get("/en/", headers=BROWSER, REMOTE_ADDR="10.0.2.6")  # current generation: a repeat
        assert visits.pending_total() == 8

    def test_the_window_ends(self, client, site, settings, monkeypatch):
        settings.PORTAL_VISIT_DEDUP_SECONDS = 60
        client.get("/en/", headers=BROWSER)
        clock = visits.time.monotonic() + 61
        monkeypatch.setattr(visits.time, "monotonic", lambda: clock)
        client.get("/en/", headers=BROWSER)  # the previous generation: still a repeat
        assert visits.pending_total() == 1
        clock += 61
        client.get("/en/", headers=BROWSER)
        assert visits.pending_total() == 2


class TestFlushing:
    def test_flush_adds_to_the_stored_count(self, client, site):
        DailyVisits.objects.create(day=visits.timezone.localdate(), count=40)
        client.get("/en/", headers=BROWSER)
        client.get("/zh-hans/", headers=BROWSER)
        assert visits.flush(force=True) == 2
        assert stored_total() == 42
        assert visits.pending_total() == 0

    def test_flush_waits_for_the_interval(self, client, site, settings):
        settings.PORTAL_VISIT_FLUSH_SECONDS = 3600
        visits.flush(force=True)
        client.get("/en/", headers=BROWSER)
        assert visits.flush() == 0
        assert visits.pending_total() == 1

    def test_flush_after_the_response_when_due(self, client, site, settings):
        settings.PORTAL_VISIT_FLUSH_SECONDS = 0
        client.get("/en/", headers=BROWSER)
        assert stored_total() == 1  # written by the request_finished handler, after the response

    def test_a_failed_write_keeps_the_visits(self, client, site, monkeypatch):
        client.get("/en/", headers=BROWSER)

        def fail(batch):
            raise DatabaseError("database is away")

        monkeypatch.setattr(visits, "_write", fail)
        assert visits.flush(force=True) == 0
        assert visits.pending_total() == 1

    def test_exit_writes_what_is_pending(self, client, site, settings):
        settings.PORTAL_VISIT_FLUSH_SECONDS = 3600
        client.get("/en/", headers=BROWSER)
        visits.flush_at_exit()
        assert stored_total() == 1


class RecordingCache:
    """The shared cache as ``news.visits`` sees it, with the keys it reads."""

    def __init__(self, cache):
        self.cache, self.reads = cache, []

    def get(self, key, *args):
        self.reads.append(key)
        return self.cache.get(key, *args)

    def __getattr__(self, name):
        return getattr(self.cache, name)


class TestStoredFigures:
    """The stored part of the total and of an article's reads: read from the shared cache at most
    once every ``STORED_MEMO_SECONDS`` in a process, and never behind this process's own flush."""

    @pytest.fixture
    def clock(self, monkeypatch):
        """``news.visits``'s monotonic clock, moved by adding to ``clock.now``."""
        clock = types.SimpleNamespace(now=time.monotonic())
        clock.monotonic = lambda: clock.now
        monkeypatch.setattr(visits, "time", clock)
        return clock

    @pytest.fixture
    def shared(self, monkeypatch):
        recording = RecordingCache(visits.cache)
        monkeypatch.setattr(visits, "cache", recording)
        return recording

    @pytest.fixture(params=["total", "reads"])
    def figure(self, request, site):
        """(the figure now, set the stored counts to n, its key in the shared cache)."""
        if request.param == "total":
            return (
                visits.site_total,
                lambda n: DailyVisits.objects.update_or_create(day="2026-01-01", defaults={"count": n}),
                visits.TOTAL_CACHE_KEY,
            )
        article = make_article(site)
        return (
            lambda: visits.article_reads(article.pk),
            lambda n: ArticleDailyReads.objects.update_or_create(
                article=article, day="2026-01-01", defaults={"count": n}
            ),
            visits._reads_key(article.pk),
        )

    def test_read_from_the_shared_cache_at_most_once_a_memo_period(self, clock, shared, figure):
        now, store, key = figure
        store(1000)
        assert now() == 1000
        store(2000)
        visits.cache.delete(key)  # as a flush in another process does
        clock.now += visits.STORED_MEMO_SECONDS - 0.01
        assert now() == 1000
        assert shared.reads.count(key) == 1
        clock.now += 0.02
        assert now() == 2000
        assert shared.reads.count(key) == 2

    def test_this_process_flush_never_hides_its_own_visits(self, client, site):
        DailyVisits.objects.create(day="2026-01-01", count=40)
        article = make_article(site)
        client.get(article.get_absolute_url("en"), headers=BROWSER)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (41, 1)
        assert visits.flush(force=True) == 1
        assert visits.pending_total() == 0
        assert (visits.site_total(), visits.article_reads(article.pk)) == (41, 1)

    def test_a_figure_read_while_this_process_flushes_is_not_remembered(self, client, site, shared, monkeypatch):
        """Another thread's flush between reading the shared cache and remembering what it read:
        the figure from before the flush is not kept, or the visits flushed would vanish for a second."""
        DailyVisits.objects.create(day="2026-01-01", count=40)
        article = make_article(site)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (40, 0)  # now in the shared cache
        client.get(article.get_absolute_url("en"), headers=BROWSER)
        visits.forget_stored_figures()  # the page remembered them; the next request reads them again
        read = RecordingCache.get

        def get_then_flush(cache, key, *args):
            stored = read(cache, key, *args)
            visits.flush(force=True)  # as another thread serving this process's next request does
            return stored

        assert visits.pending_total() == 1
        monkeypatch.setattr(RecordingCache, "get", get_then_flush)
        visits.site_total(), visits.article_reads(article.pk)  # the flush's moment: may show the old figure
        monkeypatch.setattr(RecordingCache, "get", read)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (41, 1)

    def test_a_page_answered_while_this_process_flushes_still_counts_what_it_writes(self, client, site, monkeypatch):
        DailyVisits.objects.create(day="2026-01-01", count=40)
        article = make_article(site)
        client.get(article.get_absolute_url("en"), headers=BROWSER)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (41, 1)
        seen = []
        write, delete_many = visits._write, visits.cache.delete_many

        def writing(batch):  # a page answered before, then after the counts are in the database
            seen.append((visits.site_total(), visits.article_reads(article.pk)))
            write(batch)
            seen.append((visits.site_total(), visits.article_reads(article.pk)))

        def forgetting(keys):  # and while the shared cache forgets the figures from before
            seen.append((visits.site_total(), visits.article_reads(article.pk)))
            delete_many(keys)

        monkeypatch.setattr(visits, "_write", writing)
        monkeypatch.setattr(visits.cache, "delete_many", forgetting)
        assert visits.flush(force=True) == 1
        assert seen == [(41, 1)] * 3
        assert (visits.site_total(), visits.article_reads(article.pk), visits.pending_total()) == (41, 1, 0)
        assert not visits._flushing

    def test_a_failed_flush_keeps_its_visits_pending_once(self, client, site, monkeypatch):
        DailyVisits.objects.create(day="2026-01-01", count=40)
        client.get("/en/", headers=BROWSER)

        def fail(batch):
            raise DatabaseError("database is away")

        monkeypatch.setattr(visits, "_write", fail)
        assert visits.flush(force=True) == 0
        assert (visits.site_total(), visits.pending_total()) == (41, 1)
        assert not visits._flushing

    def test_a_figure_the_database_cannot_give_is_none_and_not_remembered(self, site, monkeypatch):
        article = make_article(site)

        def fail(*args, **kwargs):
            raise DatabaseError("database is away")

        monkeypatch.setattr(DailyVisits.objects, "aggregate", fail)
        monkeypatch.setattr(ArticleDailyReads.objects, "filter", fail)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (None, None)
        monkeypatch.undo()
        DailyVisits.objects.create(day="2026-01-01", count=7)
        assert (visits.site_total(), visits.article_reads(article.pk)) == (7, 0)

    def test_memory_is_bounded(self, site, monkeypatch):
        monkeypatch.setattr(visits, "STORED_MEMO_SIZE", 3)
        for article in [make_article(site) for _ in range(7)]:
            assert visits.article_reads(article.pk) == 0
            assert len(visits._stored) <= 3


def test_the_footer_total_includes_stored_and_pending_visits(client, site):
    DailyVisits.objects.create(day="2026-01-01", count=1234)
    page = client.get("/en/", headers=BROWSER).content.decode()
    assert '<span class="total-visits">1,234</span>' in page
    page = client.get("/en/page/about/", headers=BROWSER).content.decode()
    assert '<span class="total-visits">1,235</span>' in page


class TestTheDay:
    """The day a counted visit is kept under: ``timezone.localdate()`` of the moment it was counted,
    in the current time zone (the site's, or one a ``timezone.override`` activates)."""

    @pytest.fixture(autouse=True)
    def fresh(self):
        visits.reset()
        yield
        visits.reset()

    def day_counted(self, monkeypatch, rf, moment, address):
        """Count one first visit from ``address`` at ``moment`` (ISO 8601); the day it went under."""
        from datetime import datetime

        monkeypatch.setattr(visits.timezone, "now", lambda: datetime.fromisoformat(moment))
        before = visits._pending.copy()
        assert visits.record_visit(rf.get("/en/", headers=BROWSER, REMOTE_ADDR=address))
        ((day, _article),) = visits._pending - before
        return str(day)

    def test_the_day_changes_at_the_site_midnight_and_time_may_go_back(self, monkeypatch, rf, settings):
        settings.TIME_ZONE = "Asia/Shanghai"
        for number, (moment, day) in enumerate(
            [
                ("2026-03-01T15:59:59.999999+00:00", "2026-03-01"),
                ("2026-03-01T16:00:00+00:00", "2026-03-02"),  # midnight in Shanghai
                ("2026-03-01T15:00:00+00:00", "2026-03-01"),  # a test moves the clock back
                ("2027-01-01T00:00:00+00:00", "2027-01-01"),
                ("2026-03-02T15:59:59+00:00", "2026-03-02"),
            ]
        ):
            assert self.day_counted(monkeypatch, rf, moment, f"10.0.0.{number}") == day, moment

    @pytest.mark.parametrize(
        "zone, moment, day",
        [
            ("Europe/Paris", "2026-03-29T22:30:00+00:00", "2026-03-30"),  # after a 23-hour day
            ("Europe/Paris", "2026-10-25T22:30:00+00:00", "2026-10-25"),  # within a 25-hour day
            ("America/Santiago", "2026-09-06T04:30:00+00:00", "2026-09-06"),  # a day without its midnight
        ],
    )
    def test_days_of_another_length(self, monkeypatch, rf, settings, zone, moment, day):
        from datetime import datetime, timedelta

        settings.TIME_ZONE = zone
        start = datetime.fromisoformat(moment) - timedelta(hours=12)
        self.day_counted(monkeypatch, rf, start.isoformat(), "10.0.0.1")  # the day before, counted first
        assert self.day_counted(monkeypatch, rf, moment, "10.0.0.2") == day

    def test_a_change_of_the_site_time_zone_is_followed(self, monkeypatch, rf, settings):
        settings.TIME_ZONE = "Asia/Shanghai"
        assert self.day_counted(monkeypatch, rf, "2026-03-01T20:00:00+00:00", "10.0.0.1") == "2026-03-02"
        settings.TIME_ZONE = "UTC"
        assert self.day_counted(monkeypatch, rf, "2026-03-01T20:00:00+00:00", "10.0.0.2") == "2026-03-01"

    def test_an_active_time_zone_is_followed(self, monkeypatch, rf, settings):
        from django.utils import timezone

        settings.TIME_ZONE = "Asia/Shanghai"
        assert self.day_counted(monkeypatch, rf, "2026-03-01T20:00:00+00:00", "10.0.0.1") == "2026-03-02"
        with timezone.override("UTC"):
            assert self.day_counted(monkeypatch, rf, "2026-03-01T20:00:00+00:00", "10.0.0.2") == "2026-03-01"
