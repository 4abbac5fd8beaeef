from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Article, Column


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a column and a year. Bad filters are dropped."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    column = forms.ChoiceField(label=_("Column"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].choices = [("", _("All columns")), *((c.slug, c.name) for c in Column.objects.all())]
        years = Article.objects.public(language).datetimes("publish_at", "year", order="DESC")
        self.fields["year"].choices = [("", _("All years")), *((d.year, d.year) for d in years)]

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
