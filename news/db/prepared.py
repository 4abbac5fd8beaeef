"""Querysets whose SQL is built once per process and then run with each request's values.

Building a queryset's SQL (resolving the lookups and joins, rewriting translated field names,
working out the select list) costs about a millisecond; running the result on an index costs
a tenth of that. An uncached article page runs half a dozen such queries, so building them was
most of its time (docs/benchmarks.md). A ``PreparedQuery`` builds its queryset once with
stand-in values, notes where those values landed among the SQL's parameters, and from then on
runs the same SQL with the real values, turning the rows into model instances the way
``QuerySet`` does (``select_related`` included). The SQL is exactly what the ORM wrote (its parameters
named, ``_named``), so the query plans and the query-count tests are unchanged.

The compiled form is kept per database connection and per active language (modeltranslation
rewrites field names for the language). Values that Django writes into the SQL text rather
than as parameters (slice limits) cannot be stand-ins: they stay fixed in ``build``.

**The switch** (``PORTAL_PREPARED_QUERIES``) chooses how, three ways, each giving the same rows:

- ``True`` (the default): *compiled*. The one code on the ORM's internals (compiler attributes,
  ``get_related_populators``, the iterable classes: docs/upgrading.md lists them, and
  tests/test_django_internals.py touches each). The cheapest.
- ``False``: *public*, on documented API only. The SQL is the one the ORM runs for the stand-in
  values, seen through an execute wrapper (``connection.execute_wrapper``, Django's "Database
  instrumentation"); the values are adapted by their field's ``get_db_prep_value``; the rows are
  read from a cursor and turned into instances with ``Model.from_db`` (Django's "Customizing model
  loading"), related rows set through their foreign key. An instance row's layout (the model's
  columns, then annotations, then each ``select_related`` model's) is read from the cursor's column
  names and checked against the models' fields; a block two foreign keys could hold, or DISTINCT
  rows, are refused (``ImproperlyConfigured``), never guessed. A field's column is converted as
  Django's backends convert it (``_converter``); a column no field describes (an expression, an
  annotation, any ``values_list()`` column) takes the conversion that turns the driver's value into
  the plain queryset's, learned at its first value (``_learned``). The first rows, and the rows
  where such a column first has a value, are read by the plain queryset too and compared, value
  types included: a difference is refused. So each query runs twice once per process and language,
  and once more with the stand-in values.
- ``"plain"``: ``list(build(**values))``, the plain queryset; to tell whether a wrong row comes from
  preparing at all.

An upgrade of Django starts with the switch off (public) and the suite green, and turns it back on
once tests/news/db/test_prepared.py passes; should the public form's layout check refuse the new
version's SQL, ``"plain"`` runs everything as plain querysets meanwhile.
"""

import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Context, Decimal
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime

# The first stand-ins of each kind: values no real request sends.
_INT_STAND_IN = -7_319_000_001
_DATETIME_STAND_IN_YEAR = 1001
_STR_STAND_IN = "\x1fprepared-stand-in-"


# A value of each kind is adapted as this field adapts it (``get_db_prep_value``, the Field reference):
# times as the backend stores them (SQLite: text in UTC), numbers and text as they are.
_TIME_FIELDS = {datetime: models.DateTimeField(), date: models.DateField()}


# The time adapted last, with its connection and what it became: a request passes the same ``now``
# to each of its queries (four on an article page), and adapting one costs ~6 µs. What it becomes
# depends on USE_TZ, TIME_ZONE and the database's TIME_ZONE: a change of them forgets it.
_last_time = (None, None, None)


@receiver(setting_changed)
def _forget_last_time(*, setting, **kwargs):
    global _last_time
    if setting in ("USE_TZ", "TIME_ZONE", "DATABASES"):
        _last_time = (None, None, None)


def _adapt(connection, value):
    """A value as the ORM passes it to the database driver: a time or a date as its field's
    ``get_db_prep_value`` (the Field reference) adapts it, anything else as it is."""
    if isinstance(value, datetime):
        global _last_time
        last = _last_time  # one read: another thread may replace it meanwhile
        if last[0] is value and last[1] is connection:
            return last[2]
        adapted = _TIME_FIELDS[datetime].get_db_prep_value(value, connection)
        _last_time = (value, connection, adapted)
        return adapted
    if isinstance(value, date):
        return _TIME_FIELDS[date].get_db_prep_value(value, connection)
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str  # with named parameters (``_named``)
    constants: dict  # the parameters that are no value's: their names and values
    compiler: object
    converters: dict
    init_list: list  # the rest is None for a values_list() query, whose rows are returned as tuples
    model_slice: slice
    populators: list
    annotations: dict


