"""Full-text search: one module, two backends chosen by the database vendor.

Every article has one ``SearchDocument`` per language it is written in, holding its
title and text *segmented* into words (Chinese with rjieba in search mode, so that
吉林 finds 吉林省 and 招商 finds 招商引资) and the plain text used for snippets.

- SQLite: an FTS5 table over those documents (external content, kept in sync by
  triggers), tokenizer ``porter unicode61`` so English is stemmed; ranked by bm25.
- PostgreSQL: a generated ``tsvector`` column (``english`` configuration for English,
  ``simple`` for Chinese, which is already segmented) with a GIN index; ranked by
  ``ts_rank``.

A policy document's number (发文字号) is indexed with its title: the issuer's prefix as words
and the year and serial as one word (``news.policies.numbers.number_token``), so that
``吉政发〔2025〕7号`` typed any usual way (``吉政发2025 7``, ``吉政发[2025]7号``, ``2025年7号``)
finds it; such a query ranks the documents with that number first (``Query.number_terms``).

The structures are created by migration 0003. Queries never interpolate user input
into SQL or into the FTS5 query language: every word is quoted as a literal. The
engine ranks at most ``RANK_WINDOW`` matches, newest first (see SearchResults); the
survivors then pass ``Article.objects.published()``, the one gate for "public".
"""

import bisect
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
import rjieba
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .i18n import all_columns_of, language_codes, localized
from .models import Article, SearchDocument
from .policies.numbers import index_parts, number_token, typed_document_number
from .text import plain_text

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100
MAX_TERMS = 12
SNIPPET_LENGTH = 160
PLAIN_TEXT_LENGTH = 4000
# Title matches rank above body matches: bm25 weights (SQLite); weight classes A and D (PostgreSQL).
TITLE_WEIGHT, BODY_WEIGHT = 100.0, 1.0
# Added to the score of a document whose number the query reads as: above any word match.
NUMBER_BONUS = 1e9
# How many matching documents, newest first, are ranked for one query (see SearchResults).
RANK_WINDOW = 500

_WORD = re.compile(r"\w", re.UNICODE)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LATIN_WORD = re.compile(r"^[a-z0-9]+$")
_SUFFIXES = ("ments", "ment", "ings", "ing", "ions", "ion", "ers", "er", "ies", "es", "ed", "s")


@lru_cache(maxsize=1)
def _to_simplified():
    # OpenCC's own table (its "t2s" configuration), not a hand-made one: characters and phrases.
    return opencc.OpenCC("t2s")


def normalize(text):
    """``text`` as both sides of a search see it: NFKC (full-width ``５Ｇ`` is ``5G``, as
    government documents write figures) and traditional characters as simplified (長春 is
    长春, for readers in Hong Kong and Taiwan). The length of the text may change."""
    return _to_simplified().convert(unicodedata.normalize("NFKC", text or ""))


def segment(text):
    """Words of ``normalize(text)`` in search mode, lower-cased, punctuation and spaces dropped."""
    return [word.lower() for word in rjieba.cut_for_search(normalize(text)) if _WORD.search(word)]


def number_words(article):
    """The index words of a policy document's number: ``[*prefix words, "docno2025n7"]``, or
    ``[]`` for an article without one (one query unless the metadata is loaded or known absent)."""
    try:
        number = article.document.document_number
    except ObjectDoesNotExist:
        return []
    parts = index_parts(number)
    if parts is None:
        return []
    prefix, token = parts
    return [*segment(prefix), token]


def document_values(article, language):
    """The index row for ``article`` in ``language``, or None when it is not written in it."""
    if not article.is_available_in(language):
        return None
    title = getattr(article, localized("title", language)) or ""
    summary = getattr(article, localized("summary", language)) or ""
    body = plain_text(getattr(article, localized("body", language)))
    return {
        "title": " ".join([*segment(title), *number_words(article)]),
        "body": " ".join(segment(f"{summary} {body}")),
        "text": (f"{summary} {body}" if summary and summary not in body else body)[:PLAIN_TEXT_LENGTH],
    }


