"""The policy documents' admin: the metadata inline of the article editor (shown for articles of
policy columns) and the reference data (issuers, topics) for site administrators."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from ..admin.site import PortalAdmin, StaffWordingMixin, language_fieldsets
from ..i18n import localized
from ..models import Article, Column
from ..workflow import can_edit, can_publish
from .models import (
    INTERPRETS_NOTHING,
    DocumentMeta,
    DocumentRelation,
    Issuer,
    TopicCategory,
    is_interpretation_column,
    is_policy_column,
)


def column_kind(request, article):
    """The kind of the article's column, or for a new article of the column it is started in
    (``?column=<id>``, the admin's way to prefill a field); None when unknown."""
    if article is not None:
        return article.column.kind
    column = request.GET.get("column", "")
    return Column.objects.filter(pk=column).values_list("kind", flat=True).first() if column.isdigit() else None


def shows_document_metadata(request, article):
    """Whether the article editor shows the metadata inline: for articles of policy columns."""
    return column_kind(request, article) == Column.Kind.POLICY


def document_inlines(request, article):
    """The policy inlines the article editor shows: the metadata for a policy column, the
    related documents for a policy or interpretation column."""
    kind = column_kind(request, article)
    if kind == Column.Kind.POLICY:
        return [DocumentMetaInline, DocumentRelationInline]
    if kind == Column.Kind.INTERPRETATION:
        return [DocumentRelationInline]
    return []


class DocumentMetaFormSet(BaseInlineFormSet):
    """Publishing an article of a policy column needs its metadata complete
    (``DocumentMeta.publish_faults``), checked against what the form sends, before anything is saved."""

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != Article.Status.PUBLISHED or not is_policy_column(getattr(article, "column", None)):
            return
        forms = [form for form in self.forms if hasattr(form, "cleaned_data") and not self._should_delete_form(form)]
        if not forms or not forms[0].has_changed() and not forms[0].instance.pk:
            raise ValidationError(
                _(
                    "A policy document is published only with its metadata: fill in the topic, issuer, date "
                    "written and document number below."
                ),
                code="document_metadata",
            )
        form = forms[0]
        if form.errors:
            return
        faults = form.instance.publish_faults(article)
        for field, message in faults.items():
            form.add_error(field if field in form.fields else None, message)
        if faults:
            raise ValidationError(_("This policy document cannot be published yet: see its metadata below."))


class DocumentMetaInline(StaffWordingMixin, TranslationStackedInline):
    model = DocumentMeta
    formset = DocumentMetaFormSet
    can_delete = False
    extra = 1
    max_num = 1
    min_num = 0
    verbose_name = _("document metadata")
    verbose_name_plural = _("Policy document (政务公开 metadata)")
    autocomplete_fields = ("topic", "lead_issuer", "co_issuers")
    fields = [
        "index_number",
        "document_number",
        "is_correction",
        "lead_issuer",
        "co_issuers",
        "topic",
        "genre",
        "written_date",
        "effective_date",
        "expiry_date",
        "is_normative",
        "needs_interpretation",
        "is_republished",
        "english_status",
        *(localized("keywords", code) for code, _name in settings.LANGUAGES),
        "validity_override",
        *(localized("validity_reason", code) for code, _name in settings.LANGUAGES),
        "review_note",
    ]

    # The metadata is part of the article: whoever may view or change the article (its workflow
    # rules included) may view or change its metadata, without permissions of its own.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.view_article") or self.has_change_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("news.change_article") and (obj is None or can_edit(request.user, obj))

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # Index numbers are given at the first publication; only senior editors carry one over.
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            fields += [
                "index_number",
                "validity_override",
                *(localized("validity_reason", c) for c, _n in settings.LANGUAGES),
            ]
        return fields


class DocumentRelationFormSet(BaseInlineFormSet):
    """An interpretation is published only when it names the document it interprets."""

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != Article.Status.PUBLISHED or not is_interpretation_column(getattr(article, "column", None)):
            return
        kinds = [
            form.cleaned_data.get("kind")
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("to_article")
            and not self._should_delete_form(form)
        ]
        if DocumentRelation.Kind.INTERPRETS not in kinds:
            raise ValidationError(INTERPRETS_NOTHING, code="interprets_nothing")


class DocumentRelationInline(StaffWordingMixin, admin.TabularInline):
    model = DocumentRelation
    formset = DocumentRelationFormSet
    fk_name = "from_article"
    extra = 1
    autocomplete_fields = ("to_article",)
    fields = ["kind", "to_article"]
    verbose_name = _("related document")
    verbose_name_plural = _("Related documents")

    has_view_permission = DocumentMetaInline.has_view_permission
    has_change_permission = DocumentMetaInline.has_change_permission
    has_add_permission = DocumentMetaInline.has_add_permission

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


# The autocomplete of the list actions' document picker (news.policies.actions) asks for this
# source field; it offers policy documents only.
PICKER_FIELD = "from_article"


def policy_documents_only(request, queryset):
    """``queryset`` narrowed to policy documents when the admin's autocomplete asks for the
    actions' document picker, else unchanged."""
    if request.GET.get("model_name") == "documentrelation" and request.GET.get("field_name") == PICKER_FIELD:
        return queryset.filter(document__isnull=False)
    return queryset


class AddInterpretationMixin:
    """ "Add interpretation" on a policy document's change page (for staff who may add articles):
    a new article in the interpretation column with the relation "interprets this document"
    filled in. Without an interpretation column, the change page says so."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.add_interpretation_view)
        return [path("<int:pk>/add-interpretation/", view, name="news_article_add_interpretation"), *super().get_urls()]

    def add_interpretation_view(self, request, pk):
        document = get_object_or_404(Article.objects.filter(document__isnull=False), pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        column = Column.objects.filter(kind=Column.Kind.INTERPRETATION).order_by("order", "pk").first()
        if column is None:
            self.message_user(
                request,
                _(
                    "There is no interpretation column yet: a site administrator adds a column of the kind "
                    "“interpretation” (政策解读) first."
                ),
                messages.ERROR,
            )
            return redirect("admin:news_article_change", document.pk)
        return redirect(f"{reverse('admin:news_article_add')}?column={column.pk}&interprets={document.pk}")

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        interprets = request.GET.get("interprets", "")
        if (
            isinstance(inline, DocumentRelationInline)
            and request.method == "GET"
            and not obj.pk
            and interprets.isdigit()
            and Article.objects.filter(pk=interprets, document__isnull=False).exists()
        ):
            kwargs["initial"] = [{"kind": DocumentRelation.Kind.INTERPRETS, "to_article": int(interprets)}]
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        context = dict(extra_context or {})
        if (
            object_id
            and str(object_id).isdigit()
            and self.has_add_permission(request)
            and DocumentMeta.objects.filter(article_id=object_id).exists()
        ):
            context["add_interpretation_url"] = reverse("admin:news_article_add_interpretation", args=[object_id])
        return super().changeform_view(request, object_id, form_url, context)


@admin.register(Issuer)
class IssuerAdmin(PortalAdmin):
    list_display = ("name", "short_name", "level", "org_code", "order")
    list_filter = ("level",)
    search_fields = [*(localized("name", code) for code, _name in settings.LANGUAGES), "short_name", "org_code"]
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [
        (None, {"fields": ["slug", "short_name", "level", "org_code", "website", "order"]}),
        *language_fieldsets(("name",)),
    ]


@admin.register(TopicCategory)
class TopicCategoryAdmin(PortalAdmin):
    list_display = ("__str__", "code", "slug")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = [*(localized("name", code) for code, _name in settings.LANGUAGES), "code"]
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [(None, {"fields": ["code", "slug", "parent", "order"]}), *language_fieldsets(("name",))]

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("field_name") == "topic":
            # The document's autocomplete offers second-level topics only.
            queryset = queryset.filter(parent__isnull=False)
        return queryset, duplicates
