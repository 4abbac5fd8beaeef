"""``manage.py check_links`` and ``news/operations/links.py`` against a local HTTP server.

The server (http.server in a thread, on 127.0.0.1) answers ok, 404, slowly, 405 to HEAD, and with
redirects, some of them to non-public addresses. Those addresses are never connected to: a spy on
``socket.create_connection`` records every address the checker connects to. Links inside the
portal are not fetched by the command; the last tests resolve every one in the demo content.
"""

import ipaddress
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from news import demo
from news.models import Page
from news.operations import links
from tests.factories import make_article

LOCAL = [ipaddress.ip_network("127.0.0.1/32")]


class Handler(BaseHTTPRequestHandler):
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()
    seen = []

    def log_message(self, *args):
        pass

    def answer(self, with_body):
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most_in_flight = max(cls.most_in_flight, cls.in_flight)
            cls.seen.append((self.command, self.path))
        try:
            port = self.server.server_address[1]
            routes = {
                "/ok": (200, {}),
                "/missing": (404, {}),
                "/to-ok": (301, {"Location": "/ok"}),
                "/to-missing": (302, {"Location": f"http://127.0.0.1:{port}/missing"}),
                "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
                "/to-private": (307, {"Location": "http://10.20.30.40/admin/"}),
                "/to-other-loopback": (302, {"Location": f"http://127.0.0.2:{port}/ok"}),
                "/to-localhost": (302, {"Location": f"http://localhost:{port}/ok"}),
                "/loop": (302, {"Location": "/loop"}),
            }
            path = self.path.split("?")[0]
            if path == "/drip":  # a byte every 0.2 s: no read waits long, the answer takes 4 s
                try:
                    self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                    for _byte in range(20):
                        time.sleep(0.2)
                        self.wfile.write(b"X")
                        self.wfile.flush()
                    self.wfile.write(b": 1\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass  # the checker hung up
                return
            if path == "/slow":
                time.sleep(2)
                status, headers = 200, {}
            elif path == "/busy":
                time.sleep(0.2)
                status, headers = 200, {}
            elif path == "/get-only":
                status, headers = (405, {"Allow": "GET"}) if self.command == "HEAD" else (200, {})
            else:
                status, headers = routes.get(path, (404, {}))
        finally:
            # Counted out before the answer goes: once the client has it, it may send its next
            # request before this thread runs again (it did under CI's load, and counted 3 of 2).
            with cls.lock:
                cls.in_flight -= 1
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if with_body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(False)

    def do_GET(self):
        self.answer(True)


@pytest.fixture
def server():
    Handler.seen, Handler.most_in_flight = [], 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def connections(monkeypatch):
    """Every (address, port) the checker opens a connection to."""
    opened = []
    real = links.socket.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(links.socket, "create_connection", spy)
    return opened


def test_an_answering_link_is_ok_and_a_404_is_broken(server):
    ok = links.check_url(f"{server}/ok", timeout=2, allowed_networks=LOCAL)
    assert (ok.ok, ok.status) == (True, 200)
    missing = links.check_url(f"{server}/missing", timeout=2, allowed_networks=LOCAL)
    assert (missing.ok, missing.status) == (False, 404)
    assert missing.detail == "404 Not Found"
    assert ("HEAD", "/ok") in Handler.seen and ("GET", "/ok") not in Handler.seen


def test_head_refused_with_405_is_asked_again_with_get(server):
    result = links.check_url(f"{server}/get-only", timeout=2, allowed_networks=LOCAL)
    assert (result.ok, result.status) == (True, 200)
    assert Handler.seen == [("HEAD", "/get-only"), ("GET", "/get-only")]


def test_redirects_are_followed_to_their_end(server):
    result = links.check_url(f"{server}/to-ok", timeout=2, allowed_networks=LOCAL)
    assert (result.ok, result.final_url) == (True, f"{server}/ok")
    result = links.check_url(f"{server}/to-missing", timeout=2, allowed_networks=LOCAL)
    assert (result.ok, result.status, result.final_url) == (False, 404, f"{server}/missing")
    result = links.check_url(f"{server}/loop", timeout=2, allowed_networks=LOCAL)
    assert not result.ok and f"more than {links.MAX_REDIRECTS} redirects" in result.detail


def test_a_server_that_does_not_answer_in_time_is_broken(server):
    started = time.monotonic()
    result = links.check_url(f"{server}/slow", timeout=0.5, allowed_networks=LOCAL)
    assert time.monotonic() - started < 1.8
    assert not result.ok and result.detail == "no answer within 0.5 s"


def test_a_server_that_sends_its_answer_a_byte_at_a_time_is_cut_off(server):
    result = links.check_url(f"{server}/drip", timeout=0.5, allowed_networks=LOCAL)
    assert not result.ok and result.detail == "no answer within 0.5 s"


@pytest.mark.parametrize(
    ("path", "refused"),
    [("/to-metadata", "169.254.169.254"), ("/to-private", "10.20.30.40"), ("/to-other-loopback", "127.0.0.2")],
)
def test_a_redirect_to_a_non_public_address_is_refused_before_connecting(server, connections, path, refused):
    """Only the first hop, on the allowed 127.0.0.1, is connected to: the redirect's address is refused
    when it is resolved, before any connection."""
    result = links.check_url(f"{server}{path}", timeout=2, allowed_networks=LOCAL)
    port = int(server.rsplit(":", 1)[1])
    assert connections == [("127.0.0.1", port)]
    assert not result.ok and result.status is None
    assert f"{refused} leads to a non-public address ({refused}); not followed" == result.detail


def test_a_host_that_resolves_to_loopback_is_refused(connections):
    result = links.check_url("http://localhost:9/", timeout=1)
    assert not result.ok and "non-public address" in result.detail
    assert connections == []


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "169.254.169.254", "127.0.0.1", "0.0.0.0", "::1",  # noqa: S104
     "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "224.0.0.1", "ff02::1", "198.18.0.1"],
)  # fmt: skip
def test_non_public_addresses_are_not_allowed(address):
    assert links.address_allowed(address) is False


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 to 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254, the metadata address
        "64:ff9b::a00:1",  # NAT64 to 10.0.0.1
        "64:ff9b:1::a00:1",  # NAT64 for local use
        "2002:7f00:1::1",  # 6to4 through 127.0.0.1
        "2002:c0a8:101::1",  # 6to4 through 192.168.1.1
        "::7f00:1",  # IPv4-compatible 127.0.0.1
        "::a00:1",  # IPv4-compatible 10.0.0.1
        "fec0::1",  # site-local
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo, refused as before whatever its client
        "2001:0:4136:e378:8000:63bf:f7f7:f7f7",  # Teredo to the public 8.8.8.8
    ],
)
def test_ipv6_addresses_that_lead_to_non_public_ipv4_ones_are_not_allowed(address):
    assert links.address_allowed(address) is False


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "localhost.", "LOCALHOST", "[::1]", "[::ffff:7f00:1]", "0"],
)
def test_other_spellings_of_a_loopback_host_are_refused_before_connecting(connections, host):
    """Decimal, hexadecimal, octal and short IPv4 forms, a trailing dot: refused on what they resolve to
    (``localhost.`` resolves to 127.0.0.1 with systemd-resolved, to nothing with plain glibc)."""
    result = links.check_url(f"http://{host}:9/", timeout=1)
    assert not result.ok
    unknown = host == "localhost." and result.detail.startswith("unknown host")
    assert "leads to a non-public address" in result.detail or unknown
    assert connections == []


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "202.96.128.86", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808"]
)
def test_public_addresses_are_allowed(address):
    assert links.address_allowed(address) is True