def index_article(article):
    """Bring the article's search documents up to date (one per language it is written in)."""
    with transaction.atomic():
        existing = {doc.language: doc for doc in SearchDocument.objects.filter(article=article)}
        for language in language_codes():
            values = document_values(article, language)
            document = existing.get(language)
            if values is None:
                if document:
                    document.delete()
            elif document is None:
                SearchDocument.objects.create(article=article, language=language, **values)
            elif any(getattr(document, key) != value for key, value in values.items()):
                SearchDocument.objects.filter(pk=document.pk).update(**values)


def rebuild(batch_size=500, stream=None):
    """Re-index every article. Prints a progress bar to ``stream`` when given."""
    total = Article.objects.count()
    done = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        queryset = Article.objects.select_related("document").order_by("pk")
        last_pk = 0
        while True:
            batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
            if not batch:
                break
            documents = [
                SearchDocument(article=article, language=language, **values)
                for article in batch
                for language in language_codes()
                if (values := document_values(article, language)) is not None
            ]
            SearchDocument.objects.bulk_create(documents)
            last_pk = batch[-1].pk
            done += len(batch)
            if stream:
                _progress(stream, done, total)
    if stream:
        stream.write("\n")
    return done


def _progress(stream, done, total, width=40):
    filled = width * done // total if total else width
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    stream.flush()


@dataclass
class Query:
    """A reader's search input made safe: cut to length, NUL bytes removed, split into words.
    ``number_terms``: when the input reads as a document number, the index words of that number
    (its prefix's words and ``number_token``), else ``[]``."""

    text: str
    terms: list
    truncated: bool
    number_terms: list = ()

    @classmethod
    def parse(cls, raw):
        raw = (raw or "").replace("\x00", "")
        truncated = len(raw) > MAX_QUERY_LENGTH
        text = " ".join(raw[:MAX_QUERY_LENGTH].split())
        number = typed_document_number(text)
        number_terms = [*segment(number[0]), number_token(number[1], number[2])] if number else []
        return cls(
            text=text, terms=_distinct_terms(segment(text))[:MAX_TERMS], truncated=truncated, number_terms=number_terms
        )


def _distinct_terms(words):
    """Words in order without repeats, and without a Chinese word that a longer one contains.

    Search mode cuts 新能源 into 能源 and 新能源; a document holding the longer word was
    indexed with its parts too, so requiring the part as well changes nothing but cost.
    """
    unique = list(dict.fromkeys(words))
    return [
        word
        for word in unique
        if _LATIN_WORD.match(word) or not any(word != other and word in other for other in unique)
    ]


# What a hit's card shows (includes/search_hit_card.html), read with its text: the address, the
# title and the column's name in every language (the card shows the page's), and the date.
HIT_CARD_FIELDS = (
    "article__slug",
    *all_columns_of("article__title"),
    *all_columns_of("article__column__name"),
    "article__publish_at",
)


class Hit:
    """One found article: ``pk``, ``snippet`` (its excerpt, escaped, matches marked), ``shown``
    (its ``HIT_CARD_FIELDS`` values, read with the excerpt), ``page`` (the ``HitPage`` of its
    page) and ``article``, built on first use with those of the other hits of its page (one
    query). ``card``: its link and line of facts, set by the search page."""

    __slots__ = ("pk", "snippet", "shown", "page", "card")

    def __init__(self, pk, snippet, shown, page):
        self.pk, self.snippet, self.shown, self.page = pk, snippet, shown, page
        self.card = ""

    @property
    def article(self):
        return self.page.articles()[self.pk]


class HitPage:
    """The articles of one page of hits, read when first asked for: ``articles(pks)`` reads those
    of ``pks`` not asked for yet in one query (the cards not kept: none, or the one an edit
    changed), ``articles()`` every hit's (a loop over ``hit.article`` makes one query)."""

    def __init__(self, pks):
        self.pks, self.asked, self.found = pks, set(), {}

    def articles(self, pks=None):
        """``{pk: article}`` for ``pks`` (default: every hit of the page) that still exist."""
        pks = self.pks if pks is None else pks
        missing = [pk for pk in pks if pk not in self.asked]
        if missing:
            self.asked.update(missing)
            self.found.update(Article.objects.for_listing().in_bulk(missing))
        return {pk: self.found[pk] for pk in pks if pk in self.found}


