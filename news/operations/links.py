"""Links in published content, found and checked: ``manage.py check_links``.

Website inspections count broken links against a government site (the 2019 national inspection
rules score "错链、断链"); GOV.UK's publisher keeps a report of broken links per document
(whitehall's ``LinkCheckerApiReport``). Here the links are those of published articles (body in
every language, source address) and of static pages (body in every language):

- ``collect()`` → ``[Item]``, each with its ``Link``s: ``(url, where)``; ``external`` tells whether
  a link leaves the portal. Links inside the portal (relative, or to a host in ``ALLOWED_HOSTS``)
  are not fetched: the tests resolve them (tests/news/operations/test_links.py).
- ``check_url(url, timeout=…, allowed_networks=())`` → ``Result``: HEAD, then GET when the server
  answers 405 or 501; up to ``MAX_REDIRECTS`` redirects, each hop's host resolved and **every**
  address it resolves to checked before connecting, and the connection made to that checked
  address (a second lookup cannot swap in another). Only globally routable addresses are
  reached; loopback, private, link-local (169.254.169.254, the cloud metadata address), shared,
  reserved and multicast ones are refused unless listed in ``allowed_networks`` (the tests'
  local server). A refused hop is reported as broken: readers could not follow it either.
- ``check(urls, timeout=10, workers=8, deadline=600, …)`` → ``{url: Result}``: bounded in
  concurrency (threads) and in time: a request gives up after ``timeout`` seconds without a whole
  answer (its status and headers, however slowly a server sends them: ``_CutOff``), and links
  not done when ``deadline`` seconds have passed are reported as not checked.

A link is broken when it ends in a status of 400 or more, a refused address, an unknown host, a
refused connection or a timeout. Times are in seconds.
"""

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.http.request import validate_host

from ..i18n import language_codes, localized

MAX_REDIRECTS = 5
REDIRECTS = {301, 302, 303, 307, 308}
USER_AGENT = "Mozilla/5.0 (compatible; portal-check-links/1.0)"
# Characters left as they are when a path or query with non-ASCII text is encoded for the request.
URL_SAFE = "/%:@!$&'()*+,;=-._~?#[]"


@dataclass
class Link:
    url: str
    where: str  # "body (zh-hans)", "body (en)", "source address"
    external: bool


@dataclass
class Item:
    kind: str  # "article" or "page"
    pk: int
    title: str
    address: str  # the reader's address of the item, in its first language
    links: list = field(default_factory=list)


@dataclass
class Result:
    url: str
    ok: bool
    status: int | None = None  # the last HTTP status, when there was one
    detail: str = ""  # why it is broken, in words
    final_url: str = ""  # where redirects led
    not_checked: bool = False  # the deadline passed first


class _Anchors(HTMLParser):
    """The ``href`` of every ``<a>`` and the ``src`` of every ``<img>``, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value and value.strip():
                self.found.append(value.strip())


def links_in_html(html):
    """Every link target in a fragment of HTML (``<a href>``, ``<img src>``), in order, repeats kept."""
    parser = _Anchors()
    parser.feed(html or "")
    parser.close()
    return parser.found


def _own_hosts():
    return [host for host in settings.ALLOWED_HOSTS if host != "*"]


def is_external(url):
    """True for an http(s) address on another host; False for relative addresses, fragments, our own
    hosts (``ALLOWED_HOSTS``) and other schemes (mailto:, tel:), which are not fetched."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return False
    return not validate_host(parts.hostname, _own_hosts())


def is_checkable(url):
    """Links worth reporting: http(s) addresses and paths, not ``mailto:``, ``tel:`` or ``#fragment``."""
    parts = urlsplit(url)
    if parts.scheme:
        return parts.scheme.lower() in {"http", "https"}
    return bool(parts.path)


