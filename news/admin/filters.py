"""List tools of the article list: who began an article, its byline, and a publish-date range."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from urllib.parse import parse_qsl

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..i18n import language_codes, localized
from ..staff.names import display_name


class CreatorFilter(admin.SimpleListFilter):
    """Articles begun by one person of the newsroom (``created_by``), by name."""

    title = _("begun by")
    parameter_name = "creator"

    def lookups(self, request, model_admin):
        creators = get_user_model().objects.filter(pk__in=model_admin.model.objects.values("created_by")).distinct()
        return sorted(((str(user.pk), display_name(user)) for user in creators), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(created_by_id=int(value)) if value and value.isdigit() else queryset


class BylineFilter(admin.SimpleListFilter):
    """Articles by their byline (the author field readers see), the most frequent first: one choice
    per byline in the admin's language, named with the other language's byline of the same articles
    (``王小明（Wang Xiaoming）``), so a person written in both languages is listed once. A byline
    written only in the other language is a choice of its own. Choosing one lists the articles
    with that byline in any language."""

    title = _("author (byline)")
    parameter_name = "byline"
    LIMIT = 30

    def lookups(self, request, model_admin):
        current = translation.get_language()
        codes = sorted(language_codes(), key=lambda code: code != current)  # the admin's language first
        counts, others = Counter(), {}
        rows = model_admin.model.objects.values_list(*(localized("author", code) for code in codes))
        for *bylines, articles in rows.annotate(articles=Count("pk")).order_by():
            bylines = [byline.strip() for byline in bylines if byline and byline.strip()]
            if bylines:
                counts[bylines[0]] += articles
                others.setdefault(bylines[0], Counter()).update(dict.fromkeys(bylines[1:], articles))
        bylines = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[: self.LIMIT]
        return [(byline, self.label(byline, others[byline])) for byline, _count in bylines]

    @staticmethod
    def label(byline, others):
        """``byline`` with the other language's byline most often written beside it, if any."""
        other = next((name for name, _count in others.most_common(1) if name != byline), None)
        return _("%(byline)s (%(other)s)") % {"byline": byline, "other": other} if other else byline

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        matches = Q()
        for code in language_codes():
            matches |= Q(**{localized("author", code): self.value()})
        return queryset.filter(matches)


class PublishDateRangeFilter(admin.ListFilter):
    """Articles published (or scheduled) from one day to another, both included, Beijing days.

    Parameters ``published_from`` and ``published_to`` (``YYYY-MM-DD``); either may be left out.
    A value that is not a date is ignored and shown as such."""

    title = _("publish date from … to …")
    template = "admin/news/article/date_range_filter.html"
    parameters = ("published_from", "published_to")

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.values = {}
        for name in self.parameters:
            value = params.pop(name, None)
            if isinstance(value, list):
                value = value[-1] if value else None
            self.values[name] = value or ""

    def _day(self, name):
        try:
            return date.fromisoformat(self.values[name])
        except ValueError:
            return None

    def has_output(self):
        return True

    def expected_parameters(self):
        return list(self.parameters)

    def queryset(self, request, queryset):
        start, end = self._day("published_from"), self._day("published_to")
        zone = timezone.get_current_timezone()
        if start:
            queryset = queryset.filter(publish_at__gte=datetime.combine(start, time.min, zone))
        if end:
            queryset = queryset.filter(publish_at__lt=datetime.combine(end + timedelta(days=1), time.min, zone))
        return queryset

    def choices(self, changelist):
        keep = changelist.get_query_string(remove=[*self.parameters, "p"])
        yield {
            "hidden": parse_qsl(keep.lstrip("?"), keep_blank_values=True),
            "fields": [
                (name, label, self.values[name], bool(self.values[name]) and self._day(name) is None)
                for name, label in zip(self.parameters, (_("From"), _("To")), strict=True)
            ],
            "clear": changelist.get_query_string(remove=[*self.parameters, "p"]),
            "active": any(self.values.values()),
        }