class SearchBackend:
    """Finds the best-ranked documents in one language: ``[(article_id, score)]``, higher first."""

    def matches(self, query, language, window):
        raise NotImplementedError

    @staticmethod
    def fetch(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


class SQLiteBackend(SearchBackend):
    def matches(self, query, language, window):
        match = " ".join('"{}"'.format(term.replace('"', '""')) for term in query.terms)
        # FTS5 walks its index newest document first (CROSS JOIN keeps it the outer loop)
        # and stops after ``window`` matches in the language; bm25 is lower for better
        # matches, so it is negated into a score.
        return self.fetch(
            f"""SELECT d.article_id, -bm25(news_search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})
                FROM news_search_fts CROSS JOIN news_searchdocument d ON d.id = news_search_fts.rowid
                WHERE news_search_fts MATCH %s AND d.language = %s
                ORDER BY news_search_fts.rowid DESC LIMIT %s""",  # noqa: S608
            [match, language, window],
        )


class PostgreSQLBackend(SearchBackend):
    def matches(self, query, language, window):
        config = "english" if language == "en" else "simple"
        words = " ".join(query.terms)
        return self.fetch(
            f"""SELECT w.article_id, ts_rank(w.vector, plainto_tsquery('{config}', %s), 1)
                FROM (SELECT article_id, vector FROM news_searchdocument
                      WHERE language = %s AND vector @@ plainto_tsquery('{config}', %s)
                      ORDER BY id DESC LIMIT %s) w""",  # noqa: S608 - config is ours; words are parameters
            [words, language, words, window],
        )


def backend():
    return PostgreSQLBackend() if connection.vendor == "postgresql" else SQLiteBackend()


class SearchResults:
    """Ranked hits for Django's Paginator: ``count()`` and slices of ``Hit``.

    The engine ranks at most ``RANK_WINDOW`` matching documents, the most recently
    indexed first (in a newsroom, the newest articles), so a word found in nearly every
    article costs about the same as a rare one. When the
    window is full, ``capped`` is true and the page says so.
    """

    def __init__(self, query, language, candidates):
        self.query = query
        self.language = language
        self.capped = False
        self.ranked = []
        if not query.terms:
            return
        scores = dict(backend().matches(query, language, RANK_WINDOW))
        self.capped = len(scores) >= RANK_WINDOW
        if query.number_terms:
            # A document number: the documents bearing it come first, then the other matches.
            numbered = Query(text=query.text, terms=list(query.number_terms), truncated=False)
            for pk, score in backend().matches(numbered, language, RANK_WINDOW):
                scores[pk] = NUMBER_BONUS + score
        # The one gate: whatever the index says, only public articles come out.
        # Newest first from the database (no date to read per row), then by score: the sort is stable.
        rows = candidates.filter(pk__in=list(scores)).order_by("-publish_at", "-pk").values_list("pk", flat=True)
        self.ranked = sorted(rows, key=lambda pk: -scores[pk])

    def count(self):
        return len(self.ranked)

    def __len__(self):
        return self.count()

    def ids(self):
        return list(self.ranked)

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("SearchResults supports slices only")
        ids = self.ranked[item]
        if not ids:
            return []
        # The excerpts and what the cards show, in one query; the articles only if a card must be rendered.
        rows = {
            pk: (text, shown)
            for pk, text, *shown in SearchDocument.objects.filter(
                article_id__in=ids, language=self.language
            ).values_list("article_id", "text", *HIT_CARD_FIELDS)
        }
        page = HitPage([pk for pk in ids if pk in rows])
        return [Hit(pk, highlight(rows[pk][0], self.query.terms), tuple(rows[pk][1]), page) for pk in page.pks]


def search(raw_query, language, articles=None):
    """Published articles in ``language`` matching ``raw_query``, best first.

    ``articles`` narrows the candidates (a column, a year); they always go through
    ``published()`` here, so drafts, scheduled and withdrawn articles are never found.
    A document exists only for a language the article is written in, so the language
    is settled by the index.
    """
    candidates = Article.objects.published()
    if articles is not None:
        candidates = candidates.filter(pk__in=articles.values("pk"))
    return SearchResults(Query.parse(raw_query), language, candidates)


def matching_ids(raw_query):
    """Ids of articles matching in any language, whatever their status: the admin's search."""
    query = Query.parse(raw_query)
    ids = set()
    for language in language_codes():
        ids.update(SearchResults(query, language, Article.objects.all()).ids())
    return ids


def _stem(term):
    if _LATIN_WORD.match(term) and len(term) > 4:
        for suffix in _SUFFIXES:
            if term.endswith(suffix) and len(term) - len(suffix) >= 4:
                return term[: -len(suffix)]
    return term


@lru_cache(maxsize=1)
def _nfkc_table():
    """The characters of the Basic Multilingual Plane that NFKC changes, each to its NFKC form (a
    table for ``str.translate``), and a pattern of those it makes longer (``…`` is ``...``)."""
    table = {}
    for code in range(0x10000):
        folded = unicodedata.normalize("NFKC", chr(code))
        if folded != chr(code):
            table[code] = folded
    longer = re.compile("[" + "".join(re.escape(chr(code)) for code, folded in table.items() if len(folded) > 1) + "]")
    return table, longer


def _nfkc_with_origins(text):
    """Each character of ``text`` in NFKC, and for each character of the result the index in
    ``text`` it came from. One ``str.translate`` where the text is in the Basic Multilingual Plane
    (an article is: a character at a time cost more than the rest of a search page)."""
    if not text.isascii() and _ASTRAL.search(text):
        pieces = [unicodedata.normalize("NFKC", char) for char in text]
        return "".join(pieces), [index for index, piece in enumerate(pieces) for _char in piece]
    table, longer = _nfkc_table()
    folded = text.translate(table)
    if len(folded) == len(text):  # no character became longer (none becomes empty)
        return folded, range(len(text))
    origins, position = [], 0
    for match in longer.finditer(text):
        index = match.start()
        origins.extend(range(position, index))
        origins.extend([index] * len(table[ord(text[index])]))
        position = index + 1
    origins.extend(range(position, len(text)))
    return folded, origins


def _normalized_with_positions(text):
    """``normalize(text)`` and, for each of its characters, the index in ``text`` it came from."""
    folded, origins = _nfkc_with_origins(text)
    simplified = _to_simplified().convert(folded)
    if len(simplified) != len(folded):
        simplified = folded  # a phrase changed length: match without the conversion
    return simplified.lower(), origins


def _term_pattern(term):
    stem = _stem(term)
    if not _LATIN_WORD.match(stem):
        return re.escape(stem)
    # A Latin word or a number: not inside a longer one (a Chinese character before it is no
    # obstacle, as in 2021中国500强), and only a stemmed word takes the letters of its endings.
    # The word first, then what stands before it (the same test as a look-behind ahead of it), so
    # that the expression engine looks for the word's letters instead of trying every position.
    suffix = "[a-z]*" if stem.isalpha() else ""
    word = re.escape(stem)
    return rf"{word}(?<![a-z0-9.]{word}){suffix}(?![0-9])"


def highlight(text, terms, length=SNIPPET_LENGTH):
    """An escaped excerpt of ``text`` around the first match, with matches in ``<mark>``.

    Matching is done on ``normalize(text)``, so a full-width ``１２００`` in the text is
    marked for the term ``1200``; what is shown is the text as written, escaped once.
    """
    if not text:
        return ""
    patterns = [_term_pattern(term) for term in sorted(terms, key=len, reverse=True)]
    if not patterns:
        return escape(text[:length])
    pattern = re.compile("|".join(patterns))
    folded, origins = _normalized_with_positions(text)
    spans = [(origins[match.start()], origins[match.end() - 1] + 1) for match in pattern.finditer(folded)]
    start = max(0, (spans[0][0] if spans else 0) - length // 4)
    if start > 0 and not text[start - 1].isspace():
        # Start at a word boundary where the text has spaces (English); Chinese has none.
        space = text.find(" ", start, start + 20)
        if space != -1:
            start = space + 1
    end = start + length
    pieces, position = [], start
    for span_start, span_end in spans[bisect.bisect_left(spans, (start, start)) :]:
        if span_start >= end:
            break
        span_end = min(span_end, end)
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped above.
