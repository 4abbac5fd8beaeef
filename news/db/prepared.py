"""Querysets whose SQL is built once per process and then run with each request's values.

Building a queryset's SQL (resolving the lookups and joins, rewriting translated field names,
working out the select list) costs about a millisecond; running the result on an index costs
a tenth of that. An uncached article page runs half a dozen such queries, so building them was
most of its time (docs/benchmarks.md). A ``PreparedQuery`` builds its queryset once with
stand-in values, notes where those values landed among the SQL's parameters, and from then on
runs the same SQL with the real values, turning the rows into model instances the way
``QuerySet`` does (``select_related`` included). The SQL is exactly what the ORM wrote, so the
query plans and the query-count tests are unchanged.

The compiled form is kept per database connection and per active language (modeltranslation
rewrites field names for the language). Values that Django writes into the SQL text rather
than as parameters (slice limits) cannot be stand-ins: they stay fixed in ``build``.

**The switch.** This is the one module that uses the ORM's internals (compiler attributes,
``get_related_populators``, the iterable classes: docs/upgrading.md lists them, and
tests/test_django_internals.py touches each). With ``PORTAL_PREPARED_QUERIES`` off, a prepared
query is just ``list(build(**values))``: the plain queryset, the same rows and the same pages.
An upgrade of Django starts with the switch off and the suite green, and turns it back on once
tests/news/db/test_prepared.py passes.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from weakref import WeakKeyDictionary

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.utils import translation

# The first stand-ins of each kind: values no real request sends.
_INT_STAND_IN = -7_319_000_001
_DATETIME_STAND_IN_YEAR = 1001
_STR_STAND_IN = "\x1fprepared-stand-in-"


def _adapt(connection, value):
    """A value as the ORM passes it to the database driver."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: tuple  # per SQL parameter: the name of a value, or None to keep ``constants``' entry
    constants: tuple
    compiler: object
    converters: dict
    init_list: list  # the rest is None for a values_list() query, whose rows are returned as tuples
    model_slice: slice
    populators: list
    annotations: dict


class PreparedQuery:
    """``PreparedQuery(build, pk=int, now=datetime, code=str)`` (``date`` too):
    ``build(pk=..., now=..., code=...)`` returns a queryset; calling the prepared query with real
    values returns its rows as a list of model instances, or of tuples when the queryset is a ``values_list()``."""

    def __init__(self, build, **kinds):
        unknown = {name: kind for name, kind in kinds.items() if kind not in (int, datetime, date, str)}
        if unknown:
            raise ImproperlyConfigured(f"PreparedQuery values must be int, datetime, date or str, not {unknown}")
        self.build, self.kinds = build, kinds

    def __call__(self, **values):
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected the values {sorted(self.kinds)}, got {sorted(values)}")
        if not settings.PORTAL_PREPARED_QUERIES:
            return list(self.build(**values))
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self.compiled(connection)
        adapted = {name: _adapt(connection, value) for name, value in values.items()}
        params = [
            constant if name is None else adapted[name]
            for name, constant in zip(compiled.slots, compiled.constants, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if compiled.converters:
            rows = compiler.apply_converters(rows, compiled.converters)
        if compiled.init_list is None:
            return [tuple(row) for row in rows]
        return [self._instance(compiled, row, connection.alias) for row in rows]

    @staticmethod
    def _instance(compiled, row, alias):
        model = compiled.compiler.klass_info["model"]
        instance = model.from_db(alias, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, instance)
        for name, position in compiled.annotations.items():
            setattr(instance, name, row[position])
        return instance

    def compiled(self, connection):
        # Kept on the connection wrapper: one per thread, so never shared between threads. Weakly:
        # a prepared query made for a while (a page of a list, news/list_queries.py) takes its
        # compiled forms with it when it goes.
        store = connection.__dict__.setdefault("_prepared_queries", WeakKeyDictionary())
        by_language = store.get(self)
        if by_language is None:
            by_language = store[self] = {}
        language = translation.get_language()
        found = by_language.get(language)
        if found is None:
            found = by_language[language] = self._compile(connection)
        return found

    def stand_ins(self):
        values = {}
        for index, (name, kind) in enumerate(sorted(self.kinds.items())):
            if kind is int:
                values[name] = _INT_STAND_IN - index
            elif kind is str:
                values[name] = f"{_STR_STAND_IN}{index}"
            elif kind is date:
                values[name] = date(_DATETIME_STAND_IN_YEAR + index, 2, 3)
            else:
                values[name] = datetime(_DATETIME_STAND_IN_YEAR + index, 2, 3, 4, 5, 6, tzinfo=UTC)
        return values

    def _compile(self, connection):
        queryset = self.build(**self.stand_ins())
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured("A prepared query cannot prefetch or carry known related objects.")
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise ImproperlyConfigured(
                "A prepared query returns model instances or values_list() tuples "
                "(for translated models, rewrite(False) and the language's own column names)."
            )
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
        adapted = {name: _adapt(connection, value) for name, value in self.stand_ins().items()}
        slots = []
        for param in params:
            slots.append(next((name for name, value in adapted.items() if _same(param, value)), None))
        missing = sorted(set(adapted) - set(slots))
        inlined = sorted(name for name, value in adapted.items() if str(value) in sql)
        if missing or inlined:
            raise ImproperlyConfigured(
                f"Prepared query values not passed as SQL parameters: {missing or inlined}. "
                "Only values compared in filters can be prepared; keep slices and the like fixed."
            )
        select = compiler.select
        common = {
            "sql": sql,
            "slots": tuple(slots),
            "constants": tuple(None if name else param for name, param in zip(slots, params, strict=True)),
            "compiler": compiler,
            "converters": compiler.get_converters([column[0] for column in select[: compiler.col_count]]),
        }
        if queryset._iterable_class is ValuesListIterable:
            return _Compiled(**common, init_list=None, model_slice=None, populators=None, annotations=None)
        klass_info = compiler.klass_info
        fields = klass_info["select_fields"]
        model_slice = slice(fields[0], fields[-1] + 1)
        return _Compiled(
            **common,
            init_list=[column[0].target.attname for column in select[model_slice]],
            model_slice=model_slice,
            populators=get_related_populators(klass_info, select, connection.alias),
            annotations=dict(compiler.annotation_col_map or {}),
        )


def _same(param, value):
    return type(param) is type(value) and param == value