def collect():
    """Published articles and every static page, each with the links it holds (``[Item]``)."""
    from django.utils import translation

    from ..models import Article, Page

    languages = language_codes()
    items = []
    articles = Article.objects.published().order_by("pk")
    for kind, queryset in (("article", articles), ("page", Page.objects.order_by("pk"))):
        for obj in queryset.iterator(chunk_size=200):
            language = next((code for code in languages if getattr(obj, localized("title", code))), languages[0])
            with translation.override(language):
                item = Item(kind, obj.pk, getattr(obj, localized("title", language)), obj.get_absolute_url())
            for code in languages:
                for url in links_in_html(getattr(obj, localized("body", code))):
                    if is_checkable(url):
                        item.links.append(Link(url, f"body ({code})", is_external(url)))
            source = getattr(obj, "source_url", "")
            if source and is_checkable(source):
                item.links.append(Link(source, "source address", is_external(source)))
            if item.links:
                items.append(item)
    return items


# IPv6 ranges that carry an IPv4 address in their last 32 bits, and reach it through a translator or
# tunnel: NAT64's well-known prefix (RFC 6052; a cloud's NAT64 gateway reaches private IPv4 addresses
# too) and the deprecated IPv4-compatible form. Python's is_global calls them global whatever they
# carry, so the IPv4 address inside is what is checked.
_IPV4_IN_LAST_32_BITS = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("::/96"))
# Refused whatever they carry: NAT64 for local use (RFC 8215, any embedding) and the deprecated
# site-local range (a private network by another name; is_global is True for it).
_NEVER = (ipaddress.ip_network("64:ff9b:1::/48"), ipaddress.ip_network("fec0::/10"))


def _inner_ipv4(ip):
    """The IPv4 address an IPv6 address reaches through a translation or tunnel, if any."""
    if ip.sixtofour:  # 2002::/16, the 6to4 tunnel to the IPv4 address in bits 16–48
        return ip.sixtofour
    if ip.teredo:  # 2001::/32: (server, client), the client is where it ends
        return ip.teredo[1]
    if any(ip in network for network in _IPV4_IN_LAST_32_BITS) and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _inner_allowed(ip, allowed_networks):
    inner = _inner_ipv4(ip)
    return inner is None or address_allowed(str(inner), allowed_networks)


