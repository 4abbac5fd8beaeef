"""Document numbers (发文字号) and index numbers (索引号): their one spelling, and reading them
from what people type.

A document number is ``<机关代字>〔<year>〕<serial>号``, such as 吉政发〔2025〕7号: GB/T 9704-2012
(党政机关公文格式) 7.2.4 puts the year, in full, in hexagonal brackets 〔〕, the serial without
第 and without leading zeros ("1 不编为 01"), followed by 号. People and old systems write
[2025], (2025), （2025）, 【2025】, ［2025］, full-width digits and spaces; they are one number.
"""

import re
import unicodedata

# Every bracket seen around the year in document numbers on government sites and in TRS exports.
OPENING = "[(（【〔［〖｛{<《〈﹝⦅⟦「『"
CLOSING = "])）】〕］〗｝}>》〉﹞⦆⟧」』"
NO_NUMBER = "无"

_SPACES = re.compile(r"\s+")
_DOCUMENT_NUMBER = re.compile(
    rf"^(?P<prefix>[^\d{re.escape(OPENING)}]*?)"
    rf"[{re.escape(OPENING)}]?(?P<year>(?:19|20)\d\d)[{re.escape(CLOSING)}]?年?"
    r"第?0*(?P<serial>\d+)号?$"
)
# What a reader types into the library's search box: a prefix (optional), the year, a serial.
_TYPED_NUMBER = re.compile(
    rf"^(?P<prefix>[^\d{re.escape(OPENING)}]*?)\s*[{re.escape(OPENING)}]?\s*(?P<year>(?:19|20)\d\d)\s*"
    rf"[{re.escape(CLOSING)}]?\s*年?\s*第?\s*0*(?P<serial>\d+)\s*号?$"
)


def _narrow(text):
    """Full-width letters and digits as ASCII (NFKC), spaces (also U+3000) removed; brackets
    are left to the patterns (NFKC makes （ and ［ ASCII, which is fine, but not 〔). Normalised
    again after the spaces go, since NFKC writes some marks as a space and a combining mark."""
    text = text or ""
    while True:
        narrow = unicodedata.normalize("NFKC", _SPACES.sub("", unicodedata.normalize("NFKC", text)))
        if narrow == text:
            return narrow
        text = narrow


def normalize_document_number(text):
    """The one spelling of a document number: ``吉政发[2025]7号``, ``吉政发（2025）07号``,
    ``吉政发 〔２０２５〕 第7号`` → ``吉政发〔2025〕7号``.

    ``""`` stays ``""`` and ``无`` ("none", a document without a number) stays ``无``. Text that
    does not look like a document number is returned with its spaces removed and its
    full-width letters and digits made ASCII, otherwise unchanged (an old catalogue's odd
    numbers are kept, not refused).
    """
    narrow = _narrow(text)
    if not narrow or narrow == NO_NUMBER:
        return narrow
    match = _DOCUMENT_NUMBER.match(narrow)
    if not match:
        return narrow
    return f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"


def typed_document_number(query):
    """``(prefix, year, serial)`` when ``query`` reads as a document number however it is typed
    (``吉政发 2025 7``, ``2025年7号``, ``吉政发2025 7``, ``吉政发〔2025〕7号``), else None;
    ``prefix`` may be ``""`` (the reader typed only the year and serial)."""
    match = _TYPED_NUMBER.match(unicodedata.normalize("NFKC", (query or "").strip()))
    if not match:
        return None
    prefix = _SPACES.sub("", match["prefix"])
    if not prefix and not re.search(r"年|号|[\[(（【〔]", query):
        # Two bare numbers ("2025 7") are too vague to be read as a document number.
        return None
    return prefix, int(match["year"]), int(match["serial"])


def number_token(year, serial):
    """The one word the full-text index holds for a document number's year and serial,
    ``docno2025n7``: ASCII letters and digits, so SQLite's FTS5 (unicode61) and PostgreSQL's
    parser (a "numword") each keep it whole, whatever brackets, 年, 第 or 号 were typed."""
    return f"docno{year}n{serial}"


def index_parts(document_number):
    """``(prefix, token)`` of a stored document number for the full-text index, or None when it
    does not read as one (无, an old catalogue's odd number)."""
    match = _DOCUMENT_NUMBER.match(_narrow(document_number))
    if not match or not document_number or document_number == NO_NUMBER:
        return None
    return match["prefix"], number_token(match["year"], int(match["serial"]))


def document_number_suffix(year, serial):
    """The part after the prefix: ``〔2025〕7号``."""
    return f"〔{year}〕{serial}号"


INDEX_NUMBER = re.compile(r"^(?P<org>[0-9A-Z]{6,18})/(?P<year>\d{4})-(?P<serial>\d{5,})$")


def index_number(org_code, year, serial):
    """``{org_code}/{year}-{serial:05d}``, the form of the State Council's catalogue
    (``000014349/2017-00156``)."""
    return f"{org_code}/{year}-{serial:05d}"