def test_concurrency_and_the_overall_deadline_are_bounded(server):
    busy = [f"{server}/busy?n={n}" for n in range(6)]
    results = links.check(busy, timeout=2, workers=2, deadline=30, allowed_networks=LOCAL)
    assert all(result.ok for result in results.values()) and len(results) == 6
    assert Handler.most_in_flight <= 2

    slow = [f"{server}/slow?n={n}" for n in range(4)]
    started = time.monotonic()
    results = links.check(slow, timeout=5, workers=1, deadline=0.5, allowed_networks=LOCAL)
    assert time.monotonic() - started < 1.5
    assert [result.not_checked for result in results.values()] == [True] * 4
    assert all(not result.ok for result in results.values())


def test_links_found_in_bodies_and_source_addresses(settings):
    settings.ALLOWED_HOSTS = ["invest.example.gov.cn"]
    html = (
        '<p><a href="https://www.gov.cn/x">a</a> <a href="/zh-hans/page/about/">b</a> <a href="mailto:a@b.cn">c</a>'
        ' <a href="#top">d</a> <img src="https://pic.example.com/p.jpg" alt=""> <a href="https://invest.example.gov.cn/en/">e</a></p>'
    )
    assert links.links_in_html(html) == [
        "https://www.gov.cn/x", "/zh-hans/page/about/", "mailto:a@b.cn", "#top",
        "https://pic.example.com/p.jpg", "https://invest.example.gov.cn/en/",
    ]  # fmt: skip
    assert [url for url in links.links_in_html(html) if links.is_checkable(url)] == [
        "https://www.gov.cn/x", "/zh-hans/page/about/", "https://pic.example.com/p.jpg", "https://invest.example.gov.cn/en/"
    ]  # fmt: skip
    assert [links.is_external(url) for url in ("https://www.gov.cn/x", "/zh-hans/", "https://invest.example.gov.cn/")] == [
        True, False, False,
    ]  # fmt: skip


