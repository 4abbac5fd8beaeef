"""What the site answers outside the reader pages: robots.txt, the favicon, the 400 and 500 pages."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from ..operations import faults


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin): send them to ours."""
    return redirect(static("img/favicon.svg"), permanent=True)


def robots_txt(request):
    """Crawlers may read everything public but the search results; the sitemap lists the rest."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: /{code}/search/" for code, _name in settings.LANGUAGES]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@requires_csrf_token
def bad_request(request, exception, template_name="form_too_large.html"):
    """A form too large to read (a pasted 50 MB body) says so, in the editor's language, with
    the limits; any other bad request (a forged Host header) gets Django's own answer, which
    must not need the request (no ``400.html``: it would be rendered without one)."""
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception)
    context = {
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        "characters": settings.PORTAL_BODY_MAX_CHARACTERS,
    }
    return render(request, template_name, context, status=400)


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """The 500 page in the reader's language with the site's header and footer.

    The site context processor copes with a database that is away, so this page
    still renders when that is the cause of the error; but an unreachable database gets
    the 503 page of news/operations/faults.py instead (Django calls this for any exception raised
    in a view or a middleware).
    """
    unavailable = faults.database_unavailable(sys.exc_info()[1])
    try:
        if unavailable is not None:
            return faults.service_unavailable(request, unavailable)
        return render(request, template_name, status=500)
    except Exception:  # noqa: BLE001 - last resort: never raise from the error handler.
        response = HttpResponseServerError(PLAIN_SERVER_ERROR, content_type="text/html; charset=utf-8")
        if unavailable is not None:
            response.status_code = 503
            response["Retry-After"] = str(faults.RETRY_AFTER_SECONDS)
        return response


PLAIN_SERVER_ERROR = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>服务器错误 Server error</title>
<h1>服务器错误</h1><p>请稍后再试。</p><h1 lang="en">Server error</h1><p lang="en">Please try again later.</p></html>"""
