"""Properties and fuzzing (Hypothesis): the sanitizer, the picture checks, the search parser.

The "ci" profile of tests/conftest.py runs a fixed set of examples on every run; a longer
random run is ``HYPOTHESIS_PROFILE=fuzz HYPOTHESIS_MAX_EXAMPLES=20000 make test
PYTEST_ARGS=tests/news/test_properties.py`` (README, "Tests").
"""

import html
import io
import re
import resource
import unicodedata
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image as PILImage

from news import search
from news.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from news.uploads import images
from tests.factories import make_article

# --- The rich-text sanitizer --------------------------------------------------------

TAGS = sorted(ALLOWED_TAGS) + [
    "script", "style", "svg", "math", "iframe", "object", "embed", "form", "input", "button",
    "textarea", "title", "template", "noscript", "xmp", "plaintext", "noembed", "select",
    "option", "base", "meta", "link", "frameset", "body", "html", "head", "image", "video",
    "audio", "source", "details", "mglyph", "malignmark", "annotation-xml", "foreignObject",
    "desc", "use", "animate", "set", "marquee", "isindex", "keygen", "applet",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "title", "alt", "lang", "colspan", "rowspan", "scope", "start", "type",
    "onerror", "onload", "onclick", "onmouseover", "onfocus", "style", "srcset", "action",
    "formaction", "xlink:href", "xmlns", "data", "background", "dynsrc", "lowsrc", "id",
    "class", "autofocus", "target", "rel", "width", "height", "loading", "hreflang",
]  # fmt: skip
URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "java\0script:alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript&colon;alert(1)", "javascript&#58;alert(1)", "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>", "data:image/svg+xml;base64,PHN2Zz4=",
    "https://example.org/a?b=1&c=2", "http://x", "/media/a.jpg", "mailto:a@b.cn", "tel:+86",
    "//evil.example", "#top", "", "\x01javascript:alert(1)", "javascript:/*--></title></style></textarea></script>",
]  # fmt: skip
TEXT_BITS = [
    "&amp;", "&lt;", "&gt;", "&#60;", "&#x3c;", "&#0;", "&", "&nosuchentity;", "&lt;script&gt;",
    "<", ">", "</", "<!--", "-->", "<!-- x -->", "<![CDATA[ x ]]>", "<!doctype html>", "<?xml x?>",
    "\"", "'", "`", "=", "/", "\0", "\ufeff", "吉林", " ", "\n", "<scr<script>ipt>", "<<script>",
    "<a href=javascript:alert(1)>", "<img src=x onerror=alert(1)>", "</p>", "</table>", "<tr>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
]  # fmt: skip


def _quoted(value):
    return st.sampled_from(['"{}"', "'{}'", "{}"]).map(lambda template: template.format(value))


attribute = st.tuples(
    st.sampled_from(ATTRIBUTES).flatmap(lambda name: st.sampled_from([name, name.upper()])),
    st.one_of(st.sampled_from(URLS), st.sampled_from(TEXT_BITS), st.text(max_size=8)).flatmap(_quoted),
).map(lambda pair: f" {pair[0]}={pair[1]}")
opening = st.tuples(
    st.sampled_from(TAGS).flatmap(lambda tag: st.sampled_from([tag, tag.upper(), tag.title()])),
    st.lists(attribute, max_size=3),
    st.sampled_from(["", "/", " /"]),
)
text = st.one_of(st.sampled_from(TEXT_BITS), st.text(max_size=10))


def _element(children):
    def build(parts):
        (tag, attributes, self_closing), inner, close = parts
        closing = {0: f"</{tag}>", 1: "", 2: f"</{tag.upper()} x>", 3: "</"}[close]
        return f"<{tag}{''.join(attributes)}{self_closing}>{''.join(inner)}{closing}"

    return st.tuples(opening, st.lists(children, max_size=4), st.integers(0, 3)).map(build)


fragment = st.recursive(text, _element, max_leaves=12)
html_like = st.lists(fragment, min_size=1, max_size=4).map("".join)