@pytest.mark.django_db
def test_check_links_reports_broken_links_per_article_and_exits_non_zero(server, site, settings):
    settings.ALLOWED_HOSTS = ["testserver"]  # 127.0.0.1 is the test's outside world here
    broken = make_article(
        column=site,
        body_zh_hans=f'<p><a href="{server}/ok">好</a> <a href="{server}/missing">坏</a></p>',
        body_en=f'<p><a href="{server}/to-metadata">metadata</a></p>',
        source_url=f"{server}/slow",
    )
    fine = make_article(column=site, body_en=f'<p><a href="{server}/to-ok">fine</a></p>')
    make_article(column=site, status="draft", body_en=f'<p><a href="{server}/missing?draft">not published</a></p>')
    Page.objects.filter(slug="about").update(body_en=f'<p><a href="{server}/missing?page">gone</a></p>')
    out = _Output()
    with pytest.raises(CommandError, match="4 broken links") as raised:
        call_command("check_links", "--allow-network", "127.0.0.1", "--timeout", "0.5", "--workers", "3", stdout=out)
    assert raised.value.returncode == 1
    text = out.getvalue()
    assert f"article {broken.pk} “{broken.title_zh_hans}” {broken.get_absolute_url()}" in text
    assert f"  body (zh-hans): {server}/missing: 404 Not Found" in text
    assert f"  body (en): {server}/to-metadata: 169.254.169.254 leads to a non-public address" in text
    assert f"  source address: {server}/slow: no answer within 0.5 s" in text
    assert f"{server}/missing?page: 404 Not Found" in text
    assert f"article {fine.pk} " not in text and "draft" not in text
    assert f"{server}/ok:" not in text
    assert text.rstrip().endswith("6 external links in 3 articles and pages: 4 broken.")

    out = _Output()
    with pytest.raises(CommandError):
        call_command("check_links", "--json", "--allow-network", "127.0.0.1/32", "--timeout", "0.5", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["checked"], report["broken"], report["not_checked"]) == (6, 4, 0)
    by_id = {(row["kind"], row["id"]): row for row in report["items"]}
    assert set(by_id) == {("article", broken.pk), ("page", Page.objects.get(slug="about").pk)}
    problems = {(link["where"], link["url"]): link for link in by_id["article", broken.pk]["links"]}
    assert problems["body (zh-hans)", f"{server}/missing"]["status"] == 404
    assert problems["body (en)", f"{server}/to-metadata"]["final_url"] == "http://169.254.169.254/latest/meta-data/"


@pytest.mark.django_db
def test_check_links_exits_zero_when_every_link_answers(server, site, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    make_article(column=site, body_en=f'<p><a href="{server}/ok">ok</a> <a href="/en/">home</a></p>')
    out = _Output()
    call_command("check_links", "--allow-network", "127.0.0.1", stdout=out)
    assert "1 external links in 1 articles and pages: 0 broken." in out.getvalue()


@pytest.mark.django_db
def test_check_links_without_an_allowance_never_fetches_a_local_server(server, site, connections, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    make_article(column=site, body_en=f'<p><a href="{server}/ok">ok</a></p>')
    with pytest.raises(CommandError):
        call_command("check_links", stdout=_Output())
    assert connections == [] and Handler.seen == []


@pytest.mark.django_db
def test_check_links_refuses_bad_options():
    with pytest.raises(CommandError, match="--allow-network"):
        call_command("check_links", "--allow-network", "not-a-network")
    with pytest.raises(CommandError, match="positive"):
        call_command("check_links", "--timeout", "0")


@pytest.mark.django_db
def test_every_internal_link_in_the_demo_content_resolves(client):
    """The links between the portal's own pages in demo bodies (the accessibility statement's link to
    the enquiry form, …) lead to pages that answer."""
    demo.load()
    internal = {link.url for item in links.collect() for link in item.links if not link.external}
    assert "/en/enquiry/" in internal and "/zh-hans/enquiry/" in internal
    for url in sorted(internal):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


class _Output:
    """A stdout for call_command that keeps what was written."""

    def __init__(self):
        self.parts = []

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass

    def getvalue(self):
        return "".join(self.parts)