class PreparedQuery:
    """``PreparedQuery(build, pk=int, now=datetime, code=str)`` (``date`` too):
    ``build(pk=..., now=..., code=...)`` returns a queryset of model instances; calling the prepared
    query with real values returns its rows as a list of model instances. ``PreparedRows`` is the same
    for a ``values_list()`` queryset, whose rows are tuples."""

    tuples = False

    def __init__(self, build, **kinds):
        unknown = {name: kind for name, kind in kinds.items() if kind not in (int, datetime, date, str)}
        if unknown:
            raise ImproperlyConfigured(f"PreparedQuery values must be int, datetime, date or str, not {unknown}")
        self.build, self.kinds = build, kinds
        self._public = {}  # (database alias, language): _Captured

    def __call__(self, **values):
        if values.keys() != self.kinds.keys():
            raise TypeError(f"expected the values {sorted(self.kinds)}, got {sorted(values)}")
        mode = settings.PORTAL_PREPARED_QUERIES
        if mode == "plain":
            return list(self.build(**values))
        connection = connections[DEFAULT_DB_ALIAS]
        if mode is False:
            return self._run_public(connection, values)
        compiled = self.compiled(connection)
        params = {name: _adapt(connection, value) for name, value in values.items()}
        params.update(compiled.constants)
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

    def _run_public(self, connection, values):
        key = (connection.alias, translation.get_language())
        captured = self._public.get(key)
        if captured is None:
            captured = self._public[key] = _capture(self, connection)
        params = {name: _adapt(connection, value) for name, value in values.items()}
        params.update(captured.constants)
        with connection.cursor() as cursor:
            cursor.execute(captured.sql, params)
            rows = cursor.fetchall()
        if rows and (not captured.checked or any(row[p] is not None for row in rows for p in captured.unknown)):
            # The first rows, and the first value of a column no field describes: read the plain
            # queryset too, learn that column's conversion from it and compare every row, once.
            plain = list(self.build(**values))
            captured = self._public[key] = self._learn(captured, rows, plain, connection)
            found = self._public_rows(captured, rows, connection.alias)
            related = [block[3] for block in captured.blocks[1:]]
            named = [name for name, _position in captured.annotations]
            if [_fingerprint(row, related, named) for row in found] != [
                _fingerprint(row, related, named) for row in plain
            ]:
                self._public.pop(key, None)
                raise ImproperlyConfigured(
                    "The public form of a prepared query read other rows than its plain queryset "
                    "(a values_list() queryset is prepared with PreparedRows, one of instances with PreparedQuery)."
                )
            return found
        return self._public_rows(captured, rows, connection.alias)

    def _learn(self, captured, rows, plain, connection):
        if len(plain) != len(rows):
            raise ImproperlyConfigured("The public form of a prepared query read another number of rows.")
        names = {position: name for name, position in captured.annotations}
        learned = {}
        for position in captured.unknown:
            pair = next(
                ((row, other) for row, other in zip(rows, plain, strict=True) if row[position] is not None), None
            )
            if pair is None:
                continue
            raw, other = pair
            if self.tuples:
                if not isinstance(other, tuple) or len(other) != len(raw):
                    raise ImproperlyConfigured("A prepared query's plain rows are not values_list() tuples.")
                value = other[position]
            elif position in names and isinstance(other, models.Model):
                value = getattr(other, names[position], None)
            else:
                raise ImproperlyConfigured("A prepared query's plain rows are not model instances.")
            learned[position] = _learned(raw[position], value, connection)
        converters = dict(captured.converters)
        converters.update((position, function) for position, function in learned.items() if function)
        return replace(
            captured,
            converters=tuple(sorted(converters.items(), key=lambda item: item[0])),
            unknown=captured.unknown - set(learned),
            checked=True,
        )

    def _public_rows(self, captured, rows, alias):
        if captured.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, function in captured.converters:
                    row[position] = function(row[position])
        if self.tuples:
            return [tuple(row) for row in rows]
        (model, attnames, columns, _key), *related = captured.blocks
        found = []
        for row in rows:
            instance = model.from_db(alias, attnames, row[columns])
            for other, other_attnames, other_columns, key in related:
                # A nullable foreign key without a row is left unset: reading it gives None, no query.
                if row[other_columns.start] is not None:
                    setattr(instance, key, other.from_db(alias, other_attnames, row[other_columns]))
            for name, position in captured.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

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
        # The compiled form's private names, imported here: a Django that moves one breaks this form
        # alone, not the public one that an upgrade runs first.
        from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

        queryset = self.build(**self.stand_ins())
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured("A prepared query cannot prefetch or carry known related objects.")
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise ImproperlyConfigured(
                "A prepared query returns model instances or values_list() tuples "
                "(for translated models, rewrite(False) and the language's own column names)."
            )
        if (queryset._iterable_class is ValuesListIterable) != self.tuples:
            raise ImproperlyConfigured(
                "A values_list() queryset is prepared with PreparedRows, a queryset of instances with PreparedQuery."
            )
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
        adapted = {name: _adapt(connection, value) for name, value in self.stand_ins().items()}
        slots = _slots(params, adapted)
        _check_slots(sql, params, slots, adapted)
        select = compiler.select
        common = {
            **_named(sql, params, slots),
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


def _slots(params, adapted):
    """Per SQL parameter, the name of the value whose stand-in it is, or None (a constant)."""
    return [next((name for name, value in adapted.items() if _same(param, value)), None) for param in params]


# A parameter in the SQL the ORM writes ("format" style): %s, not the escaped %%s (as Django's
# SQLite backend reads it).
_FORMAT_PARAMETER = re.compile(r"(?<!%)%s")


def _named(sql, params, slots):
    """``{"sql": …, "constants": …}``: ``sql`` with each parameter named ("pyformat" style,
    ``%(name)s``, which Django takes on every backend, docs "Performing raw SQL queries"): a value's
    by the value's name (the same name where it is used twice), a constant's as ``constant_<n>``,
    with ``constants`` giving those their values. So a call passes a dict of its values, and
    Django's SQLite backend turns the SQL into SQLite's own style with one ``%`` formatting instead
    of a regular-expression search of the whole text (a tenth of the cost for the article's
    2,600-character query)."""
    named_like_a_constant = sorted(str(name) for name in slots if str(name).startswith("constant_"))
    if named_like_a_constant:
        raise ImproperlyConfigured(f"A prepared query's values cannot be named constant_…: {named_like_a_constant}.")
    found = len(_FORMAT_PARAMETER.findall(sql))
    if found != len(slots):
        raise ImproperlyConfigured(
            f"A prepared query's SQL holds {found} %s parameters where the ORM passes {len(slots)} "
            f"(a parameter next to an escaped %%, or SQL not in the ORM's format style): {sql}"
        )
    names = iter([name or f"constant_{position}" for position, name in enumerate(slots)])
    named = _FORMAT_PARAMETER.sub(lambda _match: f"%({next(names)})s", sql)
    constants = {
        f"constant_{position}": param
        for position, (name, param) in enumerate(zip(slots, params, strict=True))
        if name is None
    }
    return {"sql": named, "constants": constants}


class PreparedRows(PreparedQuery):
    """``PreparedQuery`` for a ``values_list()`` queryset: its rows are tuples."""

    tuples = True


# --- The public form (``PORTAL_PREPARED_QUERIES = False``): documented API only. ----------------


def _check_slots(sql, params, slots, adapted):
    """Refuse a value that did not land as a parameter of its own: written into the SQL text, or
    passed transformed (``startswith``'s ``"value%"``), where the stand-in would stay for good."""
    missing = sorted(set(adapted) - set(slots))
    inlined = sorted(name for name, value in adapted.items() if str(value) in sql)
    transformed = sorted(
        name
        for name, value in adapted.items()
        for param, slot in zip(params, slots, strict=True)
        if slot is None and str(value) in str(param)
    )
    if missing or inlined or transformed:
        raise ImproperlyConfigured(
            f"Prepared query values not passed as SQL parameters: {missing or inlined or transformed}. "
            "Only values compared in filters can be prepared; keep slices and the like fixed."
        )


@dataclass(frozen=True)
class _Captured:
    sql: str  # as _Compiled's
    constants: dict
    blocks: tuple  # instances: (model, attnames, slice, foreign key name or None) per model in the row
    annotations: tuple  # instances: (name, position)
    converters: tuple  # (position, function): the columns the driver gives otherwise than the ORM
    unknown: frozenset  # positions of the columns no field describes, not yet seen with a value
    checked: bool  # rows compared with the plain queryset's once


def _zone(connection):
    """The zone a database without time zones keeps times in: its ``TIME_ZONE`` (DATABASES), or UTC."""
    name = connection.settings_dict.get("TIME_ZONE")
    return ZoneInfo(name) if name else UTC


def _converter(field, connection):
    """``value -> value`` for a column of ``field`` as a cursor of ``connection`` returns it, or None
    when the driver's value is already the model's: what Django's backend converters do for the
    field types the portal reads (SQLite: times as naive text or datetimes in the database's zone,
    booleans and decimals as numbers), and ``from_db_value`` for the fields that have one."""
    own = getattr(field, "from_db_value", None)
    if own is not None:
        return lambda value: own(value, None, connection)
    if isinstance(field, models.DateTimeField):
        return _to_datetime(_zone(connection))
    if isinstance(field, models.DateField):
        return _to_date
    if isinstance(field, models.BooleanField):
        return _to_bool
    if isinstance(field, models.DecimalField):
        return _to_decimal(Decimal(1).scaleb(-field.decimal_places))
    return None


def _to_datetime(zone):
    def to_datetime(value):
        if isinstance(value, str):
            value = parse_datetime(value)
        if value is not None and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value, zone)
        return value

    return to_datetime