class _Inspector(HTMLParser):
    """Collects what a browser would see in the sanitized output."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"] | {"rel"}
        for name, value in attrs:
            if name not in allowed or name.startswith("on"):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and value:
                # What a browser does to a URL before it reads the scheme.
                squeezed = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
                if scheme and scheme.group(1) not in URL_SCHEMES:
                    self.problems.append(f"{name}={value!r}")


def _problems(cleaned):
    inspector = _Inspector()
    inspector.feed(cleaned)
    inspector.close()
    return inspector.problems


@given(html_like)
@example('<a href="java&#x09;script:alert(1)">x</a>')
@example("<table>\ufeff</table>")  # found by this test: the BOM moved before the table, then dropped
@example("<table><a href=x><td>1</a></table>")
@example("<p><table><tr><td>x</p></table>")
@example("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
def test_the_sanitizer_is_idempotent_and_its_output_safe(markup):
    cleaned = sanitize_html(markup)
    assert sanitize_html(cleaned) == cleaned
    assert _problems(cleaned) == []
    # Text may say "javascript:" or "onclick=" once escaped; markup may not (checked above).
    assert not re.search(r"<\s*(script|style|svg|math|iframe)", cleaned, re.IGNORECASE)


@given(st.text(max_size=200))
def test_the_sanitizer_copes_with_any_text(value):
    cleaned = sanitize_html(value)
    assert sanitize_html(cleaned) == cleaned
    assert _problems(cleaned) == []


# --- The picture checks -------------------------------------------------------------


def _seed(image_format, mode="RGB", size=(24, 16), frames=1, **options):
    buffer = io.BytesIO()
    pictures = [
        PILImage.new(mode, size, color=index * 40 % 256 if mode in ("L", "P") else None) for index in range(frames)
    ]
    if frames > 1:
        options.update(save_all=True, append_images=pictures[1:])
    pictures[0].save(buffer, image_format, **options)
    return buffer.getvalue()


SEEDS = [
    ("png", _seed("PNG")),
    ("png", _seed("PNG", "RGBA")),
    ("png", _seed("PNG", "P")),
    ("png", _seed("PNG", "LA")),
    ("png", _seed("PNG", "I;16")),
    ("png", _seed("PNG", "1")),
    ("png", _seed("PNG", "RGB", frames=3)),  # APNG
    ("jpg", _seed("JPEG")),
    ("jpg", _seed("JPEG", "L")),
    ("jpg", _seed("JPEG", "CMYK")),
    ("jpg", _seed("JPEG", progressive=True)),
    ("gif", _seed("GIF", "P")),
    ("gif", _seed("GIF", "L", frames=4)),
    ("webp", _seed("WEBP")),
    ("webp", _seed("WEBP", "RGBA", lossless=True)),
    ("webp", _seed("WEBP", "RGB", frames=3)),
]


@st.composite
def mutated_picture(draw):
    extension, data = draw(st.sampled_from(SEEDS))
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "big-number", "repeat"]))
        if kind == "flip" and position < len(data):
            data[position] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del data[position : position + draw(st.integers(1, 32))]
        elif kind == "truncate":
            del data[position:]
        elif kind == "big-number":
            # Widths, heights, lengths and counts live in 2- and 4-byte fields.
            data[position : position + 4] = draw(
                st.sampled_from([b"\xff\xff", b"\x7f\xff\xff\xff", b"\xff\xff\xff\xff"])
            )
        elif kind == "repeat" and position < len(data):
            data[position:position] = data[position : position + draw(st.integers(1, 64))]
    name = draw(st.sampled_from([f"x.{extension}", "x.jpg", "x.png", "x.gif", "x.webp"]))
    return name, bytes(data)


@pytest.fixture
def small_limits(settings):
    # Small enough that an accepted picture is cheap, large enough for every seed.
    settings.PORTAL_IMAGE_MAX_PIXELS = 4_000_000
    settings.PORTAL_IMAGE_MAX_BYTES = 256 * 1024
    settings.PORTAL_IMAGE_MAX_FRAMES = 10
    return settings


def _accepts_or_refuses(name, data, limits):
    try:
        result = images.reencode(SimpleUploadedFile(name, data))
    except ValidationError as error:
        assert error.messages and all(error.messages)
        return
    stored = PILImage.open(result)
    assert stored.format in ("JPEG", "PNG")
    assert stored.width * stored.height <= limits.PORTAL_IMAGE_MAX_PIXELS


def _peak_memory_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def bounded_memory():
    before = _peak_memory_mb()
    yield
    # The peak of the whole process: a picture that slipped past the pixel limit would raise it.
    assert _peak_memory_mb() - before < 300


@given(picture=mutated_picture())
# Found by the long run: Pillow's GIF n_frames (used before _gif_frames) raised IndexError on these.
@example(
    picture=(
        "x.gif",
        b'GIF87a\x18\x00\x10\x00\x81\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x18\x00\x10\x00\x00\x08"\x00\x01\x08\x1cH\xb0\xa0\xc1\x83\x08\x13*\\\xc8\xb0\xa1\xc3\x87\x10#J\x9cH\xb1\xa2\xc5\x8b\x183j\xdch0 \x00!',
    )
)
@example(
    picture=(
        "x.gif",
        b'GIF87a\x18\x00\x10\x00\x81\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x18\x00\x10\x00\x00\x08"\x00\x01\x08\x1cH\xb0\xa0\xc1\x83\x08\x13*\\\xc8\xb0\xa1\xc3\x87\x10#J\x9cH\xb1\xa2\xc5\x8b\x183j\xdch0 \x00!\xf9\x04',
    )
)
def test_damaged_pictures_are_accepted_or_refused_never_an_error(picture, small_limits, bounded_memory):
    _accepts_or_refuses(*picture, small_limits)


@given(
    name=st.sampled_from(["x.jpg", "x.png", "x.gif", "x.webp"]),
    data=st.one_of(
        st.binary(max_size=2048),
        # Random bytes behind each format's signature reach its parser, not just the sniffing.
        st.tuples(
            st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a", b"GIF87a", b"RIFF\0\0\0\0WEBPVP8 "]),
            st.binary(max_size=2048),
        ).map(b"".join),
    ),
)
def test_random_bytes_are_refused_never_an_error(name, data, small_limits, bounded_memory):
    _accepts_or_refuses(name, data, small_limits)


# --- The search query parser and search ---------------------------------------------

OPERATORS = [
    '"', "*", "NEAR(", "NEAR/2", "AND", "OR", "NOT", "^", ":", "-", "+", "(", ")", "{", "}",
    "&", "|", "!", "<->", "<2>", ":*", "'", "\\", "%", "_", ";", "--", "/*", "\x00", "\u3000",
    "吉林", "招商引资", "新能源", "investment", "policies", "İ", "ß", "ﬁ", "\u0301", "🚀", "\ufffd",
]  # fmt: skip
query_text = st.lists(st.one_of(st.sampled_from(OPERATORS), st.text(max_size=12)), max_size=30).map(" ".join)


@given(query_text)
@example("\x00" * 500)
@example("吉林" * 200)
@example("a " * 500)
def test_the_query_parser_bounds_whatever_it_is_given(raw):
    query = search.Query.parse(raw)
    assert len(query.text) <= search.MAX_QUERY_LENGTH and "\x00" not in query.text
    assert len(query.terms) <= search.MAX_TERMS
    assert all(term and "\x00" not in term for term in query.terms)
    search.highlight("Jilin 吉林省 investment policies " * 10, query.terms)


@pytest.fixture
def indexed(site):
    make_article(site, title_en="Investment policies in Jilin", title_zh_hans="吉林省招商引资政策")
    make_article(site, title_en="New energy vehicles", title_zh_hans="新能源汽车")


@given(raw=query_text, language=st.sampled_from(["en", "zh-hans"]))
@example(raw='"NEAR( x* ) AND NOT" ^title:吉林 \\', language="en")
@example(raw="!!& | <-> :* '", language="zh-hans")
def test_search_answers_any_query(raw, language, indexed):
    results = search.search(raw, language)
    for hit in results[:10]:
        assert "<script" not in hit.snippet
    assert results.count() <= 2


# --- The name a reader's browser saves an attachment under ---------------------------


@given(title=st.text(max_size=300), extension=st.sampled_from(["pdf", "docx", "zip"]))
@example(title="../../etc/passwd\r\nSet-Cookie: x=1", extension="pdf")
@example(title=" . . ", extension="pdf")
@example(title="report\u202eexe.pdf", extension="pdf")  # right-to-left override: shows as "reportfdp.exe"
def test_download_names_are_always_safe(title, extension):
    from django.http import FileResponse

    from news.uploads.documents import download_name

    name = download_name(title, f"attachments/abc.{extension}")
    assert name.endswith(f".{extension}") and len(name) <= 121 + len(extension)
    assert not re.search(r'[\x00-\x1f\x7f/\\:*?"<>|;]', name)
    assert not name.startswith((".", " "))
    assert not any(unicodedata.category(character) in ("Cf", "Cc", "Zl", "Zp") for character in name)
    disposition = FileResponse(io.BytesIO(b""), as_attachment=True, filename=name)["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\n" not in disposition and "\r" not in disposition
