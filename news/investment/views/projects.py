"""The project library (招商项目库) for readers: the filterable list, a project's page, its printable
brochure with a QR code, its attachments, and signed preview links.

Lists go through ``Project.objects.public()`` (published, still valid, not withdrawn, written in
the page's language). A project's page answers as long as the workflow keeps it on the site:
past its validity, or withdrawn, it keeps its address with a banner and ``noindex``, so links
from news and the press never break. Every page here is whole-page cached like the news pages.
"""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core import signing
from django.db.models import Count, Window
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from ... import preview as article_preview
from ...context_processors import language_links
from ...i18n import all_columns_of
from ...pagecache.fragments import cards
from ...paginators import CountedPaginator
from ...uploads.documents import download_name, media_type
from ...views.reader import read_query
from .. import queries
from ..filters import ProjectFilterForm
from ..models import Project, ProjectAttachment
from ..models.projects import site_zone

PER_PAGE = queries.LIST_PER_PAGE
PREVIEW_SALT = "investment.project-preview"
# What list rows show: never the bodies.
LIST_DEFERRED = (*all_columns_of("body"), *all_columns_of("promoter"), *all_columns_of("withdrawn_reason"))


def project_list(request):
    """``/<lang>/projects/``: the projects a reader of this language may see, filtered by GET."""
    form = ProjectFilterForm(request.GET)
    # The page's rows are (id, updated_at): the cards of projects not changed since are kept
    # (news/pagecache/fragments.py), and only the others are read whole.
    now = timezone.now()
    paginator, page = counted_page(
        lambda: form.filter(Project.objects.public(now=now)),
        request.GET.get("page"),
        # The list as most readers open it: its first page's query is prepared (queries.py).
        first_page=(
            (lambda: queries.first_listed_projects(now=now, today=timezone.localdate(now, site_zone())))
            if form.is_plain()
            else None
        ),
    )
    projects = cards(page.object_list, "investment/includes/project_card.html", form.labels_stamp(), _list_rows)
    # Links and the language switcher carry only the filters this view reads (news/views/reader.py).
    query = read_query(request, (*ProjectFilterForm.base_fields, "page"))
    context = {
        "page_query": query,
        "language_links": language_links(request, query=query),
        "form": form,
        "page_obj": page,
        "paginator": paginator,
        "is_paginated": paginator.num_pages > 1,
        "projects": projects,
        "meta": {"title": _("Projects seeking investment")},
    }
    return TemplateResponse(request, "investment/project_list.html", context)


def counted_page(projects, number, per_page=PER_PAGE, first_page=None):
    """``(paginator, page)`` of ``projects()`` (a function that builds the queryset, called only
    when needed) as ``(pk, updated_at)`` rows, the page Django's ``Paginator.get_page(number)``
    gives (not a number: the first; below 1 or past the end: the last), read with the count in
    one query (``COUNT(*) OVER ()``: the list is short, and its order is not an index's) instead of
    a count and then the page (``CountedPaginator``, news/paginators.py). ``first_page()``, when
    given, returns the first page's rows with the count (a prepared query of the same rows).

    Past the end or below 1 the count is read on its own and the last page after it.
    """

    def read(bottom, top):
        return list(projects().values_list("pk", "updated_at")[bottom:top])

    def read_counted(bottom, top):
        if bottom == 0 and first_page is not None:
            return first_page()
        rows = projects().annotate(listed=Window(Count("pk"))).values_list("pk", "updated_at", "listed")
        return list(rows[bottom:top])

    paginator = CountedPaginator(read_counted, read, lambda: projects().count(), per_page)
    return paginator, paginator.get_page(number)


def _list_rows(pks):
    """``{pk: project}`` with what a card of the list shows (region, sectors), never the bodies."""
    rows = Project.objects.filter(pk__in=pks).select_related("region").prefetch_related("sectors")
    return {project.pk: project for project in rows.defer(*LIST_DEFERRED)}