def _to_date(value):
    return parse_date(value) if isinstance(value, str) else value


def _to_bool(value):
    return bool(value) if value in (0, 1) else value


def _to_decimal(exponent):
    # As Django's SQLite backend: a float through a 15-digit context, then the field's places.
    context = Context(prec=15)

    def to_decimal(value):
        if value is None or isinstance(value, Decimal):
            return value
        number = context.create_decimal_from_float(value) if isinstance(value, float) else Decimal(value)
        return number.quantize(exponent)

    return to_decimal


def _learned(raw, value, connection):
    """The conversion that turns ``raw``, a column's value as the driver gave it, into ``value``, the
    plain queryset's (an expression's or an annotation's: no field says its type), or None when
    there is nothing to do. ``ImproperlyConfigured`` when no known conversion does it."""
    if type(raw) is type(value) and raw == value:
        return None
    if isinstance(value, datetime):
        candidates = [_to_datetime(_zone(connection))]
    elif isinstance(value, date):
        candidates = [_to_date]
    elif isinstance(value, bool):
        candidates = [_to_bool]
    elif isinstance(value, Decimal):
        candidates = [_to_decimal(Decimal(1).scaleb(value.as_tuple().exponent))]
    elif isinstance(value, list | dict):
        candidates = [lambda found: json.loads(found) if isinstance(found, str) else found]
    else:
        candidates = []
    for function in candidates:
        converted = function(raw)
        if type(converted) is type(value) and converted == value:
            return function
    raise ImproperlyConfigured(
        f"A prepared query's column reads {raw!r} where the ORM reads {value!r}, and the public form "
        "knows no conversion from one to the other: prepare it with PORTAL_PREPARED_QUERIES=true or plain."
    )


