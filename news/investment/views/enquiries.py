"""The reader's side of enquiries: the form, the page with the reference number, the rating link.

None of these pages is page-cached (the form carries a CSRF token and a signed render time;
the others are one person's); each answers ``Cache-Control: private, no-store``.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ...models import Article, Attachment
from .. import abuse, handling, notifications
from ..forms import EnquiryForm
from ..models import DevelopmentZone, Enquiry, Project

RECEIVED_SALT = "investment.enquiry-received"
RECEIVED_MAX_AGE = 24 * 3600


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def requested_document(request, project=None):
    """The attachment named by ``?attachment=<pk>`` (the "ask for another format" link of a document
    that is not marked accessible), or None: an attachment of ``project`` when the form is about a
    project, otherwise one of a published article. Anything else is ignored, never an error."""
    value = request.GET.get("attachment", "")
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        return None
    if project is not None:
        return project.attachments.filter(pk=int(value)).first()
    published = Article.objects.published()
    return Attachment.objects.select_related("article").filter(pk=int(value), article__in=published).first()


def format_request_initial(document, project=None):
    """The form's first values for asking for ``document`` in another format, in the active language."""
    if document is None:
        return {}
    page = project.title if project is not None else document.article.title
    return {
        "kind": Enquiry.Kind.QUESTION,
        "message": gettext(
            "Please send me the document “%(document)s” (published with “%(page)s”) in another format. "
            "The format I need (for example large print, plain text or a Word file): "
        )
        % {"document": str(document), "page": page or document.get_absolute_url()},
    }


@require_http_methods(["GET", "HEAD", "POST"])
def enquiry_form(request, code=None, slug=None):
    """GET shows the form; a valid POST saves the enquiry, then redirects to its reference number.

    With ``code`` (``/enquiry/project/<code>/``) the enquiry is about that project, whose desk
    answers; with ``slug`` (``/enquiry/zone/<slug>/``) about that zone, whose desk answers.
    """
    project = zone = None
    if code is not None:
        project = get_object_or_404(Project.objects.on_site().select_related("desk"), code=code)
    if slug is not None:
        zone = get_object_or_404(DevelopmentZone.objects.published().select_related("desk"), slug=slug)
    document = requested_document(request, project)
    context = {"project": project, "zone": zone, "document": document}
    if request.method != "POST":
        form = EnquiryForm(project=project, zone=zone, initial=format_request_initial(document, project))
        return _private(render(request, "investment/enquiry_form.html", {**context, "form": form}))
    form = EnquiryForm(request.POST, project=project, zone=zone)
    if not form.is_valid():
        return _private(render(request, "investment/enquiry_form.html", {**context, "form": form}, status=400))
    if abuse.over_hourly_limit(request):
        limit = settings.PORTAL_ENQUIRY_RATE_PER_HOUR
        response = render(request, "investment/enquiry_limited.html", {"limit": limit}, status=429)
        response["Retry-After"] = "3600"
        return _private(response)
    enquiry = form.save(commit=False)
    enquiry.language = request.LANGUAGE_CODE
    enquiry.project = project
    enquiry.zone = zone
    enquiry.ip_hash = abuse.address_hash(request)
    enquiry.referrer_path = request.GET.get("from", "")[:300] or (document.get_absolute_url() if document else "")
    for name in ("utm_source", "utm_medium", "utm_campaign"):
        setattr(enquiry, name, request.GET.get(name, "")[:100])
    held = form.held_as_spam
    handling.receive(enquiry, form.cleaned_data["sectors"], held_as_spam=held, spam_reason="links" if held else "")
    token = signing.dumps(enquiry.reference, salt=RECEIVED_SALT)
    return redirect(reverse("investment:enquiry-received") + f"?ref={token}")


def enquiry_received(request):
    """Only the reference number and the desk's reply time: nothing personal is shown again."""
    try:
        reference = signing.loads(request.GET.get("ref", ""), salt=RECEIVED_SALT, max_age=RECEIVED_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    enquiry = get_object_or_404(Enquiry.objects.select_related("desk"), reference=reference)
    return _private(render(request, "investment/enquiry_received.html", {"enquiry": enquiry}))


@require_http_methods(["GET", "HEAD", "POST"])
def enquiry_rating(request, token):
    """The sender rates the answer, 1–5, through the signed link mailed with a substantive reply."""
    try:
        data = signing.loads(token, salt=notifications.RATING_SALT, max_age=90 * 24 * 3600)
    except signing.BadSignature:
        raise Http404 from None
    enquiry = get_object_or_404(Enquiry, pk=data.get("e"), reference=data.get("r"))
    error, done = None, False
    if request.method == "POST":
        try:
            handling.rate(enquiry, int(request.POST.get("satisfaction", 0)), request.POST.get("comment", ""))
            done = True
        except (ValueError, handling.ValidationError):
            error = True
    context = {"enquiry": enquiry, "done": done, "error": error, "scale": range(1, 6)}
    return _private(render(request, "investment/enquiry_rating.html", context, status=400 if error else 200))