def _on_site(code):
    """The project on the site with this ``code`` (news/investment/queries.py), or a 404."""
    found = queries.project_on_site(code=code, now=timezone.now())
    if not found:
        raise Http404("No project has this code")
    return found[0]


def _terms(project):
    """What the key facts list besides the project's own fields: its sectors and cooperation modes."""
    return {
        "sectors": queries.project_sectors(project=project.pk),
        "cooperation_modes": queries.project_cooperation_modes(project=project.pk),
    }


def project_detail(request, code, slug=None):
    """``/<lang>/projects/<code>/<slug>/``: a wrong or missing slug redirects to the address."""
    project = _on_site(code)
    canonical = project.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)
    return render_project(request, project)


def render_project(request, project, preview=False, url_for=None):
    """The page of ``project`` in the active language (the admin's preview passes ``preview``
    and ``url_for(language)`` for the language switcher)."""
    language = translation.get_language()
    available = project.available_languages()
    urls = {code: (url_for or project.get_absolute_url)(code) for code in available}
    now = timezone.now()
    context = {
        "project": project,
        "preview": preview,
        "language_links": language_links(request, urls),
        "meta": {"title": project.title or _("Not available in this language"), "description": project.summary},
    }
    if language not in available:
        context["other_versions"] = [link for link in context["language_links"] if link["url"]]
        response = TemplateResponse(request, "investment/project_unavailable.html", context)
        response["X-Robots-Tag"] = "noindex"
        return response
    context.update(
        _terms(project),
        expired=project.is_expired(now),
        withdrawn=project.deal_status == Project.DealStatus.WITHDRAWN,
        # A preview's project comes from another query, without has_attachments.
        attachments=(
            queries.project_attachments(project=project.pk) if getattr(project, "has_attachments", True) else []
        ),
        related_articles=queries.project_articles(project=project.pk, now=now),
    )
    context["noindex"] = preview or context["expired"] or context["withdrawn"]
    response = TemplateResponse(request, "investment/project_detail.html", context)
    if context["noindex"]:
        response["X-Robots-Tag"] = "noindex"
    return response


def qr_svg(data):
    """An SVG QR code of ``data`` (the SVG writer the two-factor page uses); markup safe to embed."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308  (generated here, no outside text in it)


def project_print(request, code):
    """``/<lang>/projects/<code>/print/``: one printed page with a QR code to the project's address."""
    project = _on_site(code)
    if translation.get_language() not in project.available_languages():
        raise Http404("Not written in this language")
    address = request.build_absolute_uri(project.get_absolute_url())
    context = {
        **_terms(project),
        "project": project,
        "address": address,
        "qr_code": qr_svg(address),
        "expired": project.is_expired(),
        "meta": {"title": project.title},
    }
    response = TemplateResponse(request, "investment/project_print.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


def project_attachment(request, pk):
    """An attachment of a project on the site, saved by the browser under its title."""
    attachment = get_object_or_404(ProjectAttachment, pk=pk, project__in=Project.objects.on_site())
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.title, attachment.file.name),
        content_type=media_type(attachment.file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def signed_preview_url(project, language):
    """A link that shows ``project`` as saved to someone without an account, for
    ``PORTAL_PREVIEW_LINK_MAX_AGE`` seconds."""
    token = signing.dumps({"project": project.pk}, salt=PREVIEW_SALT)
    with translation.override(language):
        return reverse("investment:project-preview", kwargs={"token": token})


def project_preview(request, token):
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=settings.PORTAL_PREVIEW_LINK_MAX_AGE)
    except signing.BadSignature:
        raise Http404("Invalid or expired preview link") from None
    project = get_object_or_404(Project.objects.select_related("region", "desk"), pk=data["project"])

    def url_for(code):
        with translation.override(code):
            return reverse("investment:project-preview", kwargs={"token": token})

    response = render_project(request, project, preview=True, url_for=url_for)
    response.render()
    return article_preview.private(response)