def _stored_fields(model):
    """A model's fields with a column of their own, in the order the ORM selects them."""
    return [field for field in model._meta.get_fields() if field.concrete and not field.many_to_many]


def _block(fields, names, position, starts):
    """``(fields, end)``: ``fields`` (in order, some perhaps deferred) that ``names`` hold from
    ``position`` on, to the end of the row or the next related model's primary key; else None."""
    end, matched = position, []
    for field in fields:
        if end < len(names) and names[end] == field.column:
            matched.append(field)
            end += 1
    if matched and matched[0].primary_key and (end == len(names) or names[end] in starts):
        return matched, end
    return None


def _layout(model, names):
    """``(blocks, annotations, fields by position)`` of an instance row with column ``names``: the
    model's columns (some may be deferred), its annotations, then one block of columns per related
    model (``select_related``, one level), each starting with that model's primary key. A block that
    more than one of the remaining foreign keys could hold (a model whose columns are, in order,
    among another's) is refused unless exactly one holds all of it."""
    fields = _stored_fields(model)
    position, taken = 0, []
    for field in fields:
        if position < len(names) and names[position] == field.column:
            taken.append(field)
            position += 1
    if not taken or not taken[0].primary_key:
        raise ImproperlyConfigured(f"The row does not start with {model.__name__}'s primary key: {names}")
    blocks = [(model, [field.attname for field in taken], slice(0, position), None)]
    by_position = dict(enumerate(taken))
    foreign_keys = [field for field in fields if field.many_to_one or field.one_to_one]
    starts = {field.related_model._meta.pk.column for field in foreign_keys}
    annotations = []
    while position < len(names) and names[position] not in starts:
        annotations.append((names[position], position))
        position += 1
    while position < len(names):
        candidates = []
        for index, key in enumerate(foreign_keys):
            related = _stored_fields(key.related_model)
            found = _block(related, names, position, starts)
            if found:
                candidates.append((len(found[0]) == len(related), index, key, *found))
        whole = [candidate for candidate in candidates if candidate[0]]
        if len(whole) == 1:
            candidates = whole
        if len(candidates) != 1:
            keys = [candidate[2].name for candidate in candidates]
            raise ImproperlyConfigured(
                f"Columns {names[position:]} of {model.__name__}'s row are no one related model's ({keys})."
            )
        _whole, index, key, matched, end = candidates[0]
        blocks.append((key.related_model, [field.attname for field in matched], slice(position, end), key.name))
        by_position.update(zip(range(position, end), matched, strict=True))
        position = end
        del foreign_keys[: index + 1]  # the ORM selects related models in field order
    return tuple(blocks), tuple(annotations), by_position


