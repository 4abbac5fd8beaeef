from django import forms
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .context_processors import chrome
from .models import Article


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a column and a year. Bad filters are dropped."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    column = forms.ChoiceField(label=_("Column"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The columns of the site chrome, already in the shared cache.
        self.fields["column"].choices = [("", _("All columns")), *((c.slug, c.name) for c in chrome()[1])]
        # From the oldest published year to this one: one indexed lookup, whatever the corpus.
        oldest = Article.objects.published().aggregate(oldest=Min("publish_at"))["oldest"]
        this_year = timezone.localdate().year
        years = range(this_year, timezone.localtime(oldest).year - 1, -1) if oldest else []
        self.fields["year"].choices = [("", _("All years")), *((year, year) for year in years)]

    def filtered_articles(self):
        """The candidate articles the valid filters allow (None: no filter)."""
        data = self.cleaned_data if self.is_bound else {}
        articles = None
        if data.get("column"):
            articles = Article.objects.filter(column__slug=data["column"])
        if data.get("year"):
            articles = (articles if articles is not None else Article.objects.all()).filter(
                publish_at__year=data["year"]
            )
        return articles