def address_allowed(address, allowed_networks=()):
    """Whether a connection may go to ``address`` (an IP address string): globally routable, or in
    one of ``allowed_networks`` (``ipaddress`` networks). An IPv4-mapped IPv6 address is its IPv4
    address; one that carries an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible) must pass
    both as itself and as the IPv4 address it leads to."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in _NEVER) or not _inner_allowed(ip, allowed_networks):
            return False
    if any(ip in network for network in allowed_networks):
        return True
    return ip.is_global and not ip.is_multicast


class _CutOff:
    """Ends a request ``seconds`` after it starts, whatever the server does: the socket's timeout
    bounds each read only, and a server sending a byte every few seconds never lets one time out
    (the command, whose threads Python waits for at exit, would then never end). A ``threading.Timer``
    shuts the connection's socket down, which ends a blocked read; ``done()`` stops it before the
    socket is closed, so the timer never touches a file descriptor that has been reused."""

    def __init__(self, seconds):
        self.lock = threading.Lock()
        self.fired = False
        self.over = False
        self.sock = None
        self.timer = threading.Timer(seconds, self.fire)
        self.timer.daemon = True
        self.timer.start()

    def fire(self):
        with self.lock:
            if self.over:
                return
            self.fired = True
            if self.sock is not None:
                with contextlib.suppress(OSError):  # already closed by the other side
                    self.sock.shutdown(socket.SHUT_RDWR)

    def watch(self, sock):
        """Called with each socket as soon as it exists; refuses one made after the time is up."""
        with self.lock:
            self.sock = sock
            if self.fired:
                raise TimeoutError("cut off")

    def done(self):
        with self.lock:
            self.over = True
            self.timer.cancel()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """A connection to ``host`` made to the address already resolved and checked."""

    def __init__(self, host, port, address, timeout, cut_off):
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.cut_off = cut_off

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.cut_off.watch(self.sock)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout, cut_off):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address
        self.cut_off = cut_off

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
        self.cut_off.watch(self.sock)  # before the handshake, which a slow server can drag out too
        self.sock.do_handshake()


class _Refused(Exception):
    pass


def _resolve(host, port, allowed_networks):
    """The addresses of ``host``, every one of them allowed, or ``_Refused``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _Refused(f"unknown host {host} ({error})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    for address in addresses:
        if not address_allowed(address, allowed_networks):
            raise _Refused(f"{host} leads to a non-public address ({address}); not followed")
    return addresses


def _request(url, method, timeout, allowed_networks):
    """One request, no redirect followed: ``(status, reason, location)``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise _Refused(f"not a web address: {url}")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port or (443 if scheme == "https" else 80)
    except (UnicodeError, ValueError) as error:
        raise _Refused(f"not a valid address: {url} ({error})") from None
    address = _resolve(host, port, allowed_networks)[0]
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    cut_off = _CutOff(timeout)  # the whole request, not only each read, within ``timeout``
    connection = connection_class(host, port, address, timeout, cut_off)
    target = quote(parts.path or "/", safe=URL_SAFE) + (f"?{quote(parts.query, safe=URL_SAFE)}" if parts.query else "")
    try:
        try:
            connection.request(method, target, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            response = connection.getresponse()
        finally:
            cut_off.done()  # from here on the timer never touches the socket
        if cut_off.fired:  # what was read up to the cut (an end of stream) is not the answer
            raise TimeoutError
        # Nothing of a GET's body is read: the status is all the report needs.
        return response.status, response.reason, response.getheader("Location")
    except (OSError, http.client.HTTPException):
        if cut_off.fired:
            raise TimeoutError from None
        raise
    finally:
        connection.close()


def check_url(url, *, timeout=10.0, allowed_networks=()):
    """Follow ``url`` as a reader's browser would, safely; see the module docstring."""
    current = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            status, reason, location = _request(current, "HEAD", timeout, allowed_networks)
            if status in {405, 501}:  # HEAD not allowed here: ask again with GET
                status, reason, location = _request(current, "GET", timeout, allowed_networks)
            if status in REDIRECTS and location:
                current = urljoin(current, location)
                continue
            ok = status < 400
            return Result(url, ok, status, "" if ok else f"{status} {reason}".strip(), current)
        return Result(url, False, status, f"more than {MAX_REDIRECTS} redirects", current)
    except _Refused as refused:
        return Result(url, False, None, str(refused), current)
    except TimeoutError:
        return Result(url, False, None, f"no answer within {timeout:g} s", current)
    except (OSError, http.client.HTTPException) as error:
        return Result(url, False, None, f"{type(error).__name__}: {error}".strip(": "), current)


def check(urls, *, timeout=10.0, workers=8, deadline=600.0, allowed_networks=(), clock=time.monotonic):
    """Check each distinct URL once, ``workers`` at a time, all within ``deadline`` seconds.

    Returns ``{url: Result}``; URLs not finished by the deadline get ``Result(not_checked=True)``
    (not counted as broken: nothing is known about them).
    """
    distinct = list(dict.fromkeys(urls))
    results = {}
    if not distinct:
        return results
    started = clock()
    executor = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="check-links")
    try:
        futures = {
            executor.submit(check_url, url, timeout=timeout, allowed_networks=allowed_networks): url for url in distinct
        }
        done, _pending = wait(futures, timeout=max(0.0, deadline - (clock() - started)))
        for future, url in futures.items():
            if future in done:
                results[url] = future.result()
            else:
                results[url] = Result(url, False, None, f"not checked: the {deadline:g} s deadline passed", "", True)
    finally:
        # Requests still running end on their own timeout; none is started after the deadline.
        executor.shutdown(wait=False, cancel_futures=True)
    return results


def report(items, results):
    """The items with a broken or unchecked external link, as plain data (what ``--json`` prints)."""
    rows = []
    for item in items:
        problems = []
        for link in item.links:
            result = results.get(link.url)
            if link.external and result is not None and not result.ok:
                problems.append({"where": link.where, **asdict(result)})
        if problems:
            rows.append(
                {"kind": item.kind, "id": item.pk, "title": item.title, "address": item.address, "links": problems}
            )
    return rows
