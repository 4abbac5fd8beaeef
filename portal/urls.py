from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from news.operations import health
from news.sitemaps import sitemaps
from news.views.files import serve_media
from news.views.site import favicon, robots_txt

# Outside the language prefixes: the admin (its language follows the editor's browser
# or the language cookie) and set_language.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # Staff's two-factor pages, inside the admin (news/staff/).
    path(f"{settings.PORTAL_ADMIN_URL}two-factor/", include("news.staff.urls")),
    path(settings.PORTAL_ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/status", health.status, name="health-status"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps(), "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps()},
        name="sitemap-section",
    ),
]

if settings.PORTAL_SERVE_MEDIA:
    # The embedded setup serves uploads itself; a CDN or S3 takes over when scaled out.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve_media, name="media"),
    )

urlpatterns += i18n_patterns(
    path("", include("news.urls")), path("", include("news.investment.urls")), path("", include("news.policies.urls"))
)

handler400 = "news.views.site.bad_request"
handler500 = "news.views.site.server_error"