def _capture(query, connection):
    stand_ins = query.stand_ins()
    seen = []

    def look(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        seen.append((sql, tuple(params or ()), [column[0] for column in context["cursor"].description or ()]))
        return result

    queryset = query.build(**stand_ins)
    with connection.execute_wrapper(look):
        list(queryset)
    if len(seen) != 1:
        raise ImproperlyConfigured(f"A prepared query runs one SQL query, not {len(seen)}.")
    sql, params, names = seen[0]
    if sql.lstrip().upper().startswith("SELECT DISTINCT"):
        # DISTINCT puts its ORDER BY columns in the row too; the compiled form cuts them off.
        raise ImproperlyConfigured("The public form of prepared queries does not read DISTINCT rows.")
    adapted = {name: _adapt(connection, value) for name, value in stand_ins.items()}
    slots = _slots(params, adapted)
    _check_slots(sql, params, slots, adapted)
    if query.tuples:
        blocks, annotations, fields = (), (), {}
    else:
        blocks, annotations, fields = _layout(queryset.model, names)
    converters = tuple(
        (position, function)
        for position, field in sorted(fields.items())
        if (function := _converter(field, connection)) is not None
    )
    return _Captured(
        **_named(sql, params, slots),
        blocks=blocks,
        annotations=annotations,
        converters=converters,
        unknown=frozenset(range(len(names))) - set(fields),
        checked=False,
    )


def _fingerprint(row, related=(), annotations=()):
    """What a row holds, each value with its type: a tuple's values; an instance's loaded fields, the
    ``annotations`` named and the objects of the foreign keys named in ``related``."""
    if not isinstance(row, models.Model):
        return (type(row), tuple((type(value), value) for value in row) if isinstance(row, tuple) else row)
    deferred = row.get_deferred_fields()
    loaded = tuple(
        (field.attname, type(value), value)
        for field in _stored_fields(type(row))
        if field.attname not in deferred
        for value in [getattr(row, field.attname)]
    )
    named = tuple((name, type(value), value) for name in annotations for value in [getattr(row, name, None)])
    held = tuple((key, _fingerprint(other) if (other := getattr(row, key)) is not None else None) for key in related)
    return (type(row), tuple(sorted(deferred)), loaded, named, held)
