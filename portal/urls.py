from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

# Outside the language prefixes: the admin (its language follows the editor's browser
# or the language cookie) and set_language.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.SERVE_MEDIA:
    # The embedded setup serves uploads itself; a CDN or S3 takes over when scaled out.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    )

urlpatterns += i18n_patterns(path("", include("news.urls")))

handler500 = "news.views.server_error"
